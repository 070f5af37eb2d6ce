from atelier.core.models import Site
from atelier.core.paging import CappedPaginator
from atelier.core.tests.factories import SiteFactory


def test_a_count_stops_past_the_cap_and_says_so(db):
    for n in range(4):
        SiteFactory(code=f"S{n}", siret=f"7328293200{n:04d}")
    capped = CappedPaginator(Site.objects.order_by("code"), 2, cap=3)
    assert (capped.count, capped.capped, capped.num_pages) == (3, True, 2)
    exact = CappedPaginator(Site.objects.order_by("code"), 2, cap=4)
    assert (exact.count, exact.capped, [s.code for s in exact.page(2)]) == (4, False, ["S2", "S3"])
    assert (CappedPaginator(list(range(7)), 5, cap=5).count, CappedPaginator([1], 5, cap=5).capped) == (
        5,
        False,
    )
