"""Writing services of solutions and quotes (draft, lines, bonus, sending); the customer's decision is in
decisions.py and the repair order in orders.py. Every dossier move goes through repairs.services.

Each service is atomic, locks the quote (or dossier) row, re-checks its state under the lock, validates
with full_clean and writes; e-mails go out in transaction.on_commit.
"""

import datetime
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from atelier.core.access import require_step
from atelier.core.errors import AtelierError, TransitionRefused
from atelier.core.locking import lock
from atelier.core.models import User, VatRate
from atelier.core.money import LineAmounts, fr_amount, totals
from atelier.core.permissions import require_site
from atelier.core.services import sequence_next
from atelier.core.wording import plural_count
from atelier.quotes import pricing, rules
from atelier.quotes.choices import ExemptionCheck, LineKind, QuoteStatus, SendChannel
from atelier.quotes.models import Quote, QuoteLine, Solution, SolutionPart, UsedPartExemption
from atelier.repairs import services as case_services
from atelier.repairs.choices import CaseStatus, WorkLocation
from atelier.repairs.models import RepairCase
from atelier.stock.choices import Availability
from atelier.stock.models import Part

MAX_QUANTITY = Decimal("999")
MAX_UNIT_PRICE = Decimal("100000")
DEFAULT_VALIDITY_DAYS = 30
QUOTABLE = (CaseStatus.PREDIAGNOSTIQUE, CaseStatus.DEVIS_ENVOYE)


def _decimal(value, *, field: str, label: str) -> Decimal:
    if isinstance(value, float):
        raise TypeError("float")
    try:
        number = Decimal(str(value).replace(",", ".").replace("\u00a0", "").strip())
    except (InvalidOperation, ValueError):
        raise AtelierError(_("« %(label)s » n'est pas un nombre.") % {"label": label}, field=field) from None
    if not number.is_finite():
        raise AtelierError(_("« %(label)s » n'est pas un nombre.") % {"label": label}, field=field)
    return number


def _check_quantity(value) -> Decimal:
    qty = _decimal(value, field="quantity", label=_("Quantité"))
    if qty <= 0:
        raise AtelierError(_("La quantité doit être supérieure à zéro."), field="quantity")
    if qty > MAX_QUANTITY or qty != qty.quantize(Decimal("0.01")):
        raise AtelierError(
            _("Quantité invraisemblable : au plus 999, avec deux décimales au plus."), field="quantity"
        )
    return qty


def _check_price(value, *, field="unit_price_ht") -> Decimal:
    price = _decimal(value, field=field, label=_("Prix"))
    if price < 0:
        raise AtelierError(_("Un prix ne peut pas être négatif."), field=field)
    if price > MAX_UNIT_PRICE or price != price.quantize(Decimal("0.01")):
        raise AtelierError(_("Prix invraisemblable : au plus 100 000 €, au centime près."), field=field)
    return price


# ---------------------------------------------------------------- solutions


@transaction.atomic
def solution_create(
    *,
    case: RepairCase,
    actor: User,
    title: str,
    work_description: str,
    labour_hours,
    parts: Sequence[tuple[Part, int]] = (),
    include_travel: bool = False,
    include_diagnosis: bool = False,
    replacement_price_ttc=None,
) -> Solution:
    """A way to repair the dossier's appliance, with its parts; several are compared side by side."""
    require_step(actor, "quotes.write", site=case.site)
    require_site(actor, case.site)
    if case.status not in QUOTABLE:
        raise TransitionRefused(
            _("Le dossier %(number)s est à l'état « %(state)s » : on n'y ajoute plus de solution.")
            % {"number": case.number, "state": case.get_status_display()}
        )
    hours = _decimal(labour_hours, field="labour_hours", label=_("Heures de main-d'œuvre"))
    if hours < 0 or hours > 200:
        raise AtelierError(
            _("Heures de main-d'œuvre invraisemblables : entre 0 et 200."), field="labour_hours"
        )
    solution = Solution(
        case=case,
        title=title.strip(),
        work_description=work_description.strip(),
        labour_hours=hours,
        include_travel=include_travel,
        include_diagnosis=include_diagnosis,
        replacement_price_ttc=(
            _check_price(replacement_price_ttc, field="replacement_price_ttc")
            if replacement_price_ttc not in (None, "")
            else None
        ),
        created_by=actor,
    )
    solution.full_clean()
    for part, quantity in parts:
        if not isinstance(quantity, int) or not 1 <= quantity <= 99:
            raise AtelierError(_("Quantité de pièce invraisemblable : entre 1 et 99."), field="parts")
        if part.availability == Availability.INDISPONIBLE:
            raise AtelierError(
                _("La pièce %(ref)s n'est pas disponible : choisissez une alternative.")
                % {"ref": part.reference},
                field="parts",
            )
    solution.save()
    for part, quantity in parts:
        SolutionPart.objects.create(solution=solution, part=part, quantity=quantity)
    return solution


