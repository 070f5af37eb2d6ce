"""Billing API: invoices, credit notes and payments are read-only (an issued invoice never changes; no
update nor delete route exists), filtered by the user's sites. `router` is mounted by config.api_urls."""

from rest_framework.routers import DefaultRouter

from atelier.billing.api.journal import JournalEntryViewSet
from atelier.billing.api.views import BonusClaimViewSet, InvoiceViewSet, PaymentViewSet

router = DefaultRouter()
router.register("invoices", InvoiceViewSet, basename="invoice")
router.register("payments", PaymentViewSet, basename="payment")
router.register("journal", JournalEntryViewSet, basename="journal-entry")
router.register("billing/bonus-claims", BonusClaimViewSet, basename="bonus-claim")

__all__ = ["BonusClaimViewSet", "InvoiceViewSet", "JournalEntryViewSet", "PaymentViewSet", "router"]
