"""The catalogue: codification, parts and their second-person validation, suppliers, anomalies."""

import re
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.access import require_step
from atelier.core.errors import AtelierError
from atelier.core.locking import lock
from atelier.core.models import Site, User
from atelier.core.permissions import require_site
from atelier.core.services import sequence_next
from atelier.stock.choices import PartCondition, PartStatus
from atelier.stock.models import CodificationRule, Part, PartAnomaly, PartReference, PartSupplier, Supplier

FAMILY_CODES = {
    "lave_linge": "LL",
    "lave_vaisselle": "LV",
    "seche_linge": "SL",
}


def _code_piece(value: str, length: int = 3) -> str:
    letters = re.sub(r"[^A-Z0-9]", "", value.upper().replace("_", ""))
    return letters[:length] or "X"


def internal_code_next(*, site: Site, family: str, kind: str, condition: str) -> str:
    """Next internal code from the site's rule (default {famille}-{type}-{sequence}), numbered per site."""
    rule = CodificationRule.objects.filter(site=site).first()
    pattern = rule.pattern if rule else "{famille}-{type}-{sequence}"
    digits = rule.sequence_digits if rule else 6
    number = sequence_next(site=site, kind="code_piece", year=0)
    values = {
        "famille": FAMILY_CODES.get(family) or _code_piece(family or "GEN", 2),
        "type": _code_piece(kind or "autre"),
        "etat": {"neuf": "N", "reconditionne": "R", "occasion": "O"}.get(condition, "N"),
        "site": site.code,
        "sequence": f"{number:0{digits}d}",
    }
    try:
        return pattern.format(**values)
    except (KeyError, IndexError, ValueError):
        raise AtelierError(
            _(
                "La règle de codification du site est invalide : utilisez {famille}, {type}, {etat}, {site} "
                "et {sequence}."
            )
        ) from None


@transaction.atomic
def part_create(
    *,
    actor: User,
    site: Site,
    reference: str,
    designation: str,
    price_ht,
    kind: str = "autre",
    condition: str = PartCondition.NEUF,
    grade: str = "",
    family: str = "",
    brand: str = "",
    compatible_brands: str = "",
    compatible_models: str = "",
    purchase_price_ht=None,
    vat_kind: str = "normal",
    equivalent_of: Part | None = None,
    other_references: Sequence[tuple[str, str, bool]] = (),
    step: str = "stock.manage",
) -> Part:
    """A new reference, « à valider » until a second person checks it against its description. `step` is the
    permission that allows it: the stock keeper's, or another app's own (a part recovered by dismantling an
    appliance of the second life, refurbishment.dismantle) — the validation stays the stock keeper's."""
    require_step(actor, step, site=site)
    require_site(actor, site)
    reference = reference.strip().upper()
    if not reference:
        raise AtelierError(_("Indiquez la référence du fabricant."), field="reference")
    if Part.objects.filter(reference__iexact=reference).exists():
        raise AtelierError(_("La référence %(ref)s existe déjà.") % {"ref": reference}, field="reference")
    if condition == PartCondition.OCCASION and not grade:
        raise AtelierError(_("Indiquez le grade d'une pièce d'occasion."), field="grade")
    if condition != PartCondition.OCCASION and grade:
        raise AtelierError(_("Le grade ne concerne que les pièces d'occasion."), field="grade")
    part = Part(
        reference=reference,
        designation=designation.strip(),
        kind=kind,
        condition=condition,
        grade=grade,
        family=family,
        brand=brand.strip(),
        compatible_brands=compatible_brands.strip(),
        compatible_models=compatible_models.strip(),
        price_ht=price_ht,
        purchase_price_ht=purchase_price_ht,
        vat_kind=vat_kind,
        equivalent_of=equivalent_of,
        status=PartStatus.A_VALIDER,
        created_by=actor,
    )
    part.full_clean(exclude=["internal_code"])
    part.internal_code = internal_code_next(site=site, family=family, kind=kind, condition=condition)
    part.save()
    for ref, ref_brand, is_equivalent in other_references:
        if ref.strip():
            PartReference.objects.get_or_create(
                part=part,
                reference=ref.strip().upper(),
                defaults={"brand": ref_brand.strip(), "is_equivalent": is_equivalent},
            )
    return part


@transaction.atomic
def part_validate(*, part: Part, actor: User, accept: bool = True, at=None) -> Part:
    """The second person's check: the reference matches its description (or is refused)."""
    require_step(actor, "stock.manage")
    fresh = lock(part)
    if fresh.status != PartStatus.A_VALIDER:
        raise AtelierError(_("Cette référence n'est pas en attente de validation."))
    if fresh.created_by_id == actor.pk:
        raise AtelierError(_("Une autre personne que son auteur doit valider la référence."))
    fresh.status = PartStatus.VALIDEE if accept else PartStatus.REFUSEE
    fresh.is_active = accept
    fresh.validated_by = actor
    fresh.validated_at = at or timezone.now()
    fresh.save(update_fields=["status", "is_active", "validated_by", "validated_at"])
    return fresh


@transaction.atomic
def part_supplier_set(
    *, part: Part, actor: User, supplier: Supplier, supplier_ref: str, price_ht, lead_time_days: int = 0
) -> PartSupplier:
    require_step(actor, "stock.manage")
    if Decimal(price_ht) < 0:
        raise AtelierError(_("Le prix ne peut pas être négatif."), field="price_ht")
    link, _created = PartSupplier.objects.update_or_create(
        part=part,
        supplier=supplier,
        defaults={
            "supplier_ref": supplier_ref.strip(),
            "price_ht": price_ht,
            "lead_time_days": lead_time_days,
        },
    )
    return link


@transaction.atomic
def anomaly_report(*, part: Part, actor: User, site: Site, description: str) -> PartAnomaly:
    """Anyone working on the site reports what is wrong with a reference; the stock keeper sees it at home."""
    require_site(actor, site)
    description = description.strip()
    if not description:
        raise AtelierError(_("Décrivez l'anomalie."), field="description")
    return PartAnomaly.objects.create(part=part, site=site, description=description, reported_by=actor)


@transaction.atomic
def anomaly_resolve(*, anomaly: PartAnomaly, actor: User, resolution: str) -> PartAnomaly:
    require_step(actor, "stock.manage", site=anomaly.site)
    require_site(actor, anomaly.site)
    if anomaly.resolved_at:
        raise AtelierError(_("Cette anomalie est déjà traitée."))
    if not resolution.strip():
        raise AtelierError(_("Indiquez la suite donnée."), field="resolution")
    anomaly.resolution = resolution.strip()
    anomaly.resolved_by = actor
    anomaly.resolved_at = timezone.now()
    anomaly.save(update_fields=["resolution", "resolved_by", "resolved_at"])
    return anomaly
