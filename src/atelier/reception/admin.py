from django.contrib import admin

from atelier.reception.models import Complaint, Counter, PriorityRule, ReceptionSettings, Ticket


@admin.register(PriorityRule)
class PriorityRuleAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "boost_minutes", "is_active", "position"]
    list_editable = ["boost_minutes", "is_active", "position"]


@admin.register(Counter)
class CounterAdmin(admin.ModelAdmin):
    list_display = ["name", "site", "is_active"]
    list_filter = ["site", "is_active"]


@admin.register(ReceptionSettings)
class ReceptionSettingsAdmin(admin.ModelAdmin):
    list_display = ["site", "wait_target_minutes", "default_service_minutes", "measure_days"]


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ["code", "day", "site", "channel", "reason", "status", "counter", "customer"]
    list_filter = ["site", "status", "reason", "channel"]
    date_hierarchy = "day"
    raw_id_fields = ["customer"]
    readonly_fields = [f.name for f in Ticket._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ["created_at", "site", "cause", "customer", "manager_called", "handled_at"]
    list_filter = ["site", "cause", "manager_called"]
    raw_id_fields = ["ticket", "customer", "case"]
