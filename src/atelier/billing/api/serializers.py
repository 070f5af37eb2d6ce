"""Billing API serializers: every field read-only (an issued invoice or a payment never changes)."""

from rest_framework import serializers

from atelier.billing.models import BonusClaim, Invoice, InvoiceLine, Payment


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
            "bonus_label",
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


class BonusClaimSerializer(serializers.ModelSerializer):
    """A repair bonus claim: what was claimed, what credit notes took back, where it stands."""

    invoice = serializers.SlugRelatedField(slug_field="number", read_only=True)
    site = serializers.CharField(source="invoice.site.code", read_only=True)
    to_claim = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = BonusClaim
        fields = [
            "id",
            "invoice",
            "site",
            "label",
            "amount",
            "reversed_amount",
            "to_claim",
            "state",
            "created_at",
            "filed_at",
            "paid_at",
            "reversed_at",
            "withdrawn_at",
        ]
        read_only_fields = fields
