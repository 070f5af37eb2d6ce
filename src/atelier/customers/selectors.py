"""Reads of customer files: search, possible duplicates, one file and its history — always within the user's
sites, so a user of site A never sees (and gets 404 on) the customers of site B."""

import re
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Collate

from atelier.core.models import Site, User
from atelier.core.scoping import visible_or_404
from atelier.core.search import search_text
from atelier.customers.cleaning import email_lower, name_words, phone_e164, search_key
from atelier.customers.models import Appliance, Customer, NameWord
from atelier.repairs.models import RepairCase

_POSTCODE = re.compile(r"\d{5}")
_PHONE_LIKE = re.compile(r"\+?[\d\s.()/-]+")
# a serial number mixes letters and digits (FD9503-123456, SN4K7Z2Q): a name never has digits, a phone no letters
_SERIAL_LIKE = re.compile(r"(?=.*[A-Za-z])(?=.*\d)[A-Za-z0-9./_-]{6,}")
MIN_PHONE_DIGITS = 3
SEARCH_CAP = 500  # « plus de 500 clients »: a search never counts further


def visible_customers(user: User) -> QuerySet[Customer]:
    return Customer.objects.visible_to(user)


def _count_of(model, field: str) -> Coalesce:
    """Number of related rows as a correlated subquery: no GROUP BY over the customer's columns, and no row
    multiplication when several counts sit side by side."""
    rows = model.objects.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk"))
    return Coalesce(Subquery(rows.values("n"), output_field=IntegerField()), 0)


def _starts_with(field: str, prefix: str) -> Q:
    """`field` begins with `prefix`, in a form the field's b-tree index serves on either database.

    PostgreSQL serves LIKE 'abc%' with the varchar_pattern_ops index Django adds to every indexed CharField;
    SQLite's LIKE is case-insensitive and cannot use a plain index, so it gets the equivalent range
    (abc <= value < abd, compared byte by byte like the index)."""
    if connection.vendor == "sqlite":
        following = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return Q(**{f"{field}__gte": prefix, f"{field}__lt": following})
    return Q(**{f"{field}__startswith": prefix})


def _equals(field: str, value: str) -> Q:
    """`field` equals `value`. On SQLite as a closed range: its statistics (ANALYZE) average over the many
    blank second phones and judge « phone2 = ? » to match every row, so it would read the table whole."""
    if connection.vendor == "sqlite":
        return Q(**{f"{field}__gte": value, f"{field}__lte": value})
    return Q(**{field: value})


def _phone_condition(text: str) -> Q | None:
    """What a typed phone number, whole or its beginning, matches in the stored E.164 numbers (phone or phone2):
    exactly or as a prefix, through their indexes.

    '06 12 34 56 78' and '+262 692 12 34 56' match one number; '06 12' the numbers beginning +33612…,
    '0033 6' those beginning +336…, '6 12 34' (the leading 0 left out) those beginning +33612…
    """
    if not _PHONE_LIKE.fullmatch(text):
        return None
    digits = re.sub(r"\D", "", text)
    if len(digits) < MIN_PHONE_DIGITS:
        return None
    try:
        whole = phone_e164(text)
    except ValidationError:
        whole = ""
    if whole:
        return _equals("phone", whole) | _equals("phone2", whole)
    if text.startswith("+") or digits.startswith("00"):
        prefix = "+" + digits.removeprefix("00")
    else:
        prefix = "+33" + digits.removeprefix("0")
    return _starts_with("phone", prefix) | _starts_with("phone2", prefix)


def _name_condition(word: str) -> Q | None:
    """One typed word of a name: anywhere in a name on PostgreSQL (trigram index on search_name), at the
    beginning of a word of the names on SQLite (NameWord's index). Accents and case aside on both."""
    if connection.vendor == "postgresql":
        key = search_key(word)
        return Q(search_name__contains=key) if key else None
    condition = Q()
    for part in name_words(word):  # « jean-pierre » → both words
        condition &= Q(pk__in=_words_starting(part))
    return condition or None


