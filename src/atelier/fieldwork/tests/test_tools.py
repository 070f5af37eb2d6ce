"""Tools (C1.3): registry, checks, quarantine (failed, overdue, malfunction), warnings, tool_blockers."""

import datetime
import re

import pytest
from django.utils import timezone

from atelier.core.errors import AtelierError, PermissionRefused
from atelier.fieldwork import plugins, services
from atelier.fieldwork.choices import IncidentKind, ToolStatus
from atelier.fieldwork.models import Tool, ToolCheck, ToolIncident, ToolKind
from atelier.fieldwork.selectors import tool_blockers
from atelier.fieldwork.tests.conftest import make_tool

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def test_register_a_checked_tool_sets_its_next_check_from_the_interval(
    site, magasinier, technicien, kind_insulation
):
    last = timezone.localdate() - datetime.timedelta(days=10)
    tool = services.tool_register(
        actor=magasinier,
        site=site,
        kind=kind_insulation,
        serial=" CA6526-0042 ",
        label="Chauvin Arnoux C.A 6526",
        holder=technicien,
        last_checked_on=last,
    )
    assert (tool.serial, tool.holder, tool.status) == ("CA6526-0042", technicien, ToolStatus.EN_SERVICE)
    assert tool.next_check_on == last + datetime.timedelta(days=365)


def test_a_kind_without_check_procedure_cannot_get_a_checked_tool(site, responsable):
    kind = ToolKind.objects.create(code="tournevis", name="Tournevis isolé")
    with pytest.raises(AtelierError, match="n'a pas de procédure de vérification") as exc:
        services.tool_register(actor=responsable, site=site, kind=kind, serial="T-1", is_checked=True)
    assert exc.value.message == (
        "Le type « Tournevis isolé » n'a pas de procédure de vérification ou de périodicité : un outil de ce "
        "type ne peut pas être enregistré comme vérifiable. Complétez d'abord le type d'outil, ou décochez "
        "« vérifiable »."
    )
    assert exc.value.field == "is_checked"
    assert not Tool.objects.exists()
    tool = services.tool_register(actor=responsable, site=site, kind=kind, serial="T-1", is_checked=False)
    assert tool.is_usable(timezone.localdate())


def test_register_refuses_duplicates_blank_serial_wrong_holder_role_and_other_site(
    site, other_site, responsable, technicien, accueil, other_technicien, kind_insulation
):
    services.tool_register(actor=responsable, site=site, kind=kind_insulation, serial="A1")
    cases = [
        ({"serial": "A1"}, "Un outil « Contrôleur d'isolement » n° A1 est déjà enregistré sur ce site."),
        ({"serial": "  "}, "Saisissez le numéro de série de l'outil."),
        (
            {"serial": "A2", "holder": other_technicien},
            f"{other_technicien} n'est pas technicien du site PAR1.",
        ),
        ({"serial": "A3", "holder": accueil}, f"{accueil} n'est pas technicien du site PAR1."),
    ]
    for kwargs, message in cases:
        with pytest.raises(AtelierError, match=re.escape(message)) as exc:
            services.tool_register(actor=responsable, site=site, kind=kind_insulation, **kwargs)
        assert exc.value.message == message
    with pytest.raises(PermissionRefused, match="Votre rôle ne permet pas cette opération."):
        services.tool_register(actor=technicien, site=site, kind=kind_insulation, serial="A4")
    with pytest.raises(PermissionRefused, match="Ce site ne fait pas partie des vôtres."):
        services.tool_register(actor=responsable, site=other_site, kind=kind_insulation, serial="A5")
    assert Tool.objects.count() == 1


def test_failed_check_quarantines_warns_the_holder_and_reports_to_the_manager(
    site, technicien, responsable, kind_insulation
):
    tool = make_tool(site, kind_insulation, "CI-1", holder=technicien)
    today = timezone.localdate()
    with pytest.raises(AtelierError, match="Décrivez le défaut constaté.") as exc:
        services.tool_check_record(actor=technicien, tool=tool, checked_on=today, result="non_conforme")
    assert exc.value.message == "Décrivez le défaut constaté."
    assert not ToolCheck.objects.exists()

    services.tool_check_record(
        actor=technicien, tool=tool, checked_on=today, result="non_conforme", notes="Écart de 12 % à 1 MΩ."
    )
    tool.refresh_from_db()
    assert tool.status == ToolStatus.QUARANTAINE
    incident = ToolIncident.objects.get()
    assert incident.kind == IncidentKind.CHECK_FAILED
    assert incident.description == f"Contrôle du {today:%d/%m/%Y} non conforme : Écart de 12 % à 1 MΩ."

    mine = {p["key"]: p for p in plugins.home_panels(technicien)}["fieldwork_my_tools"]
    assert [(link["text"], link["badge"]) for link in mine["links"][1:]] == [
        ("Contrôleur d'isolement n° CI-1", "en quarantaine")
    ]
    manager = {p["key"]: p for p in plugins.home_panels(responsable)}["fieldwork_incidents"]
    assert manager["count"] == 1
    assert manager["links"][0]["badge"] == "Contrôle non conforme"

    # A passing check (after repair or calibration) puts it back in service.
    services.tool_check_record(actor=responsable, tool=tool, checked_on=today, result="conforme")
    tool.refresh_from_db()
    assert (tool.status, tool.next_check_on) == (ToolStatus.EN_SERVICE, today + datetime.timedelta(days=365))


