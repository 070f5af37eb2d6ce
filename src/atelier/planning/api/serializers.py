"""Serializers of the planning API: a validated route and its stops, read-only."""

from rest_framework import serializers

from atelier.planning.models import PlanRoute, PlanStop


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
