"""The shipped question sets and pre-diagnosis checklists (French, per product family).

Idempotent (update_or_create on the natural key): used by the data migration 0002 and by the tests' reference
data; what the SAV manager added or deactivated in the admin is kept (`is_active` is not overwritten).
"""

EVENTS = (
    "aucun\ndéménagement\ncoupure de courant\norage\ndégât des eaux\nchoc ou chute\nintervention d'un tiers"
)
SINCE = "aujourd'hui\nquelques jours\nquelques semaines\nplus d'un mois\ndepuis l'achat ou l'installation"
NOISES = "claquement\ngrincement\nsifflement\nronflement ou bourdonnement\ncraquement\ncliquetis"
LEAK_PLACES = "sous l'appareil\nà la porte\nau bac à produits\nau tuyau d'arrivée ou de vidange"

# (key, text, kind, choices, help_text, parent key, parent value)
COMMON = [
    (
        "usage",
        "L'appareil sert-il à un usage domestique ou professionnel ?",
        "choix",
        "domestique\nprofessionnel",
        "Un usage professionnel change la garantie et l'usure attendue.",
        "",
        "",
    ),
    ("depuis", "Depuis quand le problème se produit-il ?", "choix", SINCE, "", "", ""),
    (
        "constat",
        "Que se passe-t-il exactement ?",
        "texte",
        "",
        "Avec les mots du client : quand, à quel moment du programme, à chaque fois ou parfois.",
        "",
        "",
    ),
    ("code_affiche", "Un code erreur s'affiche-t-il ?", "oui_non", "", "", "", ""),
    (
        "code_erreur",
        "Lequel ?",
        "code_erreur",
        "",
        "Tel qu'il s'affiche, ex. E18, F21, 5C.",
        "code_affiche",
        "oui",
    ),
    ("bruit", "L'appareil fait-il un bruit inhabituel ?", "oui_non", "", "", "", ""),
    ("bruit_type", "Quel bruit ?", "choix", NOISES, "", "bruit", "oui"),
    ("evenement", "Un événement récent avant la panne ?", "choix", EVENTS, "", "", ""),
]

WATER = [
    ("fuite", "Y a-t-il une fuite d'eau ?", "oui_non", "", "", "", ""),
    ("fuite_ou", "Où fuit-il ?", "choix", LEAK_PLACES, "", "fuite", "oui"),
]

FAMILY = {
    "lave_linge": WATER
    + [
        (
            "installation",
            "Comment est-il installé ?",
            "choix",
            "pose libre\nencastré\nen colonne avec un sèche-linge\nsur un socle",
            "",
            "",
            "",
        ),
        (
            "niveau",
            "Est-il de niveau et les cales de transport ont-elles été retirées ?",
            "oui_non",
            "",
            "",
            "",
            "",
        ),
    ],
    "lave_vaisselle": WATER
    + [
        (
            "installation",
            "Comment est-il installé ?",
            "choix",
            "pose libre\nencastrable\nintégrable (porte habillée)",
            "",
            "",
            "",
        ),
        ("sel", "Le sel régénérant et le liquide de rinçage sont-ils remplis ?", "oui_non", "", "", "", ""),
    ],
    "seche_linge": [
        (
            "technologie",
            "Quel type de sèche-linge ?",
            "choix",
            "à condensation\npompe à chaleur\nà évacuation",
            "",
            "",
            "",
        ),
        (
            "installation",
            "Comment est-il installé ?",
            "choix",
            "pose libre\nen colonne sur un lave-linge\nencastré",
            "",
            "",
            "",
        ),
        (
            "gaine",
            "La gaine d'évacuation est-elle droite et dégagée ?",
            "oui_non",
            "",
            "",
            "technologie",
            "à évacuation",
        ),
    ],
    "cuisson": [
        (
            "energie",
            "Quel type d'appareil ?",
            "choix",
            "four électrique\nplaque induction\nplaque vitrocéramique\ncuisinière ou plaque gaz\nfour à micro-ondes",
            "",
            "",
            "",
        ),
        ("installation", "Comment est-il installé ?", "choix", "encastré\npose libre", "", "", ""),
        ("disjoncteur", "Le disjoncteur ou le différentiel saute-t-il ?", "oui_non", "", "", "", ""),
        (
            "odeur_gaz",
            "Le client sent-il une odeur de gaz ?",
            "oui_non",
            "",
            "Oui : robinet de gaz fermé, pièce aérée, ne rien allumer.",
            "energie",
            "cuisinière ou plaque gaz",
        ),
    ],
    "froid": [
        (
            "compartiment",
            "Quelle partie ne refroidit pas correctement ?",
            "choix",
            "réfrigérateur\ncongélateur\nles deux\naucune (autre problème)",
            "",
            "",
            "",
        ),
        (
            "installation",
            "Comment est-il installé ?",
            "choix",
            "pose libre\nencastré\nprès d'une source de chaleur (four, radiateur, soleil)",
            "",
            "",
            "",
        ),
        ("fuite", "Y a-t-il de l'eau au sol ou dans le bac à légumes ?", "oui_non", "", "", "", ""),
        ("givre", "Y a-t-il du givre en quantité anormale ?", "oui_non", "", "", "", ""),
    ],
    "televiseur": [
        ("allume", "Le voyant de veille s'allume-t-il ?", "oui_non", "", "", "", ""),
        (
            "image_son",
            "Qu'est-ce qui manque ?",
            "choix",
            "l'image\nle son\nl'image et le son\nrien (autre problème)",
            "",
            "",
            "",
        ),
        ("installation", "Comment est-il installé ?", "choix", "sur pied\nau mur\nsur un meuble", "", "", ""),
        (
            "source",
            "Quelle source est utilisée ?",
            "choix",
            "antenne\nbox internet\nHDMI (console, lecteur)\napplications",
            "",
            "",
            "",
        ),
    ],
    "audio": [
        ("allume", "L'appareil s'allume-t-il ?", "oui_non", "", "", "", ""),
        (
            "source",
            "Sur quelle source le problème se produit-il ?",
            "choix",
            "toutes\nCD\nBluetooth\nradio\nentrée ligne ou optique\nplatine vinyle",
            "",
            "",
            "",
        ),
        ("installation", "Comment est-il branché ?", "texte", "", "Enceintes, câbles, multiprise…", "", ""),
    ],
    "video": [
        ("allume", "L'appareil s'allume-t-il ?", "oui_non", "", "", "", ""),
        ("installation", "Comment est-il branché ?", "choix", "HDMI\nPéritel\nautre", "", "", ""),
    ],
}

