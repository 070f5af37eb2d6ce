"""Screens of improvement: the improvement page (actions by status, recurring causes to act on), proposing an
action, an action's page (its moves, its measured effect, its history), the survey answers and their
follow-ups (the SAV manager), the ORDS export and the site's ORDS settings."""

import io
import zipfile

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from atelier.billing.views.tracking import _link as tracking_link
from atelier.billing.views.tracking import _not_found as tracking_not_found
from atelier.billing.views.tracking import private
from atelier.core.access import may, sites_allowing, step_required
from atelier.core.actions import Action, run_action
from atelier.core.forms import call_service
from atelier.core.models import Site
from atelier.core.params import as_id
from atelier.core.scoping import visible_or_404
from atelier.improvement import indicators, ords, selectors, services, surveys
from atelier.improvement.choices import PDCA_PHASE, ActionStatus, FollowUp, Indicator
from atelier.improvement.forms import (
    DecideForm,
    FollowUpForm,
    MeasureForm,
    MoveForm,
    OrdsSettingsForm,
    PeriodForm,
    ProposeForm,
    SurveyForm,
)
from atelier.improvement.models import SurveyAnswer
from atelier.improvement.recurring import MIN_CLAIMS, WINDOW_DAYS, recurring_causes

PAGE_SIZE = 200


def _sites(user, step: str):
    return list(Site.objects.filter(pk__in=sites_allowing(user, step)).order_by("code"))


