"""The Open Repair Data export: personal data scrubbed, rows exact, the file valid against the ORDS table schema
(columns in order, types, enums, patterns, missing values), and every refusal in French."""

import datetime
import io
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from atelier.core.errors import AtelierError
from atelier.improvement import ords
from atelier.improvement.scrub import scrub
from atelier.improvement.tests.conftest import closed_case

pytestmark = pytest.mark.django_db
MARCH = {"start": datetime.date(2026, 3, 1), "end": datetime.date(2026, 3, 31)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mme Dupont (06 12 34 56 78, jeanne.dupont@free.fr) habite 12 rue des Lilas, 75011 Paris : "
            "le lave-linge fuit.",
            "[nom] ([téléphone], [e-mail]) habite [adresse], [adresse] : le lave-linge fuit.",
        ),
        (
            "Appeler M. Martin au +33 6 12 34 56 78 ; Jeanne dit que le tambour claque depuis 3 jours.",
            "Appeler [nom] au [téléphone] ; [nom] dit que le tambour claque depuis 3 jours.",
        ),
        (
            "Chez DUPONT, 3 bis avenue Jean-Jaurès le four chauffe mal.",
            "Chez [nom], [adresse] le four chauffe mal.",
        ),
        ("Hélène Lefèvre rappelle au 01.45.67.89.10", "[nom] [nom] rappelle au [téléphone]"),
        (
            "Pompe de vidange remplacée : 230 V, 35 W. Code erreur E20.",
            "Pompe de vidange remplacée : 230 V, 35 W. Code erreur E20.",
        ),
    ],
)
def test_personal_data_is_scrubbed(text, expected):
    assert scrub(text, names=["Dupont", "Jeanne", "Hélène", "Lefèvre"]) == expected


@pytest.fixture
def provider(site):
    site.ords_data_provider = "Atelier Dupont SAV"
    site.ords_id_prefix = "atelierdupont"
    site.save(update_fields=["ords_data_provider", "ords_id_prefix"])
    return site


@pytest.fixture
def march(provider, responsable, family_appliance):
    fridge = family_appliance("froid", "Liebherr", last_name="Durand", first_name="Paul")
    fridge.purchase_date = datetime.date(2020, 3, 1)
    fridge.save(update_fields=["purchase_date"])
    tv = family_appliance("televiseur", "")
    return [
        closed_case(
            provider,
            responsable,
            path="repaired",
            closed_on="2026-03-05",
            received_on="2026-03-01",
            appliance=fridge,
            words="M. Durand, 06 11 22 33 44 : le congélateur ne froid plus, Paul dit que ça givre.",
        ),
        closed_case(
            provider,
            responsable,
            path="unrepairable",
            closed_on="2026-03-20",
            appliance=tv,
            words="Écran noir.",
        ),
        closed_case(provider, responsable, path="refused", closed_on="2026-03-31", words="Tambour bloqué."),
        closed_case(provider, responsable, path="repaired", closed_on="2026-04-01"),  # April: out
    ]


def test_the_rows_of_the_period(march, provider):
    fridge, tv, washer, _ = march
    rows = ords.ords_rows(site=provider, **MARCH)
    assert rows == [
        {
            "id": f"atelierdupont-{fridge.pk}",
            "data_provider": "Atelier Dupont SAV",
            "country": "FRA",
            "partner_product_category": "Froid",
            "product_category": "Large home electrical",
            "product_category_id": "17",
            "brand": "Liebherr",
            "year_of_manufacture": "",
            "product_age": "6.0",
            "repair_status": "Fixed",
            "repair_barrier_if_end_of_life": "",
            "group_identifier": "Paris Bastille",
            "event_date": "2026-03-05",
            "problem": "[nom], [téléphone] : le congélateur ne froid plus, [nom] dit que ça givre.",
        },
        {
            "id": f"atelierdupont-{tv.pk}",
            "data_provider": "Atelier Dupont SAV",
            "country": "FRA",
            "partner_product_category": "Téléviseur",
            "product_category": "Flat screen",
            "product_category_id": "8",
            "brand": "Unknown",
            "year_of_manufacture": "",
            "product_age": "",
            "repair_status": "End of life",
            "repair_barrier_if_end_of_life": "Spare parts not available",
            "group_identifier": "Paris Bastille",
            "event_date": "2026-03-20",
            "problem": "Écran noir.",
        },
        {
            "id": f"atelierdupont-{washer.pk}",
            "data_provider": "Atelier Dupont SAV",
            "country": "FRA",
            "partner_product_category": "Lave-linge",
            "product_category": "Large home electrical",
            "product_category_id": "17",
            "brand": "Bosch",
            "year_of_manufacture": "",
            "product_age": "",
            "repair_status": "Repairable",
            "repair_barrier_if_end_of_life": "",
            "group_identifier": "Paris Bastille",
            "event_date": "2026-03-31",
            "problem": "Tambour bloqué.",
        },
    ]


