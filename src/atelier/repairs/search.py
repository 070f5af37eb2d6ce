"""The dossier list's search box, routed by what was typed so that each kind of search reads one index.

An OR of `icontains` over the number, the customer's names, the brand, the model and the serial reads every
dossier of the site joined to its customer and appliance (issue 16). What a counter types tells which one it
is: a dossier number or its beginning, a phone number, a postcode, a serial number, else a name. Each goes to
the column that answers it, as a prefix a B-tree index serves (core.search.starts_with):

- « PAR1-2026-0001… » → the dossier number (index site + number);
- « 2026-000123 », « 123 » → the number without its site code: the user's sites, this year and last;
- « 06 12 34 56 78 », « 06 12 » → the customer's phone or second phone (E.164, indexes on both);
- « 75011 » → the customer's postcode (index);
- « WM14T409FF/23 » (letters and digits, no space) → the appliance's serial number (index);
- anything else → the customer's name key (`Customer.search_name`, lower-case without accents: « Lefèvre »
  is found by « lefe »), from its first letters: the last name, then « nom prénom » (PostgreSQL: its B-tree
  customer_name_sort; SQLite: the name words first, `_named`).
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from atelier.core.scoping import site_ids_for
from atelier.core.search import starts_with
from atelier.customers.cleaning import name_words, search_key
from atelier.customers.models import Appliance, Customer, NameWord
from atelier.customers.selectors import TRIGRAM_MIN

NUMBER = re.compile(r"^[A-Z][A-Z0-9]{1,9}-(\d{1,4}(-\d{0,6})?)?$")  # PAR1-2026-000123 or its beginning
YEAR_AND_SEQUENCE = re.compile(r"^(\d{4})-(\d{1,6})$")  # 2026-000123
SEQUENCE = re.compile(r"^\d{1,4}$|^\d{6}$")  # 123, 000123 (five digits are a postcode)
POSTCODE = re.compile(r"^\d{5}$")
PHONE = re.compile(r"^(?:0|\+33|0033)[1-9]\d{3,8}$")  # a French number, whole or its first digits
SERIAL = re.compile(r"^(?=.*\d)(?=.*[A-Z])[A-Z0-9][A-Z0-9./-]{3,}$")  # letters and digits, no space


@dataclass(frozen=True)
class Search:
    kind: str  # number, sequence, phone, postcode, serial, name, nothing
    text: str  # the text as the column stores it


def read(query: str) -> Search | None:
    """What a search text is, in the form its column stores (None: nothing to search)."""
    text = " ".join(query.split())
    if not text:
        return None
    upper = text.upper()
    compact = re.sub(r"[\s.]", "", text)
    if NUMBER.match(upper):
        return Search("number", upper)
    if YEAR_AND_SEQUENCE.match(text) or SEQUENCE.match(text):
        return Search("sequence", text)
    if POSTCODE.match(text):
        return Search("postcode", text)
    if PHONE.match(compact):
        national = re.sub(r"^(\+33|0033|0)", "", compact)
        return Search("phone", "+33" + national)
    if SERIAL.match(upper):
        return Search("serial", upper)
    # nothing a name is made of (« €€ »): finds no dossier rather than every one
    return Search("name", search_key(text)) if search_key(text) else Search("nothing", "")


def apply(qs: QuerySet, query: str, *, user) -> QuerySet:
    """The dossiers of `qs` (already scoped to the user's sites) that the search `query` finds."""
    search = read(query)
    if search is None:
        return qs
    text = search.text
    if search.kind == "nothing":
        return qs.none()
    if search.kind == "number":
        return qs.filter(starts_with("number", text))
    if search.kind == "sequence":
        return _by_sequence(qs, text, user=user)
    customers = Customer.objects.visible_to(user)
    if search.kind == "postcode":
        return qs.filter(customer__in=customers.filter(postcode=text).values("pk"))
    if search.kind == "phone":
        found = customers.filter(starts_with("phone", text) | starts_with("phone2", text))
        return qs.filter(customer__in=found.values("pk"))
    if search.kind == "serial":
        appliances = Appliance.objects.filter(starts_with("serial_number", text))
        return qs.filter(appliance__in=appliances.values("pk"))
    return _by_name(qs, _named(customers, text), text, user=user)


# Up to this many customers found by a name, their ids are read first and the dossiers asked by id; past it the
# dossiers are walked newest first joined to their customer (see _by_name).
LISTED_CUSTOMERS = 2000


def _by_name(qs: QuerySet, named: QuerySet, text: str, *, user) -> QuerySet:
    """The dossiers of `qs` whose customer is among `named` (the user's customers named `text`).

    Given a subquery, PostgreSQL judged « meunier » to match a few dozen customers (its trigram estimate, 7 to 20
    times short) and joined every dossier of all of them before sorting them to keep 25 (101 ms at a million
    dossiers, issue 16). So the ids of the customers found are read first, at most LISTED_CUSTOMERS + 1:
    - a few (up to LISTED_CUSTOMERS): the dossiers are asked by id, PostgreSQL knows how many and reads their
      dossiers by the customer index;
    - more: a common name. Asking 3,100 ids (« meunier » in Paris at a million) cost 26 ms a statement (page and
      count) plus building them; instead the dossiers are walked newest first (repaircase_site_received) joined
      to their customer by its key, keeping those whose name begins with `text`: 1 dossier in 100 of the site
      is a « meunier », the page stops after about 2,000 (9 ms), and the count (at most SEARCH_COUNT_CAP + 1)
      goes from the customers to their dossiers and stops at the cap. The rarer the name, the longer the walk:
      the threshold keeps it to about 25 / (its share of the site's customers) dossiers read.
    Both the ids and the count read the customers from the B-tree customer_name_sort (customers 0009), in key
    order from the index alone, so a LIMIT stops them: the trigram index built a bitmap of every match first
    (4,500 « meunier » at a million dossiers, 5–17 ms for the ids; 0.7 ms now), and the count reaches each
    dossier's site from the index (customer, site) (repairs 0009) rather than the table (count 24–42 → 2 ms).
    Short names (one or two letters, the trigram index cannot narrow them) and SQLite keep the subquery (on
    SQLite NameWord's index finds the customers, then their dossiers by the customer index)."""
    if connection.vendor != "postgresql" or len(text) < TRIGRAM_MIN:
        return qs.filter(customer__in=named.values("pk"))
    found = list(named.order_by().values_list("pk", flat=True)[: LISTED_CUSTOMERS + 1])
    if len(found) <= LISTED_CUSTOMERS:
        return qs.filter(customer_id__in=found)
    return qs.filter(customer__site__in=site_ids_for(user), customer__search_name__startswith=text)


def _named(customers: QuerySet, text: str) -> QuerySet:
    """The customers among `customers` whose name key begins with `text`.

    PostgreSQL serves the prefix (LIKE 'meunier%') with the B-tree customer_name_sort (search_name
    in the C collation), which the LIKE turns into a range by itself; a range written beside it would only spoil
    the planner's estimate. On SQLite no index serves `search_name`, so the customers of the
    site were read one by one (40 ms a search at 100,000 customers, every customer for a user of several sites,
    issue 16); the name words (customers.NameWord, indexed) narrow them first: a key beginning with « meunier
    cam » has a word beginning with « meunier ». The key's own prefix test then keeps exactly what it kept."""
    if connection.vendor == "postgresql":
        return customers.filter(search_name__startswith=text)
    named = Customer.objects.filter(starts_with("search_name", text))
    words = name_words(text)
    if words:
        first = words[0][: NameWord._meta.get_field("word").max_length]
        named = named.filter(pk__in=NameWord.objects.filter(starts_with("word", first)).values("customer_id"))
    return customers.filter(pk__in=named.values("pk"))


def _by_sequence(qs: QuerySet, text: str, *, user) -> QuerySet:
    """« 123 » or « 2026-000123 »: the exact numbers it can be on the user's sites (this year and last)."""
    match = YEAR_AND_SEQUENCE.match(text)
    year = timezone.localdate().year
    years = [int(match.group(1))] if match else [year, year - 1]
    sequence = int(match.group(2) if match else text)
    codes = user.visible_sites().values_list("code", flat=True)
    return qs.filter(number__in=[f"{code}-{y}-{sequence:06d}" for code in codes for y in years])
