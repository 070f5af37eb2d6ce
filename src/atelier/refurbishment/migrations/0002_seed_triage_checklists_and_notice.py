"""Seed the triage checklists per family (C1.14: each appliance checked before it is sorted into fonctionnement
validé, à réparer or non réparable) and the default notice period after the letter to a customer who does not
collect their appliance (loi du 31 décembre 1903 : objets confiés pour réparation et non retirés dans le délai
d'un an). Each site may set its own period (its terms of sale) on the « Abandons » screen."""

import datetime

from django.db import migrations

COMMON_START = [
    ("aspect", "Aspect et complétude", "Carrosserie sans casse coupante, aucune pièce manquante"),
    ("cordon", "Cordon et fiche d'alimentation", "Gaine intacte, fiche non fendue, serre-câble en place"),
    ("mise_sous_tension", "Mise sous tension", "L'appareil s'allume sans disjoncter ni odeur de brûlé"),
]
CHECKS = {
    "lave_linge": [
        ("porte", "Verrouillage de la porte", "La porte se verrouille et se déverrouille en fin de cycle"),
        ("remplissage", "Remplissage", "L'eau arrive et s'arrête au niveau"),
        ("chauffage", "Chauffage", "L'eau chauffe (programme 40 °C)"),
        ("vidange", "Vidange et essorage", "Vidange complète, essorage sans balourd anormal"),
        ("fuite", "Étanchéité", "Aucune fuite sous l'appareil pendant le cycle"),
    ],
    "lave_vaisselle": [
        ("remplissage", "Remplissage", "L'eau arrive et s'arrête au niveau"),
        ("lavage", "Bras de lavage", "Les bras tournent, pression correcte"),
        ("chauffage", "Chauffage", "L'eau chauffe (programme éco)"),
        ("vidange", "Vidange", "Vidange complète"),
        ("fuite", "Étanchéité", "Aucune fuite en fin de cycle"),
    ],
    "seche_linge": [
        ("tambour", "Rotation du tambour", "Le tambour tourne dans les deux sens sans bruit anormal"),
        ("chauffage", "Chauffage", "L'air chauffe en 10 minutes"),
        ("condensation", "Condensation / évacuation", "Le bac se remplit ou l'air est évacué"),
    ],
    "cuisson": [
        ("foyers", "Foyers ou plaques", "Chaque foyer chauffe"),
        ("four", "Four", "Le four atteint 180 °C, thermostat cohérent"),
        ("commandes", "Commandes et affichage", "Boutons, touches et afficheur répondent"),
    ],
    "froid": [
        ("compresseur", "Compresseur", "Le compresseur démarre et tourne sans claquer"),
        ("temperature", "Mise en froid", "Réfrigérateur ≤ 5 °C et congélateur ≤ −18 °C après 12 h"),
        ("joints", "Joints de porte", "Les joints plaquent sur tout le tour"),
    ],
    "petit_electromenager": [
        ("fonction", "Fonction principale", "L'appareil fait ce pour quoi il est fait (chauffe, aspire, mixe…)"),
        ("securites", "Sécurités", "Interrupteurs de sécurité et thermostats répondent"),
    ],
    "televiseur": [
        ("image", "Image", "Image sans ligne, tache ni pixel mort visible"),
        ("son", "Son", "Son sur les haut-parleurs et la sortie casque"),
        ("entrees", "Entrées", "Tuner et entrées HDMI reçoivent un signal"),
        ("telecommande", "Télécommande", "La télécommande commande l'appareil"),
    ],
    "audio": [
        ("son", "Son", "Son sur les deux voies, sans souffle ni craquement"),
        ("sources", "Sources", "Chaque source (radio, Bluetooth, entrée ligne) fonctionne"),
    ],
    "video": [
        ("lecture", "Lecture", "Un disque ou un fichier est lu du début à la fin"),
        ("sorties", "Sorties", "Image et son sur la sortie HDMI"),
    ],
    "autre": [
        ("fonction", "Fonction principale", "L'appareil fait ce pour quoi il est fait"),
    ],
}
NOTICE_BASIS = (
    "Loi du 31 décembre 1903 relative à la vente de certains objets abandonnés, art. 1er : objets confiés pour "
    "réparation et non retirés dans le délai d'un an"
)


def seed(apps, schema_editor):
    TriageCheck = apps.get_model("refurbishment", "TriageCheck")
    AbandonNoticeRule = apps.get_model("refurbishment", "AbandonNoticeRule")
    for family, checks in CHECKS.items():
        for order, (code, label, expected) in enumerate([*COMMON_START, *checks], start=1):
            TriageCheck.objects.get_or_create(
                family=family, code=code, defaults={"label": label, "expected": expected, "order": order * 10}
            )
    AbandonNoticeRule.objects.get_or_create(
        site=None, valid_from=datetime.date(1904, 1, 1), defaults={"days": 365, "legal_basis": NOTICE_BASIS}
    )


def unseed(apps, schema_editor):
    apps.get_model("refurbishment", "TriageCheck").objects.all().delete()
    apps.get_model("refurbishment", "AbandonNoticeRule").objects.filter(site=None).delete()


class Migration(migrations.Migration):
    dependencies = [("refurbishment", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
