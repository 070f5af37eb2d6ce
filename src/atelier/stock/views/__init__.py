"""Stock screens, one module per job: levels and ledger, catalogue, purchasing (parts to order, supplier
orders), a repair order's parts, inventories, import / export. Thin: reads via selectors, writes via services
through core.actions. Every view is re-exported here for the URLs."""

from atelier.stock.views.catalogue import (
    anomaly_resolve,
    part_anomaly,
    part_create,
    part_detail,
    part_list,
    part_supplier,
    part_validate,
)
from atelier.stock.views.inventory import inventory_detail, inventory_list
from atelier.stock.views.ledger import move_create, move_list, stock_index, transfer_create
from atelier.stock.views.purchasing import supplier_order_detail, supplier_order_list, to_order
from atelier.stock.views.repair_orders import pick_list, repair_order_action, repair_order_stock
from atelier.stock.views.returns import supplier_return_detail, supplier_return_list
from atelier.stock.views.transfers import export_file, import_file

__all__ = [
    "supplier_return_detail",
    "supplier_return_list",
    "anomaly_resolve",
    "export_file",
    "import_file",
    "inventory_detail",
    "inventory_list",
    "move_create",
    "move_list",
    "part_anomaly",
    "part_create",
    "part_detail",
    "part_list",
    "part_supplier",
    "part_validate",
    "pick_list",
    "repair_order_action",
    "repair_order_stock",
    "stock_index",
    "supplier_order_detail",
    "supplier_order_list",
    "to_order",
    "transfer_create",
]
