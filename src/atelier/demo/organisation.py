"""The demo's two sites, their tariffs and the staff logins: created once, refreshed on every run.

Refreshing matters more than creating: whoever runs `make demo` again after playing with the admin must be
able to log in with the printed password, so users get their roles, sites and password back each time.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password

from atelier.core.choices import Role, SiteKind, TariffKind
from atelier.core.models import Site, SiteTariff, User
from atelier.core.services import user_set_roles
from atelier.demo.identifiers import siren_from, siret_from, vat_from

DEMO_PASSWORD = "demo"
ADMIN_LABEL = "Administrateur (admin Django)"
TARIFFS_FROM = datetime.date(2025, 1, 1)

_PAR_SIREN = siren_from("81452736")
_LYO_SIREN = siren_from("84390215")

SITES = (
    {
        "code": "PAR1",
        "name": "Paris Bastille",
        "kind": SiteKind.MAGASIN_ATELIER,
        "legal_name": "SAV Bastille Électroménager",
        "legal_form": "SARL",
        "share_capital": Decimal("20000.00"),
        "siren": _PAR_SIREN,
        "siret": siret_from(_PAR_SIREN, "0001"),
        "vat_number": vat_from(_PAR_SIREN),
        "rcs": "RCS Paris",
        "address": "48 rue de la Roquette",
        "postcode": "75011",
        "city": "Paris",
        # Telephone numbers from the blocks ARCEP reserves for fiction: nobody is called by mistake.
        "phone": "01 99 00 11 75",
        "email": "paris.bastille@example.fr",
    },
    {
        "code": "LYO1",
        "name": "Lyon Part-Dieu",
        "kind": SiteKind.ATELIER,
        "legal_name": "Part-Dieu Réparation",
        "legal_form": "SAS",
        "share_capital": Decimal("10000.00"),
        "siren": _LYO_SIREN,
        "siret": siret_from(_LYO_SIREN, "0002"),
        "vat_number": vat_from(_LYO_SIREN),
        "rcs": "RCS Lyon",
        "address": "27 rue de Bonnel",
        "postcode": "69003",
        "city": "Lyon",
        "phone": "04 65 71 69 03",
        "email": "lyon.partdieu@example.fr",
    },
)

TARIFFS = {
    "PAR1": {
        TariffKind.HOURLY_WORKSHOP: "62.00",
        TariffKind.HOURLY_HOME: "72.00",
        TariffKind.TRAVEL_FEE: "45.00",
        TariffKind.DIAGNOSIS_FEE: "39.00",
    },
    "LYO1": {
        TariffKind.HOURLY_WORKSHOP: "55.00",
        TariffKind.HOURLY_HOME: "65.00",
        TariffKind.TRAVEL_FEE: "39.00",
        TariffKind.DIAGNOSIS_FEE: "35.00",
    },
}


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    roles: tuple[str, ...]
    sites: tuple[str, ...]
    admin: bool = False  # staff and superuser, so the Django admin opens
    chain_manager: bool = False


USERS = (
    DemoUser("accueil", "Sophie", "Lefèvre", (Role.ACCUEIL,), ("PAR1",)),
    DemoUser("technicien", "Karim", "Benali", (Role.TECHNICIEN,), ("PAR1",)),
    DemoUser("technicien2", "Julien", "Moreau", (Role.TECHNICIEN,), ("PAR1",)),
    DemoUser("responsable", "Nathalie", "Girard", (Role.RESPONSABLE_SAV,), ("PAR1",)),
    DemoUser("magasinier", "Thomas", "Fontaine", (Role.MAGASINIER,), ("PAR1",)),
    DemoUser("comptable", "Isabelle", "Roux", (Role.COMPTABLE,), ("PAR1",)),
    DemoUser("formateur", "Patrick", "Mercier", (Role.FORMATEUR,), ("PAR1",)),
    DemoUser("accueil.lyon", "Léa", "Gauthier", (Role.ACCUEIL,), ("LYO1",)),
    DemoUser("technicien.lyon", "Mehdi", "Chabane", (Role.TECHNICIEN,), ("LYO1",)),
    DemoUser(
        "reseau", "Claire", "Dubois-Lambert", (Role.RESPONSABLE_SAV,), ("PAR1", "LYO1"), chain_manager=True
    ),
    # The settings' account (Django admin): apart from the staff, so no one works the dossiers as superuser.
    DemoUser("admin", "Alex", "Admin", (), ("PAR1", "LYO1"), admin=True),
)


def ensure_sites() -> tuple[dict[str, Site], int]:
    """The demo sites by code (created when missing, left as edited otherwise) and how many were created."""
    sites, created = {}, 0
    for data in SITES:
        site = Site.objects.filter(code=data["code"]).first()
        if site is None:
            site = Site(**data)
            site.full_clean()
            site.save()
            created += 1
        for kind, amount in TARIFFS[site.code].items():
            SiteTariff.objects.get_or_create(
                site=site, kind=kind, valid_from=TARIFFS_FROM, defaults={"amount": Decimal(amount)}
            )
        sites[site.code] = site
    return sites, created


def ensure_users(sites: dict[str, Site]) -> tuple[dict[str, User], int]:
    """The demo users by username, with roles, sites and demo password put back; and how many were created.

    The password is hashed once and the hash given to every user: set_password would hash it ten times at
    about 0.35 s each (PBKDF2), most of the run for no benefit on throw-away demo accounts.
    """
    hashed = make_password(DEMO_PASSWORD)
    users, created = {}, 0
    for spec in USERS:
        user, was_created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@example.fr",
            },
        )
        created += was_created
        user.password = hashed
        user.is_active = True
        user.is_staff = user.is_superuser = spec.admin
        user.is_chain_manager = spec.chain_manager
        user.save()
        user_set_roles(user=user, roles=list(spec.roles))
        user.sites.set([sites[code] for code in spec.sites])
        users[spec.username] = user
    return users, created


def logins_table() -> str:
    """The logins to print after every run, as a plain-text table a trainer can copy into a handout."""
    role_labels = dict(Role.choices)
    rows = [("Identifiant", "Mot de passe", "Rôle(s)", "Site(s)")]
    for spec in USERS:
        roles = ", ".join(
            [*(str(role_labels[r]) for r in spec.roles), *([ADMIN_LABEL] if spec.admin else [])]
        )
        sites = "tous les sites (réseau)" if spec.chain_manager else ", ".join(spec.sites)
        rows.append((spec.username, DEMO_PASSWORD, roles, sites))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]

    def line(row) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(rows[0]), rule, *(line(row) for row in rows[1:])])
