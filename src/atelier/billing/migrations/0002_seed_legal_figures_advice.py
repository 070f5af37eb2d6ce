"""Seed: legal figures with their dates of effect, advice sheets per family, complementary suggestions.

Sources: cash limits, Code monétaire et financier art. L112-6 and D112-3 (1 000 € / 15 000 € since
1 September 2015); recovery fee, Code de commerce art. L441-10 and D441-5 (40 € since 1 January 2013);
payment term of professionals, art. L441-10 (30 days when nothing else is agreed). The warranty on repairs
(90 days) is the shop's commercial choice, editable in the admin. Idempotent (listed in conftest.SEEDS).
"""

import datetime
from decimal import Decimal

from django.db import migrations

FIGURES = [
    ("plafond_especes_resident", "1000.00", datetime.date(2015, 9, 1), "CMF art. L112-6, D112-3"),
    ("plafond_especes_non_resident", "15000.00", datetime.date(2015, 9, 1), "CMF art. D112-3"),
    ("indemnite_recouvrement", "40.00", datetime.date(2013, 1, 1), "C. com. art. L441-10, D441-5"),
    ("delai_paiement_jours", "30", datetime.date(2009, 1, 1), "C. com. art. L441-10"),
    ("garantie_reparation_jours", "90", datetime.date(2020, 1, 1), "Conditions générales de l'atelier"),
]

ADVICE = {
    "lave_linge": (
        "Lave-linge : nos conseils pour le faire durer",
        "Ne dépassez pas la charge indiquée pour chaque programme : un tambour trop plein use les roulements "
        "et lave mal. Videz les poches (pièces, clés) avant le lavage.",
        "Lavez à 30 ou 40 °C la plupart du temps ; un cycle à 60 °C par mois suffit à assainir. Dosez la "
        "lessive selon la dureté de l'eau : trop de lessive encrasse la machine.",
        "Nettoyez le filtre de vidange tous les mois. Détartrez tous les trois mois en eau calcaire (cycle à "
        "vide avec un détartrant). Laissez la porte et le bac à produits entrouverts après usage pour aérer "
        "le joint.",
    ),
    "lave_vaisselle": (
        "Lave-vaisselle : nos conseils pour le faire durer",
        "Retirez les restes d'aliments sans rincer. Chargez sans gêner la rotation des bras de lavage.",
        "Réglez l'adoucisseur selon la dureté de votre eau et gardez le réservoir de sel régénérant rempli ; "
        "le programme éco suffit au quotidien.",
        "Rincez les filtres chaque semaine. Faites un cycle d'entretien à vide tous les mois. Vérifiez que les "
        "trous des bras de lavage ne sont pas bouchés.",
    ),
    "seche_linge": (
        "Sèche-linge : nos conseils pour le faire durer",
        "Essorez bien le linge avant séchage ; ne surchargez pas le tambour.",
        "Choisissez le programme selon le textile ; le séchage « prêt à ranger » évite de sur-sécher.",
        "Videz le filtre à peluches après chaque cycle et le réservoir d'eau (condensation). Nettoyez le "
        "condenseur ou la pompe à chaleur tous les mois. Laissez l'appareil ventilé : ne le collez pas au mur.",
    ),
    "cuisson": (
        "Four et plaques : nos conseils pour les faire durer",
        "Utilisez des ustensiles au fond plat adaptés au type de plaque ; ne laissez pas déborder.",
        "Préchauffez seulement quand la recette l'exige ; la chaleur tournante cuit plus bas en température.",
        "Nettoyez les plaques refroidies avec un produit adapté. Lancez la pyrolyse quand le four est sale, "
        "pas à chaque usage. Vérifiez l'état du joint de porte.",
    ),
    "froid": (
        "Réfrigérateur et congélateur : nos conseils pour les faire durer",
        "Laissez refroidir les plats avant de les ranger ; n'obstruez pas les grilles d'aération intérieures.",
        "Réglez le réfrigérateur à 4 °C et le congélateur à −18 °C.",
        "Dégivrez dès que la couche de givre dépasse 3 mm. Dépoussiérez la grille arrière (condenseur) deux "
        "fois par an. Laissez quelques centimètres de ventilation derrière l'appareil. Nettoyez le joint.",
    ),
    "petit_electromenager": (
        "Petit électroménager : nos conseils pour le faire durer",
        "Suivez la notice pour les quantités et durées d'utilisation ; débranchez après usage.",
        "Utilisez l'eau filtrée ou peu calcaire pour les cafetières et bouilloires.",
        "Détartrez régulièrement (cafetière, bouilloire, centrale vapeur) ; nettoyez les filtres et les bacs. "
        "Rangez le cordon sans le plier serré.",
    ),
    "televiseur": (
        "Téléviseur : nos conseils pour le faire durer",
        "Éteignez complètement l'écran la nuit ; évitez les images fixes pendant des heures.",
        "Le mode « éco » ou « cinéma » réduit la luminosité et la consommation.",
        "Dépoussiérez avec un chiffon sec et doux ; laissez les ouïes d'aération dégagées. Branchez sur un "
        "parafoudre.",
    ),
    "audio": (
        "Matériel audio : nos conseils pour le faire durer",
        "Baissez le volume avant d'allumer ou d'éteindre ; évitez la saturation.",
        "Réglez l'égaliseur à plat si le son est déformé.",
        "Dépoussiérez, aérez l'amplificateur, nettoyez les contacts avec un produit adapté.",
    ),
    "video": (
        "Matériel vidéo : nos conseils pour le faire durer",
        "Manipulez les disques par les bords ; fermez le tiroir sans forcer.",
        "Mettez à jour le logiciel quand le fabricant le propose.",
        "Dépoussiérez et laissez l'appareil ventilé.",
    ),
    "autre": (
        "Nos conseils pour faire durer votre appareil",
        "Suivez la notice du fabricant et n'utilisez l'appareil que pour son usage prévu.",
        "Gardez les réglages recommandés par le fabricant.",
        "Nettoyez-le régulièrement et laissez-le ventilé ; faites-le vérifier au moindre bruit anormal.",
    ),
}

