"""Third-party payers line by line (issue 18 point 3): the split of a dossier's invoice lines, what billing
reads of it at invoicing (`PayerProvider`), and the payer claims it opens.

Rules of the split (each written in docs/aftersales.md):
- a share is a payer's part of one line, as an amount TTC or a percentage of the line's TTC; the customer pays
  what the payers do not (so the shares and the customer's part add up to the line exactly);
- a percentage is rounded half up to the cent; when a line's percentages make exactly 100 % (nothing left to the
  customer), the line's last share takes what the others leave, so a rounding cent never falls on the customer;
- the payers' shares of a line never exceed it; nothing is negative; money is Decimal;
- the customer's excess (franchise) is a fixed amount TTC taken off one payer's shares, line after line, in the
  lines' order (never more than that payer pays).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from atelier.aftersales.choices import ShareMode
from atelier.aftersales.models_payers import CaseSplit, Payer, PayerShare
from atelier.billing import third_party
from atelier.core.errors import AtelierError
from atelier.core.money import CENT, fr_amount

ZERO = Decimal("0.00")
HUNDRED = Decimal("100")


@dataclass(frozen=True)
class ShareAmount:
    """A share once computed: the payer's TTC for the line, after the customer's excess."""

    share: PayerShare
    ttc: Decimal


def line_ttc(line) -> Decimal:
    return line.amounts.total_ttc


def parse_percent(value) -> Decimal:
    try:
        percent = Decimal(str(value).replace(",", ".").replace("%", "").strip())
    except (InvalidOperation, ValueError):
        raise AtelierError(_("Pourcentage illisible : %(v)s") % {"v": value}, field="value") from None
    if not percent.is_finite() or percent != percent.quantize(CENT):
        raise AtelierError(
            _("Un pourcentage s'écrit avec deux décimales au plus (ex. 33,33)."), field="value"
        )
    if percent <= 0 or percent > HUNDRED:
        raise AtelierError(_("Un pourcentage est compris entre 0 (exclu) et 100."), field="value")
    return percent


def _raw_amounts(lines: list, shares: list[PayerShare]) -> dict[int, Decimal]:
    """Each share's TTC before the excess (by the share's index in `shares`), line by line."""
    out: dict[int, Decimal] = {}
    by_line: dict[int, list[int]] = {}
    for index, share in enumerate(shares):
        by_line.setdefault(share.position, []).append(index)
    for position, indexes in sorted(by_line.items()):
        if not 1 <= position <= len(lines):
            raise AtelierError(
                _("La ligne %(n)s n'existe plus dans la facture du dossier : refaites la répartition.")
                % {"n": position}
            )
        line = lines[position - 1]
        total = line_ttc(line)
        percents = [shares[i].value for i in indexes if shares[i].mode == ShareMode.POURCENTAGE]
        whole = len(percents) == len(indexes) and sum(percents, ZERO) == HUNDRED
        taken = ZERO
        for rank, i in enumerate(indexes):
            share = shares[i]
            if whole and rank == len(indexes) - 1:
                amount = total - taken  # the last share takes the rounding cent: the customer pays nothing
            elif share.mode == ShareMode.POURCENTAGE:
                amount = (total * share.value / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
            else:
                amount = share.value
            out[i] = amount
            taken += amount
        if taken > total:
            raise AtelierError(
                _(
                    "Ligne %(n)s « %(d)s » : les parts des payeurs (%(s)s €) dépassent le montant de la ligne "
                    "(%(t)s €)."
                )
                % {"n": position, "d": line.designation, "s": fr_amount(taken), "t": fr_amount(total)}
            )
    return out


def compute(
    lines: list, shares: list[PayerShare], *, excess: Decimal, excess_payer_id: int | None
) -> list[ShareAmount]:
    """Every share's TTC, the customer's excess taken off its payer's shares in line order."""
    raw = _raw_amounts(lines, shares)
    if excess:
        if excess_payer_id is None:
            raise AtelierError(_("Choisissez le payeur qui applique la franchise."), field="excess_payer")
        owed = sum((raw[i] for i, s in enumerate(shares) if s.payer_id == excess_payer_id), ZERO)
        if excess > owed:
            raise AtelierError(
                _("La franchise (%(e)s €) dépasse ce que ce payeur prend en charge (%(o)s €).")
                % {"e": fr_amount(excess), "o": fr_amount(owed)},
                field="excess",
            )
        left = excess
        for i in sorted(raw, key=lambda i: (shares[i].position, i)):
            if shares[i].payer_id == excess_payer_id and left:
                cut = min(left, raw[i])
                raw[i] -= cut
                left -= cut
    return [ShareAmount(shares[i], raw[i]) for i in sorted(raw, key=lambda i: (shares[i].position, i))]


def customer_rest(lines: list, amounts: list[ShareAmount]) -> list[Decimal]:
    """What the customer pays of each line (line TTC less the payers' shares)."""
    rest = [line_ttc(line) for line in lines]
    for item in amounts:
        rest[item.share.position - 1] -= item.ttc
    return rest


def check_lines_unchanged(lines: list, shares: list[PayerShare]) -> None:
    """A split made on other lines (the quote changed since) is refused: it must be made again."""
    for share in shares:
        line = lines[share.position - 1] if 1 <= share.position <= len(lines) else None
        if line is None or line.designation[:200] != share.designation or line_ttc(line) != share.line_ttc:
            raise AtelierError(
                _(
                    "La répartition entre payeurs a été faite sur d'autres lignes (ligne %(n)s « %(d)s ») : les "
                    "lignes à facturer ont changé depuis, refaites la répartition."
                )
                % {"n": share.position, "d": share.designation}
            )


def payer_buyer(payer: Payer) -> dict:
    """The payer's identity as copied on its B2B invoice: its VAT number only when known, never derived."""
    return {
        "name": payer.name,
        "address": payer.address,
        "address2": "",
        "postcode": payer.postcode,
        "city": payer.city,
        "siren": payer.siren,
        "vat_number": payer.vat_number,
    }


def payer_label(payer: Payer) -> str:
    return str(payer)


class PayerProvider:
    """What billing's invoice_issue reads of a dossier's split, and what it tells back once issued."""

    def parts(self, case, lines: list) -> list[third_party.PayerPart]:
        split = CaseSplit.objects.filter(case=case).first()
        if split is None:
            return []
        shares = list(split.shares.select_related("payer").order_by("position", "pk"))
        if not shares:
            return []
        check_lines_unchanged(lines, shares)
        amounts = compute(lines, shares, excess=split.excess, excess_payer_id=split.excess_payer_id)
        parts = []
        for item in amounts:
            if not item.ttc:
                continue
            line = lines[item.share.position - 1]
            ht, vat = third_party.share_amounts(
                line_ht=line.amounts.total_ht, line_vat=line.amounts.vat, share_ttc=item.ttc
            )
            payer = item.share.payer
            parts.append(
                third_party.PayerPart(
                    payer_key=payer.pk,
                    label=payer_label(payer),
                    buyer=payer_buyer(payer) if payer.invoiced else {},
                    invoiced=payer.invoiced,
                    position=item.share.position,
                    designation=line.designation,
                    is_goods=line.is_goods,
                    kind=line.kind,
                    vat_rate=line.vat_rate,
                    ttc=item.ttc,
                    ht=ht,
                    vat=vat,
                )
            )
        return parts

    def issued(self, *, case, invoice, payer_invoices: dict, actor) -> None:
        from atelier.aftersales.services_payers import payer_claims_open

        payer_claims_open(case=case, payer_invoices=payer_invoices, actor=actor)
