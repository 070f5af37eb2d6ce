from rest_framework import serializers

from atelier.procedures.choices import StepOutcome
from atelier.procedures.models import Procedure, ProcedureRun, ProcedureStep, StepResult
from atelier.procedures.selectors import run_state


class ProcedureStepSerializer(serializers.ModelSerializer):
    document_title = serializers.CharField(source="document.title", default="", read_only=True)

    class Meta:
        model = ProcedureStep
        fields = [
            "id",
            "position",
            "instruction",
            "document",
            "document_title",
            "document_url",
            "measure_label",
            "unit",
            "min_value",
            "max_value",
            "safety_note",
        ]
        read_only_fields = fields


class ProcedureSerializer(serializers.ModelSerializer):
    steps = ProcedureStepSerializer(many=True, read_only=True)

    class Meta:
        model = Procedure
        fields = [
            "id",
            "code",
            "version",
            "is_current",
            "kind",
            "title",
            "topic",
            "family",
            "brand",
            "model_ref",
            "source",
            "reference",
            "published_at",
            "steps",
        ]
        read_only_fields = fields


class StepResultSerializer(serializers.ModelSerializer):
    recorded_by = serializers.StringRelatedField()

    class Meta:
        model = StepResult
        fields = ["step", "outcome", "note", "measured_value", "out_of_range", "recorded_by", "recorded_at"]
        read_only_fields = fields


class ProcedureRunSerializer(serializers.ModelSerializer):
    procedure_title = serializers.CharField(source="procedure.title", read_only=True)
    procedure_version = serializers.IntegerField(source="procedure.version", read_only=True)
    started_by = serializers.StringRelatedField()
    results = StepResultSerializer(many=True, read_only=True)
    complete = serializers.SerializerMethodField()
    passed = serializers.SerializerMethodField()

    class Meta:
        model = ProcedureRun
        fields = [
            "id",
            "case",
            "procedure",
            "procedure_title",
            "procedure_version",
            "started_by",
            "started_at",
            "finished_at",
            "complete",
            "passed",
            "results",
        ]
        read_only_fields = fields

    def get_complete(self, run) -> bool:
        return run_state(run).complete

    def get_passed(self, run) -> bool:
        return run_state(run).passed


class RunStartSerializer(serializers.Serializer):
    procedure = serializers.IntegerField()


class StepRecordSerializer(serializers.Serializer):
    step = serializers.IntegerField()
    outcome = serializers.ChoiceField(choices=StepOutcome.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    measured_value = serializers.DecimalField(
        max_digits=10, decimal_places=3, required=False, allow_null=True
    )
    manufacturer_fault = serializers.BooleanField(required=False, default=False)
