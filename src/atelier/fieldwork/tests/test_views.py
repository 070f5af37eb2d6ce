"""Fieldwork screens: roles, other site → 404, bad input → French message and nothing written, the dossier
section, the home panels."""

import pytest
from django.urls import reverse
from django.utils import timezone

from atelier.fieldwork.models import InstallationCheck, PpeCheck, SafetyTest, Tool, ToolCheck
from atelier.fieldwork.tests.conftest import make_tool, sheet_all
from atelier.repairs.choices import CaseStatus
from atelier.repairs.tests.pages import dossier_page

pytestmark = pytest.mark.django_db


def test_tool_registry_roles(client, site, technicien, magasinier, accueil, kind_insulation):
    client.force_login(accueil)
    assert client.get(reverse("fieldwork:tools")).status_code == 403
    client.force_login(technicien)
    assert client.get(reverse("fieldwork:tools")).status_code == 200
    assert client.get(reverse("fieldwork:tool_create")).status_code == 403
    client.force_login(magasinier)
    response = client.post(
        reverse("fieldwork:tool_create"),
        {
            "site": site.pk,
            "kind": kind_insulation.pk,
            "serial": "CA-77",
            "holder": technicien.pk,
            "is_checked": "on",
            "last_checked_on": timezone.localdate().isoformat(),
        },
    )
    tool = Tool.objects.get()
    assert response.url == reverse("fieldwork:tool_detail", args=[tool.pk])
    assert "Contrôleur d&#x27;isolement n° CA-77" in client.get(reverse("fieldwork:tools")).content.decode()


def test_tool_form_refuses_a_checked_tool_of_a_kind_without_procedure(client, site, responsable):
    from atelier.fieldwork.models import ToolKind

    kind = ToolKind.objects.get(code="caisse-outils")
    client.force_login(responsable)
    response = client.post(
        reverse("fieldwork:tool_create"),
        {"site": site.pk, "kind": kind.pk, "serial": "C-1", "is_checked": "on"},
    )
    assert response.status_code == 400
    assert "ne peut pas être enregistré comme vérifiable" in response.content.decode()
    assert not Tool.objects.exists()


def test_other_site_tool_is_404(client, other_site, technicien, kind_pat):
    tool = make_tool(other_site, kind_pat, "LY-1")
    client.force_login(technicien)
    assert client.get(reverse("fieldwork:tool_detail", args=[tool.pk])).status_code == 404
    response = client.post(
        reverse("fieldwork:tool_action", args=[tool.pk, "malfunction"]), {"description": "HS"}
    )
    assert response.status_code == 404
    assert tool.incidents.count() == 0


def test_check_through_the_tool_page_and_manager_sees_the_incident(
    client, site, technicien, responsable, kind_pat
):
    tool = make_tool(site, kind_pat, "PAT-20", holder=technicien)
    client.force_login(technicien)
    url = reverse("fieldwork:tool_action", args=[tool.pk, "check"])
    bad = client.post(url, {"checked_on": timezone.localdate().isoformat(), "result": "non_conforme"})
    assert bad.status_code == 400
    assert "Décrivez le défaut constaté." in bad.content.decode()
    assert not ToolCheck.objects.exists()
    client.post(
        url, {"checked_on": timezone.localdate().isoformat(), "result": "non_conforme", "notes": "Dérive."}
    )
    client.force_login(responsable)
    home = client.get(reverse("home_panels")).content.decode()
    assert (
        "Outillage : incidents à voir" in home
        and "Testeur PAT / contrôleur de sécurité électrique n° PAT-20" in home
    )
    page = client.get(reverse("fieldwork:tools")).content.decode()
    assert "Incidents à voir" in page


