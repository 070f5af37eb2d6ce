from django.contrib import admin

from atelier.quotes.models import (
    BonusLabel,
    Quote,
    QuoteLine,
    RepairabilityRule,
    RepairBonusRate,
    RepairOrder,
    Solution,
    SolutionPart,
    UsedPartCoverage,
    UsedPartExemption,
    WithdrawalRule,
)


@admin.register(UsedPartExemption)
class UsedPartExemptionAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "legal_basis", "detected", "valid_from", "valid_until"]


@admin.register(WithdrawalRule)
class WithdrawalRuleAdmin(admin.ModelAdmin):
    list_display = ["days", "valid_from", "source"]


@admin.register(UsedPartCoverage)
class UsedPartCoverageAdmin(admin.ModelAdmin):
    list_display = ["family", "part_kind", "valid_from", "legal_basis"]


@admin.register(RepairBonusRate)
class RepairBonusRateAdmin(admin.ModelAdmin):
    list_display = ["family", "category", "amount", "min_repair_ttc", "valid_from", "valid_until"]
    list_filter = ["family"]


@admin.register(BonusLabel)
class BonusLabelAdmin(admin.ModelAdmin):
    list_display = ["site", "label_number", "valid_from", "valid_until"]


@admin.register(RepairabilityRule)
class RepairabilityRuleAdmin(admin.ModelAdmin):
    list_display = ["family", "replacement_price_ttc", "max_ratio_percent", "max_age_years"]


class SolutionPartInline(admin.TabularInline):
    model = SolutionPart
    raw_id_fields = ["part"]
    extra = 0


@admin.register(Solution)
class SolutionAdmin(admin.ModelAdmin):
    list_display = ["title", "case", "labour_hours", "created_at"]
    raw_id_fields = ["case"]
    inlines = [SolutionPartInline]


class QuoteLineInline(admin.TabularInline):
    model = QuoteLine
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    """Read-only: quotes change only through their services (an accepted quote never changes)."""

    list_display = ["__str__", "case", "version", "status", "total_ttc", "valid_until"]
    list_filter = ["status"]
    inlines = [QuoteLineInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(RepairOrder)
class RepairOrderAdmin(admin.ModelAdmin):
    list_display = ["number", "case", "promised_on", "technician"]

    def has_change_permission(self, request, obj=None):
        return False
