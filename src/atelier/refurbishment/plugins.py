"""What the second life adds to the dossier page: for a dossier whose appliance waits for its owner, the letter
of formal notice (sent when, stock entry possible from when) and the appliance it became in stock."""

from django.utils import timezone

from atelier.core.access import may
from atelier.refurbishment.models import AbandonLetter, StockAppliance
from atelier.refurbishment.services import WAITING_FOR_OWNER


def dossier_section(request, case):
    if not may(request.user, "refurbishment.view", site=case.site_id):
        return None
    letter = AbandonLetter.objects.filter(case=case).first()
    if letter is None and case.status not in WAITING_FOR_OWNER:
        return None
    return {
        "template": "refurbishment/_dossier_section.html",
        "case": case,
        "letter": letter,
        "appliance": StockAppliance.objects.filter(case=case).first() if letter else None,
        "due": letter is not None and letter.due_on <= timezone.localdate(),
        "can_letter": may(request.user, "refurbishment.abandon", site=case.site_id),
        "can_intake": may(request.user, "refurbishment.intake", site=case.site_id),
    }
