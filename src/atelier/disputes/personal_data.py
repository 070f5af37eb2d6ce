"""A customer's disputes in the personal-data features (docs/personal-data.md): a dispute is a contact, an
unsettled one forbids anonymising the file (the shop needs it to answer, before the mediator or a court), its
free text and letters are scrubbed on anonymisation, and it is part of the customer's data export."""

from collections import defaultdict

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.disputes.choices import DisputeState
from atelier.disputes.models import Dispute, DisputeEvent, DisputeLetter

ANONYMISED_TEXT = "[anonymisé]"  # the word customers.footprint writes


def contact_dates(customer_ids):
    rows = (
        Dispute.objects.filter(customer__in=customer_ids).values("customer").annotate(last=Max("opened_at"))
    )
    for row in rows:
        yield row["customer"], timezone.localdate(row["last"])


def unsettled(customer_ids) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    rows = (
        Dispute.objects.filter(customer__in=customer_ids)
        .exclude(state=DisputeState.CLOS)
        .order_by("opened_at", "pk")
        .values_list("customer_id", "number")
    )
    for customer_id, number in rows:
        found[customer_id].append(_("le litige %(number)s n'est pas clos") % {"number": number})
    return found


def scrub(customer) -> dict[str, int]:
    disputes = Dispute.objects.filter(customer=customer)
    return {
        "litiges": disputes.update(summary=ANONYMISED_TEXT, cause_detail="", outcome_reason=ANONYMISED_TEXT),
        "historique des litiges": DisputeEvent.objects.filter(dispute__in=disputes).update(note=""),
        "lettres des litiges": DisputeLetter.objects.filter(dispute__in=disputes).update(
            text=ANONYMISED_TEXT, pdf=b""
        ),
    }


def export(customer):
    rows = Dispute.objects.filter(customer=customer).select_related("case").order_by("opened_at", "pk")
    return "litiges", [
        {
            "numero": d.number,
            "dossier": d.case.number if d.case else None,
            "recu_le": d.received_on.isoformat(),
            "ce_que_conteste_le_client": d.summary,
            "etat": d.state,
            "issue": d.outcome or None,
            "motif": d.outcome_reason,
            "montant": str(d.amount) if d.amount is not None else None,
            "lettres": [
                {"type": letter.kind, "le": letter.sent_at.isoformat(), "texte": letter.text}
                for letter in d.letters.all()
            ],
        }
        for d in rows
    ]
