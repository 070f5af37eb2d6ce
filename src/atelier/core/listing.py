"""Sortable list pages: clickable column headers, a whitelist of sortable fields, a stable order.

A view declares its columns once::

    CASES = SortableList(
        Column("number", _("N° dossier"), "number"),
        Column("customer", _("Client"), "customer__last_name"),
        Column("place", _("Lieu")),                       # not sortable: a plain header
        default="-received_at",
    )
    sorting = CASES.sorting(request)              # reads ?sort=<key> or ?sort=-<key>
    qs = sorting.apply(qs)                        # order_by(field, pk) in the same direction
    context["headers"] = sorting.headers          # {% include "core/_sort_headers.html" %} inside <tr>

An unknown key is ignored (the default order applies): a hand-typed or stale link never answers 500. The
links keep every other parameter of the page (its filters) and drop the page number; the pagination keeps
the sort with the filters (`{% querystring %}`). Rows sorted in Python use `sorting.sort_rows(rows, key=…)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

SORT_PARAM = "sort"


@dataclass(frozen=True)
class Column:
    key: str  # the value of ?sort=
    label: Any  # the header (lazy French text)
    field: str = ""  # ORM path(s) sorted on, comma-separated ("" : not sortable)
    css: str = ""  # class of the <th>


class SortableList:
    def __init__(self, *columns: Column, default: str):
        self.columns = columns
        self.by_key = {c.key: c for c in columns if c.field}
        key = default.lstrip("-")
        if key not in self.by_key:
            raise ValueError(f"default sort {default!r} is not a sortable column")
        self.default = default

    def sorting(self, request: HttpRequest) -> Sorting:
        asked = request.GET.get(SORT_PARAM, "")
        key = asked.lstrip("-")
        if key not in self.by_key or asked.count("-") > 1:
            asked = self.default
        return Sorting(self, request, asked)


class Sorting:
    """The order asked for one request: applies it to a queryset and builds the header links."""

    def __init__(self, spec: SortableList, request: HttpRequest, value: str):
        self.spec = spec
        self.value = value
        self.key = value.lstrip("-")
        self.descending = value.startswith("-")
        self.column = spec.by_key[self.key]
        self.is_default = value == spec.default
        self._request = request

    @property
    def order_by(self) -> list[str]:
        sign = "-" if self.descending else ""
        fields = [f"{sign}{f}" for f in self.column.field.split(",") if f != "pk"]
        return [*fields, f"{sign}pk"]

    def apply(self, qs):
        return qs.order_by(*self.order_by)

    def sort_rows(self, rows: list, *, key) -> list:
        """Rows already fetched, sorted in Python by `key(row, field)` (None values last), stable."""
        field = self.column.field
        present = [r for r in rows if key(r, field) is not None]
        missing = [r for r in rows if key(r, field) is None]
        present.sort(key=lambda r: key(r, field), reverse=self.descending)
        return present + missing

    @property
    def headers(self) -> list[dict]:
        params = self._request.GET.copy()
        params.pop("page", None)
        out = []
        for column in self.spec.columns:
            header = {
                "key": column.key,
                "label": column.label,
                "css": column.css,
                "url": "",
                "direction": "",
                "aria": "",
            }
            if column.field:
                active = column.key == self.key
                # a click on the active column reverses it; on another one sorts it ascending
                target = column.key if not (active and not self.descending) else f"-{column.key}"
                params[SORT_PARAM] = target
                header["url"] = "?" + params.urlencode()
                if active:
                    header["direction"] = "desc" if self.descending else "asc"
                    header["aria"] = "descending" if self.descending else "ascending"
            out.append(header)
        return out