def test_the_file_follows_the_table_schema(march, provider):
    export = ords.ords_export(site=provider, name="mars.csv", **MARCH)
    lines = export.csv.splitlines()
    assert lines[0] == (
        "id,data_provider,country,partner_product_category,product_category,product_category_id,brand,"
        "year_of_manufacture,product_age,repair_status,repair_barrier_if_end_of_life,group_identifier,event_date,problem"
    )
    assert len(lines) == 4 and export.rows == 3
    assert ords.schema_errors(export.csv) == []
    assert "CC BY-SA 4.0" in export.licence and "Atelier Dupont SAV" in export.licence
    # the checker catches what the schema forbids
    broken = (
        export.csv.replace("atelierdupont-", "Atelier_", 1)
        .replace(",FRA,", ",FR,", 1)
        .replace("Fixed", "Réparé")
    )
    assert ords.schema_errors(broken) == [
        f"line 2, id: 'Atelier_{march[0].pk}' does not match ^[a-z]+-[0-9]+$",
        "line 2, country: 'FR' does not match ^[A-Z]{3}$",
        "line 2, repair_status: 'Réparé' not in ['Fixed', 'Repairable', 'End of life', 'Unknown']",
    ]
    swapped = export.csv.replace("id,data_provider", "data_provider,id", 1)
    assert ords.schema_errors(swapped)[0].startswith("header ")


def test_the_enums_of_the_schema_are_read_from_it():
    assert ords.enum_of("repair_status") == ["Fixed", "Repairable", "End of life", "Unknown"]
    assert set(b for _, b in ords.BARRIER_WORDS) <= set(ords.enum_of("repair_barrier_if_end_of_life"))
    assert set(ords.family_categories().values()) <= set(ords.categories())


def test_refusals(site, march, provider):
    with pytest.raises(AtelierError) as reversed_period:
        ords.ords_rows(site=provider, start=datetime.date(2026, 3, 31), end=datetime.date(2026, 3, 1))
    assert reversed_period.value.message == "La période est inversée : le 31/03/2026 est après le 01/03/2026."
    with pytest.raises(AtelierError) as empty:
        ords.ords_rows(site=provider, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 1, 31))
    assert (
        empty.value.message
        == "Aucun dossier clôturé du 01/01/2026 au 31/01/2026 sur le site Paris Bastille : rien à exporter."
    )
    provider.ords_id_prefix = ""
    provider.save(update_fields=["ords_id_prefix"])
    with pytest.raises(AtelierError) as unset:
        ords.ords_rows(site=provider, **MARCH)
    assert unset.value.message == (
        "Export refusé : le site Paris Bastille n'a pas de nom de fournisseur ORDS ni de préfixe d'identifiant. "
        "Renseignez-les dans Amélioration › Données ouvertes (réglages du site)."
    )


def test_the_command_writes_the_file_and_its_licence(march, provider, tmp_path, other_site):
    out = tmp_path / "mars.csv"
    stdout = io.StringIO()
    call_command(
        "export",
        "ords",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--out",
        str(out),
        "--site",
        "par1",
        stdout=stdout,
    )
    assert stdout.getvalue().strip() == (
        f"3 réparation(s) écrite(s) dans {out} ; licence et attribution dans {out}.LICENSE.txt"
    )
    assert ords.schema_errors(out.read_text(encoding="utf-8")) == []
    assert (
        (tmp_path / "mars.csv.LICENSE.txt")
        .read_text(encoding="utf-8")
        .startswith("Open Repair Data — Atelier Dupont SAV")
    )
    with pytest.raises(
        CommandError, match="La période est inversée : le 31/03/2026 est après le 01/03/2026."
    ):
        call_command(
            "export",
            "ords",
            "--from",
            "2026-03-31",
            "--to",
            "2026-03-01",
            "--out",
            str(out),
            "--site",
            "PAR1",
        )
    with pytest.raises(CommandError, match="Plusieurs sites actifs : précisez lequel avec --site CODE."):
        call_command("export", "ords", "--from", "2026-03-01", "--to", "2026-03-31", "--out", str(out))
    with pytest.raises(CommandError, match=r"Date invalide pour --from : 2026-13-01 \(attendu AAAA-MM-JJ\)"):
        call_command(
            "export",
            "ords",
            "--from",
            "2026-13-01",
            "--to",
            "2026-03-31",
            "--out",
            str(out),
            "--site",
            "PAR1",
        )


def test_the_manager_downloads_the_zip_and_sets_the_site(march, provider, responsable, technicien):
    client = Client()
    client.force_login(responsable)
    response = client.post(
        "/amelioration/donnees-ouvertes/", {"site": provider.pk, "start": "2026-03-01", "end": "2026-03-31"}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == [
        "ords-par1-20260301-20260331.csv",
        "ords-par1-20260301-20260331.csv.LICENSE.txt",
    ]
    assert ords.schema_errors(archive.read("ords-par1-20260301-20260331.csv").decode()) == []
    empty = client.post(
        "/amelioration/donnees-ouvertes/", {"site": provider.pk, "start": "2026-01-01", "end": "2026-01-31"}
    )
    assert empty.status_code == 400
    assert "Aucun dossier clôturé du 01/01/2026 au 31/01/2026" in empty.content.decode()
    bad = client.post(
        f"/amelioration/donnees-ouvertes/sites/{provider.pk}/",
        {"ords_data_provider": "X", "ords_id_prefix": "Atelier-1"},
    )
    assert bad.status_code == 400
    assert "Le préfixe ne contient que des lettres minuscules sans accent" in bad.content.decode()
    provider.refresh_from_db()
    assert provider.ords_id_prefix == "atelierdupont"
    client.force_login(technicien)
    assert client.get("/amelioration/donnees-ouvertes/").status_code == 403
