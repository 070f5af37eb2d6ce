"""Billing's periodic jobs (operations.registry): the follow-up after the handover (payment reminders,
survey invitations, automatic closures), the daily closures of the journal and its nightly full check."""

import datetime
import logging

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from atelier.core.errors import AtelierError
from atelier.operations.registry import Job, daily

logger = logging.getLogger("atelier.billing")


class JournalBroken(AtelierError):
    """The nightly check found a problem: the run is recorded « erreur » with it, for the manager to see."""


def _today(now) -> datetime.date:
    return timezone.localtime(now).date()


def payment_reminders(*, now, site) -> dict:
    from atelier.billing.services_followup import payment_reminders_send

    cases = payment_reminders_send(site=site, today=_today(now), now=now)
    return {
        "text": _("%(n)s relance(s) de paiement mise(s) en file.") % {"n": len(cases)},
        "cases": [c.number for c in cases],
    }


def survey_invitations(*, now, site) -> dict:
    from atelier.billing.services_followup import survey_invitations_send

    cases = survey_invitations_send(site=site, today=_today(now), now=now)
    return {
        "text": _("%(n)s invitation(s) à l'enquête de satisfaction.") % {"n": len(cases)},
        "cases": [c.number for c in cases],
    }


def auto_close(*, now, site) -> dict:
    from atelier.billing.services_followup import cases_close_paid

    cases = cases_close_paid(site=site, now=now)
    return {
        "text": _("%(n)s dossier(s) clôturé(s) automatiquement.") % {"n": len(cases)},
        "cases": [c.number for c in cases],
    }


def closures(*, now, site) -> dict:
    from atelier.billing.closures import closures_close_due

    made = closures_close_due(site=site, until=_today(now) - datetime.timedelta(days=1), at=now)
    return {"text": _("%(n)s clôture(s) de période.") % {"n": len(made)}, "closures": [str(c) for c in made]}


def journal_check(*, now) -> dict:
    """The full check of every site's chain, signatures and documents; a problem makes the run « erreur » (the
    « Tâches planifiées » page shows it in red to the manager) and is logged as an error."""
    from atelier.billing.verify import journal_verify

    verdict = journal_verify(record=True)  # dated on each site's checkpoint, shown on the accountant's page
    if verdict.problems:
        for problem in verdict.problems:
            logger.error("journal : %s", problem)
        raise JournalBroken(
            _("Journal rompu : %(m)s (%(n)s problème(s) ; « atelier journal verify » les liste).")
            % {"m": verdict.problems[0], "n": len(verdict.problems)}
        )
    return {
        "text": _("Journal vérifié : %(n)s écriture(s), aucun problème.") % {"n": verdict.count},
        "entries": verdict.count,
    }


JOBS = [
    Job(
        "payment_reminders",
        _l("Relances de paiement"),
        daily(9),
        payment_reminders,
        per_site=True,
        description=_l(
            "Relance le client d'une facture échue non soldée, au plus tous les N jours et N fois (réglages du "
            "site)."
        ),
    ),
    Job(
        "survey_invitations",
        _l("Invitations à l'enquête de satisfaction"),
        daily(10),
        survey_invitations,
        per_site=True,
        description=_l(
            "Invite une fois le client d'un dossier clôturé à donner son avis (message commercial : avec son "
            "consentement)."
        ),
    ),
    Job(
        "auto_close",
        _l("Clôture automatique des dossiers"),
        daily(5),
        auto_close,
        per_site=True,
        description=_l("Clôture les dossiers rendus et soldés depuis N jours (réglages du site)."),
    ),
    Job(
        "journal_closures",
        _l("Clôtures du journal"),
        daily(1),
        closures,
        per_site=True,
        description=_l(
            "Clôture les jours, mois et années échus jusqu'à la veille (comme « atelier journal close-due »)."
        ),
    ),
    Job(
        "journal_check",
        _l("Vérification complète du journal"),
        daily(2),
        journal_check,
        description=_l(
            "Vérifie les chaînes, les signatures et les documents de tous les sites ; un problème apparaît en "
            "erreur sur cette page."
        ),
    ),
]
