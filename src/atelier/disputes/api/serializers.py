"""Serializers of disputes: a dispute with its timeline and letters, and the inputs of its writes."""

from rest_framework import serializers

from atelier.disputes.choices import DisputeCause, DisputeChannel, DisputeOutcome, DisputeSource, LetterKind
from atelier.disputes.models import Dispute, DisputeEvent, DisputeLetter


class DisputeEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = DisputeEvent
        fields = ["at", "actor", "kind", "label", "note"]
        read_only_fields = fields


class DisputeLetterSerializer(serializers.ModelSerializer):
    class Meta:
        model = DisputeLetter
        fields = ["id", "kind", "text", "sent_at", "sent_by", "message"]
        read_only_fields = fields


class DisputeSerializer(serializers.ModelSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    overdue = serializers.SerializerMethodField()
    events = DisputeEventSerializer(many=True, read_only=True)
    letters = DisputeLetterSerializer(many=True, read_only=True)

    class Meta:
        model = Dispute
        fields = [
            "id",
            "number",
            "site",
            "customer",
            "case",
            "source",
            "complaint",
            "claim",
            "invoice",
            "channel",
            "received_on",
            "summary",
            "cause",
            "cause_detail",
            "assigned_to",
            "reply_due",
            "overdue",
            "state",
            "state_display",
            "outcome",
            "outcome_reason",
            "amount",
            "credit_note",
            "mediation_proposed_at",
            "opened_at",
            "opened_by",
            "decided_at",
            "decided_by",
            "closed_at",
            "events",
            "letters",
        ]
        read_only_fields = fields

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue()


class DisputeOpenSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=DisputeSource.choices)
    channel = serializers.ChoiceField(choices=DisputeChannel.choices)
    summary = serializers.CharField(max_length=4000)
    received_on = serializers.DateField(required=False, allow_null=True)
    customer = serializers.IntegerField(required=False, allow_null=True)
    case = serializers.IntegerField(required=False, allow_null=True)
    complaint = serializers.IntegerField(required=False, allow_null=True)
    claim = serializers.IntegerField(required=False, allow_null=True)
    invoice = serializers.IntegerField(required=False, allow_null=True)


class DisputeInstructSerializer(serializers.Serializer):
    cause = serializers.ChoiceField(choices=DisputeCause.choices)
    cause_detail = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    assigned_to = serializers.IntegerField()


class DisputeDecideSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=DisputeOutcome.choices)
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True, min_value=0
    )


class DisputeLetterInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[c for c in LetterKind.choices if c[0] != LetterKind.REPONSE])
    text = serializers.CharField(max_length=4000, required=False, allow_blank=True)
