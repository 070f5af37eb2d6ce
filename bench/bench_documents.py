"""Quote PDF: median time to render one quote (HTML template → WeasyPrint → PDF bytes); target under 300 ms.

    .venv/bin/python bench/bench_documents.py [--runs 30]

Builds a throw-away SQLite database in a temporary folder, one site, one customer, one dossier, a quote of
eight lines (labour, parts new and used, travel, diagnosis, two VAT rates), then renders its PDF `runs` times
after one warm-up (the first render loads fonts and pango) and prints the median and the 95th percentile.
"""

import argparse
import datetime
import os
import statistics
import tempfile
import time
from decimal import Decimal

from benchsetup import django_for_bench  # bench/ is sys.path[0] when run as a script


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    os.environ["ATELIER_DATA_DIR"] = tempfile.mkdtemp(prefix="atelier-bench-")
    os.environ.pop("DATABASE_URL", None)
    django_for_bench()

    from atelier.core.choices import Role, TariffKind
    from atelier.core.models import SiteTariff
    from atelier.core.tests.factories import SiteFactory, UserFactory
    from atelier.customers.models import Appliance, Customer
    from atelier.quotes import services
    from atelier.quotes.documents import quote_pdf
    from atelier.repairs.choices import WorkLocation
    from atelier.repairs.services import case_open, case_prediagnose
    from atelier.stock.choices import Availability, PartCondition, PartKind
    from atelier.stock.models import Part

    site = SiteFactory(code="BEN1", name="Bench")
    SiteTariff.objects.create(
        site=site, kind=TariffKind.DIAGNOSIS_FEE, amount=Decimal("35"), valid_from=datetime.date(2024, 1, 1)
    )
    user = UserFactory(username="bench", roles=[Role.ACCUEIL], sites=[site])
    customer = Customer.objects.create(
        site=site,
        last_name="Durand",
        first_name="Léa",
        phone="+33612345678",
        address="3 rue des Lilas",
        postcode="75011",
        city="Paris",
    )
    appliance = Appliance.objects.create(
        customer=customer, family="lave_linge", brand="Bosch", model_ref="WAN28208FF"
    )
    case = case_open(
        actor=user,
        customer=customer,
        appliance=appliance,
        customer_words="Ne vidange plus.",
        location=WorkLocation.DOMICILE,
    )
    case_prediagnose(case=case, actor=user, note="Pompe bloquée.")
    parts = [
        Part.objects.create(
            reference=f"REF-{i}",
            designation=f"Pièce {i}",
            kind=PartKind.MECANIQUE,
            price_ht=Decimal("12.40") * i,
            condition=PartCondition.OCCASION if i % 2 else PartCondition.NEUF,
            availability=Availability.EN_STOCK,
        )
        for i in range(1, 5)
    ]
    solution = services.solution_create(
        case=case,
        actor=user,
        title="Remplacement pompe et courroie",
        work_description="Pompe, courroie, essais.",
        labour_hours="1.75",
        parts=[(p, 1) for p in parts],
        include_travel=True,
        include_diagnosis=True,
    )
    quote = services.quote_create(case=case, actor=user, solution=solution)
    services.quote_add_line(
        quote=quote,
        actor=user,
        kind="autre",
        designation="Produit détartrant",
        quantity="1",
        unit_price_ht="8.90",
        vat_kind="reduit",
    )
    quote_pdf(quote)  # warm-up: fonts, pango
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        pdf = quote_pdf(quote)
        times.append((time.perf_counter() - start) * 1000)
    assert pdf[:5] == b"%PDF-"
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 2 else times[0]
    print(
        f"Devis PDF ({quote.lines.count()} lignes) : médiane {statistics.median(times):.0f} ms, "
        f"95e centile {p95:.0f} ms sur {args.runs} rendus (objectif < 300 ms)"
    )


if __name__ == "__main__":
    main()
