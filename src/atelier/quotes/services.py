"""Writing services of solutions, quotes and repair orders; every dossier move goes through repairs.services.

Each service is atomic, locks the quote (or dossier) row, re-checks its state under the lock, validates
with full_clean and writes; e-mails go out in transaction.on_commit.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core import mail
from atelier.core.choices import Role
from atelier.core.errors import AtelierError, TransitionRefused
from atelier.core.models import User, VatRate
from atelier.core.money import LineAmounts, totals
from atelier.core.permissions import require_role, require_site
from atelier.core.services import sequence_next
from atelier.quotes import pricing, rules
from atelier.quotes.choices import LineKind, PartAction, QuoteStatus, SendChannel
from atelier.quotes.models import Quote, QuoteLine, RepairOrder, RepairOrderPart, Solution, SolutionPart
from atelier.repairs import services as case_services
from atelier.repairs.choices import CaseStatus, WorkLocation
from atelier.repairs.models import RepairCase
from atelier.stock.choices import Availability
from atelier.stock.models import Part

QUOTE_ROLES = (Role.ACCUEIL, Role.RESPONSABLE_SAV, Role.TECHNICIEN)
DECISION_ROLES = (Role.ACCUEIL, Role.RESPONSABLE_SAV)
MAX_QUANTITY = Decimal("999")
MAX_UNIT_PRICE = Decimal("100000")
DEFAULT_VALIDITY_DAYS = 30
SIGNATURE_PREFIXES = ("data:image/png;base64,", "data:image/jpeg;base64,")  # drawn on screen, or a scan
ONLINE_SIGNATURE_PREFIX = "data:image/png;base64,"  # online, only the pad's drawing (core.signature)
MAX_SIGNATURE_CHARS = 2_000_000  # about 1.5 MB once decoded, under Django's 2.5 MB request limit
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
    parts: list[tuple[Part, int]] = (),
    include_travel: bool = False,
    include_diagnosis: bool = False,
    replacement_price_ttc=None,
) -> Solution:
    """A way to repair the dossier's appliance, with its parts; several are compared side by side."""
    require_role(actor, *QUOTE_ROLES)
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


def _locked_quote(quote: Quote) -> Quote:
    return Quote.objects.select_for_update(of=("self",)).select_related("case", "case__site").get(pk=quote.pk)


def _editable(quote: Quote) -> Quote:
    fresh = _locked_quote(quote)
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
    """Totals from the lines (VAT per line, summed per rate), then the bonus re-checked on the new total."""
    t = totals(LineAmounts(line.quantity, line.unit_price_ht, line.vat_rate) for line in quote.lines.all())
    quote.total_ht, quote.total_vat, quote.total_ttc = t.total_ht, t.total_vat, t.total_ttc
    if quote.bonus_rate_id:
        check = rules.bonus_check(case=quote.case, total_ttc=quote.total_ttc, on=quote.issued_on)
        quote.bonus_amount = check.amount if check.eligible else Decimal("0.00")
        if not check.eligible:
            quote.bonus_rate = None
    quote.full_clean()
    quote.save()


def _used_part_offer(case: RepairCase, chosen: Solution, on: datetime.date) -> str:
    """The used-part option of the dossier (another solution with circular parts), told against the chosen one."""
    chosen_lines = pricing.solution_lines(chosen, on)
    for other in case.solutions.prefetch_related("parts__part").order_by("pk"):
        if any(sp.part.is_circular for sp in other.parts.all()):
            lines = pricing.solution_lines(other, on) if other.pk != chosen.pk else chosen_lines
            ttc = pricing.lines_totals(lines).total_ttc
            return _(
                "Option avec pièce(s) issue(s) de l'économie circulaire proposée : « %(title)s », "
                "%(ttc)s € TTC, délai %(days)s jour(s) (solution retenue : %(chosen)s € TTC, délai %(cdays)s jour(s))."
            ) % {
                "title": other.title,
                "ttc": _fr(ttc),
                "days": pricing.delay_days(lines),
                "chosen": _fr(pricing.lines_totals(chosen_lines).total_ttc),
                "cdays": pricing.delay_days(chosen_lines),
            }
    return ""


def _fr(amount: Decimal) -> str:
    return f"{amount:,.2f}".replace(",", "\u00a0").replace(".", ",")


