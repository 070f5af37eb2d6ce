"""The providers' callbacks, under /messages/webhooks/ (messaging.webhooks)."""

from django.urls import path

from atelier.messaging import webhooks

app_name = "messaging_webhooks"

urlpatterns = [
    path("brevo/<str:secret>/sms/", webhooks.brevo_sms, name="brevo_sms"),
    path("brevo/<str:secret>/email/", webhooks.brevo_email, name="brevo_email"),
    path("ovh/<str:secret>/receipt/", webhooks.ovh_receipt, name="ovh_receipt"),
    path("ovh/<str:secret>/incoming/", webhooks.ovh_incoming, name="ovh_incoming"),
    path("email/<str:secret>/raw/", webhooks.email_raw, name="email_raw"),
]
