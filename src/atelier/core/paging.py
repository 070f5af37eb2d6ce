"""Pages of a long list whose count stops at a cap: « plus de 10 000 résultats » rather than counting them all.

Counting every dossier of ten years (or every match of a short search) costs as much as reading them; no one
pages past the first few hundred rows, they refine the search. `CappedPaginator` counts at most `cap` + 1 rows
(one COUNT over a LIMIT subquery, so the database stops there), offers the pages up to the cap, and says « plus
de … » when there are more; core/_pagination.html shows it.
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, cap: int, **kwargs):
        self.cap = cap
        super().__init__(object_list, per_page, **kwargs)

    @cached_property
    def counted(self) -> int:
        """Rows counted, at most cap + 1 (one more than the cap: there are more than `cap`)."""
        rows = self.object_list
        if isinstance(rows, QuerySet):  # ids, unsorted: neither the order nor the annotations cost
            return rows.order_by().values("pk")[: self.cap + 1].count()
        if hasattr(rows, "count_upto"):  # a list read in parts (customers.selectors.PrefixFirst)
            return rows.count_upto(self.cap + 1)
        return min(len(rows), self.cap + 1)

    @cached_property
    def count(self) -> int:
        """The number of rows, or `cap` when there are more (`capped` then says so)."""
        return min(self.counted, self.cap)

    @property
    def capped(self) -> bool:
        """More rows than the cap: the count shown is « plus de <cap> »."""
        return self.counted > self.cap

    @property
    def cap_display(self) -> str:
        """The cap the French way: « 10 000 »."""
        return number_format(self.cap, force_grouping=True)
