"""Improvement actions through PDCA: anyone proposes, only the manager decides, verifies or drops; the effect is
measured before and after on its indicator; refusals say why in French and change nothing."""

import datetime
from decimal import Decimal

import pytest

from atelier.core.errors import AtelierError, PermissionRefused, TransitionRefused
from atelier.improvement.models import ImprovementAction
from atelier.improvement.services import action_measure, action_move, action_propose
from atelier.improvement.tests.conftest import closed_case

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def proposed(site, technicien):
    return action_propose(
        actor=technicien,
        site=site,
        title="Trop de non-réparables faute de pièces",
        cause="Références abandonnées chez le constructeur.",
        effect_indicator="taux_non_reparable",
    )


def test_a_technician_proposes_only_the_manager_decides(proposed, technicien, responsable, site):
    assert (proposed.status, proposed.proposed_by, proposed.phase) == ("proposee", technicien, "Planifier")
    with pytest.raises(PermissionRefused):
        action_move(
            action=proposed, actor=technicien, move="decide", plan="x", owner=technicien, due_on=TODAY
        )
    with pytest.raises(AtelierError, match="Choisissez qui mène l'action."):
        action_move(action=proposed, actor=responsable, move="decide", plan="Stock tampon", due_on=TODAY)
    decided = action_move(
        action=proposed,
        actor=responsable,
        move="decide",
        plan="Garder deux cartes d'avance par modèle courant.",
        owner=technicien,
        due_on=datetime.date(2099, 1, 31),
    )
    assert (decided.status, decided.owner, decided.decided_by, decided.action) == (
        "decidee",
        technicien,
        responsable,
        "Garder deux cartes d'avance par modèle courant.",
    )
    started = action_move(action=decided, actor=technicien, move="start")
    assert started.status == "en_cours"
    with pytest.raises(TransitionRefused) as refused:
        action_move(
            action=started, actor=responsable, move="decide", plan="y", owner=technicien, due_on=TODAY
        )
    assert refused.value.message == "« Décider l'action » n'est pas possible : l'action est « En cours »."
    labels = list(started.events.values_list("label", "from_status", "to_status"))
    assert labels == [
        ("Action proposée", "", ""),
        ("Décider l'action", "proposee", "decidee"),
        ("Commencer", "decidee", "en_cours"),
    ]


def test_the_effect_measured_before_and_after_then_verified(proposed, technicien, responsable, site):
    for day in ("2026-01-10", "2026-01-20"):
        closed_case(site, responsable, path="unrepairable", closed_on=day)
    closed_case(site, responsable, path="repaired", closed_on="2026-01-25")
    closed_case(site, responsable, path="repaired", closed_on="2026-01-28")
    for day in ("2026-04-10", "2026-04-12", "2026-04-15"):
        closed_case(site, responsable, path="repaired", closed_on=day)
    closed_case(site, responsable, path="unrepairable", closed_on="2026-04-20")
    item = action_move(
        action=proposed,
        actor=responsable,
        move="decide",
        plan="Stock tampon",
        owner=technicien,
        due_on=datetime.date(2099, 1, 1),
    )
    item = action_measure(
        action=item,
        actor=technicien,
        which="before",
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 1, 31),
        today=TODAY,
    )
    with pytest.raises(TransitionRefused, match="La mesure « après » se prend une fois l'action commencée."):
        action_measure(
            action=item,
            actor=technicien,
            which="after",
            start=datetime.date(2026, 4, 1),
            end=datetime.date(2026, 4, 30),
            today=TODAY,
        )
    item = action_move(action=item, actor=technicien, move="start")
    with pytest.raises(AtelierError) as overlap:
        action_measure(
            action=item,
            actor=technicien,
            which="after",
            start=datetime.date(2026, 1, 15),
            end=datetime.date(2026, 4, 30),
            today=TODAY,
        )
    assert (
        overlap.value.message
        == "La période « après » doit commencer après la période « avant » (finie le 31/01/2026)."
    )
    item = action_measure(
        action=item,
        actor=technicien,
        which="after",
        start=datetime.date(2026, 4, 1),
        end=datetime.date(2026, 4, 30),
        today=TODAY,
    )
    item = action_move(action=item, actor=technicien, move="finish")
    unmeasured = action_propose(actor=technicien, site=site, title="Autre")
    unmeasured.status = "faite"
    unmeasured.save(update_fields=["status"])
    with pytest.raises(TransitionRefused) as no_measure:
        action_move(action=unmeasured, actor=responsable, move="verify")
    assert (
        no_measure.value.message == "Mesurez l'indicateur avant et après l'action avant de la dire vérifiée."
    )
    verified = action_move(
        action=item, actor=responsable, move="verify", note="Moitié moins de non-réparables."
    )
    assert (verified.before_value, verified.after_value, verified.effect, verified.status) == (
        Decimal("50.0"),
        Decimal("25.0"),
        Decimal("-25.0"),
        "verifiee",
    )
    assert (verified.before_from, verified.before_to, verified.after_from, verified.after_to) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 1, 31),
        datetime.date(2026, 4, 1),
        datetime.date(2026, 4, 30),
    )
    assert (
        verified.events.get(label="Mesure avant").note
        == "Taux de non-réparables (%) du 01/01/2026 au 31/01/2026 : 50,0"
    )


def test_bad_periods_and_moves_are_refused_in_french(proposed, technicien, responsable):
    with pytest.raises(AtelierError) as reversed_period:
        action_measure(
            action=proposed,
            actor=technicien,
            which="before",
            start=datetime.date(2026, 2, 1),
            end=datetime.date(2026, 1, 1),
            today=TODAY,
        )
    assert (
        reversed_period.value.message
        == "La période est inversée : la date de début est après la date de fin."
    )
    with pytest.raises(AtelierError) as empty:
        action_measure(
            action=proposed,
            actor=technicien,
            which="before",
            start=datetime.date(2026, 1, 1),
            end=datetime.date(2026, 1, 31),
            today=TODAY,
        )
    assert (
        empty.value.message
        == "Aucune donnée pour cet indicateur du 01/01/2026 au 31/01/2026 : choisissez une autre période."
    )
    with pytest.raises(TransitionRefused) as too_soon:
        action_move(action=proposed, actor=responsable, move="verify")
    assert too_soon.value.message == "« Vérifier l'effet » n'est pas possible : l'action est « Proposée »."
    with pytest.raises(AtelierError, match="Dites pourquoi l'action est abandonnée."):
        action_move(action=proposed, actor=responsable, move="abandon")
    dropped = action_move(action=proposed, actor=responsable, move="abandon", note="Fournisseur changé.")
    assert dropped.status == "abandonnee"
    assert ImprovementAction.objects.get(pk=proposed.pk).before_value is None


def test_links_to_another_site_are_refused(site, other_site, technicien, responsable):
    other = closed_case(other_site, _manager(other_site), closed_on="2026-03-01")
    with pytest.raises(AtelierError) as refused:
        action_propose(actor=technicien, site=site, title="x", cases=[other])
    assert refused.value.message == f"« {other.number} » n'est pas un objet de ce site."
    assert ImprovementAction.objects.count() == 0


def _manager(site):
    from atelier.core.choices import Role
    from atelier.core.tests.factories import UserFactory

    return UserFactory(username=f"resp-{site.code}", roles=[Role.RESPONSABLE_SAV], sites=[site])