def test_overdue_tools_are_quarantined_once_with_an_incident(site, technicien, kind_insulation, kind_pat):
    today = timezone.localdate()
    late = make_tool(site, kind_insulation, "CI-2", holder=technicien, next_check_on=today - DAY)
    due_today = make_tool(site, kind_pat, "PAT-1", holder=technicien, next_check_on=today)
    assert services.quarantine_overdue(on=today) == 1
    assert services.quarantine_overdue(on=today) == 0
    late.refresh_from_db()
    due_today.refresh_from_db()
    assert (late.status, due_today.status) == (ToolStatus.QUARANTAINE, ToolStatus.EN_SERVICE)
    incident = ToolIncident.objects.get()
    assert incident.kind == IncidentKind.OVERDUE
    assert incident.description == (
        f"Contrôle échu le {today - DAY:%d/%m/%Y} (périodicité 365 jours) : outil isolé."
    )
    assert incident.reported_by is None


def test_malfunction_report_quarantines_at_once(site, technicien, kind_pat):
    tool = make_tool(site, kind_pat, "PAT-2", holder=technicien)
    with pytest.raises(AtelierError, match="Décrivez le dysfonctionnement.") as exc:
        services.tool_report_malfunction(actor=technicien, tool=tool, description=" ")
    assert exc.value.message == "Décrivez le dysfonctionnement."
    services.tool_report_malfunction(actor=technicien, tool=tool, description="Affichage figé sur 0,00.")
    tool.refresh_from_db()
    assert (tool.status, tool.quarantine_reason) == (ToolStatus.QUARANTAINE, "Affichage figé sur 0,00.")


def test_check_refuses_future_date_and_unknown_result(site, technicien, kind_pat):
    tool = make_tool(site, kind_pat, "PAT-3")
    today = timezone.localdate()
    with pytest.raises(AtelierError, match="ne peut pas être dans le futur") as exc:
        services.tool_check_record(actor=technicien, tool=tool, checked_on=today + DAY, result="conforme")
    assert exc.value.message == "La date du contrôle ne peut pas être dans le futur."
    with pytest.raises(AtelierError, match="Choisissez le résultat du contrôle.") as exc:
        services.tool_check_record(actor=technicien, tool=tool, checked_on=today, result="peut-être")
    assert exc.value.message == "Choisissez le résultat du contrôle."
    assert not ToolCheck.objects.exists()


def test_tool_blockers_reasons(site, other_site, technicien, other_technicien, kind_insulation, kind_pat):
    today = timezone.localdate()
    assert tool_blockers(technicien, [], today) == []
    assert tool_blockers(technicien, ["controleur-isolement"], today) == [
        f"{technicien} n'a aucun outil « Contrôleur d'isolement » et aucun n'est disponible sur son site."
    ]
    # An unassigned tool of his site counts; a tool of another site or held by someone else does not.
    make_tool(other_site, kind_insulation, "LYON-1")
    make_tool(site, kind_pat, "PAT-OTHER", holder=other_technicien)
    shared = make_tool(site, kind_insulation, "ATELIER-1")
    assert tool_blockers(technician := technicien, ["controleur-isolement"], today) == []
    assert tool_blockers(technician, ["testeur-pat"], today) == [
        f"{technicien} n'a aucun outil « Testeur PAT / contrôleur de sécurité électrique » et aucun n'est "
        "disponible sur son site."
    ]
    # Quarantined, or overdue on the date asked: reasons name each tool.
    shared.status = ToolStatus.QUARANTAINE
    shared.save()
    make_tool(site, kind_insulation, "MINE-1", holder=technicien, next_check_on=today + 5 * DAY)
    assert tool_blockers(technicien, ["controleur-isolement"], today) == []
    later = today + 6 * DAY
    assert tool_blockers(technicien, ["controleur-isolement", "inconnu"], later) == [
        f"Aucun outil « Contrôleur d'isolement » utilisable par {technicien} le {later:%d/%m/%Y} "
        f"(n° ATELIER-1 en quarantaine, n° MINE-1 contrôle échu le {today + 5 * DAY:%d/%m/%Y}).",
        "Type d'outil inconnu : « inconnu ».",
    ]


