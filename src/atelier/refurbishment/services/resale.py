"""Resale of a second-life appliance (issue 20, point 5): the sale leaves stock through the appliance's ledger
(the sale line, under the row lock: sold twice at once gives one sale and « déjà vendu ») and the invoice is
issued by billing (numbered, journalled, archived) with the legal guarantee of conformity of used goods in
force that day, the shop's commercial guarantee if it gives one, the wording the refurbishment allows
(« reconditionné » only where the décret's conditions were recorded), the grade, and the appliance's past."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from atelier.core.access import require_step
from atelier.core.errors import AtelierError
from atelier.core.models import User
from atelier.core.wording import plural_count
from atelier.customers.models import Customer
from atelier.refurbishment.choices import MoveKind
from atelier.refurbishment.choices_procedures import FunctionalVerdict, RefurbishmentStatus, SaleWording
from atelier.refurbishment.models import StockAppliance
from atelier.refurbishment.models_resale import ApplianceSale, UsedGoodsGuarantee
from atelier.refurbishment.services.moves import _refuse_unless_saleable, appliance_sell

MAX_COMMERCIAL_MONTHS = 60


def guarantee_in_force(on) -> UsedGoodsGuarantee:
    row = UsedGoodsGuarantee.objects.filter(valid_from__lte=on).order_by("-valid_from").first()
    if row is None:
        raise AtelierError(
            _("Aucune garantie légale des biens d'occasion n'est en vigueur au %(d)s.")
            % {"d": f"{on:%d/%m/%Y}"}
        )
    return row


def legal_guarantee_text(row: UsedGoodsGuarantee) -> str:
    return _(
        "Garantie légale de conformité : %(m)s mois à compter de la délivrance de l'appareil ; pour un bien vendu "
        "d'occasion, le défaut qui apparaît dans les %(p)s mois est présumé exister à la délivrance. S'y ajoute la "
        "garantie des vices cachés (art. 1641 à 1649 du Code civil). Fondement : %(b)s."
    ) % {"m": row.months, "p": row.presumption_months, "b": row.legal_basis}


def commercial_guarantee_text(site, months: int) -> str:
    """The shop's own guarantee with the elements of C. conso. L217-21 and L217-22; empty for none."""
    if not months:
        return ""
    return _(
        "Garantie commerciale du vendeur : %(m)s mois à compter de la vente, pièces et main-d'œuvre, à l'atelier, "
        "sans supplément de prix ; mise en œuvre sur présentation de la facture. Garant : %(g)s, %(a)s %(pc)s "
        "%(c)s. Indépendamment de cette garantie commerciale, le vendeur reste tenu de la garantie légale de "
        "conformité (art. L217-3 à L217-20 du Code de la consommation) et de la garantie des vices cachés "
        "(art. 1641 à 1648 et 2232 du Code civil)."
    ) % {
        "m": months,
        "g": site.legal_name or site.name,
        "a": site.address,
        "pc": site.postcode,
        "c": site.city,
    }


def appliance_history(appliance: StockAppliance) -> list[str]:
    """Its past as told to the buyer: where it came from, its triage, each refurbishment (steps repaired,
    parts replaced, data erased), oldest first."""
    lines = [
        _("Entré en stock le %(d)s : %(o)s.")
        % {"d": f"{timezone.localtime(appliance.entered_at):%d/%m/%Y}", "o": appliance.get_origin_display()}
    ]
    for triage in appliance.triages.order_by("done_at", "pk"):
        lines.append(
            _("Tri du %(d)s : %(o)s.")
            % {"d": f"{timezone.localtime(triage.done_at):%d/%m/%Y}", "o": triage.get_outcome_display()}
        )
    refurbishments = appliance.refurbishments.filter(status=RefurbishmentStatus.TERMINE).order_by(
        "finished_at"
    )
    for refurbishment in refurbishments.prefetch_related("results", "parts__part", "erasures"):
        day = f"{timezone.localtime(refurbishment.finished_at):%d/%m/%Y}"
        lines.append(
            _("Reconditionnement terminé le %(d)s : %(v)s.")
            % {"d": day, "v": refurbishment.get_verdict_display()}
        )
        for result in refurbishment.results.all():
            if result.repair:
                lines.append(_("Réparé (%(s)s) : %(r)s.") % {"s": result.label, "r": result.repair})
        parts = refurbishment.parts.all()
        if parts:
            lines.append(
                ngettext("Pièce remplacée : %(p)s.", "Pièces remplacées : %(p)s.", plural_count(len(parts)))
                % {"p": ", ".join(f"{p.part.reference} {p.part.designation}".strip() for p in parts)}
            )
        erasures = list(refurbishment.erasures.all())
        if erasures and erasures[0].succeeded:
            wiped = erasures[0]
            lines.append(
                _("Données de l'utilisateur précédent effacées le %(d)s (%(m)s).")
                % {"d": f"{timezone.localtime(wiped.finished_at):%d/%m/%Y}", "m": wiped.get_method_display()}
            )
    return lines


