"""The shop's own repair guarantee, as a commercial guarantee must be written (Code de la consommation
L217-21 and L217-22): its content, how to use it, its price, its duration, its territory, the guarantor's
name and address, and the statement that the legal guarantees remain. Printed on quotes and invoices.

The duration is the site's (aftersales.RepairGuaranteeTerm, dated); a site without one follows the global
dated figure billing « garantie_reparation_jours »."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RepairGuarantee:
    days: int
    covers: str
    guarantor: str
    address: str

    @property
    def content(self) -> str:
        return _(
            "Garantie commerciale de la réparation : %(covers)s, pour la même panne que celle réparée ; "
            "l'atelier reprend gratuitement la réparation (pièces remplacées et main-d'œuvre)."
        ) % {"covers": self.covers}

    @property
    def duration(self) -> str:
        return _("Durée : %(days)s jours à compter de la remise de l'appareil réparé.") % {"days": self.days}

    @property
    def conditions(self) -> str:
        return _(
            "Mise en œuvre : présenter la facture à l'atelier ou nous contacter ; la garantie est comprise dans "
            "le prix de la réparation, sans supplément."
        )

    @property
    def territory(self) -> str:
        return _("Étendue territoriale : France métropolitaine, à l'atelier ou dans sa zone d'intervention.")

    @property
    def guarantor_line(self) -> str:
        return _("Garant : %(name)s, %(address)s.") % {"name": self.guarantor, "address": self.address}

    @property
    def legal_reminder(self) -> str:
        return _(
            "Indépendamment de cette garantie commerciale, %(name)s reste tenu de la garantie légale de "
            "conformité mentionnée aux articles L217-3 à L217-20 du Code de la consommation et de la garantie "
            "relative aux défauts de la chose vendue, dans les conditions prévues aux articles 1641 à 1648 et "
            "2232 du Code civil (art. L217-22 du Code de la consommation)."
        ) % {"name": self.guarantor}

    @property
    def paragraphs(self) -> list[str]:
        return [
            self.content,
            self.duration,
            self.conditions,
            self.territory,
            self.guarantor_line,
            self.legal_reminder,
        ]

    @property
    def text(self) -> str:
        return " ".join(self.paragraphs)


def repair_guarantee_days(site, on: datetime.date) -> tuple[int, str] | None:
    """(days, what is covered) of the site's repair guarantee in force on `on`; None when none is set."""
    from atelier.aftersales.models import RepairGuaranteeTerm
    from atelier.billing.choices import RuleKind
    from atelier.billing.models import LegalFigure

    term = RepairGuaranteeTerm.objects.filter(site=site, valid_from__lte=on).order_by("-valid_from").first()
    if term is not None:
        return term.days, term.covers
    figure = (
        LegalFigure.objects.filter(kind=RuleKind.REPAIR_WARRANTY_DAYS, valid_from__lte=on)
        .order_by("-valid_from")
        .first()
    )
    if figure is not None:
        return int(figure.value), _("pièces et main-d'œuvre")
    return None


def repair_guarantee_terms(site, on: datetime.date) -> RepairGuarantee | None:
    found = repair_guarantee_days(site, on)
    if found is None:
        return None
    days, covers = found
    address = ", ".join(p for p in (site.address, f"{site.postcode} {site.city}".strip()) if p)
    return RepairGuarantee(days=days, covers=covers, guarantor=site.legal_name or site.name, address=address)
