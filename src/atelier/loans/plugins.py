"""The loan section of the dossier page and the overdue loans panel (registered in LoansConfig.ready)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from atelier.core.access import may
from atelier.loans import forms, selectors
from atelier.loans.models import Loan
from atelier.repairs.choices import CaseStatus

LENDABLE = {
    CaseStatus.RECU,
    CaseStatus.PREDIAGNOSTIQUE,
    CaseStatus.DEVIS_ENVOYE,
    CaseStatus.ACCEPTE,
    CaseStatus.PLANIFIE,
    CaseStatus.EN_ATELIER,
    CaseStatus.ATTENTE_PIECES,
    CaseStatus.EN_REPARATION,
    CaseStatus.REPARE,
    CaseStatus.PRET,
}


def dossier_section(request, case, *, failed=None, failed_form=None):
    """The loans of the dossier and the forms to lend or take back; a refused one is shown with its errors."""
    loans = list(Loan.objects.filter(case=case).select_related("appliance"))
    can_lend = case.status in LENDABLE and not any(x.is_out for x in loans)
    if not loans and not can_lend:
        return None
    return {
        "template": "loans/_dossier_section.html",
        "case": case,
        "loans": loans,
        "can_lend": can_lend,
        "form": failed_form
        if failed == "loan"
        else forms.LoanForm(
            auto_id="id_loan_%s",
            appliances=selectors.available_for(case),
            initial={"signer_name": case.customer.display_name},
        ),
        "return_form": failed_form if failed == "return" else forms.ReturnForm(auto_id="id_return_%s"),
        # A refusal that names no field (the loan is already back): told on top of the section.
        "refused": failed_form.non_field_errors() if failed == "return" else [],
    }


def home_panels(user):
    if not may(user, "reception.queue"):
        return []
    overdue = list(selectors.overdue_loans(user)[:10])
    return [
        {
            "key": "overdue_loans",
            "title": _("Prêts en retard"),
            "links": [
                {
                    "url": reverse("repairs:detail", args=[loan.case_id]),
                    "text": f"{loan.appliance.code} · {loan.case.number} · {loan.case.customer.display_name}",
                    "badge": _("depuis le %(d)s") % {"d": loan.due_on.strftime("%d/%m/%Y")},
                }
                for loan in overdue
            ],
            "count": len(overdue),
            "empty": _("Aucun prêt en retard."),
        }
    ]


def home_actions(user) -> list[dict]:
    from atelier.repairs.extensions import WAITING

    if not may(user, "loans.manage"):
        return []
    return [
        {
            "key": "overdue_loans",
            "label": _("Appareils de prêt non rendus à la date prévue"),
            "count": selectors.overdue_loans(user).count(),
            "urgency": WAITING,
            "url": reverse("loans:pool") + "?late=1",
        }
    ]
