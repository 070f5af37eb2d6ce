"""The dossier cannot be closed while its loan is out (registered in repairs.extensions.step_checks)."""

from django.utils.translation import gettext as _

from atelier.loans.models import Loan


def step_check(case, step_name: str) -> list[str]:
    if step_name != "close":
        return []
    return [
        _("l'appareil de prêt %(code)s n'est pas rendu (prévu le %(due)s)")
        % {"code": loan.appliance.code, "due": loan.due_on.strftime("%d/%m/%Y")}
        for loan in Loan.objects.filter(case=case, returned_at__isnull=True).select_related("appliance")
    ]
