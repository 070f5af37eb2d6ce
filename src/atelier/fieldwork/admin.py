from django.contrib import admin

from atelier.fieldwork.models import (
    SafetyFamily,
    SafetyLimit,
    SiteRules,
    Tool,
    ToolCheck,
    ToolIncident,
    ToolKind,
)


@admin.register(ToolKind)
class ToolKindAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "check_interval_days"]
    search_fields = ["name", "code"]


@admin.register(Tool)
class ToolAdmin(admin.ModelAdmin):
    list_display = ["kind", "serial", "site", "holder", "status", "next_check_on"]
    list_filter = ["site", "status", "kind"]
    search_fields = ["serial", "label"]
    # Status and check dates change through the services (checks, quarantine), not by hand.
    readonly_fields = ["status", "last_checked_on", "next_check_on", "quarantine_reason", "quarantined_at"]


@admin.register(ToolCheck)
class ToolCheckAdmin(admin.ModelAdmin):
    list_display = ["tool", "checked_on", "result", "checked_by"]
    list_filter = ["result"]


@admin.register(ToolIncident)
class ToolIncidentAdmin(admin.ModelAdmin):
    list_display = ["tool", "kind", "reported_at", "acknowledged_at"]
    list_filter = ["kind"]


@admin.register(SafetyLimit)
class SafetyLimitAdmin(admin.ModelAdmin):
    list_display = ["appliance_class", "measure", "limit", "valid_from", "source"]
    list_filter = ["appliance_class", "measure"]


@admin.register(SafetyFamily)
class SafetyFamilyAdmin(admin.ModelAdmin):
    list_display = ["family", "default_class"]


@admin.register(SiteRules)
class SiteRulesAdmin(admin.ModelAdmin):
    list_display = ["site", "enforced", "changed_by", "changed_at"]
