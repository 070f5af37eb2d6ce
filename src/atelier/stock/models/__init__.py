"""Parts and stock: the catalogue (codification, suppliers), the ledger of moves per location with its
balance rows, reservations for repair orders, supplier orders, inventory counts and pending imports.

One module per job; every model is re-exported here (`from atelier.stock.models import Part` keeps working).
"""

from atelier.stock.models.catalogue import (
    CodificationRule,
    Part,
    PartAnomaly,
    PartReference,
    PartSupplier,
    Supplier,
)
from atelier.stock.models.imports import PENDING_IMPORT_LIFETIME, PendingImport
from atelier.stock.models.inventory import InventoryCount, InventoryLine
from atelier.stock.models.ledger import ReorderPoint, Reservation, StockBalance, StockLocation, StockMove
from atelier.stock.models.purchasing import SupplierOrder, SupplierOrderLine
from atelier.stock.models.returns import SupplierReturn

__all__ = [
    "PENDING_IMPORT_LIFETIME",
    "CodificationRule",
    "InventoryCount",
    "InventoryLine",
    "Part",
    "PartAnomaly",
    "PartReference",
    "PartSupplier",
    "PendingImport",
    "ReorderPoint",
    "Reservation",
    "StockBalance",
    "StockLocation",
    "StockMove",
    "Supplier",
    "SupplierOrder",
    "SupplierOrderLine",
    "SupplierReturn",
]
