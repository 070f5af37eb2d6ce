"""What other apps read: parts ready for a repair order, parts consumed on a dossier, a technician's van."""

from decimal import Decimal

from atelier.stock import services
from atelier.stock.selectors import consumed_on_case, order_parts_ready, van_location


def test_an_empty_stock_answers_without_raising(make_order, pump, site, technicien):
    order = make_order([(pump, 1)])
    assert order_parts_ready(order) == (False, "1 × POMPE-123 manquante")
    assert consumed_on_case(order.case) == {}
    assert van_location(technicien, site) is None
    assert van_location(None, site) is None
    assert order_parts_ready(make_order([])) == (True, "")


def test_ready_when_reserved_or_in_the_technicians_van(
    make_order, pump, belt, shelf, van, magasinier, technicien
):
    services.move_record(actor=magasinier, part=pump, location=shelf, kind="reception", quantity=1, reason="")
    services.move_record(actor=magasinier, part=belt, location=van, kind="reception", quantity=1, reason="")
    order = make_order([(pump, 2), (belt, 1)])
    assert order_parts_ready(order) == (False, "2 × POMPE-123 manquantes ; 1 × COURROIE-1 manquante")
    services.reserve_for_order_part(order_part=order.parts.get(part=pump), actor=magasinier, quantity=1)
    assert order_parts_ready(order) == (False, "1 × POMPE-123 manquante ; 1 × COURROIE-1 manquante")
    order.technician = technicien
    assert order_parts_ready(order) == (False, "1 × POMPE-123 manquante")
    services.move_record(actor=magasinier, part=pump, location=shelf, kind="reception", quantity=1, reason="")
    services.reserve_for_order(order=order, actor=magasinier)
    assert order_parts_ready(order) == (True, "")
    assert van_location(technicien, site=shelf.site) == van


def test_consumed_on_case_is_exits_minus_returns(make_order, pump, shelf, magasinier, technicien):
    services.move_record(actor=magasinier, part=pump, location=shelf, kind="reception", quantity=3, reason="")
    order = make_order([(pump, 2)])
    services.reserve_for_order(order=order, actor=magasinier)
    services.consume_for_order_part(order_part=order.parts.get(), actor=technicien)
    assert consumed_on_case(order.case) == {pump.pk: Decimal("2")}
    services.move_record(
        actor=technicien,
        part=pump,
        location=shelf,
        kind="retour",
        quantity=1,
        reason="Pas utilisée",
        case=order.case,
    )
    assert consumed_on_case(order.case) == {pump.pk: Decimal("1")}
    assert order_parts_ready(order) == (True, "")


def test_stock_never_imports_quotes():
    """Quotes imports stock (its lines point at parts); stock reads repair orders through repair_orders."""
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[1]
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts and "atelier.quotes" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_dossiers_whose_parts_arrived_are_listed_once_fully_reserved(
    make_order, pump, belt, shelf, magasinier, accueil
):
    """cases_ready_to_resume (the home's « Pièces arrivées ») finds the waiting orders by their keys first:
    none waiting with a reservation answers an empty list; an order with every part reserved is listed, one
    with a part still missing is not, a dossier no longer waiting is not."""
    from atelier.repairs.choices import CaseStatus
    from atelier.stock.selectors import cases_ready_to_resume

    ready = make_order([(pump, 1)])
    partly = make_order([(pump, 1), (belt, 1)])
    moved_on = make_order([(pump, 1)], status=CaseStatus.EN_REPARATION)
    assert cases_ready_to_resume(accueil) == []
    services.move_record(actor=magasinier, part=pump, location=shelf, kind="reception", quantity=3, reason="")
    for order in (ready, partly, moved_on):
        services.reserve_for_order_part(order_part=order.parts.get(part=pump), actor=magasinier, quantity=1)
    assert cases_ready_to_resume(accueil) == [ready.case]
