"""The repair order of an accepted quote: numbered, the work and the parts defined, parts reserved or ordered,
and the dossier moved on (waiting for parts, planned visit, in the workshop)."""

import datetime
from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.access import require_step
from atelier.core.errors import AtelierError
from atelier.core.locking import lock
from atelier.core.models import User
from atelier.core.permissions import require_site
from atelier.core.services import sequence_next
from atelier.quotes.choices import LineKind, PartAction, QuoteStatus
from atelier.quotes.models import Quote, RepairOrder, RepairOrderPart
from atelier.quotes.skills import checked_codes, skill_choices, split_codes, tool_choices
from atelier.repairs import services as case_services
from atelier.repairs.choices import WorkLocation
from atelier.stock.choices import Availability

# Work other apps do when a repair order is made, in its transaction, once the dossier has moved on
# (registered in their AppConfig.ready(): the planning makes the home visit to plan). (order) -> None
after_order_created: list[Callable[[RepairOrder], None]] = []


@transaction.atomic
def repair_order_create(
    *,
    quote: Quote,
    actor: User,
    promised_on: datetime.date,
    skills: Iterable[str] = (),
    tools: Iterable[str] = (),
    technician: User | None = None,
    planned_for: datetime.datetime | None = None,
) -> RepairOrder:
    """The repair order of an accepted quote; parts reserved or ordered; the dossier moves on accordingly:
    parts to order → en attente de pièces; home visit with technician and date → planifié; workshop → en
    atelier; a home visit without a date stays accepté for the planner. Skills and tools are codes from the
    registered lists (quotes.skills), never free text."""
    require_step(actor, "quotes.order", site=quote.case.site)
    require_site(actor, quote.case.site)
    fresh = lock(quote, related=("case", "case__site"))
    if fresh.status != QuoteStatus.ACCEPTE:
        raise AtelierError(_("Un ordre de réparation se fait depuis un devis accepté."))
    if RepairOrder.objects.filter(quote=fresh).exists():
        raise AtelierError(_("Ce devis a déjà son ordre de réparation."))
    _require_withdrawal_cleared(fresh, timezone.localdate())
    case = fresh.case
    if promised_on < timezone.localdate():
        raise AtelierError(_("Le délai promis ne peut pas être dans le passé."), field="promised_on")
    if (technician is None) != (planned_for is None):
        raise AtelierError(_("Choisissez le technicien et la date de l'intervention."), field="technician")
    skill_codes = checked_codes(skills, skill_choices(), field="skills")
    tool_codes = checked_codes(tools, tool_choices(), field="tools")
    year = timezone.localdate().year
    order = RepairOrder(
        quote=fresh,
        case=case,
        number=f"OR-{case.site.code}-{year}-{sequence_next(site=case.site, kind='ordre', year=year):06d}",
        work_to_do=fresh.nature_of_work,
        location=case.location,
        promised_on=promised_on,
        skills=skill_codes,
        tools=tool_codes,
        technician=technician,
        planned_for=planned_for,
        created_by=actor,
    )
    order.full_clean()
    order.save()
    _require_tool_kinds(order)
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
    for hook in after_order_created:
        hook(order)
    return order


def _require_withdrawal_cleared(quote: Quote, today: datetime.date) -> None:
    """A quote accepted at home or online: the repair starts inside the withdrawal period only at the
    customer's express request (L221-25), unless it is the urgent home repair they asked for (L221-28 8°,
    then there is no period)."""
    if quote.has_withdrawal_right and quote.early_start_at is None and today <= quote.withdrawal_ends_on:
        raise AtelierError(
            _(
                "Le client peut se rétracter jusqu'au %(date)s (art. L221-18 du Code de la consommation) : la "
                "réparation ne commence avant qu'à sa demande expresse (art. L221-25). Notez sa demande sur le "
                "devis %(number)s ou attendez la fin du délai."
            )
            % {"date": quote.withdrawal_ends_on.strftime("%d/%m/%Y"), "number": quote.number}
        )


def _require_tool_kinds(order: RepairOrder) -> None:
    """The chosen tool kinds become the order's required tools (what the start of the repair checks)."""
    from atelier.fieldwork.models import RequiredToolKind, ToolKind

    kinds = ToolKind.objects.filter(code__in=split_codes(order.tools))
    RequiredToolKind.objects.bulk_create([RequiredToolKind(order=order, kind=kind) for kind in kinds])
