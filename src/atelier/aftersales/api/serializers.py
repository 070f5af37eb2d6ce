"""Serializers of after-sales: the covers (exactly the issue's shape) and the claims."""

from rest_framework import serializers

from atelier.aftersales.choices import ClaimChannel, ClaimOutcome, CoverKind
from atelier.aftersales.models import Claim


class CoverageItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CoverKind.choices)
    label = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    presumption_end = serializers.DateField(allow_null=True)
    payer = serializers.CharField()
    basis = serializers.CharField()
    active = serializers.BooleanField()


class CoverageSerializer(serializers.Serializer):
    on = serializers.DateField()
    coverages = CoverageItemSerializer(many=True)


class ClaimAnswerItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    question = serializers.CharField()
    answer = serializers.CharField()


class ClaimSerializer(serializers.ModelSerializer):
    claim_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    answers = ClaimAnswerItemSerializer(many=True, read_only=True)
    covers = CoverageItemSerializer(many=True, read_only=True)
    refusal_reason = serializers.SlugRelatedField(slug_field="code", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Claim
        fields = [
            "id",
            "number",
            "site",
            "customer",
            "appliance",
            "earlier_case",
            "claim_type",
            "channel",
            "description",
            "answers",
            "covers",
            "cover_notes",
            "repair_return",
            "state",
            "state_display",
            "opened_at",
            "opened_by",
            "outcome",
            "answer_text",
            "refusal_reason",
            "amount",
            "new_case",
            "answered_at",
            "answered_by",
            "message",
            "closed_at",
        ]
        read_only_fields = fields


class ClaimOpenSerializer(serializers.Serializer):
    appliance = serializers.IntegerField()
    claim_type = serializers.SlugField()
    channel = serializers.ChoiceField(choices=[c for c in ClaimChannel.choices if c[0] != ClaimChannel.SUIVI])
    description = serializers.CharField(max_length=4000)
    answers = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    earlier_case = serializers.IntegerField(required=False, allow_null=True)


class ClaimAnswerSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ClaimOutcome.choices)
    answer_text = serializers.CharField(max_length=4000)
    refusal_reason = serializers.SlugField(required=False, allow_blank=True)
    amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True, min_value=0
    )


class MaintenanceDueSerializer(serializers.Serializer):
    """A visit of a maintenance contract coming due, without its dossier yet."""

    contract = serializers.IntegerField(source="contract.pk")
    contract_number = serializers.CharField(source="contract.number")
    appliance = serializers.IntegerField(source="contract.appliance_id")
    customer = serializers.IntegerField(source="contract.appliance.customer_id")
    due_on = serializers.DateField()
    overdue = serializers.BooleanField()


class MaintenanceOpenSerializer(serializers.Serializer):
    contract = serializers.IntegerField()
    due_on = serializers.DateField()


class MaintenanceOpenedSerializer(serializers.Serializer):
    case = serializers.IntegerField(source="pk")
    number = serializers.CharField()