# ---------------------------------------------------------------- quotes


def _editable(quote: Quote) -> Quote:
    fresh = lock(quote, related=("case", "case__site"))
    if fresh.status == QuoteStatus.ACCEPTE:
        raise AtelierError(
            _("Le devis %(number)s est accepté : il ne change plus.") % {"number": fresh.number}
        )
    if fresh.status != QuoteStatus.BROUILLON:
        raise AtelierError(
            _("Le devis %(number)s est « %(state)s » : établissez une nouvelle version pour le modifier.")
            % {"number": fresh.number, "state": fresh.get_status_display()}
        )
    return fresh


def _recompute(quote: Quote) -> None:
    """Totals from the lines (VAT per line, summed per rate), then the bonus re-checked on the new total, and
    the used-part offer's text (when it is the one Atelier wrote) told against the new total and delay."""
    lines = list(quote.lines.all())
    t = totals(LineAmounts(line.quantity, line.unit_price_ht, line.vat_rate) for line in lines)
    quote.total_ht, quote.total_vat, quote.total_ttc = t.total_ht, t.total_vat, t.total_ttc
    if quote.bonus_rate_id:
        check = rules.bonus_check(case=quote.case, total_ttc=quote.total_ttc, on=quote.issued_on)
        quote.bonus_amount = check.amount if check.eligible else Decimal("0.00")
        if not check.eligible:
            quote.bonus_rate = None
    detected = rules.detected_exemption(quote)
    if detected is not None:
        quote.used_part_exemption = detected
    elif (
        quote.used_part_exemption is not None and quote.used_part_exemption.detected != ExemptionCheck.CHOISIE
    ):
        quote.used_part_exemption = None  # no longer free, or no longer under the legal guarantee
    if quote.solution is not None and _written_by_atelier(quote.used_part_info):
        delay = max((line.lead_time_days for line in lines), default=0)
        retained = (quote.total_ttc, delay)
        quote.used_part_info = _used_part_offer(
            quote.case, quote.solution, quote.issued_on, retained=retained
        )
    quote.full_clean()
    quote.save()


def _days(n: int) -> str:
    return ngettext("%(n)s jour", "%(n)s jours", plural_count(n)) % {"n": n}


def _offer_prefix() -> str:
    return _("Option avec pièces issues de l'économie circulaire proposée : ")


def _written_by_atelier(text: str) -> bool:
    """The offer as _used_part_offer words it (not typed, nor changed, by the user)."""
    pattern = re.escape(_offer_prefix()) + r"« .* », .* \(" + re.escape(_("solution retenue")) + r" : .*\)\."
    return re.fullmatch(pattern, text) is not None


def _used_part_offer(
    case: RepairCase, chosen: Solution, on: datetime.date, *, retained: tuple[Decimal, int] | None = None
) -> str:
    """The used-part option of the dossier (another solution with circular parts), told against the chosen one
    (its total TTC and delay: the solution's, or the quote's once lines are added or removed)."""
    chosen_lines = pricing.solution_lines(chosen, on)
    ttc_days = retained or (pricing.lines_totals(chosen_lines).total_ttc, pricing.delay_days(chosen_lines))
    for other in case.solutions.prefetch_related("parts__part").order_by("pk"):
        if any(sp.part.is_circular for sp in other.parts.all()):
            lines = pricing.solution_lines(other, on) if other.pk != chosen.pk else chosen_lines
            ttc = pricing.lines_totals(lines).total_ttc
            return _offer_prefix() + _(
                "« %(title)s », %(ttc)s € TTC, délai %(days)s (%(retained)s : %(chosen)s € TTC, délai %(cdays)s)."
            ) % {
                "title": other.title,
                "ttc": fr_amount(ttc, grouped=True),
                "days": _days(pricing.delay_days(lines)),
                "retained": _("solution retenue"),
                "chosen": fr_amount(ttc_days[0], grouped=True),
                "cdays": _days(ttc_days[1]),
            }
    return ""


