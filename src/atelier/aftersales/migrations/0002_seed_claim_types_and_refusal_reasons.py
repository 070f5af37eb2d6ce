"""Seed the claim types with their guided questions (C2.16: dysfonctionnement constaté, conditions
d'utilisation, entretien, preuve d'achat…) and the lawful reasons to refuse a claim with their legal basis."""

from django.db import migrations

YN, DATE, TEXT = "oui_non", "date", "texte"
COMMON_END = [
    ("usage", "Usage de l'appareil : domestique ou professionnel ? Conditions d'utilisation", TEXT, True),
    ("entretien", "Entretien réalisé (nettoyage des filtres, détartrage…)", TEXT, False),
    ("reformulation", "Reformulation de la demande, validée par le client", TEXT, False),
]
TYPES = [
    ("retour_reparation", "Panne après une réparation de l'atelier", 10, [
        ("meme_panne", "Est-ce la même panne que celle réparée ?", YN, True),
        ("depuis", "Depuis quand la panne est-elle revenue ?", DATE, True),
        ("constat", "Dysfonctionnement constaté par le client", TEXT, True),
        *COMMON_END,
    ]),
    ("panne_garantie", "Panne d'un appareil sous garantie", 20, [
        ("preuve_achat", "Le client a-t-il une preuve d'achat (facture, ticket) ?", YN, True),
        ("depuis", "Depuis quand la panne se manifeste-t-elle ?", DATE, True),
        ("constat", "Dysfonctionnement constaté par le client", TEXT, True),
        ("meme_panne", "Une panne identique a-t-elle déjà été réparée par l'atelier ?", YN, False),
        *COMMON_END,
    ]),
    ("contrat_entretien", "Demande au titre d'un contrat d'entretien", 30, [
        ("contrat", "N° du contrat d'entretien présenté", TEXT, False),
        ("constat", "Dysfonctionnement constaté ou visite demandée", TEXT, True),
        *COMMON_END,
    ]),
    ("autre", "Autre réclamation (prestation, facture, délai)", 40, [
        ("objet", "Objet de la réclamation", TEXT, True),
        ("reformulation", "Reformulation de la demande, validée par le client", TEXT, False),
    ]),
]
REASONS = [
    ("hors_garantie", "Aucune garantie en cours à la date de la réclamation", "C. consom. art. L217-3 (garantie de 2 ans à compter de la délivrance) ; conditions de la garantie commerciale", 10),
    ("panne_differente", "Panne différente de celle réparée : hors garantie de réparation", "Conditions de la garantie de réparation de l'atelier (même panne), art. L217-21 C. consom.", 20),
    ("mauvaise_utilisation", "Défaut dû à une mauvaise utilisation ou à un mauvais entretien", "C. consom. art. L217-5 (usage conforme) ; art. L217-7 (présomption renversée par la nature du défaut)", 30),
    ("choc_casse", "Casse, choc, oxydation ou intervention d'un tiers", "C. consom. art. L217-8 (défaut causé par le consommateur) ; conditions de garantie", 40),
    ("usure_normale", "Usure normale d'une pièce consommable", "C. consom. art. L217-5 (attentes légitimes pour un bien de ce type) ; conditions de garantie", 50),
    ("preuve_achat", "Preuve d'achat non fournie", "C. consom. art. L217-3 (délai de 2 ans à compter de la délivrance, à établir par le consommateur)", 60),
    ("usage_professionnel", "Usage professionnel d'un appareil vendu pour un usage domestique", "C. consom. art. liminaire (définition du consommateur) ; conditions de la garantie commerciale", 70),
]


def seed(apps, schema_editor):
    ClaimType = apps.get_model("aftersales", "ClaimType")
    ClaimQuestion = apps.get_model("aftersales", "ClaimQuestion")
    RefusalReason = apps.get_model("aftersales", "RefusalReason")
    for code, label, position, questions in TYPES:
        claim_type, _ = ClaimType.objects.get_or_create(code=code, defaults={"label": label, "position": position})
        for rank, (qcode, text, kind, required) in enumerate(questions, start=1):
            ClaimQuestion.objects.get_or_create(
                claim_type=claim_type,
                code=qcode,
                defaults={"text": text, "kind": kind, "required": required, "position": rank * 10},
            )
    for code, label, basis, position in REASONS:
        RefusalReason.objects.get_or_create(
            code=code, defaults={"label": label, "legal_basis": basis, "position": position}
        )


def unseed(apps, schema_editor):
    apps.get_model("aftersales", "ClaimType").objects.filter(code__in=[t[0] for t in TYPES]).delete()
    apps.get_model("aftersales", "RefusalReason").objects.filter(code__in=[r[0] for r in REASONS]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("aftersales", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
