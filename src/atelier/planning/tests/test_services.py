import datetime

import pytest
from django.utils import formats, timezone

from atelier.core.errors import AtelierError, PermissionRefused
from atelier.planning import builder, services
from atelier.planning.models import DayPlan, PlanDrop, PlanRoute, PlanState, PlanStop, Visit, VisitWindow
from atelier.repairs.choices import CaseStatus
from atelier.repairs.models import CaseEvent

T = datetime.time


def test_visit_made_from_home_order_with_estimates(make_visit):
    visit = make_visit(
        family="froid", skills="Intervention sur circuit : fluides frigorigènes", tools="pompe_a_vide"
    )
    assert (visit.family, visit.duration_minutes, visit.priority) == ("froid", 75, "urgent")
    assert visit.needs == ["fluides"]
    assert visit.tool_codes == ["pompe_a_vide"]


def test_duration_corrected_by_history(make_visit):
    for minutes in (90, 100, 110):
        v = make_visit()
        Visit.objects.filter(pk=v.pk).update(actual_minutes=minutes)
    assert services.estimate_minutes("lave_linge", []) == 80  # (60 + 100) / 2


def test_optimise_then_validate_plans_the_dossiers(make_profile, make_visit, responsable, day):
    tech = make_profile()
    visits = [make_visit(postcode=p) for p in ("75011", "75012", "75020")]
    VisitWindow.objects.create(visit=visits[0], day=day, start=T(8), end=T(10))
    VisitWindow.objects.create(visit=visits[0], day=day, start=T(14), end=T(16))
    plan = services.plan_optimise(actor=responsable, site=tech.site, day=day)
    assert plan.state == PlanState.BROUILLON and plan.revision == 1
    assert plan.figures["planned"] == 3 and plan.figures["dropped"] == 0
    route = PlanRoute.objects.get(plan=plan, validated=False)
    assert route.technician == tech.user and route.stops.count() == 3
    first = route.stops.get(visit=visits[0])
    local = first.start.astimezone(datetime.UTC).astimezone(builder.at(day, 0).tzinfo)
    assert T(8) <= local.time() <= T(10) or T(14) <= local.time() <= T(16)
    assert first.arrival_to - first.arrival_from == datetime.timedelta(hours=2)

    services.plan_validate(actor=responsable, plan=plan, revision=1)
    plan.refresh_from_db()
    assert plan.state == PlanState.VALIDE
    assert PlanRoute.objects.filter(plan=plan, validated=True).count() == 1
    case = visits[0].order.case
    case.refresh_from_db()
    assert (
        case.status == CaseStatus.PLANIFIE
        and case.technician == tech.user
        and case.planned_for == first.start
    )
    assert CaseEvent.objects.filter(case=case, note__startswith="Arrivée prévue entre").exists()


def test_reoptimising_keeps_the_last_validated_plan(make_profile, make_visit, responsable, day):
    tech = make_profile()
    make_visit()
    plan = services.plan_optimise(actor=responsable, site=tech.site, day=day)
    services.plan_validate(actor=responsable, plan=plan, revision=1)
    make_visit(postcode="75012")
    plan = services.plan_optimise(actor=responsable, site=tech.site, day=day)
    assert plan.state == PlanState.BROUILLON and plan.revision == 2
    assert PlanRoute.objects.get(plan=plan, validated=True).stops.count() == 1
    assert PlanRoute.objects.get(plan=plan, validated=False).stops.count() == 2
    with pytest.raises(AtelierError, match="ré-optimisé par"):
        services.plan_validate(actor=responsable, plan=plan, revision=1)
    assert PlanRoute.objects.get(plan=plan, validated=True).stops.count() == 1


def test_unskilled_and_not_ready_visits_are_left_out_with_reasons(
    make_profile, make_visit, responsable, day, monkeypatch
):
    tech = make_profile(families=["lave_linge"])
    gas = make_visit(family="cuisson", skills="raccordement gaz")
    late = make_visit()
    monkeypatch.setattr(
        "atelier.stock.selectors.order_parts_ready",
        lambda order: (order.pk != late.order.pk, "Pièce commandée, attendue le 02/12."),
        raising=False,
    )
    plan = services.plan_optimise(actor=responsable, site=tech.site, day=day)
    reasons = dict(PlanDrop.objects.filter(plan=plan).values_list("visit_id", "reason"))
    assert reasons == {
        gas.pk: "Aucun technicien disponible n'a : famille « cuisson », qualification gaz.",
        late.pk: "Pièce commandée, attendue le 02/12.",
    }


