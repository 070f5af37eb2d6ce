"""The repair orders as the stock reads them (`atelier.stock.repair_orders.RepairOrderSource`).

Registered from QuotesConfig.ready(): quotes imports stock, stock never imports quotes.
"""

from atelier.quotes.models import RepairOrder, RepairOrderPart


class RepairOrders:
    def orders(self):
        return RepairOrder.objects.all()

    def lines(self):
        return RepairOrderPart.objects.all()


def register() -> None:
    from atelier.stock import repair_orders

    repair_orders.register(RepairOrders())
