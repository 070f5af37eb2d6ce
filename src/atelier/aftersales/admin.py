"""Admin of after-sales reference data (manufacturer warranties, claim types and questions, refusal reasons, the
sites' repair guarantee and mediator) and a read view of contracts and claims."""

from django.contrib import admin

from atelier.aftersales import models


@admin.register(models.ManufacturerWarranty)
class ManufacturerWarrantyAdmin(admin.ModelAdmin):
    list_display = ["brand", "family", "months", "covers", "valid_from", "valid_until"]
    list_filter = ["family"]
    search_fields = ["brand", "label"]


class ClaimQuestionInline(admin.TabularInline):
    model = models.ClaimQuestion
    extra = 0


@admin.register(models.ClaimType)
class ClaimTypeAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "position", "is_active"]
    inlines = [ClaimQuestionInline]


@admin.register(models.RefusalReason)
class RefusalReasonAdmin(admin.ModelAdmin):
    list_display = ["label", "legal_basis", "position", "is_active"]


@admin.register(models.RepairGuaranteeTerm)
class RepairGuaranteeTermAdmin(admin.ModelAdmin):
    list_display = ["site", "valid_from", "days", "covers"]


@admin.register(models.AftersalesSettings)
class AftersalesSettingsAdmin(admin.ModelAdmin):
    list_display = ["site", "mediator_name", "mediator_website"]


@admin.register(models.ApplianceContract)
class ApplianceContractAdmin(admin.ModelAdmin):
    list_display = ["appliance", "kind", "insurer", "contract_number", "start", "end", "excess"]
    raw_id_fields = ["appliance", "created_by"]


@admin.register(models.MaintenanceContract)
class MaintenanceContractAdmin(admin.ModelAdmin):
    list_display = ["appliance", "number", "start", "end", "visits_per_year", "renews_automatically"]
    raw_id_fields = ["appliance"]


@admin.register(models.Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["number", "site", "customer", "state", "outcome", "repair_return", "opened_at"]
    list_filter = ["state", "outcome", "site"]
    readonly_fields = [f.name for f in models.Claim._meta.fields]

    def has_add_permission(self, request):
        return False  # claims are opened through the service (guided answers, covers checked)


# ---------------------------------------------------------------- third-party payers (issue 18 point 3)


class PayerDeadlineInline(admin.TabularInline):
    model = models.PayerDeadline
    extra = 0


@admin.register(models.Payer)
class PayerAdmin(admin.ModelAdmin):
    """Payers are shared data: their filing deadlines are dated rows (a new deadline from a date, the old one
    kept for the claims filed before it)."""

    list_display = ["name", "kind", "siren", "vat_number", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "siren"]
    inlines = [PayerDeadlineInline]


@admin.register(models.PayerClaim)
class PayerClaimAdmin(admin.ModelAdmin):
    """Read only: a payer claim changes through its page (each change journalled)."""

    list_display = ["case", "payer", "amount", "state", "deadline", "sent_at"]
    list_filter = ["state", "payer"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