def test_dossier_screens_roles_other_site_and_bad_input(
    client, site, ordered_case, technicien, accueil, other_technicien, kind_pat
):
    case, _order = ordered_case()
    pat = make_tool(site, kind_pat, "PAT-9", holder=technicien)
    urls = [
        reverse(name, args=[case.pk])
        for name in (
            "fieldwork:installation",
            "fieldwork:repair",
            "fieldwork:safety",
            "fieldwork:commissioning",
        )
    ]
    client.force_login(accueil)
    assert [client.get(u).status_code for u in urls] == [403, 403, 403, 403]
    client.force_login(other_technicien)
    assert [client.get(u).status_code for u in urls] == [404, 404, 404, 404]
    client.force_login(technicien)
    assert [client.get(u).status_code for u in urls] == [200, 200, 200, 200]
    bad = client.post(
        reverse("fieldwork:safety", args=[case.pk]),
        {
            "appliance_class": "I",
            "instrument": pat.pk,
            "pe_resistance": "0,1 mA",
            "insulation": "200 MΩ",
            "pe_current": "1 mA",
        },
    )
    assert bad.status_code == 400
    assert (
        "« mA » n&#x27;est pas une unité pour « Résistance du conducteur de protection »"
        in bad.content.decode()
    )
    assert not SafetyTest.objects.exists()
    points = {
        f"point_{c}": "conforme"
        for c in ("socket", "earth", "cable", "water_inlet", "drain", "gas", "ventilation")
    }
    bad = client.post(
        reverse("fieldwork:installation", args=[case.pk]), {**points, "point_earth": "non_conforme"}
    )
    assert bad.status_code == 400 and "Décrivez les anomalies constatées." in bad.content.decode()
    assert not InstallationCheck.objects.exists()
    ok = client.post(reverse("fieldwork:installation", args=[case.pk]), points)
    assert ok.url == reverse("repairs:detail", args=[case.pk])


def test_ppe_page_and_dossier_section(client, rules, site, ordered_case, technicien):
    case, _order = ordered_case()
    client.force_login(technicien)
    page = dossier_page(client, case.pk)
    assert "Intervention : sécurité, réparation et mise en service" in page
    assert "à faire avant l'intervention" in page
    # Without a dossier: the technician's interventions to start, each with its own check.
    listing = client.get(reverse("fieldwork:ppe")).content.decode()
    assert f"?dossier={case.pk}" in listing and "à faire" in listing
    form = client.get(reverse("fieldwork:ppe") + f"?dossier={case.pk}").content.decode()
    assert "Eau de vidange recueillie dans un récipient, sol essuyé" in form  # the family's hygiene line
    assert "Couper l&#x27;alimentation électrique et l&#x27;eau" in form  # the family's dangers
    bad = client.post(reverse("fieldwork:ppe"), {"dossier": case.pk, "tools_ok": "on"})
    assert bad.status_code == 400
    assert not PpeCheck.objects.exists()
    data = {f"sheet_{pk}": "on" for pk in sheet_all(case)}
    response = client.post(reverse("fieldwork:ppe"), {**data, "tools_ok": "on", "dossier": case.pk})
    assert response.url == reverse("repairs:detail", args=[case.pk])
    assert PpeCheck.objects.get().is_complete
    page = dossier_page(client, case.pk)
    assert "fait pour cette intervention" in page
    home = client.get(reverse("home_panels")).content.decode()
    assert "Mes outils et EPI" in home and "Contrôle EPI avant chaque intervention" in home
    client.post(reverse("repairs:step", args=[case.pk, "start_repair"]), {"note": ""})
    case.refresh_from_db()
    assert case.status == CaseStatus.EN_REPARATION


def test_ppe_for_another_site_dossier_is_404(client, ordered_case, other_technicien):
    case, _order = ordered_case()
    client.force_login(other_technicien)
    assert client.get(reverse("fieldwork:ppe") + f"?dossier={case.pk}").status_code == 404


