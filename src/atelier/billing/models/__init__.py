"""Billing models, one module per job: invoices and credit notes (immutable once issued), payments, the
hash-chained journal and its closures, the hand-back with the customer's signature, incidents for
manufacturers, notifications and tracking links, advice sheets and complementary offers, and the legal
figures as dated data. Every name is importable from `atelier.billing.models` as before."""

from atelier.billing.models.base import MONEY, Immutable
from atelier.billing.models.bonus import BonusClaim, BonusClaimState
from atelier.billing.models.handover import HandBack, Incident, Notification, TrackingLink
from atelier.billing.models.invoices import Invoice, InvoiceLine
from atelier.billing.models.journal import Closure, JournalCheckpoint, JournalEntry, JournalHead
from atelier.billing.models.offers import AdviceSheet, Offer, Suggestion
from atelier.billing.models.originals import Original
from atelier.billing.models.payments import Payment, PaymentAnomaly, UnpaidBalance
from atelier.billing.models.rules import ClosingRulesStart, LegalFigure

__all__ = [
    "MONEY",
    "AdviceSheet",
    "BonusClaim",
    "BonusClaimState",
    "ClosingRulesStart",
    "Closure",
    "HandBack",
    "Immutable",
    "Incident",
    "Invoice",
    "InvoiceLine",
    "JournalCheckpoint",
    "JournalEntry",
    "JournalHead",
    "LegalFigure",
    "Notification",
    "Offer",
    "Original",
    "Payment",
    "PaymentAnomaly",
    "Suggestion",
    "TrackingLink",
    "UnpaidBalance",
]
