"""Demo refurbishments (Paris, issue 20 points 3 and 5): the lot's television refurbished step by step with its
data erased → « reconditionné en France », sold with its invoice and a six-month commercial guarantee; the
lot's oven refurbished → grade B, priced, waiting on its shelf; a dishwasher « à réparer » whose refurbishment
is in progress (a failed step). Written through the product's services; idempotent."""

import datetime

from django.utils import timezone

from atelier.customers.models import Customer
from atelier.fieldwork.models import Tool
from atelier.refurbishment import services
from atelier.refurbishment.models import Refurbishment, StockAppliance

GOOD = {
    "pe_resistance": "0,08 Ω",
    "insulation": "> 200 MΩ",
    "pe_current": "0,3 mA",
    "touch_current": "0,05 mA",
}


def _steps(tech, refurbishment, pat, *, failing=()):
    for step in services.procedure(refurbishment.appliance.family):
        if step.kind == "effacement":
            continue
        if step.kind == "securite":
            services.refurbishment_step_record(
                actor=tech,
                refurbishment=refurbishment,
                step_code=step.code,
                appliance_class="I",
                measurements=GOOD,
                instrument=pat,
            )
        else:
            ok = step.code not in failing
            services.refurbishment_step_record(
                actor=tech,
                refurbishment=refurbishment,
                step_code=step.code,
                passed=ok,
                measured="" if ok else "Eau froide en fin de cycle",
            )


def load(*, sites, users, rng) -> dict[str, int]:
    site = sites["PAR1"]
    if Refurbishment.objects.filter(appliance__site=site).exists():
        return {}
    tech, desk = users["technicien"], users["accueil"]
    pat = Tool.objects.filter(site=site, kind__code="testeur-pat").order_by("pk").first()
    lot = StockAppliance.objects.filter(site=site, lot__isnull=False, state="a_reconditionner")
    tv = lot.filter(family="televiseur", triage_outcome="valide").first()
    oven = lot.filter(family="cuisson", triage_outcome="valide").first()
    dishwasher = lot.filter(family="lave_vaisselle", triage_outcome="a_reparer").first()
    if pat is None or tv is None or oven is None:
        return {}
    done = 0
    refurbishment = services.refurbishment_start(actor=tech, appliance=tv)
    _steps(tech, refurbishment, pat)
    now = timezone.now()
    services.data_erasure_record(
        actor=tech,
        refurbishment=refurbishment,
        medium="Mémoire interne eMMC 8 Go (webOS)",
        method="reset",
        tool="Réinitialisation d'usine du menu Assistance",
        passes_requested=1,
        passes_done=1,
        verified=True,
        verification="Assistant de première installation affiché ; aucun compte, réseau Wi-Fi ni appli restant",
        warnings="Compte LG du précédent propriétaire délié par le menu avant la réinitialisation",
        started_at=now - datetime.timedelta(minutes=20),
        finished_at=now,
    )
    services.refurbishment_finish(
        actor=tech, refurbishment=refurbishment, verdict="conforme", grade="A", price="229.00"
    )
    buyer = Customer.objects.filter(site=site, anonymised_at__isnull=True).order_by("pk").first()
    if buyer is not None:
        services.appliance_resell(
            actor=desk, appliance=tv, price="229.00", customer=buyer, commercial_months=6
        )
    done += 1
    refurbishment = services.refurbishment_start(actor=tech, appliance=oven)
    _steps(tech, refurbishment, pat)
    services.refurbishment_finish(
        actor=tech, refurbishment=refurbishment, verdict="conforme", grade="B", price="159.00"
    )
    done += 1
    if dishwasher is not None:
        refurbishment = services.refurbishment_start(actor=tech, appliance=dishwasher)
        _steps(tech, refurbishment, pat, failing=("essai_intensif",))
        done += 1
    return {"reconditionnements": done}
