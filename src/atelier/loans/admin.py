from django.contrib import admin

from atelier.loans.models import Loan, LoanAppliance


@admin.register(LoanAppliance)
class LoanApplianceAdmin(admin.ModelAdmin):
    list_display = ["code", "site", "family", "label", "condition", "location", "is_active"]
    list_filter = ["site", "family", "condition", "is_active"]


@admin.register(Loan)
class LoanAdmin(admin.ModelAdmin):
    list_display = ["appliance", "case", "lent_at", "due_on", "returned_at"]
    readonly_fields = ["terms", "signature"]
