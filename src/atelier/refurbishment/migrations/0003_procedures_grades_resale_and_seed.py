"""Refurbishment procedures per family (C1.13) as data, the cosmetic grade scale, the refurbishments with their
steps, parts, data erasures, the legal guarantee of used goods (dated) and the sales of appliances; seeded with
each family's procedure, the grades A / B / C and the guarantee in force since 1 January 2022 (ordonnance
n° 2021-1247: two years, defect presumed for twelve months for goods sold used, C. conso. L217-3 and L217-7)."""

import datetime

import atelier.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


CLEAN = (
    "nettoyage",
    "nettoyage",
    "Nettoyage et désinfection",
    "",
    "Intérieur et extérieur propres, filtres et joints nettoyés",
)
SAFETY = (
    "securite",
    "securite",
    "Essais de sécurité électrique",
    "",
    "Mesures dans les limites EN 50678 de la classe",
)
WIPE = (
    "effacement",
    "effacement",
    "Effacement des données de l'utilisateur précédent",
    "",
    "Comptes, réseaux et historique effacés, effacement vérifié",
)
LOOKS = ("esthetique", "esthetique", "Contrôle esthétique", "", "Aspect noté selon l'échelle des grades")
TESTS = {
    "lave_linge": [
        (
            "essai_coton",
            "Programme coton 40 °C",
            "Coton 40 °C",
            "Cycle complet, eau à 40 °C ± 5, vidange et essorage",
        ),
        ("essai_rapide", "Programme rapide", "Rapide 30 min", "Cycle complet sans code défaut"),
        ("essai_essorage", "Essorage seul", "Essorage 1200 tr/min", "Vitesse atteinte, sans balourd anormal"),
    ],
    "lave_vaisselle": [
        ("essai_eco", "Programme éco", "Éco 50 °C", "Cycle complet, vaisselle propre et sèche"),
        ("essai_intensif", "Programme intensif", "Intensif 70 °C", "Eau à 70 °C ± 5, vidange complète"),
    ],
    "seche_linge": [
        ("essai_coton", "Programme coton sec armoire", "Coton", "Linge sec, arrêt par la sonde"),
        (
            "essai_synthetique",
            "Programme synthétique",
            "Synthétique",
            "Chauffe modérée, arrêt en fin de cycle",
        ),
    ],
    "cuisson": [
        (
            "essai_foyers",
            "Chaque foyer",
            "Puissance maximale",
            "Chaque foyer chauffe, voyants de chaleur résiduelle",
        ),
        ("essai_four", "Four chaleur tournante", "180 °C", "180 °C ± 10 atteints en 15 minutes"),
    ],
    "froid": [
        (
            "essai_froid",
            "Mise en froid 24 h",
            "Thermostat moyen",
            "Réfrigérateur ≤ 5 °C, congélateur ≤ −18 °C",
        ),
        ("essai_degivrage", "Dégivrage", "Cycle de dégivrage", "Évacuation de l'eau sans débordement"),
    ],
    "petit_electromenager": [
        ("essai_fonction", "Fonction principale", "Chaque vitesse / position", "Chaque réglage répond")
    ],
    "televiseur": [
        ("essai_image", "Image et son", "Mire et source HDMI", "Image sans défaut, son sur les deux voies"),
        ("essai_tuner", "Tuner", "Recherche des chaînes", "Chaînes TNT reçues"),
    ],
    "audio": [
        ("essai_sources", "Chaque source", "Radio, Bluetooth, ligne", "Son sur les deux voies, sans souffle")
    ],
    "video": [
        ("essai_lecture", "Lecture", "Disque ou fichier test", "Lecture complète, image et son en HDMI")
    ],
    "autre": [("essai_fonction", "Fonction principale", "", "L'appareil fait ce pour quoi il est fait")],
}
# Families whose appliances hold a previous user's data (accounts, Wi-Fi networks, recordings): multimedia.
WITH_DATA = {"televiseur", "audio", "video"}
# Battery-only or very low voltage appliances have no mains safety test; every family here is mains powered.
GRADES = [
    ("A", "Très bon état", "Aucune rayure visible à un mètre ; traces d'usage infimes", 10),
    ("B", "Bon état", "Rayures ou marques légères visibles de près, sans choc", 20),
    ("C", "État correct", "Rayures, chocs ou décoloration visibles, sans effet sur le fonctionnement", 30),
]
GUARANTEE_BASIS = (
    "C. conso. art. L217-3 (garantie légale de conformité de deux ans) et L217-7 (défaut présumé exister à la "
    "délivrance pendant douze mois pour les biens vendus d'occasion), ordonnance n° 2021-1247 du 29 septembre 2021"
)


