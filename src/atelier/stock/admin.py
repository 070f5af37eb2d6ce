from django.contrib import admin

from atelier.stock import models, services
from atelier.stock.models import Part


@admin.register(Part)
class PartAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "designation",
        "kind",
        "condition",
        "price_ht",
        "availability",
        "lead_time_days",
    ]
    list_filter = ["condition", "kind", "availability"]
    search_fields = ["reference", "designation", "brand"]
    raw_id_fields = ["equivalent_of"]


@admin.register(models.CodificationRule)
class CodificationRuleAdmin(admin.ModelAdmin):
    list_display = ["site", "pattern", "sequence_digits"]


@admin.register(models.Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "phone", "is_active"]
    search_fields = ["name"]


@admin.register(models.StockLocation)
class StockLocationAdmin(admin.ModelAdmin):
    list_display = ["site", "code", "name", "kind", "technician", "is_active"]
    list_filter = ["site", "kind"]


@admin.register(models.ReorderPoint)
class ReorderPointAdmin(admin.ModelAdmin):
    """Seuils par pièce et par site ; disponible et en commande sont tenus par les services (lecture seule)."""

    list_display = ["part", "site", "minimum", "order_quantity", "available", "on_order"]
    list_filter = ["site"]
    raw_id_fields = ["part"]
    readonly_fields = ["available", "on_order"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:  # a new reorder point starts from the site's figures
            services.reorder_point_refresh(part_id=obj.part_id, site_id=obj.site_id)


@admin.register(models.StockMove)
class StockMoveAdmin(admin.ModelAdmin):
    """The ledger is read-only here: moves are written by the stock services only."""

    list_display = ["at", "kind", "part", "location", "quantity", "actor", "reason"]
    list_filter = ["kind", "location__site"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.SupplierReturn)
class SupplierReturnAdmin(admin.ModelAdmin):
    """Read here; recorded and moved from the stock screens (Stock → Retours fournisseur)."""

    list_display = ["part", "supplier", "site", "serials", "expected_credit", "state", "created_at"]
    list_filter = ["state", "site"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
