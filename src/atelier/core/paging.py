"""Pages of a long list whose count stops at a cap: « plus de 10 000 résultats » rather than counting them all.

Counting every dossier of ten years (or every match of a short search) costs as much as reading them; no one
pages past the first few hundred rows. `CappedPaginator` counts at most `cap` rows (one COUNT over a LIMIT, so
the database stops at cap + 1), offers the pages up to the cap, and says « plus de … » when there are more;
core/_pagination.html shows it.
"""

from django.core.paginator import Paginator
from django.utils.formats import number_format
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, cap: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def counted(self) -> int:
        """Rows counted, at most cap + 1 (one more than the cap: there are more than `cap`)."""
        return self.object_list.order_by()[: self.cap + 1].count()  # no ORDER BY: any index may count

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.cap)

    @property
    def capped(self) -> bool:
        """More rows than the cap: the count shown is « plus de <cap> »."""
        return self.counted > self.cap

    @property
    def cap_display(self) -> str:
        """The cap the French way: « 10 000 »."""
        return number_format(self.cap, force_grouping=True)
