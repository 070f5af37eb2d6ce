"""Template tags of disputes: the consumer mediator of a site (printed on quotes, invoices and the tracking page,
L612-1 / L616-1) and the « Ouvrir un litige » link on a complaint, a claim or an invoice."""

from django import template
from django.urls import reverse

from atelier.core.access import may
from atelier.disputes.selectors import mediator_of

register = template.Library()


@register.simple_tag
def site_mediator(site):
    """The site's mediator (name and website both set) or None: then nothing is printed for the customer."""
    site_id = site if isinstance(site, int) else getattr(site, "pk", None)  # a Site or its id, nothing else
    return mediator_of(site_id) if site_id is not None else None


@register.inclusion_tag("disputes/_open_link.html", takes_context=True)
def open_dispute_link(context, parameter: str, obj):
    """A button opening a dispute from `obj` (?mecontentement=, ?reclamation=, ?facture=, ?dossier=, ?client=),
    shown to whoever may open one on the object's site."""
    request = context.get("request")
    user = getattr(request, "user", None)
    site_id = getattr(obj, "site_id", None)
    if site_id is None and hasattr(obj, "customer"):
        site_id = obj.customer.site_id
    shown = user is not None and obj is not None and may(user, "disputes.handle", site_id)
    return {"shown": shown, "url": f"{reverse('disputes:create')}?{parameter}={obj.pk}" if shown else ""}
