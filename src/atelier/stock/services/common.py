"""What every stock service shares: who may do what, quantities as typed, a usable part."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from atelier.core.errors import AtelierError
from atelier.stock.choices import PartStatus
from atelier.stock.models import Part


def fmt_qty(value: Decimal) -> str:
    """2 rather than 2.00 in messages."""
    value = Decimal(value)
    return f"{value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()}"


def _quantity(value, *, field: str = "quantity", allow_zero: bool = False) -> Decimal:
    try:
        qty = Decimal(str(value).replace(",", ".").strip())
    except (InvalidOperation, ValueError):
        raise AtelierError(_("La quantité doit être un nombre."), field=field) from None
    if not qty.is_finite():
        raise AtelierError(_("La quantité doit être un nombre."), field=field)
    if qty < 0 or (qty == 0 and not allow_zero):
        raise AtelierError(_("La quantité doit être positive."), field=field)
    if qty != qty.quantize(Decimal("0.01")) or qty >= Decimal("10000000"):
        raise AtelierError(_("Quantité invalide (deux décimales au plus)."), field=field)
    return qty


def _usable(part: Part) -> None:
    if not part.is_active:
        raise AtelierError(_("La pièce %(ref)s n'est plus active.") % {"ref": part.reference})
    if part.status != PartStatus.VALIDEE:
        raise AtelierError(
            _("La référence %(ref)s doit être validée par une deuxième personne avant d'être utilisée.")
            % {"ref": part.reference}
        )