SUGGESTIONS = [
    ("lave_linge", "produit", "Détartrant lave-linge (2 doses)", "eau calcaire, prévient les pannes de résistance", "9.90"),
    ("lave_linge", "produit", "Tuyau de vidange renforcé 2,5 m", "si le tuyau d'origine est écrasé ou usé", "14.90"),
    ("lave_linge", "service", "Contrat d'entretien annuel lave-linge", "une visite de contrôle par an", "59.00"),
    ("lave_vaisselle", "produit", "Sel régénérant 2 kg", "protège l'adoucisseur", "4.90"),
    ("lave_vaisselle", "produit", "Nettoyant machine (3 doses)", "entretien mensuel", "8.90"),
    ("seche_linge", "produit", "Filtre à peluches de rechange", "filtre usé ou déchiré", "12.50"),
    ("seche_linge", "service", "Nettoyage du condenseur", "séchage long, linge humide", "35.00"),
    ("froid", "produit", "Filtre à eau pour réfrigérateur américain", "à changer tous les six mois", "29.90"),
    ("froid", "service", "Contrat d'entretien annuel froid", "contrôle du circuit et du joint", "69.00"),
    ("cuisson", "produit", "Nettoyant plaque vitrocéramique", "entretien des plaques", "7.90"),
    ("petit_electromenager", "produit", "Détartrant cafetière (3 doses)", "eau calcaire", "8.50"),
    ("televiseur", "produit", "Parafoudre multiprise", "protège des surtensions", "24.90"),
]


def seed(apps, schema_editor):
    LegalFigure = apps.get_model("billing", "LegalFigure")
    AdviceSheet = apps.get_model("billing", "AdviceSheet")
    Suggestion = apps.get_model("billing", "Suggestion")
    for kind, value, since, source in FIGURES:
        LegalFigure.objects.get_or_create(
            kind=kind, valid_from=since, defaults={"value": Decimal(value), "source": source}
        )
    for family, (title, use, settings, maintenance) in ADVICE.items():
        AdviceSheet.objects.get_or_create(
            family=family, defaults={"title": title, "use": use, "settings": settings, "maintenance": maintenance}
        )
    for family, kind, designation, why, price in SUGGESTIONS:
        Suggestion.objects.get_or_create(
            family=family,
            designation=designation,
            defaults={"kind": kind, "why": why, "unit_price_ht": Decimal(price)},
        )


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
