"""What the planning's writes share: the manager's check and the site-day row lock."""

import datetime

from django.utils.translation import gettext as _

from atelier.core.access import require_step
from atelier.core.errors import AtelierError
from atelier.core.locking import lock_rows
from atelier.core.models import User
from atelier.core.permissions import require_site
from atelier.planning.models import (
    DayPlan,
)


def _manager(actor: User, site) -> None:
    require_step(actor, "planning.manage", site=site)
    require_site(actor, site)


def _day_busy(day: datetime.date) -> AtelierError:
    return AtelierError(
        _(
            "Un autre responsable est en train d'optimiser ou de valider le %(d)s : attendez qu'il ait "
            "fini puis rechargez la page. Le dernier plan validé est conservé."
        )
        % {"d": day.strftime("%d/%m/%Y")}
    )


def _locked_plan(site, day: datetime.date) -> DayPlan:
    """The site-day row, locked; a manager already optimising or validating it gets a clear refusal at once.

    NOWAIT, not the usual wait: a solve holds this row for several seconds, so the second manager would
    otherwise wait and then re-optimise behind the first one; he is refused with the day named and keeps the
    last validated plan.
    """
    rows = lock_rows(DayPlan.objects.filter(site=site, day=day), nowait=True, busy=_day_busy(day))
    if not rows:
        raise DayPlan.DoesNotExist
    return rows[0]
