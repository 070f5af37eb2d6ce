from rest_framework import serializers

from atelier.operations.models import JobRun


class JobRunSerializer(serializers.ModelSerializer):
    site = serializers.CharField(source="site.code", allow_null=True, default=None)
    triggered_by = serializers.CharField(source="triggered_by.username", allow_null=True, default=None)
    duration_seconds = serializers.FloatField(allow_null=True, read_only=True)
    text = serializers.CharField(read_only=True)

    class Meta:
        model = JobRun
        fields = [
            "id",
            "job",
            "site",
            "period",
            "trigger",
            "triggered_by",
            "started_at",
            "finished_at",
            "duration_seconds",
            "outcome",
            "text",
            "summary",
            "error",
        ]


class JobSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    schedule = serializers.CharField()
    per_site = serializers.BooleanField()
    available = serializers.BooleanField()


class LaunchSerializer(serializers.Serializer):
    job = serializers.CharField(max_length=60)
    site = serializers.IntegerField(required=False, allow_null=True, default=None)
