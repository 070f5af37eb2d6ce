"""Serializers of improvement: survey answers (read), improvement actions (read) and the inputs of their writes."""

from rest_framework import serializers

from atelier.customers.choices import ProductFamily
from atelier.improvement.choices import FollowUp, Indicator
from atelier.improvement.models import ActionEvent, ImprovementAction, SurveyAnswer
from atelier.improvement.services import MOVES


class SurveyAnswerSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    is_low = serializers.BooleanField(read_only=True)

    class Meta:
        model = SurveyAnswer
        fields = [
            "id",
            "case",
            "case_number",
            "site",
            "recommendation",
            "satisfaction",
            "comment",
            "answered_at",
            "is_low",
            "follow_up",
            "follow_up_note",
            "follow_up_by",
            "follow_up_at",
        ]
        read_only_fields = fields


class FollowUpInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=FollowUp.choices)  # « aucun » is refused by the service
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ActionEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionEvent
        fields = ["at", "actor", "from_status", "to_status", "label", "note"]
        read_only_fields = fields


class ImprovementActionSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    phase = serializers.CharField(read_only=True)
    effect = serializers.DecimalField(max_digits=9, decimal_places=1, read_only=True, allow_null=True)
    events = ActionEventSerializer(many=True, read_only=True)

    class Meta:
        model = ImprovementAction
        fields = [
            "id",
            "site",
            "title",
            "problem",
            "problem_indicator",
            "cases",
            "claims",
            "complaints",
            "disputes",
            "cause",
            "action",
            "owner",
            "due_on",
            "status",
            "status_display",
            "phase",
            "effect_indicator",
            "effect_family",
            "effect_brand",
            "before_from",
            "before_to",
            "before_value",
            "after_from",
            "after_to",
            "after_value",
            "effect",
            "proposed_by",
            "proposed_at",
            "decided_by",
            "decided_at",
            "events",
        ]
        read_only_fields = fields


class ActionProposeSerializer(serializers.Serializer):
    site = serializers.IntegerField()
    title = serializers.CharField(max_length=200)
    problem = serializers.CharField(required=False, allow_blank=True, default="")
    problem_indicator = serializers.ChoiceField(
        choices=Indicator.choices, required=False, allow_blank=True, default=""
    )
    cause = serializers.CharField(required=False, allow_blank=True, default="")
    action = serializers.CharField(required=False, allow_blank=True, default="")
    effect_indicator = serializers.ChoiceField(
        choices=Indicator.choices, required=False, allow_blank=True, default=""
    )
    effect_family = serializers.ChoiceField(
        choices=ProductFamily.choices, required=False, allow_blank=True, default=""
    )
    effect_brand = serializers.CharField(required=False, allow_blank=True, default="", max_length=80)
    cases = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    claims = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    complaints = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    disputes = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)


class ActionMoveSerializer(serializers.Serializer):
    move = serializers.ChoiceField(choices=sorted(MOVES))
    note = serializers.CharField(required=False, allow_blank=True, default="")
    plan = serializers.CharField(required=False, allow_blank=True, default="")
    owner = serializers.IntegerField(required=False, allow_null=True, default=None)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class ActionMeasureSerializer(serializers.Serializer):
    which = serializers.ChoiceField(choices=["before", "after"])
    start = serializers.DateField()
    end = serializers.DateField()