def place_of_work(case: RepairCase) -> str:
    """Where the work is done, as quotes and invoices print it."""
    if case.location == WorkLocation.DOMICILE:
        c = case.customer
        parts = [c.address, c.address2, f"{c.postcode} {c.city}".strip()]
        if (
            not c.address.strip()
        ):  # never « Au domicile du client : » and nothing: the repairer sees what to fill
            parts.append(_("adresse à compléter"))
        return _("Au domicile du client : %(addr)s") % {"addr": ", ".join(p for p in parts if p)}
    s = case.site
    return _("En atelier : %(addr)s, %(pc)s %(city)s") % {"addr": s.address, "pc": s.postcode, "city": s.city}


@transaction.atomic
def quote_create(
    *,
    case: RepairCase,
    actor: User,
    solution: Solution,
    valid_until: datetime.date | None = None,
    is_charged: bool = False,
    charge_ht="0.00",
    used_part_info: str = "",
    used_part_exemption: UsedPartExemption | None = None,
    on: datetime.date | None = None,
) -> Quote:
    """A draft quote built from the chosen solution: next version of the dossier's quote. Its used-part
    information is the offer Atelier writes (or `used_part_info`), or a lawful reason for none."""
    require_step(actor, "quotes.write", site=case.site)
    require_site(actor, case.site)
    case = lock(case, related=("site", "customer", "appliance"))
    if solution.case_id != case.pk:
        raise AtelierError(_("Cette solution n'est pas celle de ce dossier."), field="solution")
    if case.quotes.filter(status=QuoteStatus.ACCEPTE).exists():
        raise AtelierError(_("Le dossier %(number)s a déjà un devis accepté.") % {"number": case.number})
    if case.status not in QUOTABLE:
        raise TransitionRefused(
            _("Le dossier %(number)s est à l'état « %(state)s » : pas de devis possible.")
            % {"number": case.number, "state": case.get_status_display()}
        )
    on = on or timezone.localdate()
    valid_until = valid_until or on + datetime.timedelta(days=DEFAULT_VALIDITY_DAYS)
    if valid_until < on:
        raise AtelierError(_("La date de validité précède la date du devis."), field="valid_until")
    charge = _check_price(charge_ht, field="charge_ht") if is_charged else Decimal("0.00")
    if (
        used_part_exemption is not None
        and not rules.exemption_choices(on).filter(pk=used_part_exemption.pk).exists()
    ):
        raise AtelierError(
            _("Ce motif n'est pas un motif légal en vigueur à la date du devis."), field="used_part_exemption"
        )
    lines = pricing.solution_lines(solution, on)
    version = (case.quotes.aggregate(v=Max("version"))["v"] or 0) + 1
    quote = Quote(
        case=case,
        version=version,
        solution=solution,
        nature_of_work=solution.work_description,
        place_of_work=place_of_work(case),
        issued_on=on,
        valid_until=valid_until,
        is_charged=is_charged,
        charge_ht=charge,
        used_part_info=""
        if used_part_exemption is not None
        else used_part_info.strip() or _used_part_offer(case, solution, on),
        used_part_exemption=used_part_exemption,
        created_by=actor,
    )
    quote.full_clean()
    quote.save()
    for position, line in enumerate(lines, start=1):
        _save_line(
            quote,
            position,
            line.kind,
            line.designation,
            line.quantity,
            line.unit_price_ht,
            line.vat_kind,
            line.vat_rate,
            part=line.part,
            lead_time_days=line.lead_time_days,
        )
    quote.lines.all()  # lines are read again by _recompute
    check = rules.bonus_check(case=case, total_ttc=pricing.lines_totals(lines).total_ttc, on=on)
    if check.eligible:
        quote.bonus_rate = check.rate
    _recompute(quote)
    return quote


