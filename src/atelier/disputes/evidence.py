"""The evidence pack (dossier de preuves): one PDF gathering what the shop can show about a dossier and its
dispute — the timeline, every quote version with its signature, the pre-diagnosis, the measurements, the
invoices and credit notes, the payments, the messages, the dispute's letters, and the parts other apps add
(disputes.extensions.evidence_parts: the photos). Read only; the PDF is made on demand, never stored."""

from django.db.models import Q
from django.utils import timezone

from atelier.core.pdf import render_document, render_pdf
from atelier.disputes.extensions import collect_evidence_parts
from atelier.disputes.models import Dispute, DisputeEvent, DisputeLetter


def _timeline(case, dispute) -> list[dict]:
    rows = []
    if case is not None:
        for e in case.events.select_related("actor"):
            rows.append(
                {"at": e.at, "who": e.actor or "", "what": e.label, "note": e.note, "of": case.number}
            )
    disputes = [dispute] if dispute is not None else list(case.disputes.all()) if case is not None else []
    events = DisputeEvent.objects.filter(dispute__in=disputes).select_related("actor", "dispute")
    for e in events:
        rows.append(
            {"at": e.at, "who": e.actor or "", "what": e.label, "note": e.note, "of": e.dispute.number}
        )
    rows.sort(key=lambda r: r["at"])
    return rows


def _messages(case, dispute):
    from atelier.messaging.models import Message

    letters = DisputeLetter.objects.filter(
        dispute__in=[dispute] if dispute is not None else Dispute.objects.filter(case=case)
    ).values("message_id")
    where = Q(pk__in=letters)
    if case is not None:
        where |= Q(case=case)
    return list(Message.objects.filter(where).order_by("created_at", "pk"))


def pack_context(*, case=None, dispute: Dispute | None = None) -> dict:
    """Everything the pack shows; `case` defaults to the dispute's dossier (a dispute about a letter may have
    none: the pack then holds the dispute, its timeline and its letters)."""
    if case is None and dispute is not None:
        case = dispute.case
    customer = dispute.customer if dispute is not None else case.customer
    site = dispute.site if dispute is not None else case.site
    ctx: dict = {
        "site": site,
        "customer": customer,
        "case": case,
        "dispute": dispute,
        "made_at": timezone.now(),
        "timeline": _timeline(case, dispute),
        "messages": _messages(case, dispute),
        "letters": list(
            DisputeLetter.objects.filter(
                dispute__in=[dispute] if dispute is not None else Dispute.objects.filter(case=case)
            ).select_related("dispute", "sent_by")
        ),
        "quotes": [],
        "prediagnosis": None,
        "diagnosis": None,
        "measurements": [],
        "invoices": [],
        "payments": [],
        "parts": collect_evidence_parts(case),
    }
    if case is None:
        return ctx
    from atelier.billing.models import Invoice, Payment
    from atelier.diagnostics.models import Diagnosis, Measurement, PreDiagnosis
    from atelier.quotes.models import Quote

    ctx["quotes"] = list(
        Quote.objects.filter(case=case)
        .select_related("created_by")
        .prefetch_related("lines")
        .order_by("version")
    )
    ctx["prediagnosis"] = PreDiagnosis.objects.filter(case=case).select_related("recorded_by").first()
    ctx["diagnosis"] = (
        Diagnosis.objects.filter(case=case).select_related("technician", "confirmed_cause").first()
    )
    ctx["measurements"] = list(
        Measurement.objects.filter(diagnosis__case=case).select_related("measured_by").order_by("measured_at")
    )
    ctx["invoices"] = list(
        Invoice.objects.filter(case=case).select_related("credited", "issued_by").order_by("issued_at", "pk")
    )
    ctx["payments"] = list(
        Payment.objects.filter(case=case).select_related("received_by").order_by("at", "pk")
    )
    return ctx


def pack_html(*, case=None, dispute: Dispute | None = None) -> str:
    return render_document("disputes/pdf/evidence_pack.html", pack_context(case=case, dispute=dispute))


def pack_pdf(*, case=None, dispute: Dispute | None = None) -> bytes:
    return render_pdf(pack_html(case=case, dispute=dispute))


def pack_name(*, case=None, dispute: Dispute | None = None) -> str:
    return f"preuves-{dispute.number if dispute is not None else case.number}"
