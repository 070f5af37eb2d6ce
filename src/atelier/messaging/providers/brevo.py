"""SMS through Brevo's transactional SMS API (https://developers.brevo.com, « Send transactional SMS »).

POST {ATELIER_BREVO_URL}/v3/transactionalSMS/send with the account's key in the `api-key` header and
{"sender", "recipient" (international number without « + »), "content", "type": "transactional", "tag",
"unicodeEnabled"}; the answer (201) is {"messageId": 1511882900176220}, the id that Brevo's webhooks repeat
(messageId). Errors come as {"code": "invalid_parameter", "message": "…"}.
"""

import json

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from atelier.messaging.providers.base import Accepted, Outgoing, PermanentFailure, e164
from atelier.messaging.providers.http import post_json

# The GSM 03.38 alphabet (basic set and extension): any other character needs a unicode SMS.
GSM_CHARACTERS = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€"
)


class BrevoSmsProvider:
    name = "brevo"

    def send(self, outgoing: Outgoing) -> Accepted:
        key = getattr(settings, "ATELIER_BREVO_API_KEY", "")
        if not key:
            raise ImproperlyConfigured("ATELIER_BREVO_API_KEY n'est pas défini.")
        number = e164(outgoing.recipient)
        if not number:
            raise PermanentFailure(
                _("« %(number)s » n'est pas un numéro de téléphone valide.") % {"number": outgoing.recipient}
            )
        payload = {
            "sender": settings.ATELIER_SMS_SENDER,
            "recipient": number.lstrip("+"),
            "content": outgoing.body,
            "type": "transactional",
            "unicodeEnabled": not set(outgoing.body) <= GSM_CHARACTERS,
        }
        if outgoing.reference:
            payload["tag"] = outgoing.reference
        reply = post_json(
            "Brevo",
            settings.ATELIER_BREVO_URL.rstrip("/") + "/v3/transactionalSMS/send",
            json.dumps(payload).encode(),
            {"api-key": key, "accept": "application/json", "content-type": "application/json"},
            lambda data: data.get("message", ""),
        )
        return Accepted(provider=self.name, provider_id=str(reply.data.get("messageId", "")))
