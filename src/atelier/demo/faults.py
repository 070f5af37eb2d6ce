"""What customers say and what technicians write, per product family, for the demo dossiers.

Each fault keeps the customer's words (verbatim, as the counter notes them) together with the technician's
findings, the part it needs and the work done, so one dossier's timeline tells one coherent story.
"""

from dataclasses import dataclass

from atelier.customers.choices import ProductFamily as F


@dataclass(frozen=True)
class Fault:
    words: str  # « paroles du client »
    finding: str  # pré-diagnostic
    part: str  # pièce à commander
    work: str  # travaux effectués


FAULTS: dict[str, tuple[Fault, ...]] = {
    F.LAVE_LINGE: (
        Fault(
            "Il ne vidange plus, l'eau reste au fond du tambour.",
            "Pompe de vidange bloquée ou HS, filtre à contrôler.",
            "pompe de vidange",
            "Filtre nettoyé (pièce de monnaie retirée), pompe de vidange remplacée.",
        ),
        Fault(
            "Ça fait un bruit d'avion à l'essorage, comme si ça allait décoller.",
            "Bruit de roulement probable, jeu du tambour à contrôler.",
            "kit roulements et joint SPI",
            "Roulements et joint SPI remplacés, cuve remontée.",
        ),
        Fault(
            "La porte ne s'ouvre plus à la fin du programme, mon linge est coincé dedans.",
            "Sécurité de porte (verrou) défaillante.",
            "sécurité de porte",
            "Linge récupéré, sécurité de porte remplacée.",
        ),
        Fault(
            "Il y a de l'eau par terre devant la machine à chaque lavage.",
            "Fuite en façade : manchette de hublot probablement percée.",
            "manchette de hublot",
            "Manchette de hublot remplacée, collier resserré.",
        ),
        Fault(
            "Le tambour ne tourne plus mais on entend le moteur.",
            "Courroie sortie ou cassée.",
            "courroie 1192 J5",
            "Courroie remplacée, poulie contrôlée.",
        ),
        Fault(
            "Elle affiche E18 et s'arrête au milieu du cycle.",
            "Code défaut vidange (E18) : pompe ou tuyau bouché.",
            "pompe de vidange",
            "Tuyau de vidange débouché, pompe remplacée.",
        ),
        Fault(
            "L'eau ne chauffe plus, le linge sort froid et mal lavé.",
            "Résistance de chauffe coupée (mesure à l'ohmmètre à faire).",
            "résistance de chauffe 2000 W",
            "Résistance entartrée remplacée, sonde CTN contrôlée.",
        ),
    ),
    F.LAVE_VAISSELLE: (
        Fault(
            "La vaisselle sort sale et il reste de l'eau au fond.",
            "Vidange insuffisante, filtre ou pompe à contrôler.",
            "pompe de vidange",
            "Filtres nettoyés, pompe de vidange remplacée.",
        ),
        Fault(
            "Il clignote et fait bip, rien ne démarre.",
            "Défaut affiché E15 : aquastop déclenché (eau dans le socle).",
            "électrovanne aquastop",
            "Fuite au raccord de bras trouvée, socle séché, aquastop remplacé.",
        ),
        Fault(
            "Les assiettes ne sèchent plus et sont brûlantes.",
            "Ventilateur de séchage à contrôler.",
            "ventilateur de séchage",
            "Ventilateur de séchage remplacé.",
        ),
        Fault(
            "Il y a une odeur de brûlé quand il chauffe.",
            "Pompe de cyclage chauffante à contrôler (isolement).",
            "pompe de cyclage chauffante",
            "Pompe de cyclage chauffante remplacée, câblage contrôlé.",
        ),
        Fault(
            "Le panier du bas ne roule plus et la porte tombe d'un coup.",
            "Ressorts de porte détendus, roulettes cassées.",
            "kit ressorts de porte et roulettes",
            "Ressorts et câbles de porte remplacés, roulettes changées.",
        ),
    ),
    F.FROID: (
        Fault(
            "Le frigo ne fait plus de froid mais le congélateur marche.",
            "Dégivrage automatique en défaut, évaporateur pris en glace.",
            "résistance de dégivrage",
            "Évaporateur dégivré, résistance de dégivrage et bilame remplacés.",
        ),
        Fault(
            "Il y a de l'eau qui coule sous le bac à légumes.",
            "Évacuation des condensats bouchée.",
            "gouttière d'évacuation",
            "Évacuation débouchée, gouttière remplacée.",
        ),
        Fault(
            "Il fait un bruit de claquement toutes les dix minutes.",
            "Compresseur qui démarre mal : relais de démarrage.",
            "relais de démarrage compresseur",
            "Relais et klixon du compresseur remplacés.",
        ),
        Fault(
            "Le congélateur est tout chaud, j'ai dû tout jeter.",
            "Compresseur ne démarre plus, carte électronique à contrôler.",
            "carte de puissance",
            "Carte de puissance remplacée, températures contrôlées sur 24 h.",
        ),
        Fault(
            "Le joint de la porte est déchiré et ça givre beaucoup.",
            "Joint de porte déchiré.",
            "joint de porte",
            "Joint de porte remplacé, porte réglée.",
        ),
    ),
    F.CUISSON: (
        Fault(
            "Le four ne chauffe plus du tout, la lumière s'allume.",
            "Résistance de voûte ou thermostat de sécurité.",
            "résistance de voûte",
            "Résistance de voûte remplacée.",
        ),
        Fault(
            "La plaque disjoncte dès que j'allume le grand foyer.",
            "Défaut d'isolement sur l'inducteur arrière gauche.",
            "inducteur 210 mm",
            "Inducteur remplacé, isolement conforme.",
        ),
        Fault(
            "Le micro-ondes tourne mais ne chauffe pas.",
            "Magnétron ou diode haute tension.",
            "magnétron",
            "Magnétron remplacé, fuites micro-ondes mesurées.",
        ),
        Fault(
            "La porte du four ne se verrouille plus en pyrolyse.",
            "Verrou de pyrolyse défaillant.",
            "verrou de porte pyrolyse",
            "Verrou de pyrolyse remplacé.",
        ),
        Fault(
            "Le ventilateur fait un bruit de ferraille.",
            "Moteur de turbine à roulement usé.",
            "moteur de chaleur tournante",
            "Moteur de chaleur tournante remplacé.",
        ),
    ),
    F.SECHE_LINGE: (
        Fault(
            "Il tourne mais le linge reste mouillé.",
            "Condenseur encrassé ou pompe à chaleur en défaut.",
            "sonde de température",
            "Condenseur nettoyé, sonde de température remplacée.",
        ),
        Fault(
            "Le tambour ne tourne plus, ça sent le caoutchouc.",
            "Courroie cassée.",
            "courroie de tambour",
            "Courroie et galet tendeur remplacés.",
        ),
        Fault(
            "Il s'arrête tout seul au bout de dix minutes.",
            "Bac à eau plein mal détecté, flotteur à contrôler.",
            "pompe de relevage",
            "Pompe de relevage remplacée.",
        ),
    ),
    F.TELEVISEUR: (
        Fault(
            "L'écran s'allume puis s'éteint au bout de 5 minutes.",
            "Alimentation qui décroche à chaud (condensateurs).",
            "carte d'alimentation",
            "Carte d'alimentation remplacée.",
        ),
        Fault(
            "Il y a le son mais pas d'image.",
            "Rétroéclairage LED en défaut.",
            "kit barrettes LED",
            "Barrettes LED de rétroéclairage remplacées.",
        ),
        Fault(
            "La télé reste en veille, le voyant rouge clignote.",
            "Code clignotant : carte mère ou alimentation.",
            "carte mère",
            "Carte mère remplacée, mise à jour logicielle faite.",
        ),
        Fault(
            "Des lignes verticales traversent l'image.",
            "Nappe T-con ou dalle à contrôler.",
            "nappe T-con",
            "Nappe T-con remplacée, lignes disparues.",
        ),
    ),
    F.AUDIO: (
        Fault(
            "Le son coupe tout seul et ça grésille dans l'enceinte de gauche.",
            "Soudures sèches sur l'étage de puissance.",
            "relais de sortie haut-parleurs",
            "Soudures refaites, relais de sortie remplacé.",
        ),
        Fault(
            "Le lecteur CD ne lit plus les disques.",
            "Bloc optique usé.",
            "bloc optique",
            "Bloc optique remplacé, courroie de tiroir changée.",
        ),
        Fault(
            "La barre de son ne se connecte plus en Bluetooth.",
            "Module Bluetooth à contrôler.",
            "module Bluetooth",
            "Module Bluetooth remplacé, appairage testé.",
        ),
    ),
    F.VIDEO: (
        Fault(
            "Le lecteur Blu-ray affiche « No disc » avec tous les disques.",
            "Bloc optique encrassé ou usé.",
            "bloc optique",
            "Bloc optique remplacé.",
        ),
        Fault(
            "Le vidéoprojecteur s'éteint et le voyant température s'allume.",
            "Ventilateur de lampe bloqué.",
            "ventilateur de lampe",
            "Ventilateur remplacé, filtre nettoyé.",
        ),
        Fault(
            "Le tiroir ne s'ouvre plus.",
            "Courroie de tiroir détendue.",
            "courroie de tiroir",
            "Courroie de tiroir remplacée.",
        ),
    ),
    F.PETIT_ELECTROMENAGER: (
        Fault(
            "Le robot ne chauffe plus, il affiche une erreur.",
            "Sonde de température du bol ou connecteur oxydé.",
            "bol complet avec sonde",
            "Bol remplacé, connecteurs nettoyés.",
        ),
        Fault(
            "L'aspirateur s'arrête au bout de deux minutes.",
            "Batterie en fin de vie.",
            "batterie",
            "Batterie remplacée, filtres nettoyés.",
        ),
        Fault(
            "La machine à café fuit par-dessous.",
            "Joint de groupe ou tuyau de pompe.",
            "kit joints",
            "Joints remplacés, détartrage fait.",
        ),
        Fault(
            "Ça ne s'allume plus du tout.",
            "Cordon ou interrupteur à contrôler.",
            "cordon d'alimentation",
            "Cordon d'alimentation remplacé.",
        ),
    ),
}

