"""Background work of the outbox, run by `atelier worker` (django-tasks, database backend)."""

from django_tasks import task


@task()
def deliver_message(message_id: int) -> None:
    """Send one queued message through its channel's provider; retry with back-off; record the outcome
    (messaging.services_delivery.message_deliver)."""
    from atelier.messaging.services_delivery import message_deliver

    message_deliver(message_id)