CHECKLISTS = {
    "lave_linge": [
        "Prise et disjoncteur vérifiés (l'appareil est alimenté)",
        "Robinet d'arrivée d'eau ouvert, tuyau non plié",
        "Filtre de vidange nettoyé (objets, peluches)",
        "Tuyau de vidange non écrasé, hauteur d'évacuation correcte",
        "Hublot bien fermé, sécurité de porte enclenchée",
        "Programme et options relevés avec le client",
    ],
    "lave_vaisselle": [
        "Prise et disjoncteur vérifiés",
        "Robinet d'arrivée d'eau ouvert",
        "Filtres du fond de cuve nettoyés",
        "Bras de lavage libres, gicleurs non bouchés",
        "Niveau de sel et de liquide de rinçage",
        "Tuyau de vidange non écrasé",
    ],
    "seche_linge": [
        "Prise et disjoncteur vérifiés",
        "Filtre à peluches nettoyé",
        "Condenseur nettoyé (ou filtre de la pompe à chaleur)",
        "Bac à eau vidé",
        "Gaine d'évacuation dégagée (modèle à évacuation)",
    ],
    "cuisson": [
        "Prise, disjoncteur et différentiel vérifiés",
        "Horloge réglée (four bloqué après une coupure)",
        "Sécurité enfants ou verrouillage désactivé",
        "Récipients adaptés (induction)",
        "Robinet de gaz ouvert et flexible en date de validité (gaz)",
    ],
    "froid": [
        "Prise et disjoncteur vérifiés",
        "Thermostat réglé sur une position moyenne",
        "Joints de porte étanches (test de la feuille de papier)",
        "Grille arrière dépoussiérée, espace d'aération suffisant",
        "Trou d'évacuation de l'eau de dégivrage dégagé",
    ],
    "televiseur": [
        "Prise, multiprise et câble d'alimentation vérifiés",
        "Télécommande : piles et voyant infrarouge (caméra du téléphone)",
        "Source d'entrée sélectionnée correctement",
        "Câbles HDMI et antenne en place",
        "Écran sans choc ni fissure visible",
    ],
    "audio": [
        "Prise et câble d'alimentation vérifiés",
        "Câbles des enceintes et sélection de la source",
        "Volume, sourdine et casque débranché",
        "Appairage Bluetooth refait",
    ],
    "video": [
        "Prise et câble d'alimentation vérifiés",
        "Câble HDMI et source du téléviseur",
        "Disque propre et non rayé",
    ],
    "petit_electromenager": [
        "Prise et cordon d'alimentation vérifiés",
        "Accessoires bien montés (sécurités de couvercle, bol)",
        "Appareil propre, détartré",
    ],
    "autre": ["Prise et cordon d'alimentation vérifiés", "Accessoires présents"],
}


def _questions(Question, family: str, rows) -> None:
    by_key = {}
    for position, (key, text, kind, choices, help_text, parent_key, parent_value) in enumerate(rows, start=1):
        parent = by_key.get(parent_key) or (
            Question.objects.filter(family="", key=parent_key).first() if parent_key else None
        )
        question, _ = Question.objects.update_or_create(
            family=family,
            key=key,
            defaults={
                "text": text,
                "kind": kind,
                "choices": choices,
                "help_text": help_text,
                "parent": parent,
                "parent_value": parent_value if parent else "",
                "position": position * 10 + (0 if family == "" else 100),
            },
        )
        by_key[key] = question


def seed(apps, schema_editor=None) -> None:
    Question = apps.get_model("diagnostics", "Question")
    ChecklistItem = apps.get_model("diagnostics", "ChecklistItem")
    _questions(Question, "", COMMON)
    for family, rows in FAMILY.items():
        _questions(Question, family, rows)
    for family, titles in CHECKLISTS.items():
        for position, title in enumerate(titles, start=1):
            ChecklistItem.objects.update_or_create(
                family=family, title=title, defaults={"position": position * 10}
            )
