"""Moved to atelier.core.sms (planning sends SMS too); kept so that ATELIER_SMS_BACKEND values written as
`atelier.billing.sms.…` in existing deployments still resolve."""

from atelier.core.sms import LogBackend, MemoryBackend, send_sms

__all__ = ["LogBackend", "MemoryBackend", "send_sms"]
