"""What procedures add to the home page (the manager's non-conformities to see) and to the dossier page (the
procedures that apply, the runs followed, the form « non-conformité constatée»)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from atelier.core.access import may
from atelier.procedures import forms, selectors

PANEL_SIZE = 10


def home_panels(user) -> list[dict]:
    if not may(user, "procedures.manage"):
        return []
    queryset = selectors.non_conformities_to_see(user)
    items = list(queryset[:PANEL_SIZE])
    links = [
        {
            "url": reverse("repairs:detail", args=[item.case_id]) + "#procedures",
            "text": f"{item.case.number} · {item.description[:80]}",
            "badge": _("fabricant") if item.manufacturer_fault else "",
        }
        for item in items
    ]
    links.append(
        {"url": reverse("procedures:non_conformities"), "text": _("Toutes les non-conformités"), "badge": ""}
    )
    links.append({"url": reverse("procedures:list"), "text": _("Procédures de l'atelier"), "badge": ""})
    return [
        {
            "key": "procedures_non_conformities",
            "title": _("Non-conformités constatées à voir"),
            "links": links,
            "count": len(items) if len(items) < PANEL_SIZE else queryset.count(),
            "empty": _("Aucune non-conformité à voir."),
        }
    ]


def dossier_section(request, case, *, failed=None, failed_form=None):
    user = request.user
    can_follow = may(user, "procedures.follow", site=case.site)
    runs = selectors.case_runs(case)
    applicable = selectors.applicable_procedures(case.appliance)
    if not runs and not applicable:
        return None
    items = list(selectors.non_conformities_for(user).filter(case=case))
    return {
        "template": "procedures/_dossier_section.html",
        "case": case,
        "runs": [selectors.run_state(run) for run in runs],
        "applicable": applicable,
        "non_conformities": items,
        "can_follow": can_follow and not case.is_closed,
        "nc_form": failed_form if failed == "non_conformity" else forms.NonConformityForm(auto_id="id_nc_%s"),
        "commissioning_problem": selectors.commissioning_procedure_problem(case),
    }