def _words_starting(prefix: str) -> QuerySet:
    following = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return NameWord.objects.filter(word__gte=prefix, word__lt=following).values("customer_id")


def _serial_condition(word: str) -> Q:
    """Customers owning an appliance whose serial begins with `word` (as typed, upper or lower case)."""
    condition = Q()
    for variant in {word, word.upper(), word.lower()}:
        condition |= _starts_with("serial_number", variant)
    return Q(pk__in=Appliance.objects.filter(condition).values("customer_id"))


def search_condition(query: str, *, beginning: str = "") -> Q | None:
    """What a typed search matches, routed by what it looks like so that each part goes through an index;
    None for an empty search. Parts typed together must all match (« martin 75011 »).

    - a phone number, whole or its beginning, however typed ('06 12 34' finds +33612345678);
    - five digits: that postcode exactly ('01400' means Châtillon-sur-Chalaronne, not phones with 1400);
    - an e-mail address or its beginning (a word with « @ »);
    - a serial number or its beginning, when the word mixes letters and digits over 6 characters or more;
    - any other word: a name (last, first or company name; case and accents aside).

    `beginning` (PostgreSQL; a name word's search key): that word must begin the name key rather than be
    anywhere in it (PrefixFirst's first run), so that nothing but the name-key B-tree serves it.
    """
    text = " ".join(query.split())
    if not text:
        return None
    if not _POSTCODE.fullmatch(text) and _PHONE_LIKE.fullmatch(text):
        phone = _phone_condition(text)
        return phone if phone is not None else Q(pk__in=[])  # too few digits to mean anything
    condition, phone_words = Q(), []
    for word in text.split():
        if _POSTCODE.fullmatch(word):
            condition &= Q(postcode=word)
        elif _PHONE_LIKE.fullmatch(word):
            phone_words.append(word)
        elif "@" in word:
            condition &= _starts_with("email", word.lower())
        elif _SERIAL_LIKE.fullmatch(word):
            condition &= _serial_condition(word)
        elif beginning and search_key(word) == beginning:
            condition &= Q(search_name__startswith=beginning)
            beginning = ""
        else:
            name = _name_condition(word)
            condition &= name if name is not None else Q(pk__in=[])
    if phone_words:
        phone = _phone_condition(" ".join(phone_words))
        condition &= phone if phone is not None else Q(pk__in=[])
    return condition


def customer_search(
    *, user: User, query: str = "", site_id: int | None = None, beginning: str = ""
) -> QuerySet[Customer]:
    """The customers of the user's sites (of one of them with `site_id`) matching a search, without counts or
    order: what the plan tests check. `beginning`: see search_condition."""
    condition = search_condition(search_text(query), beginning=beginning)
    customers = visible_customers(user)
    if site_id is not None:
        customers = customers.filter(site_id=site_id)
    if condition is None:
        return customers
    if connection.vendor == "sqlite":
        # SQLite without statistics judges « site_id = ? » to match a handful of rows, so it walks the whole
        # site (in the list's order, to spare a sort) testing each row. Hence three steps: the matches through
        # the search's own indexes, alone; those of the user's sites, by id; the rows by id, to be sorted.
        matching = Customer.objects.filter(condition).values("pk")
        return Customer.objects.filter(pk__in=customers.filter(pk__in=matching).values("pk"))
    return customers.filter(condition)


# A name word this long is served by the trigram index (pg_trgm needs three characters to narrow anything).
TRIGRAM_MIN = 3


