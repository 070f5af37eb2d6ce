"""Reads of the knowledge base. The knowledge base is shared by every site of the chain: any signed-in role
reads it. Search is French and accent-insensitive: each query word is stemmed like the stored column and must
start a word of it (see docs/knowledge.md)."""

from django.db.models import Q, QuerySet

from atelier.core.search import search_text
from atelier.knowledge.choices import Severity
from atelier.knowledge.errors import UnknownErrorCode
from atelier.knowledge.models import Cause, Check, ErrorCode, SafetyWarning, Symptom, TechnicalDocument
from atelier.knowledge.text import normalise_label, query_stems


def _search(queryset: QuerySet, query: str) -> QuerySet:
    for stem in query_stems(search_text(query)):
        queryset = queryset.filter(search_text__contains=f" {stem}")
    return queryset


def _scope(queryset: QuerySet, family: str = "", brand: str = "") -> QuerySet:
    if family:
        queryset = queryset.filter(family=family)
    if brand:
        queryset = queryset.filter(Q(brand="") | Q(brand__iexact=brand))
    return queryset


def symptom_list(*, family: str = "", query: str = "") -> QuerySet:
    return _search(_scope(Symptom.objects.all(), family), query).prefetch_related("causes")


def cause_list(*, family: str = "", query: str = "") -> QuerySet:
    return _search(_scope(Cause.objects.all(), family), query)


def error_code_list(*, family: str = "", brand: str = "", query: str = "") -> QuerySet:
    queryset = _scope(ErrorCode.objects.all(), family)
    if brand:
        queryset = queryset.filter(brand__iexact=brand)
    return _search(queryset, query)


def check_list(*, family: str = "", query: str = "") -> QuerySet:
    return _search(_scope(Check.objects.select_related("cause"), family), query)


def safety_list(*, family: str = "") -> list[SafetyWarning]:
    """Warnings of a family, dangers first."""
    order = {value: rank for rank, value in enumerate(Severity.values)}
    return sorted(_scope(SafetyWarning.objects.all(), family), key=lambda w: (order[w.severity], w.title))


def document_list(*, family: str = "", brand: str = "", model_ref: str = "", query: str = "") -> QuerySet:
    """Documents of a family; with a brand (and model), those of every brand plus that brand (and model)."""
    queryset = _scope(TechnicalDocument.objects.all(), family, brand)
    if model_ref:
        queryset = queryset.filter(Q(model_ref="") | Q(model_ref__iexact=model_ref))
    return _search(queryset, query)


def error_code_get(*, family: str, brand: str, code: str) -> ErrorCode:
    """The entry of a code shown by an appliance, or UnknownErrorCode with a French message."""
    wanted = normalise_label(code)
    key = normalise_label(brand)
    candidates = ErrorCode.objects.filter(family=family).prefetch_related("causes")
    for entry in candidates:
        if normalise_label(entry.code) == wanted and normalise_label(entry.brand) == key:
            return entry
    from atelier.customers.choices import ProductFamily

    label = ProductFamily(family).label.lower() if family in ProductFamily.values else family
    raise UnknownErrorCode(
        f"Le code erreur « {code.strip()} » est inconnu pour {brand.strip() or 'cette marque'} ({label}) : "
        "vérifiez la saisie ou demandez au responsable SAV de l'ajouter à la base technique.",
        field="error_code",
    )
