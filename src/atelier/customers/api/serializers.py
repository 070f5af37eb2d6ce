"""API shapes of customers and appliances. They parse types only; the services normalise and validate, so the
API accepts '06 12 34 56 78' or '732 829 320' as the screens do, and refuses with the same French messages."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from atelier.core.models import Site
from atelier.customers.choices import RequestChannel
from atelier.customers.models import Appliance, Customer
from atelier.customers.selectors import visible_customers
from atelier.customers.services import APPLIANCE_FIELDS, CUSTOMER_FIELDS

# What people type may be longer than what is stored ('06 12 34 56 78'); the service checks the stored form.
_TYPED = {"validators": [], "max_length": 30}


def _user(context):
    """The signed-in user of the request, if any (the schema generator has none)."""
    user = getattr(context.get("request"), "user", None)
    return user if user is not None and user.is_authenticated else None


class CustomerSerializer(serializers.ModelSerializer):
    """A customer file; `site` is one of the user's sites, needed only when the user works in several."""

    display_name = serializers.CharField(read_only=True)
    accessibility_needs = serializers.ListField(child=serializers.CharField(), read_only=True)
    appliance_count = serializers.IntegerField(read_only=True)
    case_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Customer
        fields = [
            "id",
            "site",
            "display_name",
            *sorted(CUSTOMER_FIELDS),
            "accessibility_needs",
            "latitude",
            "longitude",
            "consent_at",
            "created_at",
            "appliance_count",
            "case_count",
        ]
        read_only_fields = ["latitude", "longitude", "consent_at", "created_at"]
        extra_kwargs = {
            "site": {"required": False},
            "siren": _TYPED,
            "vat_number": _TYPED,
            "phone": _TYPED,
            "phone2": _TYPED,
            "postcode": {"validators": [], "max_length": 10},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _user(self.context)
        site = self.fields.get("site")
        if user is not None and site is not None and not site.read_only:
            # Another site's id reads as unknown, as it would on a screen.
            site.queryset = Site.objects.visible_to(user)


class CustomerUpdateSerializer(CustomerSerializer):
    """A file stays in its site."""

    class Meta(CustomerSerializer.Meta):
        read_only_fields = ["site", *CustomerSerializer.Meta.read_only_fields]
        extra_kwargs = {k: v for k, v in CustomerSerializer.Meta.extra_kwargs.items() if k != "site"}


class ApplianceSerializer(serializers.ModelSerializer):
    family_display = serializers.CharField(source="get_family_display", read_only=True)
    under_warranty = serializers.BooleanField(read_only=True)

    class Meta:
        model = Appliance
        fields = [
            "id",
            "customer",
            *sorted(APPLIANCE_FIELDS),
            "family_display",
            "under_warranty",
            "created_at",
        ]
        read_only_fields = ["created_at"]
        extra_kwargs = {
            "family": {
                "error_messages": {
                    "invalid_choice": _("« {input} » n'est pas une famille de produit connue.")
                }
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _user(self.context)
        customer = self.fields.get("customer")
        if user is not None and customer is not None and not customer.read_only:
            customer.queryset = visible_customers(user)


class ApplianceUpdateSerializer(ApplianceSerializer):
    """An appliance stays with its customer."""

    class Meta(ApplianceSerializer.Meta):
        read_only_fields = ["customer", *ApplianceSerializer.Meta.read_only_fields]


# --- personal data ---


class PrivacyRequestSerializer(serializers.Serializer):
    """How and when the person asked (register of personal-data actions)."""

    channel = serializers.ChoiceField(choices=RequestChannel.choices)
    requested_on = serializers.DateField()


class EraseSerializer(PrivacyRequestSerializer):
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class ErasedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()
    anonymised_at = serializers.DateTimeField()


class RetentionDueSerializer(serializers.Serializer):
    """A file due for anonymisation (the preview of the retention job)."""

    customer = serializers.IntegerField(source="customer.pk")
    display_name = serializers.CharField(source="customer.display_name")
    last_contact = serializers.DateField()
    due_on = serializers.DateField()
    kept_until = serializers.DateField(source="customer.kept_until", allow_null=True)
    blockers = serializers.ListField(child=serializers.CharField())
