"""Conditions billing puts on the dossier's steps (registered in repairs.extensions.step_checks)."""

from django.utils.translation import gettext as _

from atelier.billing import selectors
from atelier.billing.models import HandBack, UnpaidBalance
from atelier.core.money import fr_amount


def step_check(case, step_name: str) -> list[str]:
    if step_name == "hand_back":
        return _hand_back_reasons(case)
    if step_name == "close":
        return _close_reasons(case)
    return []


def _hand_back_reasons(case) -> list[str]:
    if selectors.rules_apply(case) and not HandBack.objects.filter(case=case).exists():
        return [
            _("l'appareil se rend contre la signature du client, depuis la section « Facturation et remise »")
        ]
    return []


def _close_reasons(case) -> list[str]:
    reasons = []
    if selectors.rules_apply(case):
        if not HandBack.objects.filter(case=case).exists():
            reasons.append(_("l'appareil n'a pas été rendu contre la signature du client"))
        draft = selectors.invoice_draft(case)
        if selectors.current_invoice(case) is None and draft.lines:
            reasons.append(
                _("la facture n'est pas émise")
                + (f" ({' ; '.join(draft.refusals)})" if draft.refusals else "")
            )
    due = selectors.balance_due(case)
    if due > 0 and not UnpaidBalance.objects.filter(case=case).exists():
        reasons.append(
            _(
                "la facture n'est pas entièrement payée (reste dû %(d)s €) : encaissez le solde ou enregistrez "
                "le reste dû avec son motif et la personne qui le suit"
            )
            % {"d": fr_amount(due)}
        )
    if due < 0:
        reasons.append(
            _(
                "le client doit être remboursé de %(d)s € (avoir) : enregistrez le remboursement depuis la section "
                "« Facturation et remise »"
            )
            % {"d": fr_amount(-due)}
        )
    return reasons
