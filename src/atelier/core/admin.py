from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from atelier.core.models import ApiToken, NumberSequence, Site, SiteTariff, User, UserRole, VatRate


class SiteTariffInline(admin.TabularInline):
    model = SiteTariff
    extra = 1


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "legal_name", "siret", "city", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name", "legal_name", "siren", "siret", "city"]
    inlines = [SiteTariffInline]


class UserRoleInline(admin.TabularInline):
    model = UserRole
    extra = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [UserRoleInline]
    list_display = ["username", "first_name", "last_name", "email", "is_chain_manager", "is_active"]
    filter_horizontal = ["sites", "groups", "user_permissions"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Atelier"), {"fields": ("sites", "is_chain_manager", "phone")}),
    )


@admin.register(NumberSequence)
class NumberSequenceAdmin(admin.ModelAdmin):
    list_display = ["site", "kind", "year", "last_value"]
    readonly_fields = ["site", "kind", "year", "last_value"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(VatRate)
class VatRateAdmin(admin.ModelAdmin):
    list_display = ["kind", "rate", "valid_from", "valid_until"]
    list_filter = ["kind"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read and revoke (set « révoqué le ») the tokens of anyone, e.g. of someone who left; only their owner
    creates them (the key is shown once, on « Mes jetons d'API »)."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__username"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at", "expires_at"]
    exclude = ["key_hash"]

    def has_add_permission(self, request):
        return False
