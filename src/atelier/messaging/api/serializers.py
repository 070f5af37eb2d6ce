from rest_framework import serializers

from atelier.core.params import ID_BOUNDS
from atelier.messaging.choices import Channel, State
from atelier.messaging.models import Message, MessageAttachment


class AttachmentSerializer(serializers.ModelSerializer):
    size = serializers.SerializerMethodField()

    class Meta:
        model = MessageAttachment
        fields = ["filename", "content_type", "size"]
        read_only_fields = fields

    def get_size(self, attachment) -> int:
        return len(attachment.content)


class MessageSerializer(serializers.ModelSerializer):
    created_by = serializers.StringRelatedField()
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "site",
            "customer",
            "case",
            "direction",
            "channel",
            "category",
            "purpose",
            "recipient",
            "sender",
            "subject",
            "body",
            "state",
            "state_label",
            "reason",
            "attempts",
            "next_attempt_at",
            "provider",
            "provider_id",
            "in_reply_to",
            "created_at",
            "created_by",
            "sent_at",
            "delivered_at",
        ]
        read_only_fields = fields


class MessageDetailSerializer(MessageSerializer):
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta(MessageSerializer.Meta):
        fields = [*MessageSerializer.Meta.fields, "attachments"]
        read_only_fields = fields


class MessageFilterSerializer(serializers.Serializer):
    case = serializers.IntegerField(required=False, **ID_BOUNDS)
    customer = serializers.IntegerField(required=False, **ID_BOUNDS)
    state = serializers.ChoiceField(choices=State.choices, required=False)


class ReplySerializer(serializers.Serializer):
    """Write to a customer: name the dossier (its customer is written to) or the customer."""

    case = serializers.IntegerField(required=False, **ID_BOUNDS)
    customer = serializers.IntegerField(required=False, **ID_BOUNDS)
    channel = serializers.ChoiceField(choices=Channel.choices)
    body = serializers.CharField(max_length=2000)
    in_reply_to = serializers.IntegerField(required=False, min_value=1)
