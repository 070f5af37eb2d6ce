"""The other apps' sections of the dossier page, each loaded on its own request (repairs:section)."""

import pytest
from django.urls import reverse
from django.utils import translation

from atelier.core.paging import CappedPaginator
from atelier.repairs import extensions
from atelier.repairs.models import RepairCase
from atelier.repairs.tests.pages import dossier_page

pytestmark = pytest.mark.django_db


def test_the_page_names_each_section_and_loads_none_itself(client, make_case, accueil):
    case = make_case()
    client.force_login(accueil)
    html = client.get(reverse("repairs:detail", args=[case.pk])).content.decode()
    for key in extensions.detail_section_keys():
        url = reverse("repairs:section", args=[case.pk, key])
        assert f'data-lazy-section="{key}"' in html and f'hx-get="{url}"' in html
    assert 'id="quote-status"' not in html  # the quotes section comes with its own request


def test_a_section_answers_with_its_part_of_the_page(client, make_case, accueil):
    case = make_case()
    client.force_login(accueil)
    section = client.get(reverse("repairs:section", args=[case.pk, "quotes"]))
    assert section.status_code == 200 and "<html" not in section.content.decode()
    assert section.content.decode().strip() in dossier_page(client, case.pk)


def test_an_unknown_section_or_another_sites_dossier_is_404(client, make_case, accueil, other_accueil):
    case = make_case()
    client.force_login(accueil)
    assert client.get(reverse("repairs:section", args=[case.pk, "nothing"])).status_code == 404
    client.force_login(other_accueil)
    assert client.get(reverse("repairs:section", args=[case.pk, "quotes"])).status_code == 404


def test_a_role_without_the_dossier_step_is_refused(client, make_case, magasinier, db):
    case = make_case()
    client.force_login(magasinier)
    page = client.get(reverse("repairs:detail", args=[case.pk])).status_code
    assert client.get(reverse("repairs:section", args=[case.pk, "quotes"])).status_code == page


def test_the_count_stops_at_the_cap(make_case):
    for _ in range(3):
        make_case()
    cases = RepairCase.objects.order_by("-received_at", "-pk")
    capped = CappedPaginator(cases, 1, cap=2)
    assert (capped.count, capped.capped, capped.num_pages) == (2, True, 2)
    whole = CappedPaginator(cases, 1, cap=3)
    assert (whole.count, whole.capped, whole.num_pages) == (3, False, 3)
    with translation.override("fr"):
        assert (
            CappedPaginator(cases, 25, cap=10_000).cap_display == "10\xa0000"
        )  # « plus de 10 000 résultats »
