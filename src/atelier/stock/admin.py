from django.contrib import admin

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