@step_required("improvement.view")
def index(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("etat", "")
    site = request.GET.get("site", "")
    actions = selectors.action_list(user=request.user, status=status, site=site)
    sites = _sites(request.user, "improvement.view")
    candidates = [(s, recurring_causes(site=s)) for s in sites]
    figures = [
        selectors.survey_figures(site=s) for s in sites if may(request.user, "improvement.surveys", s.pk)
    ]
    return render(
        request,
        "improvement/index.html",
        {
            "nav": "improvement",
            "actions": actions[:PAGE_SIZE],
            "statuses": ActionStatus.choices,
            "status": status if status in ActionStatus.values else "",
            "phases": {k: str(v) for k, v in PDCA_PHASE.items()},
            "sites": sites if len(sites) > 1 else [],
            "site": site,
            "candidates": [(s, c) for s, c in candidates if c],
            "min_claims": MIN_CLAIMS,
            "window_days": WINDOW_DAYS,
            "figures": figures,
            "can_propose": may(request.user, "improvement.propose"),
            "can_surveys": may(request.user, "improvement.surveys"),
            "can_ords": may(request.user, "improvement.ords"),
        },
    )


# ---------------------------------------------------------------- proposing


@step_required("improvement.propose")
def action_create(request: HttpRequest) -> HttpResponse:
    """A new proposal; from a recurring cause, ?titre=…&dossiers=… fill the form."""
    status = 200
    if request.method == "POST":
        form = ProposeForm(request.POST, user=request.user)
        if form.is_valid():
            item = call_service(form, services.action_propose, actor=request.user, **form.service_kwargs())
            if item is not None:
                messages.success(request, _("Action proposée : le responsable SAV la décidera."))
                return redirect("improvement:detail", pk=item.pk)
        status = getattr(form, "refusal_status", 400)
    else:
        initial: dict[str, object] = {
            "title": request.GET.get("titre", "")[:200],
            "cause": request.GET.get("cause", "")[:2000],
            "cases": request.GET.get("dossiers", "")[:2000],
            "claims": request.GET.get("reclamations", "")[:2000],
            "problem_indicator": request.GET.get("indicateur", ""),
            "effect_indicator": request.GET.get("indicateur", ""),
        }
        if (site_id := as_id(request.GET.get("site"))) is not None:
            initial["site"] = site_id
        form = ProposeForm(initial=initial, user=request.user)
    return render(
        request, "improvement/action_form.html", {"nav": "improvement", "form": form}, status=status
    )


# ---------------------------------------------------------------- the action's page


def _move(name):
    return lambda request, obj, form: {"move": name, **form.cleaned_data}


def _measure(which):
    return lambda request, obj, form: {"which": which, **form.cleaned_data}


def _decide_kwargs(request, action):
    return {"action": action}


ACTIONS = {
    "decide": Action(
        DecideForm, services.action_move, _("Action décidée."), target="action", form_kwargs=_decide_kwargs
    ),
    "start": Action(
        MoveForm, services.action_move, _("Action commencée."), target="action", data=_move("start")
    ),
    "finish": Action(
        MoveForm,
        services.action_move,
        _("Action faite : mesurez son effet."),
        target="action",
        data=_move("finish"),
    ),
    "verify": Action(
        MoveForm, services.action_move, _("Effet vérifié."), target="action", data=_move("verify")
    ),
    "abandon": Action(
        MoveForm, services.action_move, _("Action abandonnée."), target="action", data=_move("abandon")
    ),
    "before": Action(
        MeasureForm,
        services.action_measure,
        _("Mesure « avant » enregistrée."),
        target="action",
        data=_measure("before"),
    ),
    "after": Action(
        MeasureForm,
        services.action_measure,
        _("Mesure « après » enregistrée."),
        target="action",
        data=_measure("after"),
    ),
}


def _page(request, action, *, failed=None, failed_form=None, status=200):
    user = request.user

    def form(name, cls, **kwargs):
        return failed_form if failed == name else cls(auto_id=f"id_{name}_%s", **kwargs)

    can_decide = may(user, "improvement.decide", action.site_id)
    can_work = may(user, "improvement.work", action.site_id)
    moves = [
        {"name": m.name, "label": m.label, "form": form(m.name, MoveForm), "danger": m.name == "abandon"}
        for m in services.moves_for(action)
        if m.name != "decide" and (can_decide if m.step == "improvement.decide" else can_work)
    ]
    return render(
        request,
        "improvement/action_detail.html",
        {
            "nav": "improvement",
            "item": action,
            "events": list(action.events.select_related("actor")),
            "cases": list(action.cases.all()),
            "claims": list(action.claims.all()),
            "complaints": list(action.complaints.all()),
            "disputes": list(action.disputes.all()),
            "moves": moves,
            "failed": failed,
            "decide_form": form("decide", DecideForm, action=action)
            if can_decide and action.status == ActionStatus.PROPOSEE
            else None,
            "measure_forms": [
                (which, label, form(which, MeasureForm))
                for which, label in (
                    ("before", _("Mesurer avant l'action")),
                    ("after", _("Mesurer après l'action")),
                )
            ]
            if can_work
            and action.effect_indicator
            and action.status not in (ActionStatus.VERIFIEE, ActionStatus.ABANDONNEE)
            else [],
            "definition": indicators.DEFINITIONS.get(action.effect_indicator, ""),
        },
        status=status,
    )


@step_required("improvement.view")
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get(user=request.user, pk=pk)
    if request.method == "POST":
        return run_action(
            request,
            action,
            request.POST.get("action", ""),
            ACTIONS,
            show_again=_page,
            done=lambda action: reverse("improvement:detail", args=[action.pk]),
        )
    return _page(request, action)


# ---------------------------------------------------------------- survey answers and follow-ups


def _surveys_page(request, *, failed_pk=None, failed_form=None, status=200):
    follow_up = request.GET.get("suivi", "")
    low = request.GET.get("basses") == "1"
    answers = list(selectors.answer_list(user=request.user, follow_up=follow_up, low=low)[:PAGE_SIZE])
    for answer in answers:
        if answer.follow_up:
            answer.form = (
                failed_form
                if answer.pk == failed_pk
                else FollowUpForm(
                    auto_id=f"id_f{answer.pk}_%s",
                    initial={"status": answer.follow_up, "note": answer.follow_up_note},
                )
            )
    sites = _sites(request.user, "improvement.surveys")
    return render(
        request,
        "improvement/surveys.html",
        {
            "nav": "improvement",
            "answers": answers,
            "figures": [selectors.survey_figures(site=s) for s in sites],
            "follow_ups": [c for c in FollowUp.choices if c[0]],
            "follow_up": follow_up,
            "low": low,
            "definitions": {
                "nps": indicators.DEFINITIONS[Indicator.NPS],
                "satisfaction": indicators.DEFINITIONS[Indicator.SATISFACTION],
            },
        },
        status=status,
    )


@step_required("improvement.surveys")
def survey_answers(request: HttpRequest) -> HttpResponse:
    return _surveys_page(request)


@step_required("improvement.surveys")
@require_POST
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    answer = visible_or_404(SurveyAnswer.objects.select_related("site"), request.user, pk=pk)
    form = FollowUpForm(request.POST, auto_id=f"id_f{answer.pk}_%s")
    if form.is_valid():
        done = call_service(
            form, surveys.followup_update, answer=answer, actor=request.user, **form.cleaned_data
        )
        if done is not None:
            messages.success(request, _("Suivi du dossier %(n)s enregistré.") % {"n": answer.case.number})
            return redirect(reverse("improvement:surveys") + f"#answer-{answer.pk}")
    return _surveys_page(
        request, failed_pk=answer.pk, failed_form=form, status=getattr(form, "refusal_status", 400)
    )


# ---------------------------------------------------------------- open repair data


def _ords_page(request, *, form=None, settings_forms=None, status=200):
    sites = _sites(request.user, "improvement.ords")
    settings_forms = settings_forms or {}
    return render(
        request,
        "improvement/ords.html",
        {
            "nav": "improvement",
            "form": form
            or PeriodForm(user=request.user, initial={"site": sites[0].pk} if len(sites) == 1 else {}),
            "site_forms": [
                (s, settings_forms.get(s.pk) or OrdsSettingsForm(instance=s, auto_id=f"id_s{s.pk}_%s"))
                for s in sites
            ],
        },
        status=status,
    )


@step_required("improvement.ords")
def ords_export(request: HttpRequest) -> HttpResponse:
    """GET: the form; POST: a ZIP of the CSV and its licence, or the form again with the French reason."""
    if request.method != "POST":
        return _ords_page(request)
    form = PeriodForm(request.POST, user=request.user)
    if form.is_valid():
        d = form.cleaned_data
        site = d["site"]
        name = f"ords-{site.code.lower()}-{d['start']:%Y%m%d}-{d['end']:%Y%m%d}.csv"
        export = call_service(form, ords.ords_export, site=site, start=d["start"], end=d["end"], name=name)
        if export is not None:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(name, export.csv)
                archive.writestr(f"{name}.LICENSE.txt", export.licence)
            response = HttpResponse(buffer.getvalue(), content_type="application/zip")
            response["Content-Disposition"] = f'attachment; filename="{name[:-4]}.zip"'
            return response
    return _ords_page(request, form=form, status=getattr(form, "refusal_status", 400))


@step_required("improvement.ords")
@require_POST
def ords_settings(request: HttpRequest, pk: int) -> HttpResponse:
    site = visible_or_404(Site, request.user, pk=pk)
    if not may(request.user, "improvement.ords", site.pk):
        raise Http404
    form = OrdsSettingsForm(request.POST, instance=site, auto_id=f"id_s{site.pk}_%s")
    if form.is_valid():
        form.save()
        messages.success(request, _("Réglages Open Repair du site %(s)s enregistrés.") % {"s": site.name})
        return redirect("improvement:ords")
    return _ords_page(request, settings_forms={site.pk: form}, status=400)


# ---------------------------------------------------------------- the customer's survey (public, by token)


def survey_context(link, *, form=None) -> dict:
    """What the survey block needs, on the tracking page and on its own page."""
    return {
        "link": link,
        "case": link.case,
        "survey": surveys.survey_state(link.case),
        "survey_form": form or SurveyForm(auto_id="id_survey_%s"),
    }


@private
def public_survey(request: HttpRequest, token: str) -> HttpResponse:
    """The survey of a closed dossier, reached by its tracking link: an unknown or expired link answers the
    tracking page's French 404; a refused answer shows the form again with the reason, nothing written."""
    link = tracking_link(token)
    if link is None:
        return tracking_not_found(request)
    status = 200
    form = None
    if request.method == "POST":
        form = SurveyForm(request.POST, auto_id="id_survey_%s")
        if form.is_valid():
            answer = call_service(form, surveys.survey_answer, case=link.case, **form.cleaned_data)
            if answer is not None:
                messages.success(request, _("Merci pour votre avis ! Il nous aide à mieux réparer."))
                return redirect("improvement_public:survey", token=token)
        status = getattr(form, "refusal_status", 400)
    context = survey_context(link, form=form)
    return render(request, "improvement/survey.html", {**context, "site": link.case.site}, status=status)