def _place_of_work(case: RepairCase) -> str:
    if case.location == WorkLocation.DOMICILE:
        c = case.customer
        return _("Au domicile du client : %(addr)s") % {
            "addr": ", ".join(p for p in [c.address, f"{c.postcode} {c.city}".strip()] if p)
        }
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
    on: datetime.date | None = None,
) -> Quote:
    """A draft quote built from the chosen solution: next version of the dossier's quote."""
    require_role(actor, *QUOTE_ROLES)
    require_site(actor, case.site)
    case = (
        RepairCase.objects.select_for_update(of=("self",))
        .select_related("site", "customer", "appliance")
        .get(pk=case.pk)
    )
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
    lines = pricing.solution_lines(solution, on)
    version = (case.quotes.aggregate(v=Max("version"))["v"] or 0) + 1
    quote = Quote(
        case=case,
        version=version,
        solution=solution,
        nature_of_work=solution.work_description,
        place_of_work=_place_of_work(case),
        issued_on=on,
        valid_until=valid_until,
        is_charged=is_charged,
        charge_ht=charge,
        used_part_info=used_part_info.strip() or _used_part_offer(case, solution, on),
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
    require_role(actor, *QUOTE_ROLES)
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
    _sync(fresh, quote)
    return line


@transaction.atomic
def quote_remove_line(*, line: QuoteLine, actor: User) -> Quote:
    require_role(actor, *QUOTE_ROLES)
    require_site(actor, line.quote.case.site)
    fresh = _editable(line.quote)
    QuoteLine.objects.filter(pk=line.pk, quote=fresh).delete()
    _recompute(fresh)
    return fresh


@transaction.atomic
def quote_update(
    *, quote: Quote, actor: User, valid_until: datetime.date, is_charged: bool, charge_ht, used_part_info: str
) -> Quote:
    require_role(actor, *QUOTE_ROLES)
    require_site(actor, quote.case.site)
    fresh = _editable(quote)
    if valid_until < fresh.issued_on:
        raise AtelierError(_("La date de validité précède la date du devis."), field="valid_until")
    fresh.valid_until = valid_until
    fresh.is_charged = is_charged
    fresh.charge_ht = _check_price(charge_ht, field="charge_ht") if is_charged else Decimal("0.00")
    fresh.used_part_info = used_part_info.strip()
    _recompute(fresh)
    _sync(fresh, quote)
    return fresh


@transaction.atomic
def quote_set_bonus(*, quote: Quote, actor: User, apply: bool) -> Quote:
    """Deduct (or not) the repair bonus; refused with the reasons when the repair is not eligible."""
    require_role(actor, *QUOTE_ROLES)
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
    _sync(fresh, quote)
    return fresh


def _sync(fresh: Quote, into: Quote) -> None:
    for f in fresh._meta.concrete_fields:
        setattr(into, f.attname, getattr(fresh, f.attname))


@transaction.atomic
def quote_send(*, quote: Quote, actor: User, channel: str, at: datetime.datetime | None = None) -> Quote:
    """Number and freeze the draft, replace the previous version, move the dossier (case_send_quote)."""
    require_role(actor, *DECISION_ROLES)
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
    ):
        raise AtelierError(
            _(
                "Le devis ne peut pas être envoyé : pour un appareil de la famille « %(family)s », proposez une "
                "solution avec pièce d'occasion ou reconditionnée, ou notez pourquoi aucune n'est disponible."
            )
            % {"family": case.appliance.get_family_display()},
            field="used_part_info",
        )
    at = at or timezone.now()
    # the dossier's row serialises two versions sent at once (lock order everywhere: quote, then dossier)
    list(RepairCase.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True))
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
        "ttc": _fr(fresh.total_ttc),
        "channel": fresh.get_sent_channel_display().lower(),
    }
    if previous:
        Quote.objects.filter(pk__in=[q.pk for q in previous]).update(status=QuoteStatus.REMPLACE)
        case_services.case_add_note(case=case, actor=actor, note=_("Nouvelle version. ") + note)
    else:
        case_services.case_send_quote(case=case, actor=actor, note=note, at=at)
    if channel == SendChannel.EMAIL:
        pk = fresh.pk
        transaction.on_commit(lambda: _email_quote(pk))
    _sync(fresh, quote)
    return fresh


def _email_quote(pk: int) -> None:
    from django.core.mail import EmailMessage

    from atelier.quotes.documents import quote_pdf

    quote = Quote.objects.select_related("case__customer", "case__site").get(pk=pk)
    site = quote.case.site
    message = EmailMessage(
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
        from_email=site.email or None,
        to=[quote.case.customer.email],
    )
    message.attach(f"{quote.number}.pdf", quote_pdf(quote), "application/pdf")
    try:
        mail.send(message)
    except mail.MailNotSent:
        # after the commit, the quote stays sent: the timeline says the e-mail failed so the counter reprints it
        case_services.case_add_note(
            case=quote.case,
            actor=quote.created_by,
            note=_("L'e-mail du devis %(number)s n'a pas pu partir : remettez-le ou envoyez-le de nouveau.")
            % {"number": quote.number},
        )


