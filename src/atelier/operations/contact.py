"""Which channel a scheduled message to a customer takes: the one they prefer, else the one they gave."""

from atelier.customers.choices import ContactChannel
from atelier.messaging.choices import Channel


def preferred_channel(customer) -> str:
    """E-mail for a customer who prefers e-mail, SMS for one who prefers the phone or SMS; for a letter, or when
    the preferred channel has no address, the other channel they gave (the outbox refuses a missing address)."""
    wanted = Channel.EMAIL if customer.preferred_contact == ContactChannel.EMAIL else Channel.SMS
    if customer.preferred_contact == ContactChannel.COURRIER and customer.email:
        wanted = Channel.EMAIL
    has = {Channel.EMAIL: bool(customer.email), Channel.SMS: bool(customer.phone)}
    if not has[wanted]:
        other = Channel.SMS if wanted == Channel.EMAIL else Channel.EMAIL
        if has[other]:
            return other
    return wanted
