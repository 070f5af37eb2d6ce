"""Rules read from data: the used-part obligation, the repair bonus eligibility, the repairability advice."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from atelier.core.errors import AtelierError
from atelier.core.wording import plural_count
from atelier.customers.choices import CustomerKind
from atelier.quotes.choices import ExemptionCheck, LineKind, Recommendation
from atelier.quotes.models import (
    BonusLabel,
    RepairabilityRule,
    RepairBonusRate,
    UsedPartCoverage,
    UsedPartExemption,
    WithdrawalRule,
)

# ---------------------------------------------------------------- used parts


def used_part_required(*, family: str, part_kinds: set[str], on: datetime.date) -> bool:
    """True when the law (as recorded in UsedPartCoverage) asks for a used-part offer for these parts."""
    if not part_kinds:
        return False
    return UsedPartCoverage.objects.filter(
        Q(part_kind="") | Q(part_kind__in=part_kinds), family=family, valid_from__lte=on
    ).exists()


def quote_part_kinds(quote) -> set[str]:
    return {line.part.kind for line in quote.lines.all() if line.kind == LineKind.PIECE and line.part_id}


def exemptions_in_force(on: datetime.date):
    return UsedPartExemption.objects.filter(valid_from__lte=on).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on)
    )


def exemption_choices(on: datetime.date):
    """The lawful reasons the repairer may choose (those Atelier detects itself are applied, not chosen)."""
    return exemptions_in_force(on).filter(detected=ExemptionCheck.CHOISIE)


def detected_exemption(quote) -> UsedPartExemption | None:
    """An exemption Atelier sees on its own (L224-109): a free repair (quote at 0 € with lines), or a dossier
    taken under the legal guarantee of conformity (aftersales.CaseCover)."""
    from atelier.aftersales.choices import CaseCoverBasis
    from atelier.aftersales.models import CaseCover

    for row in exemptions_in_force(quote.issued_on).exclude(detected=ExemptionCheck.CHOISIE):
        if row.detected == ExemptionCheck.GRATUITE and quote.total_ttc == 0 and quote.lines.exists():
            return row
        if (
            row.detected == ExemptionCheck.GARANTIE_LEGALE
            and CaseCover.objects.filter(case_id=quote.case_id, basis=CaseCoverBasis.GARANTIE_LEGALE).exists()
        ):
            return row
    return None


# ---------------------------------------------------------------- withdrawal (off-premises, distance)


def withdrawal_days(on: datetime.date) -> int:
    """The withdrawal period in force on the day the contract is concluded (L221-18), from WithdrawalRule."""
    row = WithdrawalRule.objects.filter(valid_from__lte=on).order_by("-valid_from").first()
    if row is None:
        raise AtelierError(
            _("Aucun délai de rétractation n'est en vigueur au %(date)s.") % {"date": on.strftime("%d/%m/%Y")}
        )
    return row.days


def withdrawal_end(concluded_on: datetime.date, days: int) -> datetime.date:
    """The last day to withdraw: `days` days after the day of conclusion (L221-18); a period ending on a
    Saturday or a Sunday runs to the next Monday (L221-19). Public holidays are not known to Atelier yet."""
    end = concluded_on + datetime.timedelta(days=days)
    while end.weekday() >= 5:
        end += datetime.timedelta(days=1)
    return end


# ---------------------------------------------------------------- repair bonus


@dataclass
class BonusCheck:
    rate: RepairBonusRate | None
    amount: Decimal = Decimal("0.00")
    reasons: list[str] = field(default_factory=list)  # why it is refused; empty when eligible

    @property
    def eligible(self) -> bool:
        return self.rate is not None and not self.reasons


def bonus_rate_for(family: str, on: datetime.date) -> RepairBonusRate | None:
    return (
        RepairBonusRate.objects.filter(family=family, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("-valid_from")
        .first()
    )


def site_labelled(site, on: datetime.date) -> bool:
    return (
        BonusLabel.objects.filter(site=site, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .exists()
    )


def bonus_check(*, case, total_ttc: Decimal, on: datetime.date) -> BonusCheck:
    """Eligibility of a repair to the bonus: labelled site, amount for the category, out of warranty,
    household customer, minimum repair amount; the bonus never exceeds the repair's price."""
    appliance, customer = case.appliance, case.customer
    rate = bonus_rate_for(appliance.family, on)
    check = BonusCheck(rate)
    if not site_labelled(case.site, on):
        check.reasons.append(_("le site n'est pas labellisé QualiRépar à cette date"))
    if rate is None:
        check.reasons.append(
            _("aucun bonus n'est prévu pour la famille « %(family)s »")
            % {"family": appliance.get_family_display()}
        )
    if appliance.warranty_end and appliance.warranty_end >= on:
        check.reasons.append(
            _("l'appareil est sous garantie jusqu'au %(date)s")
            % {"date": appliance.warranty_end.strftime("%d/%m/%Y")}
        )
    if customer.kind != CustomerKind.PARTICULIER:
        check.reasons.append(_("le bonus est réservé aux particuliers"))
    if rate is not None and total_ttc < rate.min_repair_ttc:
        check.reasons.append(
            _("la réparation (%(total)s € TTC) n'atteint pas le minimum de %(min)s € TTC")
            % {"total": total_ttc, "min": rate.min_repair_ttc}
        )
    if rate is not None and not check.reasons:
        check.amount = min(rate.amount, total_ttc)
    return check


