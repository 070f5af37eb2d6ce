from rest_framework import serializers

from atelier.stock.models import Part, Reservation, StockBalance, StockMove


class PartSerializer(serializers.ModelSerializer):
    class Meta:
        model = Part
        fields = [
            "id",
            "reference",
            "internal_code",
            "designation",
            "kind",
            "condition",
            "grade",
            "family",
            "brand",
            "price_ht",
            "purchase_price_ht",
            "vat_kind",
            "status",
            "is_active",
        ]


class BalanceSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="part.reference")
    location = serializers.CharField(source="location.code")
    site = serializers.CharField(source="site.code")
    available = serializers.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        model = StockBalance
        fields = ["part", "reference", "site", "location", "on_hand", "reserved", "available"]


class MoveSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="part.reference")
    location = serializers.CharField(source="location.code")
    actor = serializers.CharField(source="actor.username")

    class Meta:
        model = StockMove
        fields = ["id", "at", "kind", "part", "reference", "location", "quantity", "reason", "actor", "case"]


class ReservationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reservation
        fields = ["id", "order_part", "part", "location", "quantity", "consumed", "status", "created_at"]


class ReserveSerializer(serializers.Serializer):
    order_part = serializers.IntegerField()
    quantity = serializers.DecimalField(max_digits=9, decimal_places=2, required=False)
