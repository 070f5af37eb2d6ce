"""The grid page's tablet tools (issue 19, point 4): the timer of each part, the questions asked, and the real
dossier a « situation réelle » is judged from with its evidence next to each criterion (masked). Called by
views.grid: `grid_extras` adds to the page, `handle_post` runs the actions « timer », « question »,
« evidence »."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.certification import services_evidence as services
from atelier.certification.evidence import case_evidence, kind_labels, kinds_for
from atelier.certification.forms_evidence import EvidenceForm, QuestionForm, TimerForm
from atelier.certification.models import EvidenceDossier, JuryQuestion, PartTiming
from atelier.core.forms import call_service

ACTIONS = {"timer", "question", "evidence"}


def part_rows(session, epreuve, candidate) -> list[dict]:
    """Each part of the épreuve with its timer: state, real seconds so far, planned seconds, overrun."""
    now = timezone.now()
    timings = {
        t.part: t for t in PartTiming.objects.filter(session=session, epreuve=epreuve, candidate=candidate)
    }
    rows = []
    for index, part in enumerate(epreuve.parts):
        timing = timings.get(index)
        planned = (timing.planned_minutes if timing else part["minutes"]) * 60
        if timing is None:
            state, elapsed = "idle", 0
        elif timing.ended_at is not None:
            state, elapsed = "ended", services.elapsed_seconds(timing)
        elif timing.paused_at is not None:
            state, elapsed = "paused", services.elapsed_seconds(timing)
        else:
            state, elapsed = "running", services.elapsed_seconds(timing, now)
        rows.append(
            {
                "index": index,
                "label": part["label"],
                "minutes": part["minutes"],
                "timing": timing,
                "state": state,
                "elapsed": elapsed,
                "planned": planned,
                "overrun": max(0, elapsed - planned),
                # n°3: « 10 à 15 minutes »; a part stopped before its minimum is said so
                "short": state == "ended" and elapsed < part.get("min_minutes", 0) * 60,
                "min_minutes": part.get("min_minutes"),
                "elapsed_text": _clock(elapsed),
                "overrun_text": _clock(max(0, elapsed - planned)),
            }
        )
    return rows


def _clock(seconds: int) -> str:
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def grid_extras(request, session, epreuve, candidate, competences, *, forms=None) -> dict:
    """The page's timer, questions and evidence; annotates each row of `competences` with its evidence."""
    forms = forms or {}
    juror = session.jurors.filter(user=request.user).exists()
    dossier = (
        EvidenceDossier.objects.filter(session=session, epreuve=epreuve, candidate=candidate)
        .select_related("case__customer", "case__appliance")
        .first()
    )
    evidence = case_evidence(dossier.case) if dossier else {}
    labels = kind_labels()
    for block in competences:
        kinds = kinds_for(block["competence"].code)
        for row in block["rows"]:
            row["evidence"] = [item for kind in kinds for item in evidence.get(kind, [])]
            row["evidence_missing"] = [labels[k] for k in kinds if k not in evidence] if dossier else []
    cases = services.candidate_cases(candidate, session.site)
    return {
        "juror": juror,
        "parts": part_rows(session, epreuve, candidate),
        "questions": JuryQuestion.objects.filter(session=session, epreuve=epreuve, candidate=candidate)
        .select_related("competence", "asked_by")
        .order_by("asked_at", "pk"),
        "question_form": forms.get("question") or QuestionForm(epreuve=epreuve, auto_id="id_question_%s"),
        "timer_form": forms.get("timer"),
        "dossier": dossier,
        "evidence_form": forms.get("evidence")
        or EvidenceForm(
            cases=cases, auto_id="id_evidence_%s", initial={"case": dossier.case_id} if dossier else None
        ),
        "evidence_items": [item for items in evidence.values() for item in items],
        "has_account": _has_account(candidate),
    }


def _has_account(candidate) -> bool:
    from atelier.certification.models import CandidateAccount

    return CandidateAccount.objects.filter(candidate=candidate).exists()


def _timer_message(timing: PartTiming) -> str:
    if timing.ended_at is not None:
        return _("« %(l)s » arrêté : %(d)s (prévu %(p)s min).") % {
            "l": timing.label,
            "d": _clock(services.elapsed_seconds(timing)),
            "p": timing.planned_minutes,
        }
    if timing.paused_at is not None:
        return _("« %(l)s » en pause.") % {"l": timing.label}
    return _("« %(l)s » démarré.") % {"l": timing.label}


def handle_post(request, session, epreuve, candidate, *, here: str, show_again):
    """Run one of ACTIONS; on a refusal show the page again with the form and its French message."""
    action = request.POST.get("action")
    common = {"actor": request.user, "session": session, "epreuve": epreuve, "candidate": candidate}
    form: Form
    service: Callable[..., Any]
    if action == "timer":
        form = TimerForm(request.POST)
        service, done = services.timer_action, ""
    elif action == "question":
        form = QuestionForm(request.POST, epreuve=epreuve, auto_id="id_question_%s")
        service, done = services.question_record, _("Question enregistrée.")
    else:
        cases = services.candidate_cases(candidate, session.site)
        form = EvidenceForm(request.POST, cases=cases, auto_id="id_evidence_%s")
        service, done = services.evidence_dossier_choose, _("Dossier de preuve choisi.")
    if form.is_valid():
        result = call_service(form, service, **common, **form.service_kwargs())
        if result is not None:
            messages.success(request, done or _timer_message(result))
            return redirect(here + f"#{action}")
    return show_again(extra_forms={action: form}, status=getattr(form, "refusal_status", 400))
