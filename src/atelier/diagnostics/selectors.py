"""Reads of a dossier's questioning, pre-diagnosis and diagnosis; the dossier itself is always read through
repairs.selectors.case_get (the user's sites only, 404 otherwise)."""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.choices import TariffKind
from atelier.diagnostics.choices import QuestionKind
from atelier.diagnostics.models import Answer, ChecklistItem, Diagnosis, PreDiagnosis
from atelier.knowledge import selectors as knowledge
from atelier.knowledge.suggest import Suggestion, suggest
from atelier.repairs.choices import CaseStatus, WorkLocation
from atelier.repairs.models import RepairCase


def case_answers(case: RepairCase) -> list[Answer]:
    return list(Answer.objects.filter(case=case).select_related("question"))


def case_error_code(case: RepairCase) -> str:
    answer = (
        Answer.objects.filter(case=case, question__kind=QuestionKind.ERROR_CODE).values_list(
            "value", flat=True
        )
    ).first()
    return answer or ""


def case_text(case: RepairCase, *, with_diagnosis: bool = False) -> str:
    """What is known of the fault in words: the customer's account, the free answers, the counter's findings
    and, once diagnosed, the technician's notes. The suggester reads it; the learner stores it."""
    parts = [case.customer_words]
    for answer in case_answers(case):
        if answer.question.kind in (QuestionKind.TEXT, QuestionKind.CHOICE):
            parts.append(answer.value)
        elif answer.question.kind == QuestionKind.YES_NO and answer.value == "oui":
            parts.append(answer.question.text.rstrip(" ?"))
    pre = PreDiagnosis.objects.filter(case=case).first()
    if pre:
        parts += [pre.findings, pre.visible_damage, pre.leads]
    if with_diagnosis:
        diagnosis = Diagnosis.objects.filter(case=case).first()
        if diagnosis:
            parts += [diagnosis.non_conformities, diagnosis.conclusion]
    return "\n".join(p for p in parts if p)


def suggestions_for(
    case: RepairCase, *, extra_text: str = "", symptoms=(), limit: int = 5
) -> list[Suggestion]:
    appliance = case.appliance
    return suggest(
        family=appliance.family,
        brand=appliance.brand,
        model_ref=appliance.model_ref,
        error_code=case_error_code(case),
        text="\n".join(t for t in (case_text(case), extra_text) if t),
        symptoms=symptoms,
        limit=limit,
    )


def checklist_for(family: str) -> list[ChecklistItem]:
    return list(ChecklistItem.objects.filter(family=family, is_active=True))


def prediagnosis_of(case: RepairCase) -> PreDiagnosis | None:
    return (
        PreDiagnosis.objects.filter(case=case)
        .select_related("recorded_by")
        .prefetch_related("checks__item", "symptoms")
        .first()
    )


def diagnosis_of(case: RepairCase) -> Diagnosis | None:
    return (
        Diagnosis.objects.filter(case=case)
        .select_related("confirmed_cause", "technician", "solution")
        .prefetch_related("measurements__check_ref", "parts__part", "sources__consulted_by")
        .first()
    )


def model_documents(case: RepairCase, query: str = ""):
    """Technical documents for the dossier's appliance: its family, every brand or its brand, every model or
    its model."""
    a = case.appliance
    return knowledge.document_list(family=a.family, brand=a.brand, model_ref=a.model_ref, query=query)[:50]


def knowledge_search(case: RepairCase, query: str) -> dict:
    """Search of the knowledge base from the dossier, in the appliance's family."""
    family = case.appliance.family
    if not query.strip():
        return {}
    return {
        "symptoms": list(knowledge.symptom_list(family=family, query=query)[:20]),
        "error_codes": list(
            knowledge.error_code_list(family=family, query=query).filter(
                Q(brand__iexact=case.appliance.brand) | Q(code__iexact=query.strip())
            )[:20]
        ),
        "causes": list(knowledge.cause_list(family=family, query=query)[:20]),
        "checks": list(knowledge.check_list(family=family, query=query)[:20]),
        "documents": list(model_documents(case, query)),
    }


# The after-sales process told to the customer: (state in which this step is the current one, title, delay,
# detail). Typical delays of the workshop; the costs come from the site's tariffs in force.
PROCESS = (
    (
        CaseStatus.RECU,
        _("Questionnement et pré-diagnostic"),
        _("au comptoir, tout de suite"),
        _("Le client repart avec la fiche de pré-diagnostic signée."),
    ),
    (
        CaseStatus.PREDIAGNOSTIQUE,
        _("Diagnostic par un technicien"),
        _("sous 2 à 5 jours ouvrés"),
        _("Démontage, mesures et cause confirmée."),
    ),
    (
        CaseStatus.DEVIS_ENVOYE,
        _("Devis"),
        _("dès la fin du diagnostic, valable 30 jours"),
        _("Le client l'accepte ou le refuse ; s'il refuse, seul le forfait diagnostic peut être facturé."),
    ),
    (
        CaseStatus.ACCEPTE,
        _("Pièces et réparation"),
        _("selon le délai des pièces indiqué sur le devis"),
        _("Pièces neuves, reconditionnées ou d'occasion au choix du client."),
    ),
    (
        CaseStatus.PRET,
        _("Restitution"),
        _("le client est prévenu dès que l'appareil est prêt"),
        _("Essais devant le client ; la facture reprend le devis accepté."),
    ),
)


def process_for(case: RepairCase, on: datetime.date | None = None) -> dict:
    """The steps to explain at the counter, the current one marked, and the site's prices in force."""
    order = list(CaseStatus.values)
    position = order.index(case.status)
    steps = []
    current_found = False
    for i, (status, title, delay, detail) in enumerate(PROCESS):
        next_status = PROCESS[i + 1][0] if i + 1 < len(PROCESS) else None
        is_current = (
            not current_found
            and position >= order.index(status)
            and (next_status is None or position < order.index(next_status))
        )
        current_found = current_found or is_current
        steps.append({"title": title, "delay": delay, "detail": detail, "current": is_current})
    from atelier.quotes.pricing import service_ttc, service_vat_rate

    site = case.site
    on = on or timezone.localdate()
    prices = {
        "diagnosis_fee": site.tariff(TariffKind.DIAGNOSIS_FEE, on),
        "hourly_rate": site.tariff(
            TariffKind.HOURLY_HOME if case.location == WorkLocation.DOMICILE else TariffKind.HOURLY_WORKSHOP,
            on,
        ),
        "travel_fee": site.tariff(TariffKind.TRAVEL_FEE, on)
        if case.location == WorkLocation.DOMICILE
        else None,
    }
    # a consumer reads prices with VAT (Code de la consommation L112-1, arrêté du 3 décembre 1987 art. 1 and
    # arrêté du 2 mars 1990): the TTC amount is the one shown, HT beside it for a business customer
    rate = service_vat_rate(on) if any(v is not None for v in prices.values()) else None
    return {"steps": steps, **prices} | {f"{k}_ttc": service_ttc(v, on, rate=rate) for k, v in prices.items()}
