"""The three cross-cutting helpers: the site filter, the row lock and the action mechanism."""

import pytest
from django import forms
from django.contrib.messages.storage.fallback import FallbackStorage
from django.db import transaction
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from atelier.core.actions import Action, run_action
from atelier.core.errors import AtelierError, TransitionRefused
from atelier.core.locking import RowGone, lock, lock_many
from atelier.core.models import NumberSequence, Site
from atelier.core.scoping import site_bound_models, site_of, visible_or_404
from atelier.core.tests.factories import UserFactory


@pytest.fixture
def sequences(site, other_site):
    return (
        NumberSequence.objects.create(site=site, kind="dossier", year=2026, last_value=3),
        NumberSequence.objects.create(site=other_site, kind="dossier", year=2026, last_value=9),
    )


def test_visible_to_keeps_the_users_sites_only(accueil, sequences):
    assert list(NumberSequence.objects.visible_to(accueil).values_list("last_value", flat=True)) == [3]
    assert list(Site.objects.visible_to(accueil).values_list("code", flat=True)) == ["PAR1"]


def test_a_superuser_flag_does_not_open_other_sites(site, other_site, sequences):
    admin = UserFactory(username="root", sites=[site], is_superuser=True, is_staff=True)
    assert list(NumberSequence.objects.visible_to(admin).values_list("last_value", flat=True)) == [3]
    chain = UserFactory(username="reseau", sites=[site], is_chain_manager=True)
    assert sorted(NumberSequence.objects.visible_to(chain).values_list("last_value", flat=True)) == [3, 9]


def test_visible_to_an_anonymous_user_is_empty(sequences):
    from django.contrib.auth.models import AnonymousUser

    assert NumberSequence.objects.visible_to(AnonymousUser()).count() == 0


def test_visible_or_404_answers_404_for_another_site_and_for_a_non_number(accueil, sequences):
    mine, theirs = sequences
    assert visible_or_404(NumberSequence, accueil, pk=mine.pk) == mine
    with pytest.raises(Http404, match="No NumberSequence matches the given query"):
        visible_or_404(NumberSequence, accueil, pk=theirs.pk)
    with pytest.raises(Http404, match="^$"):  # raised bare, the lookup's ValueError hidden
        visible_or_404(NumberSequence, accueil, pk="abc")


def test_site_of_follows_the_path(sequences, site):
    assert site_of(sequences[0]) == site
    assert site_of(site) == site
    assert {Site, NumberSequence} <= set(site_bound_models())


def test_lock_rereads_the_row_in_key_order(sequences):
    seq = sequences[0]
    NumberSequence.objects.filter(pk=seq.pk).update(last_value=7)
    with transaction.atomic():
        assert lock(seq).last_value == 7
        assert [s.last_value for s in lock_many(NumberSequence, [sequences[1].pk, seq.pk])] == [7, 9]
        with pytest.raises(RowGone, match="modifiée ou supprimée entre-temps"):
            lock_many(NumberSequence, [seq.pk, 999999])


class _CountForm(forms.Form):
    value = forms.IntegerField(label="Valeur")


def _bump(*, sequence, actor, value):
    if value > 100:
        raise TransitionRefused("Trop grand pour ce compteur.")
    if value < 0:
        raise AtelierError("Valeur négative refusée.", field="value")
    sequence.last_value = value
    sequence.save()
    return sequence


ACTIONS = {"bump": Action(form=_CountForm, service=_bump, target="sequence", success="Compteur mis à jour.")}


def _post(user, data):
    request = RequestFactory().post("/x/", data)
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _shown_again(request, obj, *, failed, failed_form, status):
    return HttpResponse(f"{failed}:{failed_form.errors.as_text()}", status=status)


@pytest.mark.parametrize(
    ("value", "status", "shown", "stored"),
    [
        ("12", 302, "", 12),
        ("abc", 400, "bump:* value\n  * Saisissez un nombre entier.", 3),
        ("-1", 400, "bump:* value\n  * Valeur négative refusée.", 3),
        ("101", 409, "bump:* __all__\n  * Trop grand pour ce compteur.", 3),
    ],
)
def test_run_action_redirects_or_shows_the_form_again_with_the_refusals_status(
    accueil, sequences, value, status, shown, stored
):
    seq = sequences[0]
    request = _post(accueil, {"value": value})
    response = run_action(request, seq, "bump", ACTIONS, show_again=_shown_again, done=lambda obj: "/fait/")
    assert response.status_code == status
    if status == 302:
        assert response.url == "/fait/"
        assert [str(m) for m in request._messages] == ["Compteur mis à jour."]
    else:
        assert response.content.decode() == shown
    seq.refresh_from_db()
    assert seq.last_value == stored


def test_run_action_answers_404_for_an_unknown_action(accueil, sequences):
    with pytest.raises(Http404, match="^$"):  # an unknown action name: a plain 404
        run_action(_post(accueil, {}), sequences[0], "nope", ACTIONS, show_again=_shown_again, done=str)


def test_lock_joins_only_the_relations_asked_for(sequences):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        lock(sequences[0])
        lock(sequences[0], related=("site",))
    bare, joined = (q["sql"] for q in queries.captured_queries[-2:])
    assert "JOIN" not in bare
    assert joined.count("JOIN") == 1
