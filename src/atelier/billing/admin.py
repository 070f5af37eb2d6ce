"""Admin: legal figures, advice sheets and suggestions are editable; documents, payments and the journal are
read-only (no add, change or delete), as the law requires of issued invoices. Unpaid balances and signed
hand-backs are append-only, bonus claims follow their own steps and a site's billing start date is set
through its service (journalled, refused once the site has issued a document): all read-only here."""

from django.contrib import admin

from atelier.billing.models import (
    AdviceSheet,
    BonusClaim,
    ClosingRulesStart,
    Closure,
    HandBack,
    Incident,
    Invoice,
    InvoiceLine,
    JournalEntry,
    LegalFigure,
    Original,
    Payment,
    PaymentAnomaly,
    Suggestion,
    UnpaidBalance,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    fk_name = "invoice"
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "site", "case", "issued_at", "total_ttc"]
    list_filter = ["site", "kind"]
    search_fields = ["number", "case__number"]
    inlines = [InvoiceLineInline]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "method", "amount", "at"]
    list_filter = ["site", "method"]


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    list_display = ["seq", "at", "site", "kind", "reference", "amount"]


@admin.register(Original)
class OriginalAdmin(ReadOnlyAdmin):
    list_display = ["invoice", "created_at", "pdf_sha256", "xml_sha256"]
    list_select_related = ["invoice"]
    search_fields = ["invoice__number"]


@admin.register(Closure)
class ClosureAdmin(ReadOnlyAdmin):
    list_display = ["site", "period", "start", "end", "invoices_ttc", "grand_total"]


@admin.register(LegalFigure)
class LegalFigureAdmin(admin.ModelAdmin):
    list_display = ["kind", "value", "valid_from", "source"]


@admin.register(ClosingRulesStart)
class ClosingRulesStartAdmin(ReadOnlyAdmin):
    """Set from the accounting page (services_rules.billing_start_set), which journals the change."""

    list_display = ["site", "since"]


@admin.register(BonusClaim)
class BonusClaimAdmin(ReadOnlyAdmin):
    list_display = ["invoice", "amount", "reversed_amount", "state", "created_at"]
    list_filter = ["state"]


@admin.register(UnpaidBalance)
class UnpaidBalanceAdmin(ReadOnlyAdmin):
    list_display = ["case", "amount", "assigned_to", "at"]


@admin.register(HandBack)
class HandBackAdmin(ReadOnlyAdmin):
    list_display = ["case", "signer_name", "at", "by"]


@admin.register(AdviceSheet)
class AdviceSheetAdmin(admin.ModelAdmin):
    list_display = ["family", "title"]


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["family", "kind", "designation", "unit_price_ht", "is_active"]
    list_filter = ["family", "kind", "is_active"]


admin.site.register([PaymentAnomaly, Incident])
