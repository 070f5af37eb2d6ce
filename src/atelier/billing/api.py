"""Billing API: invoices, credit notes and payments are read-only (an issued invoice never changes; no
update nor delete route exists), filtered by the user's sites."""

from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.routers import DefaultRouter

from atelier.billing.models import Invoice, InvoiceLine, Payment
from atelier.core.choices import Role

READERS = (Role.ACCUEIL, Role.RESPONSABLE_SAV, Role.COMPTABLE)


class InvoiceLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = InvoiceLine
        fields = [
            "position",
            "kind",
            "designation",
            "quantity",
            "unit_price_ht",
            "vat_rate",
            "total_ht",
            "vat",
            "deposit",
        ]


class InvoiceSerializer(serializers.ModelSerializer):
    site = serializers.SlugRelatedField(slug_field="code", read_only=True)
    case = serializers.SlugRelatedField(slug_field="number", read_only=True)
    lines = InvoiceLineSerializer(many=True, read_only=True)

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "kind",
            "site",
            "case",
            "issued_at",
            "credited",
            "seller",
            "buyer",
            "is_business",
            "total_ht",
            "total_vat",
            "total_ttc",
            "bonus_amount",
            "deposits_ttc",
            "due_on",
            "mentions",
            "lines",
        ]
        read_only_fields = fields


class PaymentSerializer(serializers.ModelSerializer):
    case = serializers.SlugRelatedField(slug_field="number", read_only=True)

    class Meta:
        model = Payment
        fields = ["id", "case", "invoice", "kind", "method", "amount", "change_given", "at"]
        read_only_fields = fields


class _ReadersOnly:
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not (request.user.is_superuser or request.user.has_role(*READERS)):
            raise PermissionDenied("Votre rôle ne permet pas de consulter la facturation.")


class InvoiceViewSet(_ReadersOnly, viewsets.ReadOnlyModelViewSet):
    serializer_class = InvoiceSerializer

    def get_queryset(self):
        return (
            Invoice.objects.filter(site__in=self.request.user.visible_sites())
            .select_related("site", "case")
            .prefetch_related("lines")
        )


class PaymentViewSet(_ReadersOnly, viewsets.ReadOnlyModelViewSet):
    serializer_class = PaymentSerializer

    def get_queryset(self):
        return Payment.objects.filter(site__in=self.request.user.visible_sites()).select_related("case")


router = DefaultRouter()
router.register("invoices", InvoiceViewSet, basename="invoice")
router.register("payments", PaymentViewSet, basename="payment")
