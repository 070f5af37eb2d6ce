"""Serializers of the planning API: a validated route and its stops, read-only."""

from rest_framework import serializers

from atelier.planning.models import DropOff, PlanRoute, PlanStop


class PlanStopSerializer(serializers.ModelSerializer):
    case = serializers.CharField(source="visit.order.case.number")
    case_id = serializers.IntegerField(source="visit.order.case_id")
    customer = serializers.CharField(source="visit.order.case.customer.display_name")
    address = serializers.CharField(source="visit.order.case.customer.address")
    postcode = serializers.CharField(source="visit.order.case.customer.postcode")
    city = serializers.CharField(source="visit.order.case.customer.city")
    phone = serializers.CharField(source="visit.order.case.customer.phone")
    family = serializers.CharField(source="visit.family")
    priority = serializers.CharField(source="visit.priority")

    class Meta:
        model = PlanStop
        fields = [
            "position",
            "start",
            "end",
            "arrival_from",
            "arrival_to",
            "case",
            "case_id",
            "customer",
            "address",
            "postcode",
            "city",
            "phone",
            "family",
            "priority",
            "pinned",
        ]
        read_only_fields = fields


class PlanRouteSerializer(serializers.ModelSerializer):
    site = serializers.CharField(source="plan.site.code")
    day = serializers.DateField(source="plan.day")
    technician = serializers.CharField(source="technician.username")
    technician_name = serializers.CharField(source="technician.get_full_name")
    stops = PlanStopSerializer(many=True, read_only=True)

    class Meta:
        model = PlanRoute
        fields = [
            "id",
            "site",
            "day",
            "technician",
            "technician_name",
            "leave_at",
            "back_at",
            "break_at",
            "break_minutes",
            "distance_m",
            "stops",
        ]
        read_only_fields = fields


# ---------------------------------------------------------------- workshop week and drop-offs


class WorkshopItemSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="tournee, visite ou etabli")
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    label = serializers.CharField()
    job = serializers.CharField(allow_null=True, help_text="clé du travail (case:<id> ou depot:<id>)")


class WorkshopTechnicianSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    items = WorkshopItemSerializer(many=True)


class WorkshopJobSerializer(serializers.Serializer):
    key = serializers.CharField()
    rank = serializers.IntegerField()
    case = serializers.CharField(allow_null=True)
    case_id = serializers.IntegerField(allow_null=True)
    dropoff_id = serializers.IntegerField(allow_null=True)
    family = serializers.CharField()
    minutes = serializers.IntegerField()
    promised_on = serializers.DateField(allow_null=True)
    parts_missing = serializers.CharField()
    parts_eta = serializers.DateField(allow_null=True)
    reason = serializers.CharField()
    technician = serializers.IntegerField(allow_null=True)
    finish = serializers.DateTimeField(allow_null=True)
    unplaced = serializers.CharField()
    at_risk = serializers.CharField()


class WorkshopWeekSerializer(serializers.Serializer):
    site = serializers.CharField()
    week = serializers.CharField()
    days = serializers.ListField(child=serializers.DateField())
    technicians = WorkshopTechnicianSerializer(many=True)
    jobs = WorkshopJobSerializer(many=True)


class DropOffSerializer(serializers.ModelSerializer):
    site = serializers.SlugRelatedField(slug_field="code", read_only=True)
    customer_name = serializers.CharField(source="customer.display_name", read_only=True)
    site_code = serializers.CharField(write_only=True, required=False, help_text="Code du site (ex. PAR1)")

    class Meta:
        model = DropOff
        fields = [
            "id",
            "site",
            "site_code",
            "day",
            "slot",
            "family",
            "customer",
            "customer_name",
            "appliance",
            "note",
            "booked_at",
        ]
        read_only_fields = ["id", "booked_at"]


class DropOffSlotSerializer(serializers.Serializer):
    family = serializers.CharField()
    slot = serializers.CharField()
    capacity = serializers.IntegerField()
    booked = serializers.IntegerField()
    free = serializers.IntegerField()
