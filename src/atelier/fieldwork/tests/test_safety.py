"""Electrical safety tests (EN 50678): reading measurements with their unit, limits per class, pass / fail."""

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from atelier.core.errors import AtelierError
from atelier.fieldwork import services
from atelier.fieldwork.measures import parse_measure
from atelier.fieldwork.models import SafetyTest
from atelier.fieldwork.selectors import limits_in_force
from atelier.fieldwork.tests.conftest import make_tool

pytestmark = pytest.mark.django_db
GOOD = {"pe_resistance": "0,1 Ω", "insulation": "300 MΩ", "pe_current": "0,2 mA"}  # class I, passing


@pytest.mark.parametrize(
    ("text", "measure", "value"),
    [
        ("0,12 Ω", "pe_resistance", "0.12"),
        ("120 mΩ", "pe_resistance", "0.12"),
        ("0.3ohm", "pe_resistance", "0.3"),
        ("250 MΩ", "insulation", "250"),
        ("150 kΩ", "insulation", "0.15"),
        (">550 Mohm", "insulation", "550"),
        ("1,2 GΩ", "insulation", "1200"),
        ("0,8 mA", "pe_current", "0.8"),
        ("480 µA", "touch_current", "0.48"),
        ("120 uA", "touch_current", "0.12"),
        ("0.002 A", "pe_current", "2"),
    ],
)
def test_measurements_are_read_into_their_stored_unit(text, measure, value):
    assert parse_measure(text, measure) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "measure", "message"),
    [
        ("", "pe_resistance", "Saisissez la mesure « Résistance du conducteur de protection »."),
        (
            "-0,1 Ω",
            "pe_resistance",
            "« Résistance du conducteur de protection » ne peut pas être négative (-0,1 Ω).",
        ),
        (
            "0,12",
            "pe_resistance",
            "Précisez l'unité de « Résistance du conducteur de protection » (ex. 0,12 Ω).",
        ),
        (
            "2 mA",
            "insulation",
            "« mA » n'est pas une unité pour « Résistance d'isolement », qui est une résistance (ex. 250 MΩ).",
        ),
        (
            "3 MΩ",
            "touch_current",
            "« MΩ » n'est pas une unité pour « Courant de contact », qui est un courant (ex. 120 µA).",
        ),
        (
            "230 V",
            "pe_current",
            "Unité « V » inconnue pour « Courant dans le conducteur de protection (fuite) » : utilisez µA, mA, A.",
        ),
        (
            "beaucoup",
            "insulation",
            "« beaucoup » n'est pas une mesure lisible pour « Résistance d'isolement » (ex. 250 MΩ).",
        ),
        (
            "5 kΩ",
            "pe_resistance",
            "5 kΩ est hors de la plage plausible pour « Résistance du conducteur de protection » (au plus 1000 Ω) : "
            "vérifiez la saisie.",
        ),
    ],
)
def test_bad_measurements_are_refused_in_french(text, measure, message):
    with pytest.raises(AtelierError, match=re.escape(message)) as exc:
        parse_measure(text, measure)
    assert exc.value.message == message
    assert exc.value.field == measure


@given(st.decimals(min_value=0, max_value=1000, places=3))
def test_any_plausible_resistance_in_milliohms_reads_back(value):
    assert parse_measure(f"{value * 1000} mΩ", "pe_resistance") == value


def test_default_limits_per_class_from_en_50678():
    from django.utils import timezone

    def table(appliance_class):
        return {
            m: str(row.limit.normalize())
            for m, row in limits_in_force(appliance_class, timezone.localdate()).items()
        }

    assert table("I") == {"insulation": "1", "pe_current": "3.5", "pe_resistance": "0.3"}
    assert table("II") == {"insulation": "2", "touch_current": "0.5"}
    assert [row.display for row in limits_in_force("I", timezone.localdate()).values()] == [
        "≤ 0,3 Ω",
        "≥ 1 MΩ",
        "≤ 3,5 mA",
    ]


@pytest.mark.parametrize(
    ("appliance_class", "measurements", "verdicts"),
    [
        ("I", {"pe_resistance": "0,30 Ω", "insulation": "1 MΩ", "pe_current": "3,5 mA"}, (True, True, True)),
        (
            "I",
            {"pe_resistance": "0,31 Ω", "insulation": "0,99 MΩ", "pe_current": "3,6 mA"},
            (False, False, False),
        ),
        ("II", {"insulation": "1,5 MΩ", "touch_current": "500 µA"}, (False, True)),
        ("II", {"insulation": "2 MΩ", "touch_current": "0,51 mA"}, (True, False)),
    ],
)
def test_pass_fail_at_the_limits(
    site, ordered_case, technicien, appliance_class, measurements, verdicts, pat
):
    case, _order = ordered_case()
    test = services.safety_test_record(
        actor=technicien,
        case=case,
        appliance_class=appliance_class,
        measurements=measurements,
        instrument=pat,
    )
    assert tuple(r["passed"] for r in test.results.values()) == verdicts
    assert test.passed is all(verdicts)


def test_a_missing_measure_or_a_quarantined_instrument_writes_nothing(
    site, ordered_case, technicien, kind_pat, pat
):
    case, _order = ordered_case()
    with pytest.raises(AtelierError, match="Saisissez la mesure") as exc:
        services.safety_test_record(
            actor=technicien,
            case=case,
            appliance_class="I",
            measurements={"pe_resistance": "0,1 Ω", "insulation": "300 MΩ"},
            instrument=pat,
        )
    assert exc.value.message == "Saisissez la mesure « Courant dans le conducteur de protection (fuite) »."
    tool = make_tool(site, kind_pat, "PAT-5", status="quarantaine")
    with pytest.raises(AtelierError, match="est en quarantaine ou son contrôle est échu") as exc:
        services.safety_test_record(
            actor=technicien,
            case=case,
            appliance_class="II",
            measurements={"insulation": "300 MΩ", "touch_current": "0,1 mA"},
            instrument=tool,
        )
    assert exc.value.message == (
        "L'appareil de mesure Testeur PAT / contrôleur de sécurité électrique n° PAT-5 est en quarantaine ou son "
        "contrôle est échu : mesures non valables, prenez un autre appareil."
    )
    with pytest.raises(AtelierError, match="Aucune limite d'essai n'est en vigueur") as exc:
        services.safety_test_record(
            actor=technicien, case=case, appliance_class="III", measurements={}, instrument=pat
        )
    assert exc.value.message == "Aucune limite d'essai n'est en vigueur pour la classe « III »."
    with pytest.raises(AtelierError) as exc:  # no instrument named: the measures prove nothing
        services.safety_test_record(actor=technicien, case=case, appliance_class="I", measurements=GOOD)
    assert (exc.value.message, exc.value.field) == (
        "Choisissez l'appareil de mesure dans le registre de l'outillage.",
        "instrument",
    )
    assert not SafetyTest.objects.exists()
