"""Admin ("Paramètres") for customer files, appliances and the legal warranty rules.

The customer form uses the services' normalisers, so a phone typed here is stored in E.164 too.
"""

from django.contrib import admin

from atelier.customers.choices import ConsentSource
from atelier.customers.forms import CustomerAdminForm
from atelier.customers.models import Appliance, Customer, WarrantyRule
from atelier.customers.services import consent_snapshot, record_consents


class ApplianceInline(admin.TabularInline):
    model = Appliance
    extra = 0
    fields = ["family", "brand", "model_ref", "serial_number", "purchase_date", "warranty_end"]
    show_change_link = True


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    form = CustomerAdminForm
    list_display = ["display_name", "phone", "email", "postcode", "city", "site", "created_at"]
    list_filter = [
        "site",
        "kind",
        "preferred_contact",
        "needs_reduced_mobility",
        "needs_hearing",
        "needs_low_vision",
        "consent_contact",
    ]
    search_fields = [
        "last_name",
        "first_name",
        "company_name",
        "search_name",
        "phone",
        "phone2",
        "email",
        "postcode",
        "appliances__serial_number",
    ]
    readonly_fields = ["latitude", "longitude", "consent_at", "created_at", "created_by"]
    list_select_related = ["site"]
    date_hierarchy = "created_at"
    inlines = [ApplianceInline]

    def save_model(self, request, obj, form, change):
        """The admin saves without the services: its consent changes are written to the history here."""
        before = consent_snapshot(Customer.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        record_consents(obj, before, actor=request.user, source=ConsentSource.ADMIN)

    @admin.display(description="client", ordering="last_name")
    def display_name(self, obj: Customer) -> str:
        return obj.display_name


@admin.register(Appliance)
class ApplianceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "serial_number", "customer", "purchase_date", "warranty_end", "bought_new"]
    list_filter = ["family", "bought_new", "customer__site"]
    search_fields = ["brand", "model_ref", "serial_number", "customer__last_name", "customer__company_name"]
    list_select_related = ["customer"]
    autocomplete_fields = ["customer"]
    date_hierarchy = "purchase_date"


@admin.register(WarrantyRule)
class WarrantyRuleAdmin(admin.ModelAdmin):
    list_display = ["valid_from", "bought_new", "months", "label"]
    list_filter = ["bought_new"]