def sorts_the_matches(query: str) -> bool:
    """Whether the list of a search must sort its matches rather than walk an index in the list's order: on
    PostgreSQL, a search with a name word of TRIGRAM_MIN letters or more (the trigram index finds its matches).

    Asked for 25 rows in name order, the planner walked the name-order index filtering each customer, assuming
    the few thousand « meunier » spread evenly over the alphabet, whereas they all sit at « M »: 195,000
    customers read for the first 25 at a million dossiers (issue 16). A word of one or two letters cannot use the
    trigram index and matches many customers, so there the walk finds a page soon and stays."""
    text = " ".join(search_text(query).split())
    if connection.vendor != "postgresql" or not text:
        return False
    if not _POSTCODE.fullmatch(text) and _PHONE_LIKE.fullmatch(text):  # a phone number (search_condition)
        return False
    return any(_is_name_word(word) and len(search_key(word)) >= TRIGRAM_MIN for word in text.split())


def _first_name_key(query: str) -> str:
    """The search key of the first name word typed that the trigram index serves (« Meunier 75011 » → meunier),
    or "" when there is none or on SQLite (see sorts_the_matches)."""
    if not sorts_the_matches(query):
        return ""
    for word in search_text(query).split():
        key = search_key(word)
        if _is_name_word(word) and len(key) >= TRIGRAM_MIN:
            return key
    return ""


# The name key in code-point order, whatever the database's collation: the order of the B-tree
# `customer_name_sort` (customers.search_index), which also serves LIKE 'meunier%' as a range of it.
NAME_SORT = (Collate("search_name", "C"), "site_id", "pk")


class PrefixFirst:
    """The matches of a name search on PostgreSQL, in the order a counter expects and an index can give: the
    customers whose name begins with the word typed first (« Meunier … » for « meunier »), then those holding it
    elsewhere (« Lemeunier », « Marie-Meunier »), each run in name order (accents and case aside).

    Why not plain name order: « contains » is found by the trigram index, unordered, so a page in name order
    meant reading and sorting every match (4,500 « meunier » for 25 rows at a million dossiers) — or walking
    the whole name order testing each customer (195,000 read: issue 16). The names that begin with the word
    are a range of `customer_name_sort`, read in its order and stopped at the page (`beginning`: the same
    search with that word as a beginning, see search_condition); the others are read only for the page where
    the first run ends. What a paginator needs: `count()`, `count_upto()` and slices."""

    def __init__(self, matches: QuerySet[Customer], beginning: QuerySet[Customer], key: str):
        self.matches = matches
        self.key = key
        self.beginning = beginning.order_by(*NAME_SORT)
        self.elsewhere = matches.exclude(search_name__startswith=key).order_by(*NAME_SORT)

    def count(self) -> int:
        return self.matches.order_by().count()

    def count_upto(self, limit: int) -> int:
        return self.matches.order_by().values("pk")[:limit].count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self[:])

    def __getitem__(self, index):
        if isinstance(index, int):
            rows = self[index : index + 1]
            if not rows:
                raise IndexError(index)
            return rows[0]
        start, stop = index.start or 0, index.stop
        if start < 0 or (stop is not None and stop < 0) or index.step not in (None, 1):
            raise ValueError("PrefixFirst takes plain slices from the start")
        rows = list(self.beginning[start:stop])
        if stop is not None and len(rows) == stop - start:
            return rows
        # the first run ended inside this slice (or before it): how many it had, then the rest
        ended_at = start + len(rows) if rows else self.beginning.order_by().count()
        skip = max(0, start - ended_at)
        wanted = None if stop is None else stop - start - len(rows)
        return rows + list(self.elsewhere[skip : None if wanted is None else skip + wanted])


def customer_results(*, user: User, query: str = "", site_id: int | None = None, **filters):
    """customer_list (with `filters` on its columns, e.g. kind) in the list's default order: by name, or,
    where that is what an index can serve, the names beginning with what was typed first (PrefixFirst). A
    queryset, or a PrefixFirst to paginate or slice like one: the list, the API, the reception desk and the
    drop-off booking."""
    found = customer_list(user=user, query=query, site_id=site_id).filter(**filters)
    key = _first_name_key(query)
    if not key:
        return found.order_by("last_name", "first_name", "pk")
    beginning = customer_list(user=user, query=query, site_id=site_id, beginning=key).filter(**filters)
    return PrefixFirst(found, beginning, key)


