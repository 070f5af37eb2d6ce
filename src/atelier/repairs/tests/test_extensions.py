"""The plug-in points other apps use to refuse a step or to act when one is taken."""

import pytest

from atelier.core.errors import TransitionRefused
from atelier.repairs import extensions
from atelier.repairs.choices import CaseStatus
from atelier.repairs.models import CaseEvent
from atelier.repairs.services import case_prediagnose

pytestmark = pytest.mark.django_db


@pytest.fixture
def plugged(monkeypatch):
    checks, hooks, seen = [], [], []
    monkeypatch.setattr(extensions, "step_checks", checks)
    monkeypatch.setattr(extensions, "after_step", hooks)
    hooks.append(lambda case, step, actor, at: seen.append((case.number, step, case.status)))
    return checks, seen


def test_a_check_refuses_the_step_and_nothing_is_written(plugged, make_case, accueil):
    checks, seen = plugged
    checks.append(lambda case, step: ["un prêt est en cours"] if step == "prediagnose" else [])
    case = make_case()
    with pytest.raises(
        TransitionRefused, match="« Enregistrer le pré-diagnostic » est impossible pour le"
    ) as refused:
        case_prediagnose(case=case, actor=accueil, note="Pompe bloquée")
    assert refused.value.message == (
        f"« Enregistrer le pré-diagnostic » est impossible pour le dossier {case.number} : un prêt est en cours"
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.RECU
    assert CaseEvent.objects.filter(case=case, to_status=CaseStatus.PREDIAGNOSTIQUE).count() == 0
    assert seen == []


def test_hooks_run_after_the_state_is_saved(plugged, make_case, accueil):
    _, seen = plugged
    case = make_case()
    case_prediagnose(case=case, actor=accueil, note="Pompe bloquée")
    assert seen == [(case.number, "prediagnose", CaseStatus.PREDIAGNOSTIQUE)]


def test_a_failing_hook_undoes_the_step(plugged, make_case, accueil, monkeypatch):
    def broken(case, step, actor, at):
        raise RuntimeError("boom")

    extensions.after_step.append(broken)
    case = make_case()
    with pytest.raises(RuntimeError, match="boom"):
        case_prediagnose(case=case, actor=accueil, note="Pompe bloquée")
    case.refresh_from_db()
    assert case.status == CaseStatus.RECU


def test_the_dossier_page_says_what_a_step_still_needs(plugged, client, make_case, accueil):
    checks, _ = plugged
    checks.append(lambda case, step: ["le prêt n° P-12 n'est pas rendu"] if step == "cancel" else [])
    case = make_case()
    client.force_login(accueil)
    html = client.get(f"/dossiers/{case.pk}/").content.decode()
    cancel = html[html.index('id="step-cancel"') :]
    cancel = cancel[: cancel.index("</details>")]
    assert "Avant cette étape :" in cancel
    assert "<li>le prêt n° P-12 n&#x27;est pas rendu</li>" in cancel
    assert "disabled>Annuler le dossier</button>" in cancel
    prediag = html[html.index('id="step-prediagnose"') :]
    assert "Avant cette étape" not in prediag[: prediag.index("</details>")]
