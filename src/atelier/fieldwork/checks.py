"""Conditions fieldwork puts on the dossier's steps (registered in repairs.extensions.step_checks).

- « start_repair » (a home visit or a bench job starts): the tools the repair order needs are usable by the
  technician (always); on a site that enforces the safety steps (SiteRules), the technician's check of the
  family's PPE and safety sheet is done and complete for this intervention (after the previous start).
- « commission », on such a site: for a home visit, the installation is conform (or its anomalies corrected)
  and the commissioning is recorded with the customer's signature; for a family tested after repair
  (SafetyFamily), the newest electrical safety test passed.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.fieldwork import selectors
from atelier.fieldwork.choices import INSTALLATION_POINTS
from atelier.fieldwork.models import SiteRules
from atelier.repairs.choices import WorkLocation


def rules_enforced(site) -> bool:
    """On unless the site's responsable switched them off (a row with enforced=False, signed and dated)."""
    return not SiteRules.objects.filter(site=site, enforced=False).exists()


def step_check(case, step_name: str) -> list[str]:
    if step_name == "start_repair":
        return start_refusals(case)
    if step_name == "commission":
        return commission_refusals(case)
    return []


def start_refusals(case) -> list[str]:
    today = timezone.localdate()
    reasons: list[str] = []
    ppe = None
    if rules_enforced(case.site):
        ppe = selectors.ppe_check_for_intervention(
            case, today, case.technician if case.technician_id else None
        )
        if ppe is None and case.technician_id:
            reasons.append(
                _(
                    "le contrôle des EPI et de la fiche sécurité n'est pas fait (ou incomplet) pour cette "
                    "intervention par %(who)s"
                )
                % {"who": case.technician}
            )
        elif ppe is None:
            reasons.append(
                _(
                    "aucun technicien n'est affecté : faites le contrôle des EPI avant l'intervention depuis ce "
                    "dossier, ou affectez-le"
                )
            )
    codes = selectors.required_kind_codes(case)
    if codes:
        technician = case.technician or (ppe.technician if ppe else None)
        if technician is None:
            reasons.append(_("affectez un technicien : l'outillage requis doit être vérifié pour lui"))
        else:
            reasons.extend(selectors.tool_blockers(technician, codes, today))
    return reasons


def commission_refusals(case, *, require_record: bool = True) -> list[str]:
    if not rules_enforced(case.site):
        return []
    reasons: list[str] = []
    if case.location == WorkLocation.DOMICILE:
        check = selectors.latest_installation_check(case)
        if check is None:
            reasons.append(_("la conformité de l'installation du client n'est pas contrôlée"))
        elif not check.allows_commissioning:
            labels = dict(INSTALLATION_POINTS)
            reasons.append(
                _("installation non conforme (%(points)s) et anomalies non corrigées")
                % {"points": ", ".join(str(labels.get(c, c)) for c in check.non_conform_points)}
            )
    if selectors.safety_family(case) is not None:
        test = selectors.latest_safety_test(case)
        if test is None:
            reasons.append(_("les essais de sécurité électrique après réparation ne sont pas faits"))
        elif not test.passed:
            reasons.append(_("les derniers essais de sécurité électrique ne sont pas conformes"))
    # The signed record is the commissioning itself, not a step before it: named only once nothing else is
    # missing (it used to be listed among the missing steps, so the technician went to the screen first and
    # was refused there for the installation or the tests).
    at_home = case.location == WorkLocation.DOMICILE
    if at_home and require_record and not reasons and not case.commissionings.exists():
        reasons.append(
            _("la mise en service se fait depuis l'écran « Mise en service » (signature du client)")
        )
    return reasons