def test_quarantined_tool_blocks_the_visit(make_profile, make_visit, responsable, day, monkeypatch):
    tech = make_profile()
    visit = make_visit(tools="megohmmetre")
    monkeypatch.setattr(
        "atelier.fieldwork.selectors.tool_blockers",
        lambda technician, codes, on: ["Mégohmmètre en quarantaine."] if "megohmmetre" in codes else [],
        raising=False,
    )
    plan = services.plan_optimise(actor=responsable, site=tech.site, day=day)
    assert (
        PlanDrop.objects.get(plan=plan).reason == "Aucun technicien disponible n'a : outil « megohmmetre »."
    )
    assert PlanDrop.objects.get(plan=plan).visit == visit


def test_day_off_and_other_days_windows(make_profile, make_visit, responsable, day):
    tech = make_profile()
    services.day_off_add(actor=responsable, profile=tech, day=day, reason="Formation")
    visit = make_visit()
    plan = services.plan_optimise(actor=responsable, site=tech.site, day=day)
    assert PlanDrop.objects.get(plan=plan, visit=visit).reason == "Aucun technicien ne travaille ce jour."
    with pytest.raises(AtelierError, match="déjà noté"):
        services.day_off_add(actor=responsable, profile=tech, day=day)


def test_pin_moves_a_visit_to_another_technician(make_profile, make_visit, responsable, day):
    a, b = make_profile(), make_profile()
    visits = [make_visit(postcode="75011") for _ in range(2)]
    plan = services.plan_optimise(actor=responsable, site=a.site, day=day)
    services.plan_pin(actor=responsable, plan=plan, visit=visits[0], technician=b.user)
    services.plan_pin(actor=responsable, plan=plan, visit=visits[1], technician=a.user)
    plan = services.plan_optimise(actor=responsable, site=a.site, day=day)
    owner = {s.visit_id: (r.technician_id, s.pinned) for r in plan.routes.all() for s in r.stops.all()}
    assert owner == {visits[0].pk: (b.user_id, True), visits[1].pk: (a.user_id, True)}
    services.plan_pin(actor=responsable, plan=plan, visit=visits[0], technician=None)
    assert plan.pins.count() == 1


def test_visit_update_refuses_an_inverted_window_and_writes_nothing(make_visit, responsable, day):
    visit = make_visit()
    with pytest.raises(AtelierError, match="finit avant de commencer"):
        services.visit_update(
            actor=responsable,
            visit=visit,
            duration_minutes=60,
            priority="normal",
            needs=[],
            tool_kinds="",
            windows=[(day, T(8), T(10)), (day, T(14), T(12))],
        )
    assert not visit.windows.exists()


def test_only_the_manager_plans(accueil, site, day):
    with pytest.raises(PermissionRefused, match="Votre rôle ne permet pas cette opération."):
        services.plan_optimise(actor=accueil, site=site, day=day)
    assert not DayPlan.objects.exists()


def test_arrival_window_stays_inside_the_customer_window(day):
    start = services.builder.at(day, 8 * 3600 + 600)
    begin, end = services.arrival_window(
        start, (services.builder.at(day, 8 * 3600), services.builder.at(day, 10 * 3600))
    )
    assert (begin.time(), end.time()) == (T(8), T(10))
    begin, end = services.arrival_window(services.builder.at(day, 14 * 3600 + 2400))
    assert (begin.time(), end.time()) == (T(14), T(16))


def test_week_gives_each_visit_one_day(make_profile, make_visit, responsable, day):
    tech = make_profile()
    visits = [make_visit(postcode="75011", duration_minutes=240) for _ in range(3)]
    plans = services.plan_optimise_week(actor=responsable, site=tech.site, first_day=day, days=3, seconds=0.5)
    assert [p.day for p in plans] == [day, day + datetime.timedelta(days=1), day + datetime.timedelta(days=2)]
    days = {}
    for plan in plans:
        for route in plan.routes.filter(validated=False):
            for stop in route.stops.all():
                assert stop.visit_id not in days
                days[stop.visit_id] = plan.day
    assert set(days) == {v.pk for v in visits}
    # 3 × 4 h for one technician: two fit on the first day, the third goes to the next day
    assert [p.figures["planned"] for p in plans] == [2, 1, 0]


