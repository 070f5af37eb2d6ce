"""Admin of disputes: the sites' settings (reply deadline, mediation delay) and a read view of the disputes. The
mediator himself is set in « Réglages après-vente » (aftersales)."""

from django.contrib import admin

from atelier.disputes import models


@admin.register(models.DisputeSettings)
class DisputeSettingsAdmin(admin.ModelAdmin):
    list_display = ["site", "reply_days", "mediation_after_days"]


class DisputeEventInline(admin.TabularInline):
    model = models.DisputeEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "kind", "label", "note"]


@admin.register(models.Dispute)
class DisputeAdmin(admin.ModelAdmin):
    list_display = ["number", "site", "customer", "source", "state", "outcome", "reply_due"]
    list_filter = ["state", "outcome", "site"]
    search_fields = ["number", "customer__last_name"]
    inlines = [DisputeEventInline]

    # opening and changes go through the screens' services (number, timeline, letters, credit notes)
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