def _save_line(
    quote,
    position,
    kind,
    designation,
    quantity,
    unit_price_ht,
    vat_kind,
    vat_rate,
    *,
    part=None,
    lead_time_days=0,
) -> QuoteLine:
    amounts = LineAmounts(quantity, unit_price_ht, vat_rate)
    line = QuoteLine(
        quote=quote,
        position=position,
        kind=kind,
        part=part,
        part_condition=part.condition if part else "",
        designation=designation,
        quantity=quantity,
        unit_price_ht=unit_price_ht,
        vat_kind=vat_kind,
        vat_rate=vat_rate,
        total_ht=amounts.total_ht,
        vat=amounts.vat,
        lead_time_days=lead_time_days,
    )
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def quote_add_line(
    *, quote: Quote, actor: User, kind: str, designation: str, quantity, unit_price_ht, vat_kind: str
) -> QuoteLine:
    """A free line on a draft (extra labour, a part not in the catalogue); VAT rate taken on the quote's date."""
    require_step(actor, "quotes.write", site=quote.case.site)
    require_site(actor, quote.case.site)
    fresh = _editable(quote)
    if kind not in LineKind.values:
        raise AtelierError(_("Type de ligne inconnu."), field="kind")
    if not designation.strip():
        raise AtelierError(_("Indiquez la désignation de la ligne."), field="designation")
    qty = _check_quantity(quantity)
    price = _check_price(unit_price_ht)
    rate = VatRate.in_force(vat_kind, fresh.issued_on)
    position = (fresh.lines.aggregate(p=Max("position"))["p"] or 0) + 1
    line = _save_line(fresh, position, kind, designation.strip(), qty, price, vat_kind, rate)
    _recompute(fresh)
    copy_into_callers(fresh, quote)
    return line


@transaction.atomic
def quote_remove_line(*, line: QuoteLine, actor: User) -> Quote:
    require_step(actor, "quotes.write", site=line.quote.case.site)
    require_site(actor, line.quote.case.site)
    fresh = _editable(line.quote)
    QuoteLine.objects.filter(pk=line.pk, quote=fresh).delete()
    _recompute(fresh)
    return fresh


@transaction.atomic
def quote_update(
    *,
    quote: Quote,
    actor: User,
    valid_until: datetime.date,
    is_charged: bool,
    charge_ht,
    used_part_info: str,
    used_part_exemption: UsedPartExemption | None = None,
) -> Quote:
    """The draft's mentions. The used-part offer is either written (the offer, its price and delay) or
    replaced by a lawful reason chosen from UsedPartExemption (L224-109, R224-32), never a typed reason."""
    require_step(actor, "quotes.write", site=quote.case.site)
    require_site(actor, quote.case.site)
    fresh = _editable(quote)
    if valid_until < fresh.issued_on:
        raise AtelierError(_("La date de validité précède la date du devis."), field="valid_until")
    if used_part_exemption is not None and not (
        rules.exemption_choices(fresh.issued_on).filter(pk=used_part_exemption.pk).exists()
    ):
        raise AtelierError(
            _("Ce motif n'est pas un motif légal en vigueur à la date du devis."), field="used_part_exemption"
        )
    fresh.valid_until = valid_until
    fresh.is_charged = is_charged
    fresh.charge_ht = _check_price(charge_ht, field="charge_ht") if is_charged else Decimal("0.00")
    fresh.used_part_exemption = used_part_exemption
    # a lawful reason chosen: no offer is made, the reason is printed instead
    fresh.used_part_info = "" if used_part_exemption is not None else used_part_info.strip()
    _recompute(fresh)
    copy_into_callers(fresh, quote)
    return fresh


@transaction.atomic
def quote_set_bonus(*, quote: Quote, actor: User, apply: bool) -> Quote:
    """Deduct (or not) the repair bonus; refused with the reasons when the repair is not eligible."""
    require_step(actor, "quotes.write", site=quote.case.site)
    require_site(actor, quote.case.site)
    fresh = _editable(quote)
    if not apply:
        fresh.bonus_rate, fresh.bonus_amount = None, Decimal("0.00")
    else:
        check = rules.bonus_check(case=fresh.case, total_ttc=fresh.total_ttc, on=fresh.issued_on)
        if not check.eligible:
            raise AtelierError(
                _("Bonus réparation impossible : %(reasons)s.") % {"reasons": " ; ".join(check.reasons)},
                field="bonus",
            )
        fresh.bonus_rate = check.rate
    _recompute(fresh)
    copy_into_callers(fresh, quote)
    return fresh


def copy_into_callers(fresh: Quote, into: Quote) -> None:
    for f in fresh._meta.concrete_fields:
        setattr(into, f.attname, getattr(fresh, f.attname))