def _is_name_word(word: str) -> bool:
    """A word search_condition reads as a name (not a postcode, phone, e-mail or serial number)."""
    return not (
        _POSTCODE.fullmatch(word)
        or _PHONE_LIKE.fullmatch(word)
        or "@" in word
        or _SERIAL_LIKE.fullmatch(word)
    )


def unindexed_order(fields: list[str]) -> list:
    """The same order as `fields` (columns that are never NULL) in a form no index serves: ascending with NULLS
    FIRST, descending with NULLS LAST (a b-tree gives the opposite), so that the database sorts the matches."""
    order = []
    for field in fields:
        name = field.lstrip("-")
        order.append(
            F(name).desc(nulls_last=True) if field.startswith("-") else F(name).asc(nulls_first=True)
        )
    return order


def customer_list(
    *, user: User, query: str = "", site_id: int | None = None, beginning: str = ""
) -> QuerySet[Customer]:
    """Customers of the user's sites (or of one) matching a search, each with `appliance_count` and
    `case_count`. Add filters on other columns after; a site goes in `site_id` (see customer_search)."""
    return (
        customer_search(user=user, query=query, site_id=site_id, beginning=beginning)
        .select_related("site")
        .annotate(
            appliance_count=_count_of(Appliance, "customer"),
            case_count=_count_of(RepairCase, "customer"),
        )
    )


def customer_duplicates(
    *,
    site: Site,
    phone: str = "",
    email: str = "",
    phone2: str = "",
    exclude_pk: int | None = None,
) -> QuerySet[Customer]:
    """Customers of the site sharing a phone (in either phone field) or the e-mail: warned about on creation.

    Numbers that do not parse (still being typed) are ignored rather than refused: this only warns.
    """
    phones = set()
    for raw in (phone, phone2):
        try:
            number = phone_e164(raw)
        except ValidationError:
            continue
        if number:
            phones.add(number)
    email = email_lower(email)
    condition = Q()
    if phones:
        condition |= Q(phone__in=phones) | Q(phone2__in=phones)
    if email:
        condition |= Q(email=email)
    if not condition:
        return Customer.objects.none()
    found = Customer.objects.filter(condition, site=site)
    if exclude_pk is not None:
        found = found.exclude(pk=exclude_pk)
    return found


def customer_get(*, user: User, pk: int) -> Customer:
    """One customer file of the user's sites, else 404 (never 403: do not reveal that it exists)."""
    return visible_or_404(Customer.objects.select_related("site", "created_by"), user, pk=pk)


def appliance_list(*, user: User, customer_pk: int | None = None) -> QuerySet[Appliance]:
    appliances = Appliance.objects.visible_to(user).select_related("customer")
    if customer_pk is not None:
        appliances = appliances.filter(customer_id=customer_pk)
    return appliances


def appliance_get(*, user: User, pk: int) -> Appliance:
    """One appliance of a customer of the user's sites, else 404."""
    return visible_or_404(Appliance.objects.select_related("customer__site"), user, pk=pk)


class CustomerHistory(NamedTuple):
    appliances: list[Appliance]  # each with .cases prefetched, newest first
    cases: list[RepairCase]  # every dossier of the customer, newest first, with its appliance


def customer_history(customer: Customer) -> CustomerHistory:
    """What the counter needs to see at once: the appliances and every past dossier (three queries)."""
    appliances = list(customer.appliances.prefetch_related("cases"))  # RepairCase orders newest first
    cases = list(customer.cases.select_related("appliance").order_by("-received_at", "-pk"))
    return CustomerHistory(appliances=appliances, cases=cases)
