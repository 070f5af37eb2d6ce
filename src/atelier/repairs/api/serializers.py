from rest_framework import serializers

from atelier.core.models import User
from atelier.repairs.choices import CaseStatus
from atelier.repairs.models import CaseEvent, RepairCase


class CaseEventSerializer(serializers.ModelSerializer):
    """One line of GET /api/cases/{id}/timeline/ (a plain list, not paginated): every field is always present,
    read-only; from_status and to_status are "" for a line that changed no state (a note, the opening)."""

    actor = serializers.StringRelatedField(allow_null=True)  # null: the customer, online (tracking link)
    # "" allowed in the schema too (a read-only model field would lose allow_blank, and the schema with it)
    from_status = serializers.ChoiceField(choices=CaseStatus.choices, allow_blank=True, read_only=True)
    to_status = serializers.ChoiceField(choices=CaseStatus.choices, allow_blank=True, read_only=True)

    class Meta:
        model = CaseEvent
        fields = ["at", "actor", "kind", "from_status", "to_status", "label", "note"]
        read_only_fields = fields


class RepairCaseSerializer(serializers.ModelSerializer):
    site = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    allowed_steps = serializers.SerializerMethodField()

    class Meta:
        model = RepairCase
        fields = [
            "id",
            "number",
            "site",
            "customer",
            "appliance",
            "status",
            "status_label",
            "channel",
            "location",
            "customer_words",
            "accessories",
            "visible_condition",
            "received_at",
            "received_by",
            "technician",
            "planned_for",
            "status_changed_at",
            "closed_at",
            "allowed_steps",
        ]
        read_only_fields = fields

    def get_allowed_steps(self, case) -> list[str]:
        from atelier.repairs.workflow import allowed_for

        return [t.name for t in allowed_for(case, self.context["request"].user)]


class CaseOpenSerializer(serializers.Serializer):
    appliance = serializers.IntegerField()
    customer_words = serializers.CharField()
    channel = serializers.CharField(required=False)
    location = serializers.CharField(required=False)
    accessories = serializers.CharField(required=False, allow_blank=True)
    visible_condition = serializers.CharField(required=False, allow_blank=True)


class StepSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    technician = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False
    )
    planned_for = serializers.DateTimeField(required=False)
