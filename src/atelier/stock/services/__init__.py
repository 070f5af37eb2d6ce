"""Writes of the stock, one module per job: catalogue (parts, codification, validation), ledger (moves,
balances, transfers, locations), reservations, purchasing (supplier orders, receptions), inventory (counts),
imports (uploads waiting for their confirmation).

Every public name is re-exported here: `from atelier.stock import services; services.move_record(...)` keeps
working for the other apps.
"""

from atelier.stock.services.catalogue import (
    anomaly_report,
    anomaly_resolve,
    internal_code_next,
    part_create,
    part_supplier_set,
    part_validate,
)
from atelier.stock.services.common import fmt_qty
from atelier.stock.services.imports import (
    pending_import_apply,
    pending_import_parse,
    pending_import_store,
    pending_imports_purge,
)
from atelier.stock.services.inventory import (
    inventory_count_line,
    inventory_open,
    inventory_record_counts,
    inventory_validate,
)
from atelier.stock.services.ledger import (
    ENTRIES,
    EXITS,
    consume_without_case,
    location_create,
    move_record,
    reorder_point_refresh,
    reorder_point_set,
    transfer,
    vans_ensure,
)
from atelier.stock.services.purchasing import (
    serve_waiting_cases,
    supplier_order_cancel,
    supplier_order_create,
    supplier_order_for_repair_order,
    supplier_order_receive,
)
from atelier.stock.services.reservations import (
    consume_for_case,
    consume_for_order_part,
    release_case,
    release_order,
    reservation_cancel,
    reserve_for_order,
    reserve_for_order_part,
)

__all__ = [
    "ENTRIES",
    "EXITS",
    "anomaly_report",
    "consume_without_case",
    "anomaly_resolve",
    "consume_for_case",
    "consume_for_order_part",
    "fmt_qty",
    "internal_code_next",
    "inventory_count_line",
    "inventory_open",
    "inventory_record_counts",
    "inventory_validate",
    "location_create",
    "move_record",
    "part_create",
    "part_supplier_set",
    "part_validate",
    "pending_import_apply",
    "pending_import_parse",
    "pending_import_store",
    "pending_imports_purge",
    "release_case",
    "release_order",
    "reorder_point_refresh",
    "reorder_point_set",
    "reservation_cancel",
    "reserve_for_order",
    "reserve_for_order_part",
    "serve_waiting_cases",
    "supplier_order_cancel",
    "supplier_order_create",
    "supplier_order_for_repair_order",
    "supplier_order_receive",
    "transfer",
    "vans_ensure",
]
