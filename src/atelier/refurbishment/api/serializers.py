"""Serializers of the second life of appliances."""

from rest_framework import serializers

from atelier.core.params import ID_BOUNDS
from atelier.customers.choices import ProductFamily
from atelier.refurbishment.choices import LetterMethod, LotKind, Origin, TriageOutcome
from atelier.refurbishment.models import (
    AbandonLetter,
    ApplianceCount,
    ApplianceMove,
    CollectionLot,
    StockAppliance,
    Triage,
    TriageCheck,
    TriageResult,
)

PRICE = {"max_digits": 10, "decimal_places": 2, "min_value": 0}
ID = ID_BOUNDS


class RefurbTriageResultSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="check_item.code", read_only=True)

    class Meta:
        model = TriageResult
        fields = ["code", "label", "passed", "note"]
        read_only_fields = fields


class RefurbTriageSerializer(serializers.ModelSerializer):
    results = RefurbTriageResultSerializer(many=True, read_only=True)

    class Meta:
        model = Triage
        fields = ["id", "outcome", "notes", "done_by", "done_at", "results"]
        read_only_fields = fields


class StockApplianceSerializer(serializers.ModelSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    site_code = serializers.CharField(source="site.code", read_only=True)

    class Meta:
        model = StockAppliance
        fields = [
            "id",
            "number",
            "site",
            "site_code",
            "family",
            "brand",
            "model_ref",
            "serial_number",
            "origin",
            "lot",
            "case",
            "origin_note",
            "trade_in_value",
            "weight_kg",
            "state",
            "state_display",
            "triage_outcome",
            "location",
            "reserved_for",
            "reserved_until",
            "sold_to",
            "sale_price",
            "entered_at",
            "entered_by",
        ]
        read_only_fields = fields


class RefurbIntakeSerializer(serializers.Serializer):
    site = serializers.IntegerField(**ID)
    origin = serializers.ChoiceField(choices=Origin.choices)
    family = serializers.ChoiceField(choices=ProductFamily.choices, required=False, allow_blank=True)
    brand = serializers.CharField(max_length=80, required=False, allow_blank=True)
    model_ref = serializers.CharField(max_length=120, required=False, allow_blank=True)
    serial_number = serializers.CharField(max_length=80, required=False, allow_blank=True)
    weight_kg = serializers.DecimalField(max_digits=5, decimal_places=1, required=False, allow_null=True)
    location = serializers.IntegerField(required=False, allow_null=True, **ID)
    lot = serializers.IntegerField(required=False, allow_null=True, **ID)
    case = serializers.IntegerField(required=False, allow_null=True, **ID)
    origin_note = serializers.CharField(max_length=255, required=False, allow_blank=True)
    trade_in_value = serializers.DecimalField(required=False, allow_null=True, **PRICE)


class RefurbTriageInputSerializer(serializers.Serializer):
    class CheckSerializer(serializers.Serializer):
        code = serializers.SlugField()
        passed = serializers.BooleanField()
        note = serializers.CharField(max_length=255, required=False, allow_blank=True)

    checks = CheckSerializer(many=True)
    outcome = serializers.ChoiceField(choices=TriageOutcome.choices)
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class RefurbReserveSerializer(serializers.Serializer):
    customer = serializers.IntegerField(**ID)
    until = serializers.DateField()


class RefurbSellSerializer(serializers.Serializer):
    price = serializers.DecimalField(**PRICE)
    customer = serializers.IntegerField(required=False, allow_null=True, **ID)
    commercial_months = serializers.IntegerField(required=False, default=0, min_value=0, max_value=60)


class RefurbReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True)


class RefurbRelocateSerializer(serializers.Serializer):
    location = serializers.IntegerField(**ID)
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True)


class ApplianceMoveSerializer(serializers.ModelSerializer):
    appliance_number = serializers.CharField(source="appliance.number", read_only=True)

    class Meta:
        model = ApplianceMove
        fields = [
            "id",
            "appliance",
            "appliance_number",
            "kind",
            "quantity",
            "state_before",
            "state_after",
            "from_location",
            "to_location",
            "customer",
            "price",
            "reason",
            "actor",
            "at",
        ]
        read_only_fields = fields


class CollectionLotSerializer(serializers.ModelSerializer):
    class Meta:
        model = CollectionLot
        fields = [
            "id",
            "number",
            "site",
            "kind",
            "partner",
            "delivery_note",
            "received_on",
            "notes",
            "created_at",
        ]
        read_only_fields = fields


class RefurbLotInputSerializer(serializers.Serializer):
    site = serializers.IntegerField(**ID)
    kind = serializers.ChoiceField(choices=LotKind.choices)
    partner = serializers.CharField(max_length=150)
    delivery_note = serializers.CharField(max_length=60)
    received_on = serializers.DateField()
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class RefurbStockSummarySerializer(serializers.Serializer):
    site = serializers.CharField()
    family = serializers.CharField()
    family_label = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    count = serializers.IntegerField()
    reserved = serializers.IntegerField()


class AbandonLetterSerializer(serializers.ModelSerializer):
    due_on = serializers.DateField(read_only=True)

    class Meta:
        model = AbandonLetter
        fields = ["id", "case", "sent_on", "method", "reference", "notice_days", "legal_basis", "due_on"]
        read_only_fields = fields


class AbandonLetterInputSerializer(serializers.Serializer):
    case = serializers.IntegerField(**ID)
    sent_on = serializers.DateField()
    method = serializers.ChoiceField(choices=LetterMethod.choices)
    reference = serializers.CharField(max_length=40, required=False, allow_blank=True)


class TriageCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = TriageCheck
        fields = ["id", "family", "code", "label", "expected", "order"]
        read_only_fields = fields


class ApplianceCountSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplianceCount
        fields = [
            "id",
            "site",
            "location",
            "counted_by",
            "counted_at",
            "expected",
            "found",
            "missing",
            "extra",
        ]
        read_only_fields = fields


class RefurbCountInputSerializer(serializers.Serializer):
    site = serializers.IntegerField(**ID)
    location = serializers.IntegerField(required=False, allow_null=True, **ID)
    present = serializers.ListField(child=serializers.IntegerField(**ID), max_length=5000)
    extra_numbers = serializers.CharField(max_length=2000, required=False, allow_blank=True)