@transaction.atomic
def quote_send(*, quote: Quote, actor: User, channel: str, at: datetime.datetime | None = None) -> Quote:
    """Number and freeze the draft, replace the previous version, move the dossier (case_send_quote)."""
    require_step(actor, "quotes.decide", site=quote.case.site)
    require_site(actor, quote.case.site)
    fresh = _editable(quote)
    case = fresh.case
    if channel not in SendChannel.values:
        raise AtelierError(_("Choisissez l'envoi : par e-mail ou imprimé."), field="channel")
    if channel == SendChannel.EMAIL and not case.customer.email:
        raise AtelierError(_("Le client n'a pas d'adresse e-mail : imprimez le devis."), field="channel")
    if not fresh.lines.exists():
        raise AtelierError(_("Le devis n'a aucune ligne."))
    if fresh.valid_until < timezone.localdate():
        raise AtelierError(_("La date de validité du devis est dépassée : corrigez-la avant l'envoi."))
    family = case.appliance.family
    if (
        rules.used_part_required(family=family, part_kinds=rules.quote_part_kinds(fresh), on=fresh.issued_on)
        and not fresh.used_part_info.strip()
        and fresh.used_part_exemption is None
    ):
        raise AtelierError(
            _(
                "Le devis ne peut pas être envoyé : pour un appareil de la famille « %(family)s », proposez une "
                "solution avec pièce d'occasion ou reconditionnée, ou choisissez le motif légal de son absence "
                "(art. L224-109 et R224-32 du Code de la consommation)."
            )
            % {"family": case.appliance.get_family_display()},
            field="used_part_info",
        )
    at = at or timezone.now()
    # the dossier's row serialises two versions sent at once (lock order everywhere: quote, then dossier)
    lock(case)
    previous = list(case.quotes.filter(status=QuoteStatus.ENVOYE).exclude(pk=fresh.pk))
    year = timezone.localtime(at).year
    fresh.number = f"DEV-{case.site.code}-{year}-{sequence_next(site=case.site, kind='devis', year=year):06d}"
    fresh.status = QuoteStatus.ENVOYE
    fresh.sent_at = at
    fresh.sent_channel = channel
    fresh.full_clean()
    fresh.save()
    note = _("Devis %(number)s (version %(v)s) : %(ttc)s € TTC, %(channel)s.") % {
        "number": fresh.number,
        "v": fresh.version,
        "ttc": fr_amount(fresh.total_ttc, grouped=True),
        "channel": fresh.get_sent_channel_display().lower(),
    }
    # a new version: the previous one is replaced, or has expired (the dossier is still « devis envoyé »)
    if previous or case.status == CaseStatus.DEVIS_ENVOYE:
        Quote.objects.filter(pk__in=[q.pk for q in previous]).update(status=QuoteStatus.REMPLACE)
        case_services.case_add_note(case=case, actor=actor, note=_("Nouvelle version. ") + note)
    else:
        case_services.case_send_quote(case=case, actor=actor, note=note, at=at)
    if channel == SendChannel.EMAIL:
        _queue_quote_email(fresh, actor)
    copy_into_callers(fresh, quote)
    return fresh


def _queue_quote_email(quote: Quote, actor: User):
    """The quote's e-mail with its PDF, queued in the outbox in quote_send's transaction (sent by the worker
    after commit; its state shows on the dossier). The PDF is rendered here, in the request, and stored with the
    message as produced: rendering it on the worker is a later improvement."""
    from atelier.messaging.choices import Channel, Purpose
    from atelier.messaging.services import message_enqueue
    from atelier.quotes.documents import quote_pdf

    case = quote.case
    site = case.site
    return message_enqueue(
        site=site,
        customer=case.customer,
        case=case,
        channel=Channel.EMAIL,
        purpose=Purpose.QUOTE,
        actor=actor,
        subject=_("Votre devis %(number)s – %(site)s") % {"number": quote.number, "site": site.name},
        body=_(
            "Bonjour,\n\nVeuillez trouver ci-joint le devis %(number)s pour la réparation de votre appareil, "
            "valable jusqu'au %(date)s.\n\n%(site)s\n%(phone)s"
        )
        % {
            "number": quote.number,
            "date": quote.valid_until.strftime("%d/%m/%Y"),
            "site": site.name,
            "phone": site.phone,
        },
        attachments=[(f"{quote.number}.pdf", quote_pdf(quote), "application/pdf")],
    )
