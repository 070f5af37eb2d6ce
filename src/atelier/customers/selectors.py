"""Reads of customer files: search, possible duplicates, one file and its history — always within the user's
sites, so a user of site A never sees (and gets 404 on) the customers of site B."""

import re
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from atelier.core.models import Site, User
from atelier.core.scoping import visible_or_404
from atelier.core.search import search_text
from atelier.customers.cleaning import email_lower, phone_e164, search_key
from atelier.customers.models import Appliance, Customer
from atelier.repairs.models import RepairCase

_POSTCODE = re.compile(r"\d{5}")
_PHONE_LIKE = re.compile(r"\+?[\d\s.()/-]+")
MIN_PHONE_DIGITS = 3
MIN_SERIAL_CHARS = 3


def visible_customers(user: User) -> QuerySet[Customer]:
    return Customer.objects.visible_to(user)


def _count_of(model, field: str) -> Coalesce:
    """Number of related rows as a correlated subquery: no GROUP BY over the customer's columns, and no row
    multiplication when several counts sit side by side."""
    rows = model.objects.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk"))
    return Coalesce(Subquery(rows.values("n"), output_field=IntegerField()), 0)


def _phone_condition(text: str) -> Q | None:
    """What a typed phone number, whole or partial, matches in the stored E.164 numbers (phone or phone2).

    A whole number matches exactly ('06 12 34 56 78', '+262 692 12 34 56'); the beginning of one matches the
    numbers it begins ('06 12' → +33612…, '0033 6' → +336…); other digits match anywhere ('5678').
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
        return Q(phone=whole) | Q(phone2=whole)
    if text.startswith("+") or digits.startswith("00"):
        prefix = "+" + digits.removeprefix("00")
    elif digits.startswith("0"):
        prefix = "+33" + digits[1:]
    else:
        return Q(phone__contains=digits) | Q(phone2__contains=digits)
    return Q(phone__startswith=prefix) | Q(phone2__startswith=prefix)


def search_condition(query: str) -> Q | None:
    """What a typed search matches; None for an empty search.

    - every word in the name (last, first or company name; case and accents aside) or in the e-mail;
    - a phone number, whole or its beginning or some digits, however typed ('06 12 34' finds +33612345678);
    - five digits: that postcode exactly ('01400' means Châtillon-sur-Chalaronne, not phones with 1400);
    - an appliance serial number (part of it, at least 3 characters).
    """
    text = " ".join(query.split())
    if not text:
        return None
    if _POSTCODE.fullmatch(text):
        condition = Q(postcode=text)
    else:
        condition = Q()
        for word in text.split():
            key = search_key(word)
            word_q = Q(email__contains=word.lower())
            if key:
                word_q |= Q(search_name__contains=key)
            condition &= word_q
        phone = _phone_condition(text)
        if phone is not None:
            condition |= phone
    if len(text) >= MIN_SERIAL_CHARS:
        # a semi-join read once (IN subquery), not an EXISTS probed for every customer row: 10x faster at 50k
        condition |= Q(pk__in=Appliance.objects.filter(serial_number__icontains=text).values("customer_id"))
    return condition


def customer_list(*, user: User, query: str = "") -> QuerySet[Customer]:
    """Customers of the user's sites matching a search, each with `appliance_count` and `case_count`."""
    customers = (
        visible_customers(user)
        .select_related("site")
        .annotate(
            appliance_count=_count_of(Appliance, "customer"),
            case_count=_count_of(RepairCase, "customer"),
        )
    )
    condition = search_condition(search_text(query))
    return customers.filter(condition) if condition is not None else customers


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