def _lower_first(text: str) -> str:
    """« Reconditionné en France » → « reconditionné en France » (inside a sentence)."""
    return text[:1].lower() + text[1:]


def _last_refurbishment(appliance: StockAppliance):
    return (
        appliance.refurbishments.filter(status=RefurbishmentStatus.TERMINE)
        .order_by("-finished_at", "-pk")
        .first()
    )


@transaction.atomic
def appliance_resell(
    *,
    actor: User,
    appliance: StockAppliance,
    price,
    customer: Customer | None,
    commercial_months=0,
    at=None,
) -> ApplianceSale:
    """Sell an appliance to a customer of its site and issue the invoice; every check of the sale (state,
    reservation, price, lock) is `appliance_sell`'s, run first, so a refusal writes nothing."""
    from atelier.billing.goods import GoodsLine, goods_invoice_issue

    require_step(actor, "refurbishment.sell", site=appliance.site_id)
    _refuse_unless_saleable(StockAppliance.objects.get(pk=appliance.pk))  # the state first (again under lock)
    if customer is None:
        raise AtelierError(_("Choisissez le client : la facture est établie à son nom."), field="customer")
    try:
        months = int(commercial_months or 0)
    except (TypeError, ValueError):
        months = -1
    if not 0 <= months <= MAX_COMMERCIAL_MONTHS:
        raise AtelierError(
            _("Garantie commerciale : de 0 (aucune) à %(n)s mois.") % {"n": MAX_COMMERCIAL_MONTHS},
            field="commercial_months",
        )
    refurbishment = _last_refurbishment(appliance)
    conform = refurbishment is not None and refurbishment.verdict == FunctionalVerdict.CONFORME
    wording = refurbishment.wording if conform else SaleWording.OCCASION
    reason = _("vendu : %(w)s") % {"w": _lower_first(str(SaleWording(wording).label))}
    sold = appliance_sell(
        actor=actor, appliance=appliance, price=price, customer=customer, at=at, reason=reason
    )
    move = sold.moves.filter(kind=MoveKind.VENTE).order_by("-at", "-pk").first()
    assert move is not None and sold.sale_price is not None  # written by appliance_sell just now
    grade = str(refurbishment.grade) if conform and refurbishment.grade else ""
    on = timezone.localdate(move.at)
    legal = legal_guarantee_text(guarantee_in_force(on))
    commercial = commercial_guarantee_text(sold.site, months)
    history = appliance_history(sold)
    identity = f"{sold.get_family_display()} {sold.brand} {sold.model_ref}".strip()
    serial = _(", n° de série %(s)s") % {"s": sold.serial_number} if sold.serial_number else ""
    designation = _("%(a)s%(s)s — %(w)s%(g)s (appareil %(n)s)") % {
        "a": identity,
        "s": serial,
        "w": _lower_first(str(SaleWording(wording).label)),
        "g": _(", grade %(g)s") % {"g": grade} if grade else "",
        "n": sold.number,
    }
    mentions = {
        "appliance": _("Appareil %(n)s : %(a)s%(s)s.") % {"n": sold.number, "a": identity, "s": serial},
        "reference": sold.number,
        "guarantee": legal,
        "history": history,
        "wording": str(SaleWording(wording).label),
    }
    if commercial:
        mentions["commercial_guarantee"] = commercial
    if grade:
        mentions["grade"] = grade
    invoice = goods_invoice_issue(
        site=sold.site,
        customer=customer,
        lines=[GoodsLine(designation=designation, price_ttc=sold.sale_price)],
        extra_mentions=mentions,
        actor=actor,
        at=move.at,
    )
    return ApplianceSale.objects.create(
        appliance=sold,
        move=move,
        refurbishment=refurbishment,
        customer=customer,
        price=sold.sale_price,
        wording=wording,
        grade=grade,
        legal_guarantee=legal,
        commercial_guarantee=commercial,
        history=history,
        invoice=invoice,
        sold_by=actor,
        sold_at=move.at,
    )