def seed(apps, schema_editor):
    ProcedureStep = apps.get_model("refurbishment", "ProcedureStep")
    CosmeticGrade = apps.get_model("refurbishment", "CosmeticGrade")
    UsedGoodsGuarantee = apps.get_model("refurbishment", "UsedGoodsGuarantee")
    for family, tests in TESTS.items():
        steps = [
            CLEAN,
            *[("essai", code, label, prog, expected) for code, label, prog, expected in tests],
            SAFETY,
        ]
        if family in WITH_DATA:
            steps.append(WIPE)
        steps.append(LOOKS)
        for order, (kind, code, label, programme, expected) in enumerate(steps, start=1):
            ProcedureStep.objects.get_or_create(
                family=family,
                code=code,
                defaults={
                    "kind": kind,
                    "label": label,
                    "programme": programme,
                    "expected": expected,
                    "order": order * 10,
                },
            )
    for code, label, description, order in GRADES:
        CosmeticGrade.objects.get_or_create(
            code=code, defaults={"label": label, "description": description, "order": order}
        )
    UsedGoodsGuarantee.objects.get_or_create(
        valid_from=datetime.date(2022, 1, 1),
        defaults={"months": 24, "presumption_months": 12, "legal_basis": GUARANTEE_BASIS},
    )


