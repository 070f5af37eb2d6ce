"""Import / export: preview with per-row errors, nothing written while errors stay, encodings, wrong columns."""

import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from atelier.core.errors import AtelierError
from atelier.stock import importers, services
from atelier.stock.models import Part, StockBalance

CATALOGUE = (
    "reference;designation;type;etat;grade;famille;marque;prix_achat_ht;prix_vente_ht;fournisseur;ref_fournisseur;delai_jours\n"
    "481010584697;Résistance 2000 W;chauffage;neuf;;lave_linge;Whirlpool;18,20;34,90;Pièces Pro;PP-1;3\n"
    "C00119213;Courroie 1192 J5;mecanique;d'occasion;B;lave_linge;Indesit;2;6,50;;;\n"
    "POMPE-123;Pompe en double;moteur;neuf;;;;;10;;;\n"
    "X-NEG;Prix négatif;autre;neuf;;;;;-4;;;\n"
)


def test_catalogue_csv_in_windows_1252_with_bad_rows(site, magasinier, pump):
    parsed = importers.parse("catalogue", "cat.csv", CATALOGUE.encode("cp1252"), site=site)
    assert [(r.number, r.errors) for r in parsed.rows] == [
        (2, []),
        (3, []),
        (4, ["La référence POMPE-123 existe déjà."]),
        (5, ["Prix de vente HT ne peut pas être négatif."]),
    ]
    assert parsed.rows[0].values["designation"] == "Résistance 2000 W"
    with pytest.raises(AtelierError, match="2 ligne\\(s\\) en erreur : rien n'est importé"):
        importers.apply(parsed, actor=magasinier, site=site, skip_bad=False)
    assert Part.objects.count() == 1
    assert importers.apply(parsed, actor=magasinier, site=site, skip_bad=True) == 2
    resistance = Part.objects.get(reference="481010584697")
    assert (resistance.price_ht, resistance.purchase_price_ht, resistance.status) == (
        D("34.90"),
        D("18.20"),
        "a_valider",
    )
    assert resistance.suppliers.get().supplier_ref == "PP-1"
    assert Part.objects.get(reference="C00119213").grade == "B"


def test_utf8_and_comma_separated_are_read_too(site):
    data = "reference,designation,prix_vente_ht\nJ-1,Joint de cuve élastomère,3.5\n".encode()
    parsed = importers.parse("catalogue", "cat.csv", b"\xef\xbb\xbf" + data, site=site)
    assert [(r.values["designation"], r.errors) for r in parsed.rows] == [("Joint de cuve élastomère", [])]


def test_wrong_columns_get_a_clear_message(site):
    with pytest.raises(AtelierError) as exc:
        importers.parse("catalogue", "cat.csv", b"ref;nom;prix\nA;B;1\n", site=site)
    assert exc.value.message.startswith(
        "Colonnes incorrectes (colonnes manquantes : reference, designation, prix_vente_ht ; colonnes inconnues : "
        "ref, nom, prix)."
    )
    with pytest.raises(AtelierError, match="fichier .csv ou .xlsx attendu"):
        importers.parse("catalogue", "cat.pdf", b"%PDF", site=site)
    with pytest.raises(AtelierError, match="Excel est illisible"):
        importers.parse("catalogue", "cat.xlsx", b"not a zip", site=site)


def test_stock_export_then_import_from_excel_posts_the_differences(site, magasinier, pump, shelf):
    services.move_record(actor=magasinier, part=pump, location=shelf, kind="reception", quantity=2, reason="")
    rows = importers.stock_rows(StockBalance.objects.select_related("part", "location__site"))
    assert rows[1] == ["PAR1", "A1", "POMPE-123", "Pompe de vidange", "2.00", "0.00", "2.00"]
    rows[1][4] = "5"
    data = importers.to_xlsx(rows, "stock")
    parsed = importers.parse("stock", "stock.xlsx", data, site=site)
    assert parsed.bad == []
    importers.apply(parsed, actor=magasinier, site=site, skip_bad=False)
    assert StockBalance.objects.get().on_hand == D(5)


def test_import_screen_preview_then_confirm(client, magasinier, site, pump):
    client.force_login(magasinier)
    upload = SimpleUploadedFile("cat.csv", CATALOGUE.encode("utf-8"), content_type="text/csv")
    response = client.post(reverse("stock:import"), {"what": "catalogue", "site": site.pk, "file": upload})
    html = response.content.decode()
    assert "Aperçu : 4 ligne(s), 2 en erreur" in html and "La référence POMPE-123 existe déjà." in html
    response = client.post(reverse("stock:import"), {"step": "confirm"}, follow=True)
    assert "rien n&#x27;est importé" in response.content.decode()
    assert Part.objects.count() == 1
    upload = SimpleUploadedFile("cat.csv", CATALOGUE.encode("utf-8"), content_type="text/csv")
    client.post(reverse("stock:import"), {"what": "catalogue", "site": site.pk, "file": upload})
    client.post(reverse("stock:import"), {"step": "confirm", "skip_bad": "1"})
    assert Part.objects.count() == 3
    bad = SimpleUploadedFile("cat.csv", b"a;b\n1;2\n", content_type="text/csv")
    response = client.post(reverse("stock:import"), {"what": "catalogue", "site": site.pk, "file": bad})
    assert response.status_code == 400 and "Colonnes incorrectes" in response.content.decode()


def test_exports(client, comptable, pump):
    client.force_login(comptable)
    csv_response = client.get(reverse("stock:export", args=["catalogue", "csv"]))
    assert (
        csv_response.content.decode("utf-8-sig")
        .splitlines()[1]
        .startswith("POMPE-123;Pompe de vidange;moteur")
    )
    xlsx = client.get(reverse("stock:export", args=["catalogue", "xlsx"]))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A2"].value == "POMPE-123"