def _week(make_profile, make_visit, responsable, day):
    tech = make_profile()
    visits = [make_visit(postcode="75011", duration_minutes=240) for _ in range(3)]
    plans = services.plan_optimise_week(actor=responsable, site=tech.site, first_day=day, days=3, seconds=0.5)
    return tech, visits, plans


def _long(day) -> str:
    return formats.date_format(day, "l j F")


def test_the_week_is_validated_in_one_go(make_profile, make_visit, responsable, day):
    tech, visits, plans = _week(make_profile, make_visit, responsable, day)
    drafts = {p.day: p.revision for p in plans if p.state == PlanState.BROUILLON}
    assert list(drafts) == [day, day + datetime.timedelta(days=1), day + datetime.timedelta(days=2)]
    validated = services.plan_validate_week(actor=responsable, site=tech.site, revisions=drafts)
    assert [(p.day, p.state) for p in validated] == [(d, PlanState.VALIDE) for d in drafts]
    planned_days = sorted(
        timezone.localdate(v.order.case.planned_for) for v in Visit.objects.select_related("order__case")
    )
    assert planned_days == [day, day, day + datetime.timedelta(days=1)]
    assert {v.order.case.status for v in Visit.objects.select_related("order__case")} == {CaseStatus.PLANIFIE}


def test_a_day_reoptimised_meanwhile_refuses_the_whole_week(make_profile, make_visit, responsable, day):
    tech, visits, plans = _week(make_profile, make_visit, responsable, day)
    seen = {p.day: p.revision for p in plans}
    tuesday = day + datetime.timedelta(days=1)
    monday = set(
        PlanStop.objects.filter(route__plan=plans[0], route__validated=False).values_list(
            "visit_id", flat=True
        )
    )
    # another manager re-optimises Tuesday (leaving Monday's visits alone) after the week was looked at
    services.plan_optimise(actor=responsable, site=tech.site, day=tuesday, seconds=0.5, exclude=monday)
    with pytest.raises(AtelierError, match="ré-optimisé par") as info:
        services.plan_validate_week(actor=responsable, site=tech.site, revisions=seen)
    assert info.value.message == (
        f"{_long(tuesday).capitalize()} : Le plan a été ré-optimisé par {responsable} depuis que vous l'avez "
        "ouvert : vérifiez la nouvelle proposition avant de la valider. Rien n'a été validé."
    )
    assert not DayPlan.objects.filter(state=PlanState.VALIDE).exists()  # Monday's validation rolled back
    assert not Visit.objects.filter(order__case__status=CaseStatus.PLANIFIE).exists()


def test_a_visit_proposed_on_two_days_refuses_the_week(make_profile, make_visit, responsable, day):
    tech = make_profile()
    visit = make_visit()
    tuesday = day + datetime.timedelta(days=1)
    for d in (day, tuesday):  # two days optimised one by one: the same visit on both
        services.plan_optimise(actor=responsable, site=tech.site, day=d, seconds=0.5)
    with pytest.raises(AtelierError, match="est proposé le") as info:
        services.plan_validate_week(actor=responsable, site=tech.site, revisions={day: 1, tuesday: 1})
    assert info.value.message == (
        f"Le dossier {visit.order.case.number} est proposé le {_long(day)} et le {_long(tuesday)} : relancez "
        "« Proposer la semaine » puis validez. Rien n'a été validé."
    )
    assert not DayPlan.objects.filter(state=PlanState.VALIDE).exists()


def test_nothing_to_validate_in_the_week(make_profile, responsable):
    tech = make_profile()
    with pytest.raises(AtelierError, match="Aucune proposition à valider sur ces jours") as info:
        services.plan_validate_week(actor=responsable, site=tech.site, revisions={})
    assert info.value.message == "Aucune proposition à valider sur ces jours : proposez d'abord la semaine."


