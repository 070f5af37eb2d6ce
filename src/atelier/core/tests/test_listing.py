"""core.listing: the sort a request asks for (whitelist, direction, stable order) and the header links; then
each list page that uses it (customers, parts, tools, loans, invoices): its columns sort, its filters apply, an
unknown key changes nothing."""

import datetime
import re
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from atelier.core.choices import Role
from atelier.core.listing import Column, SortableList
from atelier.core.tests.factories import UserFactory
from atelier.customers.models import Customer
from atelier.fieldwork.tests.factories import ToolFactory
from atelier.stock.choices import PartKind
from atelier.stock.models import Part

SPEC = SortableList(
    Column("name", "Nom", "last_name,first_name"),
    Column("city", "Commune", "city"),
    Column("notes", "Notes"),
    default="name",
)


def _sorting(query: str):
    return SPEC.sorting(RequestFactory().get("/x/?" + query))


def test_the_asked_column_and_direction_with_pk_last():
    assert _sorting("sort=city").order_by == ["city", "pk"]
    assert _sorting("sort=-city").order_by == ["-city", "-pk"]
    assert _sorting("sort=-name").order_by == ["-last_name", "-first_name", "-pk"]


@pytest.mark.parametrize(
    "bad", ["", "sort=notes", "sort=last_name", "sort=--city", "sort=city;drop", "sort=-"]
)
def test_an_unknown_or_unsortable_key_gives_the_default(bad):
    sorting = _sorting(bad)
    assert (sorting.value, sorting.order_by, sorting.is_default) == (
        "name",
        ["last_name", "first_name", "pk"],
        True,
    )


def test_headers_keep_the_filters_drop_the_page_and_reverse_the_active_column():
    headers = _sorting("q=dupont&page=3&sort=city").headers
    assert [(h["key"], h["url"], h["direction"]) for h in headers] == [
        ("name", "?q=dupont&sort=name", ""),
        ("city", "?q=dupont&sort=-city", "asc"),
        ("notes", "", ""),  # not sortable: a plain header
    ]
    assert _sorting("sort=-city").headers[1]["url"] == "?sort=city"


def test_a_default_that_is_not_a_sortable_column_is_refused():
    with pytest.raises(ValueError):
        SortableList(Column("notes", "Notes"), default="notes")


def test_rows_sorted_in_python_put_empty_values_last():
    rows = [{"city": "Lyon"}, {"city": None}, {"city": "Arles"}]
    assert _sorting("sort=city").sort_rows(rows, key=lambda r, f: r[f]) == [
        {"city": "Arles"},
        {"city": "Lyon"},
        {"city": None},
    ]
    assert [r["city"] for r in _sorting("sort=-city").sort_rows(rows, key=lambda r, f: r[f])] == [
        "Lyon",
        "Arles",
        None,
    ]


# ------------------------------------------------------------------ the list pages


@pytest.fixture
def boss(site):
    return UserFactory(username="tous-roles", roles=list(Role.values), sites=[site])


def _texts(html: str, table_id: str, pattern: str) -> list[str]:
    table = html[html.index(f'id="{table_id}"') :]
    table = table[: table.index("</table>")]
    return re.findall(pattern, table)


@pytest.mark.django_db
def test_customers_sort_by_name_and_commune_and_filter_by_kind(client, site, boss):
    for last, postcode, kind in (
        ("Durand", "75011", "particulier"),
        ("Alves", "93100", "particulier"),
        ("Blanc", "13001", "professionnel"),
    ):
        Customer.objects.create(
            site=site,
            last_name=last,
            company_name=f"{last} SARL" if kind == "professionnel" else "",
            postcode=postcode,
            city="X",
            kind=kind,
            phone="+33612345678",
        )
    client.force_login(boss)

    def names(query):
        response = client.get(reverse("customers:list") + "?" + query)
        assert response.status_code == 200
        return [c.last_name for c in response.context["page_obj"].object_list]

    assert names("") == ["Alves", "Blanc", "Durand"]
    assert names("sort=-name") == ["Durand", "Blanc", "Alves"]
    assert names("sort=commune") == ["Blanc", "Durand", "Alves"]
    assert names("sort=counts") == names("sort=evil") == ["Alves", "Blanc", "Durand"]  # not sortable: default
    assert names("kind=particulier&sort=-commune") == ["Alves", "Durand"]


@pytest.mark.django_db
def test_parts_sort_by_price_and_filter_by_kind(client, boss):
    for ref, kind, price in (
        ("P-1", PartKind.MOTEUR, "48.90"),
        ("P-2", PartKind.MECANIQUE, "12"),
        ("P-3", PartKind.MOTEUR, "95"),
    ):
        Part.objects.create(reference=ref, designation=ref, kind=kind, price_ht=Decimal(price))
    client.force_login(boss)

    def refs(query):
        response = client.get(reverse("stock:parts") + "?" + query)
        assert response.status_code == 200
        return [p.reference for p in response.context["page_obj"].object_list if p.reference.startswith("P-")]

    assert refs("sort=price") == ["P-2", "P-1", "P-3"]
    assert refs("sort=-price") == ["P-3", "P-1", "P-2"]
    assert refs("kind=moteur&sort=-price") == ["P-3", "P-1"]
    assert refs("sort=nope") == ["P-1", "P-2", "P-3"]  # default: by reference


@pytest.mark.django_db
def test_tools_attention_first_by_default_else_by_column_and_filtered_by_state(client, site, boss):
    today = timezone.localdate()
    overdue = ToolFactory(site=site, serial="S-OLD", next_check_on=today - datetime.timedelta(days=2))
    later = ToolFactory(site=site, serial="S-LATE", next_check_on=today + datetime.timedelta(days=200))
    soon = ToolFactory(site=site, serial="S-SOON", next_check_on=today + datetime.timedelta(days=20))
    client.force_login(boss)

    def serials(query):
        response = client.get(reverse("fieldwork:tools") + "?" + query)
        assert response.status_code == 200
        return [r["tool"].serial for r in response.context["rows"]]

    assert serials("")[0] == overdue.serial  # quarantined by the page itself (check overdue): first
    assert serials("sort=-next_check") == [later.serial, soon.serial, overdue.serial]
    assert serials("state=overdue") == [overdue.serial]
    assert serials("state=quarantine&sort=tool") == [overdue.serial]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "columns"),
    [
        ("loans:pool", ["case", "appliance", "customer", "lent_at", "due_on"]),
        ("billing:accounting", ["number", "kind", "issued_at", "case", "total"]),
    ],
)
def test_every_column_of_loans_and_invoices_sorts_without_error(client, boss, url, columns):
    client.force_login(boss)
    for column in [*columns, *(f"-{c}" for c in columns), "evil", "-customer__password"]:
        response = client.get(reverse(url) + f"?sort={column}&late=1&kind=avoir&du=2026-01-01&au=bad")
        assert response.status_code == 200, column