def unseed(apps, schema_editor):
    for name in ("ProcedureStep", "CosmeticGrade", "UsedGoodsGuarantee"):
        apps.get_model("refurbishment", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0014_third_party_payers"),
        ("customers", "0007_customer_vat_number"),
        ("fieldwork", "0003_seed_instruments_maintenance_safety_sheet"),
        ("refurbishment", "0002_seed_triage_checklists_and_notice"),
        ("stock", "0008_used_grade_a_wording"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CosmeticGrade",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=4, unique=True, verbose_name="code")),
                (
                    "label",
                    models.CharField(
                        max_length=80,
                        validators=[atelier.core.validators.validate_no_new_claim],
                        verbose_name="libellé",
                    ),
                ),
                (
                    "description",
                    models.CharField(
                        max_length=255,
                        validators=[atelier.core.validators.validate_no_new_claim],
                        verbose_name="description",
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="ordre")),
                ("is_active", models.BooleanField(default=True, verbose_name="actif")),
            ],
            options={
                "verbose_name": "grade esthétique",
                "verbose_name_plural": "grades esthétiques",
                "ordering": ["order", "code"],
            },
        ),
        migrations.CreateModel(
            name="ProcedureStep",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "family",
                    models.CharField(
                        choices=[
                            ("lave_linge", "Lave-linge"),
                            ("lave_vaisselle", "Lave-vaisselle"),
                            ("seche_linge", "Sèche-linge"),
                            ("cuisson", "Cuisson"),
                            ("froid", "Froid"),
                            ("petit_electromenager", "Petit électroménager"),
                            ("televiseur", "Téléviseur"),
                            ("audio", "Audio"),
                            ("video", "Vidéo"),
                            ("autre", "Autre"),
                        ],
                        max_length=25,
                        verbose_name="famille",
                    ),
                ),
                ("code", models.SlugField(max_length=40, verbose_name="code")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("nettoyage", "Nettoyage"),
                            ("essai", "Essai fonctionnel"),
                            ("securite", "Essais de sécurité électrique (EN 50678)"),
                            ("effacement", "Effacement des données"),
                            ("esthetique", "Contrôle esthétique"),
                        ],
                        max_length=20,
                        verbose_name="nature",
                    ),
                ),
                (
                    "label",
                    models.CharField(
                        max_length=200,
                        validators=[atelier.core.validators.validate_no_new_claim],
                        verbose_name="étape",
                    ),
                ),
                (
                    "programme",
                    models.CharField(
                        blank=True,
                        help_text="Essais fonctionnels : le programme lancé.",
                        max_length=120,
                        verbose_name="programme",
                    ),
                ),
                (
                    "expected",
                    models.CharField(
                        max_length=255,
                        validators=[atelier.core.validators.validate_no_new_claim],
                        verbose_name="attendu",
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="ordre")),
                ("is_active", models.BooleanField(default=True, verbose_name="actif")),
            ],
            options={
                "verbose_name": "étape de reconditionnement",
                "verbose_name_plural": "étapes de reconditionnement",
                "ordering": ["family", "order", "pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("family", "code"), name="refurb_step_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="Refurbishment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("en_cours", "En cours"), ("termine", "Terminé")],
                        default="en_cours",
                        max_length=10,
                        verbose_name="état",
                    ),
                ),
                (
                    "holds_data",
                    models.BooleanField(
                        help_text="Multimédia, appareil connecté : comptes, réseaux Wi-Fi, historique, enregistrements.",
                        verbose_name="conserve des données de l'utilisateur",
                    ),
                ),
                (
                    "started_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="commencé le"),
                ),
                (
                    "verdict",
                    models.CharField(
                        blank=True,
                        choices=[("conforme", "Fonctionnement conforme"), ("non_conforme", "Non conforme")],
                        max_length=12,
                        verbose_name="verdict fonctionnel",
                    ),
                ),
                (
                    "price",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=10,
                        null=True,
                        verbose_name="prix de vente TTC (€)",
                    ),
                ),
                (
                    "wording",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("reconditionne_france", "Reconditionné en France"),
                            ("reconditionne", "Reconditionné"),
                            ("occasion", "D'occasion"),
                        ],
                        max_length=25,
                        verbose_name="mention de vente",
                    ),
                ),
                (
                    "conditions",
                    models.JSONField(blank=True, default=list, verbose_name="conditions du décret 2022-190"),
                ),
                (
                    "notes",
                    models.TextField(
                        blank=True,
                        validators=[atelier.core.validators.validate_no_new_claim],
                        verbose_name="observations",
                    ),
                ),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="terminé le")),
                (
                    "appliance",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="refurbishments",
                        to="refurbishment.stockappliance",
                        verbose_name="appareil",
                    ),
                ),
                (
                    "finished_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="terminé par",
                    ),
                ),
                (
                    "grade",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="refurbishment.cosmeticgrade",
                        verbose_name="grade",
                    ),
                ),
                (
                    "started_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="par",
                    ),
                ),
            ],
            options={
                "verbose_name": "reconditionnement",
                "verbose_name_plural": "reconditionnements",
                "ordering": ["-started_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="DataErasure",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("medium", models.CharField(max_length=200, verbose_name="support effacé")),
                (
                    "method",
                    models.CharField(
                        choices=[
                            ("reset", "Réinitialisation d'usine vérifiée"),
                            ("overwrite", "Écrasement logiciel (effacement par passes)"),
                            ("crypto", "Effacement cryptographique"),
                            ("destruction", "Destruction du support (remplacé)"),
                        ],
                        max_length=20,
                        verbose_name="méthode",
                    ),
                ),
                ("tool", models.CharField(max_length=200, verbose_name="outil ou procédure")),
                ("passes_requested", models.PositiveSmallIntegerField(verbose_name="passes demandées")),
                ("passes_done", models.PositiveSmallIntegerField(verbose_name="passes effectuées")),
                ("verified", models.BooleanField(verbose_name="vérification faite et concluante")),
                ("verification", models.CharField(max_length=255, verbose_name="vérification")),
                ("errors", models.TextField(blank=True, verbose_name="erreurs")),
                ("warnings", models.TextField(blank=True, verbose_name="avertissements")),
                ("succeeded", models.BooleanField(verbose_name="effacement réussi")),
                ("country", models.CharField(default="FR", max_length=2, verbose_name="pays")),
                ("started_at", models.DateTimeField(verbose_name="commencé le")),
                ("finished_at", models.DateTimeField(verbose_name="terminé le")),
                (
                    "done_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="par",
                    ),
                ),
                (
                    "refurbishment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="erasures",
                        to="refurbishment.refurbishment",
                        verbose_name="reconditionnement",
                    ),
                ),
            ],
            options={
                "verbose_name": "effacement des données",
                "verbose_name_plural": "effacements des données",
                "ordering": ["refurbishment", "-finished_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="ApplianceSale",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("price", models.DecimalField(decimal_places=2, max_digits=10, verbose_name="prix TTC (€)")),
                (
                    "wording",
                    models.CharField(
                        choices=[
                            ("reconditionne_france", "Reconditionné en France"),
                            ("reconditionne", "Reconditionné"),
                            ("occasion", "D'occasion"),
                        ],
                        max_length=25,
                        verbose_name="mention de vente",
                    ),
                ),
                ("grade", models.CharField(blank=True, max_length=120, verbose_name="grade")),
                ("legal_guarantee", models.TextField(verbose_name="garantie légale de conformité")),
                ("commercial_guarantee", models.TextField(blank=True, verbose_name="garantie commerciale")),
                ("history", models.JSONField(default=list, verbose_name="historique")),
                ("sold_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="vendu le")),
                (
                    "appliance",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="sales",
                        to="refurbishment.stockappliance",
                        verbose_name="appareil",
                    ),
                ),
                (
                    "customer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="customers.customer",
                        verbose_name="client",
                    ),
                ),
                (
                    "invoice",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="appliance_sale",
                        to="billing.invoice",
                        verbose_name="facture",
                    ),
                ),
                (
                    "move",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="refurbishment.appliancemove",
                        verbose_name="mouvement",
                    ),
                ),
                (
                    "sold_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "refurbishment",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="refurbishment.refurbishment",
                        verbose_name="reconditionnement",
                    ),
                ),
            ],
            options={
                "verbose_name": "vente d'appareil",
                "verbose_name_plural": "ventes d'appareils",
                "ordering": ["-sold_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="RefurbishmentPart",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("quantity", models.DecimalField(decimal_places=2, max_digits=10, verbose_name="quantité")),
                ("added_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="le")),
                (
                    "added_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="par",
                    ),
                ),
                (
                    "move",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="stock.stockmove",
                        verbose_name="mouvement de stock",
                    ),
                ),
                (
                    "part",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="stock.part",
                        verbose_name="pièce",
                    ),
                ),
                (
                    "refurbishment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="parts",
                        to="refurbishment.refurbishment",
                        verbose_name="reconditionnement",
                    ),
                ),
            ],
            options={
                "verbose_name": "pièce utilisée au reconditionnement",
                "verbose_name_plural": "pièces utilisées au reconditionnement",
                "ordering": ["refurbishment", "pk"],
            },
        ),
        migrations.CreateModel(
            name="StepResult",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("nettoyage", "Nettoyage"),
                            ("essai", "Essai fonctionnel"),
                            ("securite", "Essais de sécurité électrique (EN 50678)"),
                            ("effacement", "Effacement des données"),
                            ("esthetique", "Contrôle esthétique"),
                        ],
                        max_length=20,
                        verbose_name="nature",
                    ),
                ),
                ("label", models.CharField(max_length=200, verbose_name="étape")),
                ("expected", models.CharField(max_length=255, verbose_name="attendu")),
                ("passed", models.BooleanField(verbose_name="conforme")),
                (
                    "measured",
                    models.CharField(
                        blank=True,
                        max_length=255,
                        validators=[atelier.core.validators.validate_no_new_claim],
                        verbose_name="valeur relevée",
                    ),
                ),
                (
                    "repair",
                    models.CharField(
                        blank=True,
                        help_text="Ce qui a été réparé avant de refaire l'étape.",
                        max_length=255,
                        validators=[atelier.core.validators.validate_no_new_claim],
                        verbose_name="réparation faite",
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=1, verbose_name="essais")),
                (
                    "country",
                    models.CharField(
                        default="FR",
                        help_text="Code ISO, ex. FR.",
                        max_length=2,
                        verbose_name="pays où l'opération est faite",
                    ),
                ),
                (
                    "appliance_class",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("I", "Classe I (avec conducteur de protection)"),
                            ("II", "Classe II (double isolation)"),
                        ],
                        max_length=2,
                        verbose_name="classe",
                    ),
                ),
                ("safety_results", models.JSONField(blank=True, default=dict, verbose_name="mesures")),
                ("done_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="le")),
                (
                    "done_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="par",
                    ),
                ),
                (
                    "instrument",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="fieldwork.tool",
                        verbose_name="appareil de mesure",
                    ),
                ),
                (
                    "refurbishment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="results",
                        to="refurbishment.refurbishment",
                        verbose_name="reconditionnement",
                    ),
                ),
                (
                    "step",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="refurbishment.procedurestep",
                        verbose_name="étape",
                    ),
                ),
            ],
            options={
                "verbose_name": "étape faite",
                "verbose_name_plural": "étapes faites",
                "ordering": ["refurbishment", "step__order", "pk"],
            },
        ),
        migrations.CreateModel(
            name="UsedGoodsGuarantee",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("valid_from", models.DateField(unique=True, verbose_name="pour les ventes à partir du")),
                (
                    "months",
                    models.PositiveSmallIntegerField(verbose_name="durée de la garantie légale (mois)"),
                ),
                (
                    "presumption_months",
                    models.PositiveSmallIntegerField(
                        verbose_name="présomption d'antériorité du défaut (mois)"
                    ),
                ),
                ("legal_basis", models.CharField(max_length=255, verbose_name="fondement")),
            ],
            options={
                "verbose_name": "garantie légale des biens d'occasion",
                "verbose_name_plural": "garanties légales des biens d'occasion",
                "ordering": ["-valid_from"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("months__gt", 0)), name="refurb_guarantee_months_positive"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("presumption_months__gt", 0), ("presumption_months__lte", models.F("months"))
                        ),
                        name="refurb_guarantee_presumption_within",
                    ),
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="refurbishment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "en_cours")),
                fields=("appliance",),
                name="refurb_one_open_per_appliance",
            ),
        ),
        migrations.AddConstraint(
            model_name="refurbishment",
            constraint=models.CheckConstraint(
                condition=models.Q(("price__isnull", True), ("price__gt", 0), _connector="OR"),
                name="refurb_price_positive",
            ),
        ),
        migrations.AddConstraint(
            model_name="refurbishment",
            constraint=models.CheckConstraint(
                condition=models.Q(("status", "en_cours"), ("finished_at__isnull", False), _connector="OR"),
                name="refurb_finished_dated",
            ),
        ),
        migrations.AddConstraint(
            model_name="dataerasure",
            constraint=models.CheckConstraint(
                condition=models.Q(("passes_requested__gt", 0)), name="refurb_erasure_passes_asked"
            ),
        ),
        migrations.AddConstraint(
            model_name="dataerasure",
            constraint=models.CheckConstraint(
                condition=models.Q(("finished_at__gte", models.F("started_at"))),
                name="refurb_erasure_dates_ordered",
            ),
        ),
        migrations.AddConstraint(
            model_name="appliancesale",
            constraint=models.CheckConstraint(
                condition=models.Q(("price__gt", 0)), name="refurb_sale_price_positive"
            ),
        ),
        migrations.AddConstraint(
            model_name="stepresult",
            constraint=models.UniqueConstraint(
                fields=("refurbishment", "step"), name="refurb_step_result_unique"
            ),
        ),
        migrations.AlterField(
            model_name="triagecheck",
            name="expected",
            field=models.CharField(
                max_length=255, validators=[atelier.core.validators.validate_no_new_claim], verbose_name="attendu"
            ),
        ),
        migrations.AlterField(
            model_name="triagecheck",
            name="label",
            field=models.CharField(
                max_length=200, validators=[atelier.core.validators.validate_no_new_claim], verbose_name="contrôle"
            ),
        ),
        migrations.RunPython(seed, unseed),
    ]
