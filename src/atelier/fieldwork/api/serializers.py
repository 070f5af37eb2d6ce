from rest_framework import serializers

from atelier.fieldwork.choices import MaintenanceKind
from atelier.fieldwork.models import PpeCheck, Tool, ToolMaintenance


class ToolSerializer(serializers.ModelSerializer):
    site = serializers.CharField(source="site.code")
    kind = serializers.CharField(source="kind.code")
    kind_name = serializers.CharField(source="kind.name")
    is_instrument = serializers.BooleanField(source="kind.is_instrument")
    holder = serializers.CharField(source="holder.username", allow_null=True, default=None)

    class Meta:
        model = Tool
        fields = [
            "id",
            "site",
            "kind",
            "kind_name",
            "is_instrument",
            "serial",
            "label",
            "holder",
            "status",
            "is_checked",
            "last_checked_on",
            "next_check_on",
            "next_maintenance_on",
        ]


class MaintenanceSerializer(serializers.ModelSerializer):
    done_by = serializers.CharField(source="done_by.username")

    class Meta:
        model = ToolMaintenance
        fields = ["id", "tool", "kind", "done_on", "done_by", "work_done", "next_due_on", "recorded_at"]


class MaintenanceWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MaintenanceKind.choices)
    done_on = serializers.DateField()
    work_done = serializers.CharField()
    next_due_on = serializers.DateField(required=False, allow_null=True)


class SheetLineSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    ok = serializers.BooleanField()


class PpeCheckSerializer(serializers.ModelSerializer):
    technician = serializers.CharField(source="technician.username")
    ticked = SheetLineSerializer(many=True)

    class Meta:
        model = PpeCheck
        fields = [
            "id",
            "case",
            "technician",
            "checked_on",
            "ticked",
            "tools_ok",
            "is_complete",
            "notes",
            "recorded_at",
        ]


class PpeCheckWriteSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    items = serializers.DictField(
        child=serializers.BooleanField(), help_text="Id of each line of the family's safety sheet → ticked."
    )
    tools_ok = serializers.BooleanField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")