def _decidable(quote: Quote, on: datetime.date, *, online: bool = False) -> Quote:
    fresh = _locked_quote(quote)
    if fresh.status == QuoteStatus.REFUSE:
        raise AtelierError(_("Le devis %(number)s a déjà été refusé.") % {"number": fresh.number})
    if fresh.status == QuoteStatus.ACCEPTE:
        raise AtelierError(_("Le devis %(number)s a déjà été accepté.") % {"number": fresh.number})
    if fresh.status == QuoteStatus.REMPLACE:
        raise AtelierError(
            _("Le devis %(number)s a été remplacé par une nouvelle version.") % {"number": fresh.number}
        )
    if fresh.status != QuoteStatus.ENVOYE:
        raise AtelierError(_("Le devis n'a pas encore été envoyé au client."))
    if fresh.valid_until < on:
        expired = {"number": fresh.number, "date": fresh.valid_until.strftime("%d/%m/%Y")}
        if online:  # the customer reads it
            raise AtelierError(
                _("Le devis %(number)s a expiré le %(date)s : appelez-nous pour un nouveau devis.") % expired
            )
        raise AtelierError(
            _("Le devis %(number)s a expiré le %(date)s : établissez une nouvelle version.") % expired
        )
    return fresh


@transaction.atomic
def quote_accept(
    *, quote: Quote, actor: User, signer_name: str, signature: str = "", at: datetime.datetime | None = None
) -> Quote:
    """The customer accepts at the counter: date, name and signature kept; the dossier moves (case_accept_quote)."""
    require_role(actor, *DECISION_ROLES)
    require_site(actor, quote.case.site)
    return _accept(quote=quote, actor=actor, signer_name=signer_name, signature=signature, at=at)


@transaction.atomic
def quote_accept_online(
    *, quote: Quote, signer_name: str, signature: str, at: datetime.datetime | None = None
) -> Quote:
    """The customer accepts alone through the tracking link (no account: the link is the proof): a drawn
    signature is required; the dossier's step is taken with no actor (workflow's customer_may)."""
    if not signature:
        raise AtelierError(_("Signez dans le cadre pour accepter le devis."), field="signature")
    if not signature.startswith(ONLINE_SIGNATURE_PREFIX):
        raise AtelierError(_("La signature doit être dessinée dans le cadre."), field="signature")
    return _accept(quote=quote, actor=None, signer_name=signer_name, signature=signature, at=at)


def _accept(*, quote: Quote, actor: User | None, signer_name: str, signature: str, at) -> Quote:
    at = at or timezone.now()
    fresh = _decidable(quote, timezone.localtime(at).date(), online=actor is None)
    if not signer_name.strip():
        raise AtelierError(_("Indiquez le nom de la personne qui signe."), field="signer_name")
    if signature and not signature.startswith(SIGNATURE_PREFIXES):
        raise AtelierError(_("La signature doit être une image PNG ou JPEG."), field="signature")
    if len(signature) > MAX_SIGNATURE_CHARS:
        raise AtelierError(_("L'image de la signature dépasse 1,5 Mo."), field="signature")
    fresh.status = QuoteStatus.ACCEPTE
    fresh.decided_at = at
    fresh.signer_name = signer_name.strip()
    fresh.signature = signature
    fresh.full_clean()
    fresh.save()
    names = {"number": fresh.number, "name": fresh.signer_name}
    if actor is None:
        note = _("Devis %(number)s signé en ligne par %(name)s, depuis le lien de suivi.") % names
    else:
        note = _("Devis %(number)s signé par %(name)s.") % names
    case_services.case_accept_quote(case=fresh.case, actor=actor, note=note, at=at)
    _sync(fresh, quote)
    return fresh


@transaction.atomic
def quote_refuse(
    *,
    quote: Quote,
    actor: User,
    reason: str,
    signer_name: str = "",
    charge_diagnosis: bool = False,
    at: datetime.datetime | None = None,
) -> Quote:
    """The customer refuses: the reason is kept, the diagnosis fee charged if agreed (case_refuse_quote)."""
    require_role(actor, *DECISION_ROLES)
    require_site(actor, quote.case.site)
    return _refuse(
        quote=quote,
        actor=actor,
        reason=reason,
        signer_name=signer_name,
        charge_diagnosis=charge_diagnosis,
        at=at,
    )


