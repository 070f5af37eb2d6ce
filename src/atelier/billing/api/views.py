"""Billing API views: invoices, credit notes and payments are read-only (no update nor delete route exists),
for the billing readers, scoped to the user's sites (another site's document answers 404)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied

from atelier.billing.api.serializers import BonusClaimSerializer, InvoiceSerializer, PaymentSerializer
from atelier.billing.models import BonusClaim, Invoice, Payment
from atelier.core.access import may


class _ReadersOnly:
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not may(request.user, "billing.read"):
            raise PermissionDenied(_("Votre rôle ne permet pas de consulter la facturation."))


class InvoiceViewSet(_ReadersOnly, viewsets.ReadOnlyModelViewSet):
    serializer_class = InvoiceSerializer

    def get_queryset(self):
        return (
            Invoice.objects.visible_to(self.request.user)
            .select_related("site", "case")
            .prefetch_related("lines")
        )


class PaymentViewSet(_ReadersOnly, viewsets.ReadOnlyModelViewSet):
    serializer_class = PaymentSerializer

    def get_queryset(self):
        return Payment.objects.visible_to(self.request.user).select_related("case")


class BonusClaimViewSet(_ReadersOnly, viewsets.ReadOnlyModelViewSet):
    """Repair bonus claims (QualiRépar) of the user's sites, read-only: their steps are taken on the
    accounting page."""

    serializer_class = BonusClaimSerializer

    def get_queryset(self):
        return BonusClaim.objects.visible_to(self.request.user).select_related("invoice", "invoice__site")
