"""The export of a customer's data (right of access, RGPD art. 15; portability, art. 20): one JSON document,
machine-readable, and the same content as a French PDF. Other apps add sections through
customers.extensions.export_sections."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.pdf import render_document, render_pdf
from atelier.customers import extensions
from atelier.customers.choices import ProductFamily
from atelier.customers.models import Customer

FORMAT_VERSION = 1
IDENTITY_FIELDS = (
    "kind",
    "civility",
    "last_name",
    "first_name",
    "company_name",
    "siren",
    "phone",
    "phone2",
    "email",
    "address",
    "address2",
    "postcode",
    "city",
    "preferred_contact",
    "needs_reduced_mobility",
    "needs_hearing",
    "needs_low_vision",
    "language",
    "accessibility_notes",
    "notes",
)


def _iso(value):
    return value.isoformat() if value is not None else None


def export_data(customer: Customer) -> dict:
    """Everything the file holds about the person, in JSON-safe values (dates ISO 8601, money as strings)."""
    data = {
        "format": "atelier-export-client",
        "version": FORMAT_VERSION,
        "exporte_le": timezone.now().isoformat(),
        "responsable_du_traitement": {
            "raison_sociale": customer.site.legal_name,
            "adresse": f"{customer.site.address}, {customer.site.postcode} {customer.site.city}",
            "siret": customer.site.siret,
        },
        "client": {
            "numero": customer.pk,
            **{name: getattr(customer, name) for name in IDENTITY_FIELDS},
            "cree_le": _iso(customer.created_at),
            "anonymise_le": _iso(customer.anonymised_at),
        },
        "consentements": {
            "suivi_reparation": customer.consent_contact,
            "suivi_reparation_depuis": _iso(customer.consent_at),
            "offres_commerciales": customer.consent_marketing,
            "canal_prefere": customer.preferred_contact,
            "historique": [
                {
                    "le": _iso(c.at),
                    "consentement": c.field,
                    "avant": c.old,
                    "apres": c.new,
                    "origine": c.source,
                }
                for c in customer.consent_changes.order_by("at", "pk")
            ],
        },
        "appareils": [
            {
                "famille": a.family,
                "marque": a.brand,
                "modele": a.model_ref,
                "numero_de_serie": a.serial_number,
                "date_achat": _iso(a.purchase_date),
                "lieu_achat": a.purchase_place,
                "prix_achat": None if a.purchase_price is None else f"{a.purchase_price:.2f}",
                "fin_de_garantie": _iso(a.warranty_end),
                "remarques": a.notes,
            }
            for a in customer.appliances.order_by("created_at", "pk")
        ],
    }
    for provider in extensions.export_sections:
        section = provider(customer)
        if section is not None:
            key, value = section
            data[key] = value
    return data


# Titles of the sections and columns in the PDF; a key not listed is shown as written (sections of later apps).
LABELS = {
    "appareils": _("Appareils"),
    "dossiers": _("Dossiers"),
    "evenements": _("Historique des dossiers"),
    "devis": _("Devis"),
    "factures": _("Factures (références ; les documents sont conservés tels qu'émis)"),
    "messages": _("Messages"),
    "reclamations": _("Réclamations"),
    "prets": _("Prêts"),
    "historique": _("Historique des consentements"),
    "famille": _("Famille"),
    "marque": _("Marque"),
    "modele": _("Modèle"),
    "numero_de_serie": _("N° de série"),
    "numero": _("Numéro"),
    "le": _("Le"),
    "dossier": _("Dossier"),
    "etat": _("État"),
    "appareil": _("Appareil"),
    "recu_le": _("Reçu le"),
    "cloture_le": _("Clôturé le"),
    "paroles_du_client": _("Paroles du client"),
    "etat_visuel": _("État visuel"),
    "date_achat": _("Date d'achat"),
    "lieu_achat": _("Lieu d'achat"),
    "prix_achat": _("Prix d'achat (€)"),
    "fin_de_garantie": _("Fin de garantie"),
    "remarques": _("Remarques"),
    "emise_le": _("Émise le"),
    "total_ttc": _("Total TTC (€)"),
    "prete_le": _("Prêté le"),
    "a_rendre_le": _("À rendre le"),
    "rendu_le": _("Rendu le"),
    "apres": _("Après"),
    "ce_qui_a_ete_dit": _("Ce qui a été dit"),
    "ce_qui_a_ete_fait": _("Ce qui a été fait"),
    "suite_donnee": _("Suite donnée"),
}


def _label(key: str) -> str:
    return str(LABELS.get(key, key.replace("_", " ").capitalize()))


def _cell(value, key: str = "") -> str:
    """A value as a French reader reads it: dates dd/mm/yyyy (and the time, local), oui/non, family labels."""
    if value is None or value == "":
        return "—"
    if value is True:
        return "oui"
    if value is False:
        return "non"
    if key == "famille" and value in ProductFamily.values:
        return str(ProductFamily(value).label)
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
        if len(value) == 10:
            return moment.strftime("%d/%m/%Y")
        return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")
    return str(value)


def _tables(key: str, rows: list[dict]) -> list[dict]:
    """A list of records as a table; each nested list (a dossier's events, its quotes) as a table of its own
    whose first column is the parent's first value (the dossier's number)."""
    if not rows:
        return [{"title": _label(key), "headers": [], "rows": []}]
    headers = [k for k, v in rows[0].items() if not isinstance(v, list)]
    tables = [
        {
            "title": _label(key),
            "headers": [_label(h) for h in headers],
            "rows": [[_cell(row[h], h) for h in headers] for row in rows],
        }
    ]
    nested: dict[str, list[tuple[str, dict]]] = {}
    for row in rows:
        for name, value in row.items():
            if isinstance(value, list):
                nested.setdefault(name, []).extend(
                    (_cell(row[headers[0]], headers[0]), item) for item in value
                )
    for name, items in nested.items():
        columns = list(items[0][1]) if items else []
        tables.append(
            {
                "title": _label(name),
                "headers": [_label(headers[0]), *[_label(c) for c in columns]],
                "rows": [[owner, *[_cell(item[c], c) for c in columns]] for owner, item in items],
            }
        )
    return tables


def export_pdf(customer: Customer) -> bytes:
    """The same content for a person who asked on paper (French, A4)."""
    data = export_data(customer)
    tables = _tables("historique", data["consentements"]["historique"])
    for key, value in data.items():
        if isinstance(value, list):
            tables.extend(_tables(key, value))
    html = render_document(
        "customers/pdf/export.html",
        {
            "customer": customer,
            "site": customer.site,
            "data": data,
            "tables": tables,
            "today": timezone.localdate(),
        },
    )
    return render_pdf(html)