@transaction.atomic
def quote_refuse_online(
    *, quote: Quote, reason: str, signer_name: str = "", at: datetime.datetime | None = None
) -> Quote:
    """The customer refuses alone through the tracking link, with a reason; no fee is charged from there
    (the counter agrees it with the customer)."""
    return _refuse(
        quote=quote, actor=None, reason=reason, signer_name=signer_name, charge_diagnosis=False, at=at
    )


def _refuse(
    *, quote: Quote, actor: User | None, reason: str, signer_name: str, charge_diagnosis: bool, at
) -> Quote:
    at = at or timezone.now()
    fresh = _decidable(quote, timezone.localtime(at).date(), online=actor is None)
    if not reason.strip():
        raise AtelierError(_("Notez le motif du refus."), field="reason")
    fee = Decimal("0.00")
    if charge_diagnosis:
        fee = pricing.tariff(fresh.case.site, "frais_diagnostic", fresh.issued_on)
    fresh.status = QuoteStatus.REFUSE
    fresh.decided_at = at
    fresh.signer_name = signer_name.strip()
    fresh.refusal_reason = reason.strip()
    fresh.diagnosis_fee_ht = fee
    fresh.full_clean()
    fresh.save()
    note = fresh.refusal_reason
    if actor is None:
        note = _("Refusé en ligne, depuis le lien de suivi. Motif : %(reason)s") % {"reason": note}
    if fee:
        note += "\n" + _("Forfait diagnostic facturé : %(fee)s € HT.") % {"fee": _fr(fee)}
    case_services.case_refuse_quote(case=fresh.case, actor=actor, note=note, at=at)
    _sync(fresh, quote)
    return fresh


# ---------------------------------------------------------------- repair orders


@transaction.atomic
def repair_order_create(
    *,
    quote: Quote,
    actor: User,
    promised_on: datetime.date,
    skills: str = "",
    tools: str = "",
    technician: User | None = None,
    planned_for: datetime.datetime | None = None,
) -> RepairOrder:
    """The repair order of an accepted quote; parts reserved or ordered; the dossier moves on accordingly:
    parts to order → en attente de pièces; home visit with technician and date → planifié; workshop → en
    atelier; a home visit without a date stays accepté for the planner."""
    require_role(actor, Role.RESPONSABLE_SAV)
    require_site(actor, quote.case.site)
    fresh = _locked_quote(quote)
    if fresh.status != QuoteStatus.ACCEPTE:
        raise AtelierError(_("Un ordre de réparation se fait depuis un devis accepté."))
    if RepairOrder.objects.filter(quote=fresh).exists():
        raise AtelierError(_("Ce devis a déjà son ordre de réparation."))
    case = fresh.case
    if promised_on < timezone.localdate():
        raise AtelierError(_("Le délai promis ne peut pas être dans le passé."), field="promised_on")
    if (technician is None) != (planned_for is None):
        raise AtelierError(_("Choisissez le technicien et la date de l'intervention."), field="technician")
    year = timezone.localdate().year
    order = RepairOrder(
        quote=fresh,
        case=case,
        number=f"OR-{case.site.code}-{year}-{sequence_next(site=case.site, kind='ordre', year=year):06d}",
        work_to_do=fresh.nature_of_work,
        location=case.location,
        promised_on=promised_on,
        skills=skills.strip(),
        tools=tools.strip(),
        technician=technician,
        planned_for=planned_for,
        created_by=actor,
    )
    order.full_clean()
    order.save()
    to_order = []
    for line in fresh.lines.filter(kind=LineKind.PIECE, part__isnull=False).select_related("part"):
        in_stock = line.part.availability == Availability.EN_STOCK
        RepairOrderPart.objects.create(
            order=order,
            part=line.part,
            quantity=line.quantity,
            action=PartAction.RESERVEE if in_stock else PartAction.COMMANDEE,
            lead_time_days=line.lead_time_days,
        )
        if not in_stock:
            to_order.append(f"{line.part.reference} × {line.quantity.normalize()}")
    label = _("Ordre de réparation %(number)s établi.") % {"number": order.number}
    if to_order:
        case_services.case_wait_for_parts(
            case=case,
            actor=actor,
            note=label + " " + _("Pièces commandées : %(p)s.") % {"p": ", ".join(to_order)},
        )
    elif case.location == WorkLocation.DOMICILE and technician is not None:
        case_services.case_plan_visit(
            case=case, actor=actor, technician=technician, planned_for=planned_for, note=label
        )
    elif case.location == WorkLocation.ATELIER:
        if technician is not None:
            case_services.case_assign_technician(case=case, actor=actor, technician=technician)
        case_services.case_receive_in_workshop(case=case, actor=actor, note=label)
    else:
        case_services.case_add_note(case=case, actor=actor, note=label)
    return order
