"""What follows the handover, run by the scheduler (billing.jobs): payment reminders for invoices past due,
the satisfaction survey's invitation once a dossier is closed, and the automatic closure of dossiers handed back
and paid. Each is idempotent: what it did is in the outbox or on the dossier, and a second run finds it there.

The figures (every how many days, how many reminders, after how many days a dossier is closed) are the site's
data: operations.JobSettings.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.billing import selectors
from atelier.billing.choices import DocumentKind, NotificationPurpose
from atelier.billing.handover import tracking_link_create
from atelier.billing.models import Notification, TrackingLink
from atelier.core.money import fr_amount
from atelier.messaging.choices import Category, Purpose
from atelier.messaging.models import Message
from atelier.messaging.services import message_enqueue
from atelier.operations.contact import preferred_channel
from atelier.operations.models import JobSettings
from atelier.repairs import services as case_services
from atelier.repairs.choices import CaseStatus
from atelier.repairs.models import RepairCase

ZERO = selectors.ZERO
SURVEY_LOOKBACK_DAYS = 3  # a scheduler stopped for a day or two still invites the dossiers closed meanwhile


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@transaction.atomic
def payment_reminders_send(*, site, today: datetime.date, now: datetime.datetime) -> list[RepairCase]:
    """A reminder for each dossier of the site with an invoice past its due date and something left to pay: at
    most one every `payment_reminder_every_days`, at most `payment_reminder_max` in all (the outbox's
    « relance de paiement » messages of the dossier are the count; a reminder sent by hand restarts the wait)."""
    figures = JobSettings.for_site(site)
    if not figures.payment_reminder_max:
        return []
    cases = (
        RepairCase.objects.filter(
            site=site,
            invoices__kind=DocumentKind.FACTURE,
            invoices__main_invoice__isnull=True,  # a payer's invoice is not the customer's to be reminded of
            invoices__due_on__lt=today,
        )
        .exclude(status=CaseStatus.ANNULE)
        .distinct()
        .select_related("customer", "site")
        .order_by("pk")
    )
    sent = {
        row["case"]: row
        for row in Message.objects.filter(case__in=cases, purpose=Purpose.PAYMENT_REMINDER)
        .values("case")
        .annotate(count=Count("pk"), last=Max("created_at"))
    }
    # a reminder sent by hand from the dossier (billing.handover.payment_reminder_send) also starts the wait
    by_hand = dict(
        Notification.objects.filter(case__in=cases, purpose=NotificationPurpose.RELANCE)
        .values("case")
        .annotate(last=Max("at"))
        .values_list("case", "last")
    )
    wait = datetime.timedelta(days=figures.payment_reminder_every_days)
    reminded = []
    for case in cases:
        before = sent.get(case.pk)
        if before and before["count"] >= figures.payment_reminder_max:
            continue
        last = max(filter(None, [before["last"] if before else None, by_hand.get(case.pk)]), default=None)
        if last is not None and timezone.localtime(last).date() > today - wait:
            continue
        due = selectors.balance_due(case)
        if due <= ZERO:
            continue
        number = (before["count"] if before else 0) + 1
        names = {
            "site": site.name,
            "n": case.number,
            "amount": fr_amount(due, grouped=True),
            "phone": site.phone or "",
        }
        body = _("%(site)s : il reste %(amount)s € à régler pour le dossier %(n)s.") % names
        if site.phone:
            body += " " + _("Une question ? Appelez le %(phone)s.") % names
        message_enqueue(
            site=site,
            customer=case.customer,
            case=case,
            channel=preferred_channel(case.customer),
            purpose=Purpose.PAYMENT_REMINDER,
            subject=_("Relance n° %(k)s – dossier %(n)s") % {"k": number, "n": case.number},
            body=body,
        )
        reminded.append(case)
    return reminded


def survey_url(base_url: str, link: TrackingLink) -> str:
    from django.urls import reverse

    return base_url.rstrip("/") + reverse("improvement_public:survey", args=[link.token])


def public_base_url() -> str:
    return getattr(settings, "ATELIER_PUBLIC_URL", "").rstrip("/")


@transaction.atomic
def survey_invitations_send(*, site, today: datetime.date, now: datetime.datetime) -> list[RepairCase]:
    """Invite the customers of dossiers closed before today (the last 3 days) to give their opinion, once per
    dossier, with the link to the tracking page when one is still live and the public address is set.

    Sent as a commercial message (consent required): a survey is not needed to perform the repair contract,
    which ended with the handover and the payment, so it is not a service message (see docs/operations-jobs.md);
    a customer who did not consent gets a « non envoyé » line on the dossier, which is also the once-only mark."""
    cases = (
        RepairCase.objects.filter(
            site=site,
            status=CaseStatus.CLOTURE,
            closed_at__lt=_start_of(today),
            closed_at__gte=_start_of(today - datetime.timedelta(days=SURVEY_LOOKBACK_DAYS)),
        )
        .exclude(pk__in=Message.objects.filter(purpose=Purpose.SURVEY, case__isnull=False).values("case_id"))
        .select_related("customer", "site", "appliance")
        .order_by("closed_at", "pk")
    )
    base = public_base_url()
    invited = []
    for case in cases:
        names = {"site": site.name, "n": case.number}
        body = (
            _(
                "%(site)s : votre dossier %(n)s est clôturé. Votre avis nous aide à mieux réparer : dites-nous ce "
                "que vous avez pensé de notre service."
            )
            % names
        )
        if base:  # the survey is answered on the tracking page (improvement): a live link, made if none is
            link = TrackingLink.objects.filter(case=case, expires_at__gt=now).order_by("-created_at").first()
            link = link or tracking_link_create(case=case, at=now)
            body += " " + _("Donnez votre avis en une minute : %(url)s") % {"url": survey_url(base, link)}
        message_enqueue(
            site=site,
            customer=case.customer,
            case=case,
            channel=preferred_channel(case.customer),
            purpose=Purpose.SURVEY,
            category=Category.MARKETING,
            subject=_("Votre avis sur la réparation – dossier %(n)s") % names,
            body=body,
        )
        invited.append(case)
    return invited


@transaction.atomic
def cases_close_paid(*, site, now: datetime.datetime) -> list[RepairCase]:
    """Close the site's dossiers handed back for `auto_close_after_days` days or more with nothing left to pay,
    through the dossier's « Clôturer » step, the timeline saying « clôture automatique »."""
    days = JobSettings.for_site(site).auto_close_after_days
    if not days:
        return []
    cases = RepairCase.objects.filter(
        site=site, status=CaseStatus.RENDU, status_changed_at__lte=now - datetime.timedelta(days=days)
    ).order_by("pk")
    closed = []
    for case in cases:
        if selectors.balance_due(case) > ZERO:
            continue
        note = _("Clôture automatique : appareil rendu depuis %(d)s jours et dossier soldé.") % {"d": days}
        closed.append(case_services.case_close_automatically(case=case, note=note, at=now))
    return closed
