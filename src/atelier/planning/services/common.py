"""What the planning's writes share: the manager's check and the site-day row lock."""

import datetime

from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _

from atelier.core.choices import Role
from atelier.core.errors import AtelierError
from atelier.core.models import User
from atelier.core.permissions import require_role, require_site
from atelier.planning.models import (
    DayPlan,
)


def _manager(actor: User, site) -> None:
    require_role(actor, Role.RESPONSABLE_SAV)
    require_site(actor, site)


def _locked_plan(site, day: datetime.date) -> DayPlan:
    """The site-day row, locked; a manager already optimising or validating it gets a clear refusal at once.

    The one row lock of Atelier not taken through core.locking, on purpose: `lock_rows` waits up to
    LOCK_TIMEOUT_MS for a busy row, and a solve holds this row for several seconds, so the second manager would
    wait and then re-optimise behind the first one. Here he must be refused at once (FOR UPDATE NOWAIT on
    PostgreSQL) with the day named, and keep the last validated plan. To be replaced by
    `lock_rows(queryset, nowait=True)` once core.locking offers it. SQLite has no NOWAIT: writers are
    serialised there by BEGIN IMMEDIATE.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("_locked_plan() must run inside the service's transaction.")
    nowait = connection.features.has_select_for_update_nowait
    query = DayPlan.objects.select_for_update(nowait=nowait, of=("self",)).filter(site=site, day=day)
    try:
        return query.get()
    except DatabaseError:
        raise AtelierError(
            _(
                "Un autre responsable est en train d'optimiser ou de valider le %(d)s : attendez qu'il ait "
                "fini puis rechargez la page. Le dernier plan validé est conservé."
            )
            % {"d": day.strftime("%d/%m/%Y")}
        ) from None