def test_a_revalidated_plan_flags_the_dossiers_it_leaves_out(make_profile, make_visit, responsable, day):
    tech = make_profile()
    first, second = make_visit(), make_visit(postcode="75012")
    plan = services.plan_optimise(actor=responsable, site=tech.site, day=day)
    services.plan_validate(actor=responsable, plan=plan, revision=1)
    # The manager takes the second visit out of the day and validates again.
    plan = services.plan_optimise(actor=responsable, site=tech.site, day=day, exclude={second.pk})
    plan = services.plan_validate(actor=responsable, plan=plan, revision=2)
    case = second.order.case
    assert plan.figures["withdrawn"] == [case.number]
    note = CaseEvent.objects.filter(case=case, kind="note").latest("at").note
    assert note == (
        f"Retiré du plan du {day:%d/%m/%Y} validé à nouveau : prévenez le client et planifiez une autre date."
    )
    assert not CaseEvent.objects.filter(case=first.order.case, note__startswith="Retiré du plan").exists()


def test_the_time_spent_on_site_becomes_the_visits_actual_duration(
    make_visit, responsable, without_step_checks
):
    from django.utils import timezone

    from atelier.repairs import services as case_services
    from atelier.repairs.models import RepairCase

    visit = make_visit()
    case = visit.order.case
    RepairCase.objects.filter(pk=case.pk).update(status=CaseStatus.PLANIFIE)
    start = timezone.now() - datetime.timedelta(minutes=95)
    case_services.case_start_repair(case=case, actor=responsable, at=start)
    case_services.case_mark_repaired(case=case, actor=responsable, note="Pompe changée.")
    visit.refresh_from_db()
    assert visit.actual_minutes == 95


def test_customers_get_their_arrival_window_once_the_plan_is_validated(
    make_profile, make_visit, responsable, day, deliver_queued, memory_provider
):
    from atelier.customers.models import Customer
    from atelier.messaging.models import Message

    tech = make_profile()
    mobile, landline = make_visit(), make_visit(postcode="75012")
    Customer.objects.filter(pk=landline.order.case.customer_id).update(
        phone="+33143000000", email="client@example.fr"
    )
    plan = services.plan_optimise(actor=responsable, site=tech.site, day=day)
    services.plan_validate(actor=responsable, plan=plan, revision=1)
    stop = PlanRoute.objects.get(plan=plan, validated=True).stops.get(visit=mobile)
    text = services.arrival_message(stop)
    local = timezone.localtime(stop.arrival_from)
    assert text == (
        f"{tech.site.name} : votre technicien passera le {formats.date_format(local, 'l j F')} entre "
        f"{local:%H:%M} et {timezone.localtime(stop.arrival_to):%H:%M} (dossier {mobile.order.case.number})."
        + (f" Un empêchement ? Appelez le {tech.site.phone}." if tech.site.phone else "")
    )
    # recorded in the plan's transaction, « en file »: nothing has left yet
    queued = Message.objects.order_by("pk")
    assert [(m.case_id, m.channel, m.recipient, m.purpose, m.state) for m in queued] == [
        (mobile.order.case.pk, "sms", mobile.order.case.customer.phone, "visit_window", "queued"),
        (landline.order.case.pk, "email", "client@example.fr", "visit_window", "queued"),
    ]
    assert memory_provider.sent == []
    note = CaseEvent.objects.filter(case=mobile.order.case, kind="note").latest("at").note
    assert note == f"Créneau d'arrivée mis en file pour le client par SMS : « {text} »"
    deliver_queued()
    assert [(o.channel, o.recipient, o.body) for o in memory_provider.sent] == [
        ("sms", mobile.order.case.customer.phone, text),
        (
            "email",
            "client@example.fr",
            services.arrival_message(
                PlanRoute.objects.get(plan=plan, validated=True).stops.get(visit=landline)
            ),
        ),
    ]
    assert list(Message.objects.order_by("pk").values_list("state", flat=True)) == ["sent", "sent"]
    # Validating the same plan again tells no one: nothing moved.
    plan = services.plan_optimise(actor=responsable, site=tech.site, day=day)
    services.plan_validate(actor=responsable, plan=plan, revision=2)
    assert Message.objects.count() == 2
