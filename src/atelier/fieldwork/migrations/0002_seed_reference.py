"""Reference data: tool kinds with their check procedure, EN 50678 limits per appliance class, the product
families tested after repair, and the safety rules switched on for the sites already there.

Sources and choices are written out in docs/fieldwork.md; every row is editable in the admin.
"""

import datetime
from decimal import Decimal

from django.db import migrations

EN50678 = "NF EN 50678:2020 (vérification après réparation des appareils électriques)"
SINCE = datetime.date(2020, 6, 1)

LIMITS = [
    # class, measure, limit (stored unit: Ω, MΩ, mA), maximum or minimum is in fieldwork.choices
    ("I", "pe_resistance", "0.3"),  # ≤ 0,3 Ω (cordon ≤ 5 m ; + 0,1 Ω par 7,5 m au-delà, non géré ici)
    ("I", "insulation", "1"),  # ≥ 1 MΩ
    ("I", "pe_current", "3.5"),  # ≤ 3,5 mA
    ("II", "insulation", "2"),  # ≥ 2 MΩ
    ("II", "touch_current", "0.5"),  # ≤ 0,5 mA
]

FAMILIES = [
    ("lave_linge", "I"),
    ("lave_vaisselle", "I"),
    ("seche_linge", "I"),
    ("cuisson", "I"),
    ("froid", "I"),
    ("petit_electromenager", "II"),
    ("televiseur", "II"),
    ("audio", "II"),
    ("video", "II"),
]

KINDS = [
    # code, name, procedure, interval in days (None: no periodic check)
    (
        "multimetre",
        "Multimètre",
        "Comparaison sur étalon de tension et de résistance (écart ≤ précision constructeur), état des "
        "cordons et pointes de touche, fusibles des calibres courant.",
        365,
    ),
    (
        "controleur-isolement",
        "Contrôleur d'isolement",
        "Mesure sur boîte de résistances étalon (0,5 / 1 / 2 / 10 MΩ), vérification de la tension d'essai "
        "500 V, état des cordons.",
        365,
    ),
    (
        "pince-amperemetrique",
        "Pince ampèremétrique",
        "Mesure d'un courant de référence (charge résistive connue), remise à zéro, état des mâchoires.",
        365,
    ),
    (
        "testeur-pat",
        "Testeur PAT / contrôleur de sécurité électrique",
        "Étalonnage par un laboratoire (certificat) ; entre deux étalonnages, autotest et mesure sur "
        "l'adaptateur de contrôle fourni.",
        365,
    ),
    (
        "vat",
        "Vérificateur d'absence de tension (VAT)",
        "Autotest avant chaque usage et essai sur une source connue sous tension (NF EN 61243-3).",
        180,
    ),
    (
        "pompe-a-vide",
        "Pompe à vide",
        "Vide limite atteint ≤ 50 Pa sur vacuomètre, niveau et vidange de l'huile, clapet anti-retour.",
        180,
    ),
    (
        "manometres",
        "Manomètres (manifold)",
        "Comparaison à un manomètre étalon à 0 et à deux pressions, étanchéité des flexibles.",
        365,
    ),
    (
        "detecteur-fuites",
        "Détecteur de fuites de fluide frigorigène",
        "Essai sur fuite étalon (≤ 5 g/an), contrôle du capteur selon le constructeur.",
        365,
    ),
    (
        "interface-programmation",
        "Interface de programmation / valise de diagnostic",
        "Mise à jour du logiciel de l'interface, essai de connexion sur un appareil de référence, état des "
        "câbles et adaptateurs.",
        180,
    ),
    ("caisse-outils", "Caisse à outils isolés", "", None),
]


def seed(apps, schema_editor):
    Limit = apps.get_model("fieldwork", "SafetyLimit")
    Family = apps.get_model("fieldwork", "SafetyFamily")
    Kind = apps.get_model("fieldwork", "ToolKind")
    for appliance_class, measure, limit in LIMITS:
        Limit.objects.get_or_create(
            appliance_class=appliance_class,
            measure=measure,
            valid_from=SINCE,
            defaults={"limit": Decimal(limit), "source": EN50678},
        )
    for family, default_class in FAMILIES:
        Family.objects.get_or_create(family=family, defaults={"default_class": default_class})
    for code, name, procedure, interval in KINDS:
        Kind.objects.get_or_create(
            code=code, defaults={"name": name, "check_procedure": procedure, "check_interval_days": interval}
        )


def enforce_on_existing_sites(apps, schema_editor):
    """Sites already running when the app is installed enforce the safety steps (see SiteRules)."""
    Rules = apps.get_model("fieldwork", "SiteRules")
    for site in apps.get_model("core", "Site").objects.all():
        Rules.objects.get_or_create(site=site)


class Migration(migrations.Migration):
    dependencies = [("fieldwork", "0001_initial")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(enforce_on_existing_sites, migrations.RunPython.noop),
    ]