# ---------------------------------------------------------------- repairability


@dataclass
class Advice:
    recommendation: str
    reasons: list[str]
    repair_ttc: Decimal
    replacement_ttc: Decimal | None
    ratio_percent: Decimal | None
    age_years: int | None

    @property
    def label(self) -> str:
        return str(Recommendation(self.recommendation).label)


def appliance_age(appliance, on: datetime.date) -> int | None:
    if not appliance.purchase_date:
        return None
    d = appliance.purchase_date
    return on.year - d.year - ((on.month, on.day) < (d.month, d.day))


def advise(*, case, repair_ttc: Decimal, replacement_ttc: Decimal | None, has_circular: bool, on) -> Advice:
    """Réparer / réparer avec pièce d'occasion / déconseillé, with the reasons, from RepairabilityRule."""
    rule = RepairabilityRule.objects.filter(family=case.appliance.family).first()
    if replacement_ttc is None and rule is not None:
        replacement_ttc = rule.replacement_price_ttc
    age = appliance_age(case.appliance, on)
    ratio = (repair_ttc * 100 / replacement_ttc).quantize(Decimal("1")) if replacement_ttc else None
    reasons: list[str] = []
    if rule is None or ratio is None:
        reasons.append(_("aucune règle pour cette famille : décision au cas par cas"))
        return Advice(Recommendation.REPARER, reasons, repair_ttc, replacement_ttc, ratio, age)
    too_dear = ratio > rule.max_ratio_percent
    too_old = age is not None and age > rule.max_age_years
    reasons.append(
        _("la réparation coûte %(ratio)s %% du prix d'un appareil neuf (seuil %(max)s %%)")
        % {"ratio": ratio, "max": rule.max_ratio_percent}
    )
    if age is None:
        reasons.append(_("âge inconnu (date d'achat non renseignée)"))
    else:
        reasons.append(
            _("l'appareil a %(age)s (seuil %(max)s ans)")
            % {
                "age": ngettext("%(n)s an", "%(n)s ans", plural_count(age)) % {"n": age},
                "max": rule.max_age_years,
            }
        )
    if too_dear and not has_circular:
        return Advice(Recommendation.DECONSEILLE, reasons, repair_ttc, replacement_ttc, ratio, age)
    if too_dear or too_old:
        if has_circular:
            reasons.append(_("une pièce d'occasion ou reconditionnée réduit le coût"))
            return Advice(Recommendation.REPARER_OCCASION, reasons, repair_ttc, replacement_ttc, ratio, age)
        return Advice(Recommendation.DECONSEILLE, reasons, repair_ttc, replacement_ttc, ratio, age)
    return Advice(Recommendation.REPARER, reasons, repair_ttc, replacement_ttc, ratio, age)
