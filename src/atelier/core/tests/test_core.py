from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template

from atelier.core import geo
from atelier.core.access import require_step
from atelier.core.choices import Role, TariffKind
from atelier.core.errors import PermissionRefused
from atelier.core.models import SiteTariff
from atelier.core.permissions import require_site
from atelier.core.services import user_set_roles
from atelier.core.tests.factories import SiteFactory, UserFactory
from atelier.core.validators import (
    format_phone,
    normalize_phone,
    validate_postcode,
    validate_siren,
    validate_siret,
    validate_vat_fr,
)


def test_roles_and_sites_decide_what_a_user_may_do_and_see(site, other_site):
    user = UserFactory(username="multi", roles=[Role.ACCUEIL, Role.TECHNICIEN], sites=[site])
    assert user.has_role(Role.TECHNICIEN) and not user.has_role(Role.COMPTABLE)
    require_step(user, "reception.queue", site=site)  # accueil, under « réseau »
    with pytest.raises(PermissionRefused, match="Votre rôle ne permet pas cette opération."):
        require_step(user, "billing.closure", site=site)  # comptable only
    with pytest.raises(PermissionRefused, match="Ce site ne fait pas partie des vôtres."):
        require_step(user, "reception.queue", site=other_site)
    assert list(user.visible_sites()) == [site]
    require_site(user, site)
    with pytest.raises(PermissionRefused, match="Ce site ne fait pas partie des vôtres."):
        require_site(user, other_site)
    chain = UserFactory(username="reseau", roles=[Role.RESPONSABLE_SAV], is_chain_manager=True)
    assert list(chain.visible_sites().values_list("code", flat=True)) == ["LYO1", "PAR1"]


def test_user_set_roles_replaces_the_roles(site):
    user = UserFactory(username="u", roles=[Role.ACCUEIL], sites=[site])
    user_set_roles(user=user, roles=[Role.MAGASINIER, Role.COMPTABLE])
    assert sorted(user.roles.values_list("role", flat=True)) == ["comptable", "magasinier"]
    assert user.has_role(Role.MAGASINIER) and not user.has_role(Role.ACCUEIL)


def test_tariffs_have_dates_of_effect(db):
    import datetime

    site = SiteFactory(code="TAR1", tariffs={})
    SiteTariff.objects.create(
        site=site,
        kind=TariffKind.HOURLY_WORKSHOP,
        amount=Decimal("50.00"),
        valid_from=datetime.date(2025, 1, 1),
    )
    SiteTariff.objects.create(
        site=site,
        kind=TariffKind.HOURLY_WORKSHOP,
        amount=Decimal("54.50"),
        valid_from=datetime.date(2026, 7, 1),
    )
    assert site.tariff(TariffKind.HOURLY_WORKSHOP, on=datetime.date(2026, 6, 30)) == Decimal("50.00")
    assert site.tariff(TariffKind.HOURLY_WORKSHOP, on=datetime.date(2026, 7, 1)) == Decimal("54.50")
    assert site.tariff(TariffKind.HOURLY_WORKSHOP, on=datetime.date(2024, 12, 31)) is None
    assert site.tariff(TariffKind.TRAVEL_FEE) is None


def test_site_identity_is_checked(db):
    site = SiteFactory.build(
        code="par 1", siren="732829321", siret="55210055400013", vat_number="FR00732829320", postcode="00000"
    )
    with pytest.raises(ValidationError, match="Le code du site se compose de 2 à 8 lettres") as info:
        site.full_clean()
    errors = info.value.message_dict
    assert errors["code"] == [
        "Le code du site se compose de 2 à 8 lettres majuscules ou chiffres (ex. PAR1)."
    ]
    assert errors["siren"] == ["« 732829321 » n'est pas un SIREN valide (9 chiffres, clé de contrôle)."]
    assert errors["vat_number"] == [
        "« FR00732829320 » n'est pas un numéro de TVA intracommunautaire français valide (FR + 11 caractères)."
    ]
    assert errors["postcode"] == ["Le code postal « 00000 » n'existe pas."]
    good = SiteFactory.build(code="PAR2", siret="55210055400013")
    with pytest.raises(ValidationError, match="Le SIRET doit commencer par le SIREN du site") as info:
        good.full_clean()
    assert info.value.message_dict == {"siret": ["Le SIRET doit commencer par le SIREN du site."]}


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("06 12 34 56 78", "+33612345678", "06 12 34 56 78"),
        ("+33 1 43 55 12 34", "+33143551234", "01 43 55 12 34"),
        ("0033612345678", "+33612345678", "06 12 34 56 78"),
        ("+32 470 12 34 56", "+32470123456", "+32 470 12 34 56"),
    ],
)
def test_phones_are_stored_international_and_shown_the_french_way(typed, stored, shown):
    assert normalize_phone(typed) == stored
    assert format_phone(stored) == shown


@pytest.mark.parametrize("typed", ["06 12", "abc", "01 00 00 00 00 00 00", ""])
def test_invalid_phones_are_refused_in_french(typed):
    with pytest.raises(ValidationError, match="n'est pas un numéro de téléphone valide") as info:
        normalize_phone(typed)
    assert info.value.messages == [f"« {typed} » n'est pas un numéro de téléphone valide."]


def test_checksums():
    validate_siren("732829320")
    validate_siret("73282932000074")
    validate_vat_fr("FR44732829320")
    for validator, value in (
        (validate_siren, "732829329"),
        (validate_siret, "73282932000075"),
        (validate_vat_fr, "FR45732829320"),
    ):
        with pytest.raises(ValidationError, match=f"« {value} » n'est pas un"):
            validator(value)


def test_postcode_table_is_shipped_with_the_package():
    validate_postcode("75011")
    assert [c.label for c in geo.communes("69003")] == ["Lyon 03"]
    paris = geo.locate("75011", "Paris")
    assert paris.insee == "75111" and round(paris.latitude, 2) == 48.86
    assert geo.locate("97400").name == "ST DENIS"
    assert geo.locate("93200", "Saint-Denis").insee == "93066"
    assert geo.locate("00000") is None
    assert len(geo.all_postcodes()) > 6000


def test_euros_filter_prints_french_amounts():
    rendered = Template("{{ a|euros }}|{{ b|euros }}|{{ c|euros }}").render(
        Context({"a": Decimal("1234.5"), "b": Decimal("0.005"), "c": None})
    )
    assert rendered == "1\u00a0234,50\u00a0€|0,01\u00a0€|"


def test_figures_people_read_are_grouped_and_ids_are_not():
    rendered = Template("{{ n|grouped }}|{{ n }}|{{ none|grouped }}").render(
        Context({"n": 1234567, "none": None})
    )
    assert rendered == "1\u00a0234\u00a0567|1234567|"
