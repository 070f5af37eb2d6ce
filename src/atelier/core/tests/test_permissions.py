"""« Paramètres › Droits »: the manager edits the matrix of their site, applies a preset, over the screen and the
API; every change is journalled; the menu and the steps follow at once."""

import pytest
from django.urls import reverse

from atelier.core import access
from atelier.core.choices import Role
from atelier.core.errors import AtelierError
from atelier.core.models import PermissionChange, Site, SiteStepRoles
from atelier.core.services import permissions_apply_preset, permissions_set
from atelier.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(site):
    return UserFactory(username="resp", roles=[Role.RESPONSABLE_SAV], sites=[site])


def test_existing_and_new_sites_start_under_reseau(site, other_site):
    assert Site.objects.get(pk=site.pk).permission_preset == "reseau"
    assert access.site_matrix(site)["quotes.order"] == frozenset({Role.RESPONSABLE_SAV})


def test_the_manager_applies_a_preset_on_the_screen_and_the_technician_gains_the_steps(
    client, site, manager, technicien
):
    assert not access.may(technicien, "billing.payment", site)
    client.force_login(manager)
    page = client.get(reverse("permissions"))
    assert page.status_code == 200
    assert "ordre de réparation" in page.content.decode()
    response = client.post(
        reverse("permissions"), {"action": "preset", "site": site.pk, "preset": "petite_equipe"}
    )
    assert response.status_code == 302
    site.refresh_from_db()
    assert site.permission_preset == "petite_equipe"
    access.forget_matrix(technicien)
    assert access.may(technicien, "billing.payment", site)
    change = PermissionChange.objects.get()
    assert (change.actor, change.preset, change.what) == (manager, "petite_equipe", "Petite équipe")


def test_unchecking_a_box_removes_the_step_and_is_journalled(client, site, manager, accueil):
    client.force_login(manager)
    form = client.get(reverse("permissions")).context["form"]
    data = {name: "on" for name, field in form.fields.items() if form.initial.get(name, field.initial)}
    data.pop(f"billing.payment|{Role.ACCUEIL}")
    response = client.post(reverse("permissions"), {**data, "action": "save", "site": site.pk})
    assert response.status_code == 302
    site.refresh_from_db()
    assert site.permission_preset == "personnalise"
    assert SiteStepRoles.objects.get(site=site, step="billing.payment").roles == [Role.RESPONSABLE_SAV]
    change = PermissionChange.objects.get()
    assert (change.step, change.before, change.after) == (
        "billing.payment",
        [Role.ACCUEIL, Role.RESPONSABLE_SAV],
        [Role.RESPONSABLE_SAV],
    )
    assert not access.may(accueil, "billing.payment", site)
    assert access.may(accueil, "billing.invoice", site)  # the others did not move
    assert access.site_matrix(site)["quotes.order"] == frozenset({Role.RESPONSABLE_SAV})


def test_the_manager_cannot_lock_themself_out(site, manager):
    with pytest.raises(AtelierError, match="retirerait l'accès"):
        permissions_set(site=site, actor=manager, matrix={"core.permissions": []})
    assert not SiteStepRoles.objects.exists() and not PermissionChange.objects.exists()


def test_other_roles_and_other_sites_are_refused(client, site, other_site, manager, technicien):
    client.force_login(technicien)
    assert client.get(reverse("permissions")).status_code == 403
    assert "Droits" not in client.get(reverse("home")).content.decode()
    client.force_login(manager)
    assert client.get(reverse("permissions"), {"site": other_site.pk}).status_code == 404
    api = reverse("site-permissions", args=[other_site.pk])
    assert client.get(api).status_code == 404
    with pytest.raises(Exception, match="Ce site ne fait pas partie des vôtres"):
        permissions_apply_preset(site=other_site, actor=manager, preset="une_personne")


def test_the_api_reads_and_writes_the_matrix(client, site, manager):
    client.force_login(manager)
    url = reverse("site-permissions", args=[site.pk])
    data = client.get(url).json()
    assert data["preset"] == "reseau" and data["site"] == "PAR1"
    order = next(s for s in data["steps"] if s["code"] == "quotes.order")
    assert order["roles"] == ["responsable_sav"]
    response = client.put(
        url,
        {"preset": "petite_equipe", "steps": [{"code": "loans.manage", "roles": ["accueil"]}]},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["preset"] == "personnalise"
    roles = {s["code"]: s["roles"] for s in body["steps"]}
    assert roles["quotes.order"] == ["responsable_sav", "technicien"] and roles["loans.manage"] == ["accueil"]
    assert PermissionChange.objects.count() == 2
    bad = client.put(
        url, {"steps": [{"code": "loans.manage", "roles": ["pape"]}]}, content_type="application/json"
    )
    assert bad.status_code == 400


def test_the_superuser_flag_is_not_a_role(site):
    boss = UserFactory(username="root", roles=[], sites=[site], is_superuser=True, is_staff=True)
    assert not access.may(boss, "quotes.order", site)
    assert not access.may(boss, "customers.view")


def test_a_page_shows_only_the_sites_where_the_user_may_do_its_step(client, site, other_site):
    """Issue 15: a person working on two sites reads, on a page, only the sites whose matrix grants its step."""
    from atelier.customers.models import Customer

    both = UserFactory(username="accueil.deux", roles=[Role.ACCUEIL], sites=[site, other_site])
    paris = Customer.objects.create(site=site, last_name="Martin", phone="+33612345678")
    lyon = Customer.objects.create(site=other_site, last_name="Martinez", phone="+33612345679")
    client.force_login(both)
    page = client.get(reverse("customers:list"))
    assert sorted(c.last_name for c in page.context["page_obj"]) == ["Martin", "Martinez"]

    lyon_manager = UserFactory(username="resp.lyon", roles=[Role.RESPONSABLE_SAV], sites=[other_site])
    permissions_set(site=other_site, actor=lyon_manager, matrix={"customers.view": [Role.RESPONSABLE_SAV]})
    page = client.get(reverse("customers:list"))
    assert [c.last_name for c in page.context["page_obj"]] == ["Martin"]
    assert client.get(reverse("customers:detail", args=[lyon.pk])).status_code == 404
    assert client.get(reverse("customers:detail", args=[paris.pk])).status_code == 200
