"""Evidence from real Atelier dossiers (« situation réelle », issue 19 point 4): what a dossier shows of each
kind (questioning, signed pre-diagnosis, measures, quote, safety tests, commissioning, invoice, claim handled),
read through the other apps' selectors, and which kinds back which competence (data/evidence-kinds.json).
Every text is masked (anonymise.py): the customer is « Client A » for whoever reads it here."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import formats
from django.utils.translation import gettext as _

from atelier.certification.anonymise import Masker, masker_for
from atelier.certification.loader import DATA_DIR
from atelier.repairs.models import RepairCase

KINDS_FILE = "evidence-kinds.json"


@functools.cache
def kinds_data() -> dict:
    return json.loads((DATA_DIR / KINDS_FILE).read_text(encoding="utf-8"))


def kind_labels() -> dict[str, str]:
    return dict(kinds_data()["kinds"])


def kinds_for(competence_code: str) -> list[str]:
    """The evidence kinds that back a competence (and so each of its criteria); [] when a dossier shows none."""
    return list(kinds_data()["competences"].get(competence_code, []))


@dataclass(frozen=True)
class Evidence:
    kind: str
    label: str  # the kind in French
    text: str  # masked
    at: object  # datetime or None
    complete: bool = True  # False: present but not finished (a pre-diagnosis not signed, a test failed)


def _when(value) -> str:
    return formats.date_format(value, "d/m/Y") if value else ""


def cases_of(user, site=None) -> QuerySet[RepairCase]:
    """The dossiers a user worked on: received, assigned as technician, or acted on in the timeline."""
    cases = RepairCase.objects.filter(Q(received_by=user) | Q(technician=user) | Q(events__actor=user))
    if site is not None:
        cases = cases.filter(site=site)
    return cases.distinct().select_related("appliance", "customer").order_by("-received_at", "-pk")


def case_evidence(case: RepairCase, masker: Masker | None = None) -> dict[str, list[Evidence]]:
    """Each kind of evidence the dossier holds (kinds with none are absent), masked."""
    from atelier.aftersales.models import Claim
    from atelier.billing.selectors import current_invoice
    from atelier.diagnostics.selectors import case_answers, diagnosis_of, prediagnosis_of
    from atelier.fieldwork.selectors import latest_commissioning, latest_safety_test
    from atelier.quotes.choices import QuoteStatus
    from atelier.reception.models import Complaint

    m = masker or masker_for(case)
    labels = kind_labels()
    out: dict[str, list[Evidence]] = {}

    def add(kind, text, at, complete=True):
        out.setdefault(kind, []).append(Evidence(kind, labels[kind], m.mask(text), at, complete))

    answers = case_answers(case)
    if answers:
        text = " ; ".join(f"{a.question.text} {a.value}" for a in answers[:4])
        more = _(" (+ %(n)s)") % {"n": len(answers) - 4} if len(answers) > 4 else ""
        add(
            "questionnement",
            _("%(n)s réponse(s) : %(t)s%(more)s") % {"n": len(answers), "t": text, "more": more},
            answers[0].answered_at,
        )
    pre = prediagnosis_of(case)
    if pre is not None:
        if pre.acknowledged_at:
            text = _("Signé par %(who)s le %(on)s : %(f)s") % {
                "who": pre.signer_name or "—",
                "on": _when(pre.acknowledged_at),
                "f": pre.findings,
            }
        else:
            text = _("Non signé : %(f)s") % {"f": pre.findings}
        add("prediagnostic_signe", text, pre.acknowledged_at or pre.recorded_at, bool(pre.acknowledged_at))
    diagnosis = diagnosis_of(case)
    if diagnosis is not None:
        for measure in diagnosis.measurements.all():
            verdict = {True: _("conforme"), False: _("non conforme"), None: _("sans plage attendue")}
            add(
                "mesures",
                _("%(p)s : %(v)s (attendu %(e)s, %(c)s)")
                % {
                    "p": measure.point,
                    "v": measure.value_display,
                    "e": measure.expected_display,
                    "c": verdict[measure.conforming],
                },
                measure.measured_at,
            )
    for quote in case.quotes.exclude(status=QuoteStatus.BROUILLON).order_by("version"):
        add(
            "devis",
            _("Devis %(n)s (%(s)s) : %(t)s € TTC — %(w)s")
            % {
                "n": quote.number,
                "s": quote.get_status_display(),
                "t": quote.total_ttc,
                "w": quote.nature_of_work,
            },
            quote.sent_at,
        )
    test = latest_safety_test(case)
    if test is not None:
        add(
            "essais_securite",
            _("Essais du %(on)s, classe %(k)s : %(r)s")
            % {
                "on": _when(test.tested_at),
                "k": test.get_appliance_class_display(),
                "r": _("conformes") if test.passed else _("non conformes"),
            },
            test.tested_at,
            test.passed,
        )
    commissioning = latest_commissioning(case)
    if commissioning is not None:
        add(
            "mise_en_service",
            _("Le %(on)s, signée par %(who)s. Tests : %(t)s. Explications : %(e)s")
            % {
                "on": _when(commissioning.done_at),
                "who": commissioning.signer_name,
                "t": commissioning.control_tests,
                "e": commissioning.explanations,
            },
            commissioning.done_at,
        )
    invoice = current_invoice(case)
    if invoice is not None:
        add(
            "facture",
            _("Facture %(n)s du %(on)s : %(t)s € TTC")
            % {"n": invoice.number, "on": _when(invoice.issued_at), "t": invoice.total_ttc},
            invoice.issued_at,
        )
    for claim in Claim.objects.filter(earlier_case=case).order_by("opened_at", "pk"):
        answer = claim.answer_text or _("pas encore de réponse")
        add(
            "reclamation",
            _("Réclamation %(n)s (%(s)s) : %(d)s — réponse : %(a)s")
            % {"n": claim.number, "s": claim.get_state_display(), "d": claim.description, "a": answer},
            claim.opened_at,
            bool(claim.answered_at),
        )
    for complaint in Complaint.objects.filter(case=case).order_by("created_at", "pk"):
        add(
            "reclamation",
            _("Mécontentement : %(s)s — suite : %(h)s")
            % {"s": complaint.said, "h": complaint.handling_note or _("non traité")},
            complaint.created_at,
            bool(complaint.handled_at),
        )
    return out


def evidence_counts(case_ids: list[int]) -> dict[str, int]:
    """How many of these dossiers hold each kind of evidence (a candidate's progress): one query per kind."""
    from atelier.aftersales.models import Claim
    from atelier.billing.models import Invoice
    from atelier.diagnostics.models import Answer, Measurement, PreDiagnosis
    from atelier.fieldwork.models import Commissioning, SafetyTest
    from atelier.quotes.choices import QuoteStatus
    from atelier.quotes.models import Quote
    from atelier.reception.models import Complaint

    def n(qs, field="case_id"):
        return len(set(qs.values_list(field, flat=True)))

    ids = list(case_ids)
    if not ids:
        return dict.fromkeys(kind_labels(), 0)
    claims = set(Claim.objects.filter(earlier_case__in=ids).values_list("earlier_case_id", flat=True))
    claims |= set(Complaint.objects.filter(case__in=ids).values_list("case_id", flat=True))
    return {
        "questionnement": n(Answer.objects.filter(case__in=ids)),
        "prediagnostic_signe": n(PreDiagnosis.objects.filter(case__in=ids, acknowledged_at__isnull=False)),
        "mesures": n(Measurement.objects.filter(diagnosis__case__in=ids), "diagnosis__case_id"),
        "devis": n(Quote.objects.filter(case__in=ids).exclude(status=QuoteStatus.BROUILLON)),
        "essais_securite": n(SafetyTest.objects.filter(case__in=ids)),
        "mise_en_service": n(Commissioning.objects.filter(case__in=ids)),
        "facture": n(Invoice.objects.filter(case__in=ids)),
        "reclamation": len(claims),
    }
