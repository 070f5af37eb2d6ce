"""SMS through OVHcloud's API (https://eu.api.ovh.com, « POST /sms/{serviceName}/jobs »).

Every call is signed: X-Ovh-Application (application key), X-Ovh-Consumer (consumer key), X-Ovh-Timestamp
(Unix time) and X-Ovh-Signature = "$1$" + SHA1 hex of "secret+consumer+METHOD+full URL+body+timestamp".
The job's body is {"receivers": ["+33…"], "message", "charset": "UTF-8", "sender" or "senderForResponse",
"noStopClause", "priority", "tag"}; the answer is {"ids": [123], "validReceivers": […], "invalidReceivers": […],
"totalCreditsRemoved": 1}: the id is what OVH's callbacks repeat. Errors come as {"message": "…"}.

Without a sender name (ATELIER_SMS_SENDER empty) the SMS leaves from an OVH short number that customers can
answer (senderForResponse): their replies reach the « SMS entrants » callback.
"""

import hashlib
import json
import time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from atelier.messaging.providers.base import Accepted, Outgoing, PermanentFailure, e164
from atelier.messaging.providers.http import post_json


def signature(secret: str, consumer: str, method: str, url: str, body: str, timestamp: int) -> str:
    plain = "+".join([secret, consumer, method, url, body, str(timestamp)])
    return "$1$" + hashlib.sha1(plain.encode()).hexdigest()  # noqa: S324 (OVH's protocol, not our choice)


class OvhSmsProvider:
    name = "ovh"

    def send(self, outgoing: Outgoing) -> Accepted:
        application = getattr(settings, "ATELIER_OVH_APPLICATION_KEY", "")
        secret = getattr(settings, "ATELIER_OVH_APPLICATION_SECRET", "")
        consumer = getattr(settings, "ATELIER_OVH_CONSUMER_KEY", "")
        service = getattr(settings, "ATELIER_OVH_SMS_SERVICE", "")
        if not (application and secret and consumer and service):
            raise ImproperlyConfigured(
                "ATELIER_OVH_APPLICATION_KEY, _APPLICATION_SECRET, _CONSUMER_KEY et ATELIER_OVH_SMS_SERVICE "
                "doivent être définis."
            )
        number = e164(outgoing.recipient)
        if not number:
            raise PermanentFailure(
                _("« %(number)s » n'est pas un numéro de téléphone valide.") % {"number": outgoing.recipient}
            )
        payload = {
            "receivers": [number],
            "message": outgoing.body,
            "charset": "UTF-8",
            "noStopClause": True,  # service messages about the customer's own repair, not marketing
            "priority": "high",
        }
        if settings.ATELIER_SMS_SENDER:
            payload["sender"] = settings.ATELIER_SMS_SENDER
        else:
            payload["senderForResponse"] = True
        if outgoing.reference:
            payload["tag"] = outgoing.reference
        body = json.dumps(payload)
        url = f"{settings.ATELIER_OVH_URL.rstrip('/')}/sms/{service}/jobs"
        timestamp = int(time.time())
        reply = post_json(
            "OVHcloud",
            url,
            body.encode(),
            {
                "Content-Type": "application/json",
                "X-Ovh-Application": application,
                "X-Ovh-Consumer": consumer,
                "X-Ovh-Timestamp": str(timestamp),
                "X-Ovh-Signature": signature(secret, consumer, "POST", url, body, timestamp),
            },
            lambda data: data.get("message", ""),
        )
        ids = reply.data.get("ids") or []
        if not ids:
            raise PermanentFailure(
                _("OVHcloud a refusé le numéro %(number)s.")
                % {"number": ", ".join(reply.data.get("invalidReceivers") or [number])}
            )
        return Accepted(provider=self.name, provider_id=str(ids[0]))