def test_sweep_command_and_manager_screens(client, site, responsable, technicien, kind_pat):
    import datetime

    from django.core.management import call_command

    from atelier.fieldwork.models import SiteRules, ToolIncident

    tool = make_tool(
        site,
        kind_pat,
        "PAT-30",
        holder=technicien,
        next_check_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    from io import StringIO

    out = StringIO()
    call_command("fieldwork_sweep", stdout=out)
    assert out.getvalue() == "Outils mis en quarantaine pour contrôle échu : 1.\n"
    tool.refresh_from_db()
    assert tool.status == "quarantaine"
    incident = ToolIncident.objects.get()
    client.force_login(technicien)
    assert client.post(reverse("fieldwork:incident_ack", args=[incident.pk])).status_code == 403
    assert (
        client.post(reverse("fieldwork:site_rules"), {"site": site.pk, "enforced": "on"}).status_code == 403
    )
    client.force_login(responsable)
    client.post(reverse("fieldwork:incident_ack", args=[incident.pk]))
    incident.refresh_from_db()
    assert incident.acknowledged_by == responsable
    client.post(reverse("fieldwork:site_rules"), {"site": site.pk, "enforced": "on"})
    assert SiteRules.objects.get(site=site).enforced is True
    client.post(reverse("fieldwork:site_rules"), {"site": site.pk})
    assert SiteRules.objects.get(site=site).enforced is False


def test_required_tools_form_on_the_repair_order(
    client, site, ordered_case, technicien, other_technicien, kind_pat
):
    case, order = ordered_case()
    url = reverse("fieldwork:required_tools", args=[order.pk])
    client.force_login(other_technicien)
    assert client.get(url).status_code == 404
    client.force_login(technicien)
    assert client.get(url).status_code == 200
    response = client.post(url, {"kinds": [kind_pat.pk]})
    assert response.url == reverse("repairs:detail", args=[case.pk])
    assert list(order.required_tool_kinds.values_list("kind__code", flat=True)) == ["testeur-pat"]
    page = dossier_page(client, case.pk)
    assert "Testeur PAT / contrôleur de sécurité électrique n&#x27;a" not in page
    assert f"{technicien} n&#x27;a aucun outil « Testeur PAT / contrôleur de sécurité électrique »" in page


def test_workshop_start_without_technician_needs_the_dossier_ppe_check(
    client, rules, site, ordered_case, technicien
):
    from atelier.fieldwork import services as fw
    from atelier.repairs import services as case_services

    case, _order = ordered_case("atelier")
    assert case.technician is None
    from atelier.fieldwork.checks import start_refusals

    assert start_refusals(case) == [
        "aucun technicien n'est affecté : faites le contrôle des EPI avant l'intervention depuis ce dossier, "
        "ou affectez-le"
    ]
    fw.ppe_check_record(actor=technicien, items=sheet_all(case), tools_ok=True, case=case)
    case_services.case_start_repair(case=case, actor=technicien)
    assert (case.status, case.technician) == (CaseStatus.EN_REPARATION, technicien)


def test_retire_through_the_tool_page_is_the_managers_and_an_unknown_action_is_404(
    client, site, technicien, magasinier, responsable, kind_pat
):
    tool = make_tool(site, kind_pat, "PAT-40", holder=technicien)
    url = reverse("fieldwork:tool_action", args=[tool.pk, "retire"])
    client.force_login(technicien)
    assert "Votre rôle ne permet pas cette opération." in client.post(url).content.decode()
    client.force_login(magasinier)
    refused = client.post(url)
    assert refused.status_code == 403
    assert "Votre rôle ne permet pas cette opération." in refused.content.decode()
    tool.refresh_from_db()
    assert tool.status == "en_service"
    client.force_login(responsable)
    assert client.post(reverse("fieldwork:tool_action", args=[tool.pk, "nope"])).status_code == 404
    done = client.post(url, follow=True)
    assert "Outil réformé." in done.content.decode()
    tool.refresh_from_db()
    assert (tool.status, tool.holder) == ("reforme", None)


def test_another_sites_incident_is_404_and_a_site_without_rules_shows_them_enforced(
    client, site, other_site, responsable, kind_pat
):
    from atelier.fieldwork import services
    from atelier.fieldwork.models import ToolIncident

    lyon_tool = make_tool(other_site, kind_pat, "LY-2")
    lyon = ToolIncident.objects.create(tool=lyon_tool, kind="dysfonctionnement", description="HS")
    client.force_login(responsable)
    assert client.post(reverse("fieldwork:incident_ack", args=[lyon.pk])).status_code == 404
    lyon.refresh_from_db()
    assert lyon.acknowledged_at is None
    assert ToolIncident.objects.visible_to(responsable).count() == 0
    page = client.get(reverse("fieldwork:tools")).content.decode()
    assert "PAR1 – " in page and "obligatoires" in page and "Rendre facultatifs" in page
    services.site_rules_set(actor=responsable, site=site, enforced=False)
    page = client.get(reverse("fieldwork:tools")).content.decode()
    assert "Rendre obligatoires" in page


def test_site_rules_of_another_site_are_refused_on_top_of_the_registry(client, other_site, responsable):
    from atelier.fieldwork.models import SiteRules

    client.force_login(responsable)
    response = client.post(reverse("fieldwork:site_rules"), {"site": other_site.pk}, follow=True)
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not SiteRules.objects.exists()
