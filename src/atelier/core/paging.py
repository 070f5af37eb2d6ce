"""Pagination that never counts a whole table: « plus de 500 résultats » instead of an exact figure.

Counting every match of a broad search (or of a list with no search) costs as much as reading them all; past a
few hundred rows nobody pages through, they refine the search. CappedPaginator counts at most `cap` + 1 rows
(COUNT over a LIMIT subquery) and tells the template with `capped`.
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, cap: int, **kwargs):
        self.cap = cap
        super().__init__(object_list, per_page, **kwargs)

    @cached_property
    def count(self) -> int:
        """The number of rows, or `cap` when there are more (`capped` then says so)."""
        return min(self._counted, self.cap)

    @cached_property
    def _counted(self) -> int:
        rows = self.object_list
        if isinstance(rows, QuerySet):  # count ids, unsorted: neither the order nor the annotations cost
            return rows.order_by().values("pk")[: self.cap + 1].count()
        return min(len(rows), self.cap + 1)

    @property
    def capped(self) -> bool:
        return self._counted > self.cap
