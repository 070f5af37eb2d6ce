"""The procedures Atelier starts with (migration 0002): for each demo family a disassembly procedure (C1.4), a
commissioning control procedure (C1.12) and the common repairs (C1.7, C1.8), plus a maker's own version where a
brand differs (Bosch washing machines: the drain pump comes out from the front)."""

from decimal import Decimal as D

CONSIGNATION = "Appareil débranché (prise retirée, pas seulement l'interrupteur) ; vérifier l'absence de tension."
WATER = "Fermer le robinet d'arrivée d'eau et vidanger par le filtre avant de basculer l'appareil."

# (code, kind, topic, family, brand, model_ref, source, reference, title, steps)
# step: (instruction, measure_label, unit, min, max, safety_note)
PROCEDURES = [
    (
        "DEM-LL", "demontage", "", "lave_linge", "", "", "interne", "",
        "Démontage du lave-linge (accès capot, façade et cuve)",
        [
            ("Débrancher l'appareil, fermer le robinet d'eau, débrancher les tuyaux d'arrivée et de vidange.",
             "", "", None, None, CONSIGNATION),
            ("Vidanger l'eau résiduelle par le filtre de la pompe (bac plat, serpillière).", "", "", None, None, WATER),
            ("Ouvrir le schéma de câblage et la vue éclatée du modèle (plaque signalétique : référence et n° de "
             "série) avant de démonter.", "", "", None, None, ""),
            ("Déposer le capot supérieur (2 vis à l'arrière), puis le bandeau de commande et la plinthe.",
             "", "", None, None, ""),
            ("Déposer la façade : collier de manchette de hublot, vis de serrure, vis de façade.", "", "", None, None,
             "Gants anti-coupure : tôles et collier à ressort."),
            ("Contrôle visuel : traces d'eau, connecteurs oxydés ou chauffés, fils pincés, amortisseurs, "
             "contrepoids desserrés. Signaler toute non-conformité de montage d'origine.", "", "", None, None, ""),
        ],
    ),
    (
        "REP-LL-POMPE", "reparation", "Pompe de vidange", "lave_linge", "", "", "interne", "",
        "Remplacement de la pompe de vidange",
        [
            ("Consigner l'appareil, vidanger par le filtre, basculer l'appareil sur le côté gauche sur un tapis.",
             "", "", None, None, CONSIGNATION),
            ("Mesurer la résistance du bobinage de la pompe déposée (confirme le diagnostic).",
             "Résistance du bobinage", "Ω", D("150"), D("250"), ""),
            ("Débrancher le connecteur, desserrer les colliers des durites, déposer les vis de fixation.",
             "", "", None, None, ""),
            ("Monter la pompe neuve ou reconditionnée, colliers neufs, connecteur verrouillé.", "", "", None, None, ""),
            ("Essai de vidange : programme « essorage seul », pas de fuite au niveau des durites.",
             "Durée de vidange", "s", D("0"), D("90"), ""),
        ],
    ),
    (
        "REP-LL-POMPE-BOSCH", "reparation", "Pompe de vidange", "lave_linge", "Bosch", "", "fabricant",
        "Bosch — manuel de service lave-linge série 4/6",
        "Remplacement de la pompe de vidange (Bosch, accès par la plinthe)",
        [
            ("Consigner l'appareil et vidanger par le flexible d'urgence derrière la trappe de filtre.",
             "", "", None, None, CONSIGNATION),
            ("Déposer la plinthe (clips) et la façade inférieure : la pompe se sort par l'avant, sans basculer "
             "l'appareil.", "", "", None, None, ""),
            ("Mesurer la résistance du bobinage de la pompe déposée.", "Résistance du bobinage", "Ω",
             D("160"), D("220"), ""),
            ("Monter la pompe d'origine Bosch (réf. 00145777 ou équivalente reconditionnée), joints neufs.",
             "", "", None, None, ""),
            ("Essai de vidange et contrôle d'étanchéité, programme « vidange ».", "Durée de vidange", "s",
             D("0"), D("75"), ""),
        ],
    ),
    (
        "REP-LL-SERRURE", "reparation", "Verrou de porte", "lave_linge", "", "", "interne", "",
        "Remplacement du verrou de hublot",
        [
            ("Consigner l'appareil, ouvrir le hublot (tirette de déverrouillage d'urgence si bloqué).",
             "", "", None, None, CONSIGNATION),
            ("Retirer le collier de manchette et rabattre la manchette dans le tambour.", "", "", None, None, ""),
            ("Déposer les 2 vis du verrou, sortir le verrou par l'intérieur, débrancher le connecteur.",
             "", "", None, None, ""),
            ("Contrôler le verrou neuf : résistance de la CTP entre les bornes L et N.", "Résistance CTP", "Ω",
             D("600"), D("1200"), ""),
            ("Remonter, remettre la manchette en place, essai : verrouillage au départ du programme et "
             "déverrouillage en fin de cycle.", "", "", None, None, ""),
        ],
    ),
    (
        "MES-LL", "mise_en_service", "", "lave_linge", "", "", "interne", "",
        "Contrôle de mise en service du lave-linge",
        [
            ("Brides de transport retirées, appareil de niveau (pieds réglés et bloqués).", "", "", None, None, ""),
            ("Arrivée d'eau : robinet ouvert, joint présent, pas de fuite au raccord.", "", "", None, None, ""),
            ("Vidange : tuyau en col de cygne, hauteur d'évacuation conforme.", "Hauteur d'évacuation", "cm",
             D("60"), D("100"), ""),
            ("Prise de courant avec terre, pas de rallonge ni de multiprise.", "", "", None, None, ""),
            ("Cycle court à vide : remplissage, chauffe, vidange, essorage sans vibration anormale.",
             "", "", None, None, ""),
            ("Expliquer au client le réglage choisi, l'entretien du filtre et le détartrage.", "", "", None, None, ""),
        ],
    ),
    (
        "DEM-LV", "demontage", "", "lave_vaisselle", "", "", "interne", "",
        "Démontage du lave-vaisselle (porte, plinthe, socle)",
        [
            ("Débrancher, fermer le robinet, sortir l'appareil de sa niche (vis de fixation sous le plan).",
             "", "", None, None, CONSIGNATION),
            ("Ouvrir la vue éclatée du modèle (référence sur le chant de la porte).", "", "", None, None, ""),
            ("Déposer la plinthe, puis les panneaux latéraux si l'accès au socle l'exige.", "", "", None, None, ""),
            ("Basculer l'appareil sur l'arrière pour accéder au socle (flotteur anti-fuite, pompes).",
             "", "", None, None, "Éponger l'eau du socle avant de basculer."),
            ("Contrôle visuel : eau dans le socle, durites fissurées, connecteurs chauffés, résistance entartrée.",
             "", "", None, None, ""),
        ],
    ),
    (
        "REP-LV-CHAUFFE", "reparation", "Résistance / pompe de chauffe", "lave_vaisselle", "", "", "interne", "",
        "Remplacement de la pompe de chauffe du lave-vaisselle",
        [
            ("Consigner l'appareil, sortir les paniers, vider l'eau du puisard.", "", "", None, None, CONSIGNATION),
            ("Mesurer la résistance de l'élément chauffant de la pompe de chauffe.", "Résistance de chauffe", "Ω",
             D("25"), D("35"), ""),
            ("Débrancher, déposer les colliers et sortir la pompe de chauffe par le socle.", "", "", None, None, ""),
            ("Monter la pompe neuve, vérifier l'orientation des durites et les colliers.", "", "", None, None, ""),
            ("Essai : programme 65 °C, contrôler la température de l'eau en fin de chauffe.", "Température de l'eau",
             "°C", D("55"), D("70"), ""),
        ],
    ),
    (
        "MES-LV", "mise_en_service", "", "lave_vaisselle", "", "", "interne", "",
        "Contrôle de mise en service du lave-vaisselle",
        [
            ("Appareil de niveau, fixé sous le plan de travail, porte qui s'équilibre.", "", "", None, None, ""),
            ("Raccordements eau sans fuite, tuyau de vidange sans coude écrasé.", "", "", None, None, ""),
            ("Prise avec terre ; mesurer la continuité de terre de la prise à la carrosserie.", "Continuité de terre",
             "Ω", D("0"), D("0.3"), ""),
            ("Cycle rapide : remplissage, lavage, vidange, pas d'eau dans le socle.", "", "", None, None, ""),
            ("Régler l'adoucisseur selon la dureté de l'eau du client et le lui expliquer.", "Dureté de l'eau",
             "°f", D("0"), D("60"), ""),
        ],
    ),
    (
        "DEM-CU", "demontage", "", "cuisson", "", "", "interne", "",
        "Démontage d'un four / cuisinière",
        [
            ("Couper le disjoncteur du circuit de cuisson et vérifier l'absence de tension au bornier.",
             "", "", None, None, "Circuit 32 A : consigner au tableau, pas seulement à la prise."),
            ("Pour le gaz : fermer le robinet d'arrivée avant toute intervention.", "", "", None, None,
             "Aucune flamme, aucun point chaud à proximité."),
            ("Ouvrir le schéma électrique du modèle (plaque signalétique au chant de porte).", "", "", None, None, ""),
            ("Sortir l'appareil, déposer la tôle arrière (accès résistances, ventilateur, thermostat de sécurité).",
             "", "", None, None, "Attendre le refroidissement complet."),
            ("Contrôle visuel : cosses noircies, isolants fondus, joint de porte, laine isolante déplacée.",
             "", "", None, None, ""),
        ],
    ),
    (
        "REP-CU-RESISTANCE", "reparation", "Résistance", "cuisson", "", "", "interne", "",
        "Remplacement d'une résistance de four (voûte ou circulaire)",
        [
            ("Consigner le circuit de cuisson.", "", "", None, None, CONSIGNATION),
            ("Mesurer la résistance déposée pour confirmer la coupure.", "Résistance mesurée", "Ω", D("0"),
             D("1000"), ""),
            ("Monter la résistance neuve, cosses neuves si oxydées, serrage ferme.", "", "", None, None, ""),
            ("Mesurer la résistance neuve montée (valeur selon puissance, ex. 2000 W ≈ 26 Ω).", "Résistance montée",
             "Ω", D("20"), D("60"), ""),
            ("Mesurer l'isolement entre résistance et masse.", "Résistance d'isolement", "MΩ", D("1"), None, ""),
            ("Essai de chauffe 15 minutes à 200 °C.", "Température atteinte", "°C", D("180"), D("220"), ""),
        ],
    ),
    (
        "MES-CU", "mise_en_service", "", "cuisson", "", "", "interne", "",
        "Contrôle de mise en service de l'appareil de cuisson",
        [
            ("Raccordement électrique sur circuit dédié, câble de section adaptée, terre raccordée.",
             "", "", None, None, ""),
            ("Mesurer la continuité de terre entre la borne de terre et la carrosserie.", "Continuité de terre", "Ω",
             D("0"), D("0.3"), ""),
            ("Gaz : tuyau dans sa date de validité, test d'étanchéité à l'eau savonneuse.", "", "", None, None,
             "Jamais de flamme pour chercher une fuite."),
            ("Essai de chaque zone de cuisson et du four ; contrôle de l'éclairage et de la ventilation.",
             "", "", None, None, ""),
            ("Expliquer au client les fonctions utilisées et le nettoyage (pyrolyse, catalyse).", "", "", None,
             None, ""),
        ],
    ),
    (
        "DEM-FR", "demontage", "", "froid", "", "", "interne", "",
        "Démontage d'un réfrigérateur / congélateur",
        [
            ("Débrancher l'appareil et le vider ; laisser dégivrer si l'accès à l'évaporateur est nécessaire.",
             "", "", None, None, CONSIGNATION),
            ("Ouvrir le schéma électrique et le plan du circuit de ventilation (No Frost).", "", "", None, None, ""),
            ("Déposer le capot du compartiment compresseur à l'arrière (relais, condensateur, ventilateur).",
             "", "", None, None, "Gaz réfrigérant : ne pas percer ni braser le circuit sans attestation de capacité."),
            ("Déposer le panneau de l'évaporateur (vis sous caches) pour le contrôle du givrage.", "", "", None,
             None, ""),
            ("Contrôle visuel : givre anormal, traces d'huile (fuite), joints de porte, ventilateur bloqué.",
             "", "", None, None, ""),
        ],
    ),
    (
        "REP-FR-THERMOSTAT", "reparation", "Sonde / thermostat", "froid", "", "", "interne", "",
        "Remplacement de la sonde de température du réfrigérateur",
        [
            ("Consigner l'appareil.", "", "", None, None, CONSIGNATION),
            ("Mesurer la sonde déposée (à température ambiante, 25 °C).", "Résistance de la sonde", "kΩ", D("4"),
             D("6"), ""),
            ("Monter la sonde neuve au même emplacement, clip de maintien en place.", "", "", None, None, ""),
            ("Remise en marche : température du compartiment après 6 heures.", "Température du réfrigérateur", "°C",
             D("2"), D("6"), ""),
        ],
    ),
    (
        "MES-FR", "mise_en_service", "", "froid", "", "", "interne", "",
        "Contrôle de mise en service du réfrigérateur / congélateur",
        [
            ("Appareil de niveau, légèrement incliné vers l'arrière, espace de ventilation respecté.", "", "",
             None, None, ""),
            ("Attendre 2 heures avant de brancher un appareil transporté couché.", "", "", None, None, ""),
            ("Joints de porte étanches (test de la feuille de papier).", "", "", None, None, ""),
            ("Température du compartiment réfrigérateur après stabilisation.", "Température réfrigérateur", "°C",
             D("2"), D("6"), ""),
            ("Température du congélateur après stabilisation.", "Température congélateur", "°C", D("-24"),
             D("-16"), ""),
            ("Expliquer au client le réglage du thermostat et le dégivrage.", "", "", None, None, ""),
        ],
    ),
    (
        "DEM-TV", "demontage", "", "televiseur", "", "", "interne", "",
        "Démontage d'un téléviseur LCD / LED",
        [
            ("Débrancher le téléviseur et attendre 5 minutes (décharge des condensateurs de l'alimentation).",
             "", "", None, None, "Condensateurs primaires : vérifier la décharge au multimètre."),
            ("Poser l'écran face contre un tapis antistatique et propre.", "", "", None, None,
             "Bracelet antistatique relié à la terre."),
            ("Ouvrir la vue éclatée et le schéma du modèle (référence du châssis à l'arrière).", "", "", None, None,
             ""),
            ("Déposer le pied, les vis du capot arrière, puis déclipser le capot.", "", "", None, None, ""),
            ("Contrôle visuel : condensateurs gonflés, nappes mal insérées, barrettes LED brûlées, traces de "
             "chauffe.", "", "", None, None, ""),
        ],
    ),
    (
        "REP-TV-LED", "reparation", "Rétroéclairage", "televiseur", "", "", "interne", "",
        "Remplacement des barrettes LED du rétroéclairage",
        [
            ("Démonter la dalle (cadre, diffuseurs, réflecteur) sans toucher la face de la dalle.", "", "", None,
             None, "Dalle fragile : deux personnes pour les écrans de plus de 50 pouces."),
            ("Mesurer la tension de sortie du driver LED à vide.", "Tension driver LED", "V", D("80"), D("250"), ""),
            ("Remplacer toutes les barrettes (jamais une seule), pastilles adhésives thermiques neuves.",
             "", "", None, None, ""),
            ("Remonter réflecteur et diffuseurs dans l'ordre, sans poussière.", "", "", None, None, ""),
            ("Essai 30 minutes : image uniforme, pas de tache ni de clignotement.", "", "", None, None, ""),
        ],
    ),
    (
        "MES-TV", "mise_en_service", "", "televiseur", "", "", "interne", "",
        "Contrôle de mise en service du téléviseur",
        [
            ("Fixation murale ou pied : serrage et stabilité contrôlés.", "", "", None, None, ""),
            ("Raccordements antenne / box / HDMI, recherche des chaînes.", "", "", None, None, ""),
            ("Niveau de réception TNT sur le multiplex le plus faible.", "Niveau de signal", "dBµV", D("45"),
             D("70"), ""),
            ("Mise à jour logicielle du fabricant vérifiée (C1.9).", "", "", None, None, ""),
            ("Réglages adaptés à l'usage du client (mode image, veille) et expliqués.", "", "", None, None, ""),
        ],
    ),
    (
        "REC-LL", "reconditionnement", "", "lave_linge", "", "", "interne", "",
        "Reconditionnement d'un lave-linge",
        [
            ("Contrôle d'entrée : appareil identifié, accessoires, état esthétique noté.", "", "", None, None, ""),
            ("Nettoyage complet : bac à produits, manchette, filtre, cuve (détartrage).", "", "", None, None, ""),
            ("Contrôle des roulements (jeu du tambour) et des amortisseurs.", "", "", None, None, ""),
            ("Essai de sécurité électrique : continuité de terre.", "Continuité de terre", "Ω", D("0"), D("0.3"),
             ""),
            ("Cycle complet 40 °C : aucune fuite, aucun code défaut.", "", "", None, None, ""),
        ],
    ),
]


def seed(Procedure, ProcedureStep, at) -> int:
    for code, kind, topic, family, brand, model_ref, source, reference, title, steps in PROCEDURES:
        if Procedure.objects.filter(code=code).exists():
            continue
        procedure = Procedure.objects.create(
            code=code, version=1, is_current=True, kind=kind, topic=topic, family=family, brand=brand,
            model_ref=model_ref, source=source, reference=reference, title=title, published_at=at,
        )
        ProcedureStep.objects.bulk_create(
            ProcedureStep(
                procedure=procedure, position=n, instruction=instruction, measure_label=label, unit=unit,
                min_value=low, max_value=high, safety_note=safety,
            )
            for n, (instruction, label, unit, low, high, safety) in enumerate(steps, start=1)
        )
    return len(PROCEDURES)
