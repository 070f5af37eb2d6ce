"""Serializers of third-party payers: payers, a dossier's split, payer claims and their journalled steps."""

from rest_framework import serializers

from atelier.aftersales.choices import ShareMode
from atelier.aftersales.models_payers import Payer, PayerClaim, PayerClaimEvent
from atelier.aftersales.services_payers import TRANSITIONS


class PayerSerializer(serializers.ModelSerializer):
    deadline_days = serializers.SerializerMethodField()

    class Meta:
        model = Payer
        fields = [
            "id",
            "kind",
            "name",
            "siren",
            "vat_number",
            "address",
            "postcode",
            "city",
            "email",
            "requires",
            "active",
            "deadline_days",
        ]
        read_only_fields = fields

    def get_deadline_days(self, payer) -> int | None:
        from django.utils import timezone

        rule = payer.deadline_on(timezone.localdate())
        return rule.days if rule else None


class ShareInSerializer(serializers.Serializer):
    position = serializers.IntegerField(min_value=1)
    payer = serializers.IntegerField()
    mode = serializers.ChoiceField(choices=ShareMode.choices)
    value = serializers.CharField(max_length=20)


class SplitInSerializer(serializers.Serializer):
    shares = ShareInSerializer(many=True)
    excess = serializers.CharField(max_length=20, required=False, default="0")
    excess_payer = serializers.IntegerField(required=False, allow_null=True, default=None)


class SplitShareOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    payer = serializers.IntegerField()
    payer_name = serializers.CharField()
    mode = serializers.ChoiceField(choices=ShareMode.choices)
    value = serializers.DecimalField(max_digits=10, decimal_places=2)
    amount_ttc = serializers.DecimalField(max_digits=10, decimal_places=2)


class SplitLineOutSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    designation = serializers.CharField()
    ttc = serializers.DecimalField(max_digits=10, decimal_places=2)
    shares = SplitShareOutSerializer(many=True)
    customer_ttc = serializers.DecimalField(max_digits=10, decimal_places=2)


class SplitOutSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    excess = serializers.DecimalField(max_digits=10, decimal_places=2)
    excess_payer = serializers.IntegerField(allow_null=True)
    lines = SplitLineOutSerializer(many=True)
    payers_ttc = serializers.DecimalField(max_digits=10, decimal_places=2)
    customer_ttc = serializers.DecimalField(max_digits=10, decimal_places=2)
    problem = serializers.CharField()


class PayerClaimEventSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()

    class Meta:
        model = PayerClaimEvent
        fields = ["at", "actor", "from_state", "to_state", "note"]
        read_only_fields = fields


class PayerClaimSerializer(serializers.ModelSerializer):
    payer_name = serializers.CharField(source="payer.name", read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True)
    invoice_number = serializers.CharField(source="invoice.number", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    events = PayerClaimEventSerializer(many=True, read_only=True)

    class Meta:
        model = PayerClaim
        fields = [
            "id",
            "site",
            "case",
            "case_number",
            "payer",
            "payer_name",
            "invoice",
            "invoice_number",
            "amount",
            "state",
            "state_display",
            "deadline",
            "payer_reference",
            "purchase_proof",
            "fault",
            "faulty_serials",
            "replacement_serials",
            "photos_attached",
            "sent_at",
            "accepted_amount",
            "paid_amount",
            "paid_on",
            "created_at",
            "events",
        ]
        read_only_fields = fields


class ClaimFileSerializer(serializers.Serializer):
    payer_reference = serializers.CharField(max_length=80, required=False, allow_blank=True)
    purchase_proof = serializers.CharField(max_length=200, required=False, allow_blank=True)
    fault = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    faulty_serials = serializers.CharField(max_length=255, required=False, allow_blank=True)
    replacement_serials = serializers.CharField(max_length=255, required=False, allow_blank=True)
    photos_attached = serializers.BooleanField(required=False)


class ClaimTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=sorted(TRANSITIONS))
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    amount = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    paid_on = serializers.DateField(required=False, allow_null=True, default=None)