def test_retired_tools_are_ignored_and_only_the_manager_retires(site, technicien, responsable, kind_pat):
    tool = make_tool(site, kind_pat, "PAT-9", holder=technicien)
    with pytest.raises(PermissionRefused, match="Votre rôle ne permet pas cette opération."):
        services.tool_retire(actor=technicien, tool=tool)
    services.tool_retire(actor=responsable, tool=tool)
    assert tool_blockers(technicien, ["testeur-pat"], timezone.localdate()) == [
        f"{technicien} n'a aucun outil « Testeur PAT / contrôleur de sécurité électrique » et aucun n'est "
        "disponible sur son site."
    ]


def test_maintenance_log_sets_the_next_due_date_and_the_list_flags_overdue_ones(
    client, site, technicien, accueil, other_technicien, kind_pat
):
    from django.urls import reverse

    from atelier.fieldwork.models import ToolMaintenance

    assert kind_pat.maintenance_interval_days == 90
    tool = make_tool(site, kind_pat, "PAT-M1", holder=technicien)
    today = timezone.localdate()
    old = services.tool_maintenance_record(
        actor=technicien,
        tool=tool,
        kind="nettoyage",
        done_on=today - datetime.timedelta(days=100),
        work_done="Cordons et pinces nettoyés à l'alcool isopropylique.",
    )
    assert (old.next_due_on, tool.next_maintenance_on) == (
        today - datetime.timedelta(days=10),  # 90 days after: overdue now
        today - datetime.timedelta(days=10),
    )
    assert tool.maintenance_overdue(today) is True
    client.force_login(technicien)
    listing = client.get(reverse("fieldwork:tools")).content.decode()
    row = re.search(rf'<tr id="tool-{tool.pk}">.*?</tr>', listing, re.S).group(0)
    assert "entretien en retard" in row
    # A later entry with its own next date moves the tool's date; an older one entered afterwards does not.
    services.tool_maintenance_record(
        actor=technicien,
        tool=tool,
        kind="entretien",
        done_on=today,
        work_done="Autotest, adaptateur de contrôle, cordons remplacés.",
        next_due_on=today + 30 * DAY,
    )
    assert tool.next_maintenance_on == today + 30 * DAY
    services.tool_maintenance_record(
        actor=technicien, tool=tool, kind="verification", done_on=today - 5 * DAY, work_done="Autotest."
    )
    assert tool.next_maintenance_on == today + 30 * DAY
    listing = client.get(reverse("fieldwork:tools")).content.decode()
    row = re.search(rf'<tr id="tool-{tool.pk}">.*?</tr>', listing, re.S).group(0)
    assert "entretien en retard" not in row and (today + 30 * DAY).strftime("%d/%m/%Y") in row
    page = client.get(reverse("fieldwork:tool_detail", args=[tool.pk])).content.decode()
    assert "Cordons et pinces nettoyés à l&#x27;alcool isopropylique." in page
    # Refusals in French, nothing written.
    refusals = []
    for kwargs in (
        {"kind": "peinture", "done_on": today, "work_done": "x"},
        {"kind": "entretien", "done_on": today + DAY, "work_done": "x"},
        {"kind": "entretien", "done_on": today, "work_done": " "},
        {"kind": "entretien", "done_on": today, "work_done": "x", "next_due_on": today},
    ):
        with pytest.raises(AtelierError) as exc:
            services.tool_maintenance_record(actor=technicien, tool=tool, **kwargs)
        refusals.append((exc.value.field, exc.value.message))
    assert refusals == [
        ("kind", "Choisissez ce qui a été fait (entretien, nettoyage, vérification)."),
        ("done_on", "La date de l'entretien ne peut pas être dans le futur."),
        ("work_done", "Décrivez ce qui a été fait (produits, pièces, réglages)."),
        ("next_due_on", f"Le prochain entretien doit être après celui-ci ({today:%d/%m/%Y})."),
    ]
    with pytest.raises(PermissionRefused):
        services.tool_maintenance_record(
            actor=accueil, tool=tool, kind="nettoyage", done_on=today, work_done="x"
        )
    with pytest.raises(PermissionRefused):
        services.tool_maintenance_record(
            actor=other_technicien, tool=tool, kind="nettoyage", done_on=today, work_done="x"
        )
    assert ToolMaintenance.objects.filter(tool=tool).count() == 3
    # Through the tool page
    response = client.post(
        reverse("fieldwork:tool_action", args=[tool.pk, "maintenance"]),
        {"kind": "nettoyage", "done_on": today.isoformat(), "work_done": "Boîtier dépoussiéré."},
    )
    assert response.url == reverse("fieldwork:tool_detail", args=[tool.pk])
    tool.refresh_from_db()
    assert tool.next_maintenance_on == today + 90 * DAY