CONTROL_TESTS = {
    F.LAVE_LINGE: "Cycle coton 40 °C complet : remplissage, chauffe, vidange et essorage conformes, "
    "aucune fuite. Continuité de terre et isolement conformes.",
    F.LAVE_VAISSELLE: "Programme rapide complet sans fuite, vidange et séchage conformes. Terre et isolement "
    "conformes.",
    F.FROID: "Températures relevées après 4 h : +4 °C au réfrigérateur, -18 °C au congélateur. "
    "Terre conforme.",
    F.CUISSON: "Montée en température contrôlée au thermomètre (200 °C en 12 min). "
    "Isolement et terre conformes.",
    F.SECHE_LINGE: "Cycle séchage coton complet, linge sec, arrêt en fin de cycle. Terre conforme.",
    F.TELEVISEUR: "Test d'endurance 2 h, image et son conformes sur toutes les entrées. Isolement conforme.",
    F.AUDIO: "Écoute 1 h à volume moyen sur les deux voies, aucune coupure. Isolement conforme.",
    F.VIDEO: "Lecture d'un disque test 1 h, sortie HDMI conforme.",
    F.PETIT_ELECTROMENAGER: "Essai de fonctionnement complet, aucune fuite, isolement conforme.",
}

QUOTE_NOTES = (
    "Devis n° {ref} : {amount} € TTC, pièce et main-d'œuvre. Envoyé par e-mail.",
    "Devis {ref} remis en main propre : {amount} € TTC.",
    "Devis {ref} envoyé par SMS avec lien : {amount} € TTC, valable 30 jours.",
)
ACCEPT_NOTES = (
    "Accord par téléphone, acompte de 30 € réglé.",
    "Devis signé au comptoir.",
    "Accord par e-mail.",
    "",
    "Accord donné, le client souhaite être prévenu par SMS.",
)
REFUSAL_REASONS = (
    "Trop cher par rapport au prix d'un appareil neuf.",
    "Le client préfère racheter un modèle plus récent.",
    "Le client réfléchit, ne souhaite pas engager les frais pour l'instant.",
    "Refus : l'appareil a plus de dix ans, le client ne veut pas investir.",
)
CANCEL_REASONS = (
    "Le client a racheté un appareil neuf entre-temps.",
    "Le client ne répond plus aux relances (trois appels, un SMS).",
    "La panne a disparu, le client annule le rendez-vous.",
    "Doublon : dossier déjà ouvert par téléphone.",
    "Le client déménage et emporte l'appareil en l'état.",
)
UNREPAIRABLE_REASONS = (
    "Pièce plus fabriquée ni disponible chez le constructeur.",
    "Coût de la réparation supérieur à la valeur de l'appareil.",
    "Cuve fissurée : réparation impossible dans des conditions sûres.",
    "Carte électronique introuvable, référence abandonnée.",
)
VISIT_INSTRUCTIONS = (
    "Appeler 30 min avant d'arriver.",
    "Code porte 4821B, 3e étage gauche.",
    "Prévoir la pompe en stock.",
    "Client disponible uniquement le matin.",
    "",
    "Accès par la cour, interphone au nom du client.",
)
HANDBACK_NOTES = (
    "Appareil rendu, facture réglée par carte.",
    "Rendu au client, explications sur l'entretien du filtre.",
    "Récupéré par le fils du client, pièce d'identité vérifiée.",
    "",
    "Rendu, paiement en espèces.",
)
HOME_HANDBACK_NOTES = (
    "Intervention terminée, bon d'intervention signé par le client.",
    "Appareil remis en service devant le client, bon signé.",
)
CLOSE_NOTES = ("Dossier complet, facture réglée.", "RAS.", "Client satisfait, avis laissé en ligne.", "")
PART_NOTES = (
    "Commande passée chez le fournisseur : {part}, délai annoncé 5 jours.",
    "Pièce en rupture chez le grossiste ({part}) : commandée chez le constructeur, délai 8 à 10 jours.",
    "Commande passée : {part}. Client prévenu par SMS.",
)
