"""People and places of the demo: French first and last names, streets, small businesses, customer remarks.

Plain data, no logic: a reader sees at a glance what the demo customers look like, and a trainer can add a
name without touching the generator. Names mix the origins found in any Paris or Lyon customer base so the
search screens meet accents, hyphens, particles and apostrophes.
"""

FEMALE_FIRST_NAMES = (
    "Camille", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Emma", "Julie", "Élodie", "Aurélie",
    "Nathalie", "Isabelle", "Sandrine", "Valérie", "Christine", "Sylvie", "Catherine", "Martine", "Françoise",
    "Monique", "Jacqueline", "Brigitte", "Véronique", "Céline", "Stéphanie", "Sophie", "Laure", "Hélène",
    "Anne-Marie", "Marie-Claire", "Agnès", "Bérénice", "Margaux", "Clémence", "Océane", "Anaïs", "Maëlle",
    "Yasmina", "Fatima", "Nadia", "Samira", "Leïla", "Aïcha", "Mariama", "Fatoumata", "Awa", "Ana", "Sofia",
    "Maria", "Lucie", "Pauline", "Mathilde", "Noémie", "Zoé", "Jeanne", "Odile", "Geneviève", "Josiane",
    "Mireille", "Lina", "Linh", "Mei", "Priya",
)

MALE_FIRST_NAMES = (
    "Thomas", "Nicolas", "Julien", "Maxime", "Antoine", "Alexandre", "Pierre", "Jean", "Michel", "Philippe",
    "Alain", "Patrick", "Bernard", "Christophe", "Frédéric", "Laurent", "Stéphane", "Olivier", "Éric",
    "Sébastien", "Jérôme", "François", "Hervé", "Gérard", "Daniel", "Jacques", "René", "Lucas", "Hugo",
    "Louis", "Gabriel", "Arthur", "Théo", "Nathan", "Mathis", "Raphaël", "Baptiste", "Clément", "Benoît",
    "Jean-Pierre", "Jean-Luc", "Marc-Antoine", "Mohamed", "Karim", "Mehdi", "Rachid", "Youssef", "Bilal",
    "Amadou", "Moussa", "Ibrahima", "João", "Manuel", "Paulo", "Diego", "Vincent", "Yves", "Gilles",
    "Thierry", "Didier", "Minh", "Wei", "Arjun",
)

LAST_NAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
    "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
    "Morel", "Girard", "André", "Lefebvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez",
    "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas",
    "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier",
    "Robin", "Masson", "Sanchez", "Gérard", "Nguyen", "Boyer", "Denis", "Lemaire", "Duval", "Joly",
    "Gautier", "Roger", "Roche", "Roy", "Noël", "Meyer", "Lucas", "Meunier", "Jean", "Pérez", "Marchand",
    "Dufour", "Blanchard", "Marie", "Barbier", "Brun", "Dumas", "Brunet", "Schmitt", "Leroux", "Colin",
    "Fernandez", "Pierre", "Renard", "Arnaud", "Rolland", "Caron", "Aubert", "Giraud", "Leclerc", "Vidal",
    "Bourgeois", "Renaud", "Lemoine", "Picard", "Gaillard", "Philippe", "Lacroix", "Dupuis", "Olivier",
    "Rodriguez", "Da Silva", "Ferreira", "Pereira", "Dos Santos", "Rodrigues", "Benali", "Benaïssa",
    "Haddad", "Bouzid", "Mansouri", "Cherif", "Diallo", "Traoré", "Koné", "Camara", "Diop", "Ndiaye",
    "Tran", "Pham", "Le", "Chen", "Wang", "Kaya", "Yilmaz", "Kowalski", "Novak", "Cohen", "Lévy",
    "De La Fontaine", "Le Goff", "Le Gall", "Kerjean", "D'Almeida", "N'Diaye", "Saint-Martin",
    "Fabre", "Marty", "Bailly", "Hubert", "Carpentier", "Royer", "Julien", "Moulin", "Charpentier",
    "Bouvier", "Prévost", "Besson", "Collet", "Hoarau", "Payet",
)

# Streets that really exist in each arrondissement of Paris and Lyon, so a dispatcher reading the demo
# recognises the neighbourhood; elsewhere the names found in nearly every French town.
STREETS_BY_POSTCODE = {
    "75001": ("rue Saint-Honoré", "rue de Rivoli", "rue du Louvre"),
    "75002": ("rue Montorgueil", "rue Réaumur", "rue du Sentier"),
    "75003": ("rue de Bretagne", "rue de Turenne", "rue Charlot", "rue Vieille-du-Temple"),
    "75004": ("rue Saint-Antoine", "rue des Rosiers", "rue de la Verrerie"),
    "75005": ("rue Mouffetard", "rue Monge", "boulevard Saint-Michel"),
    "75006": ("rue de Rennes", "rue du Cherche-Midi", "rue de Vaugirard"),
    "75007": ("rue de Grenelle", "rue Cler", "avenue Bosquet"),
    "75008": ("rue de Miromesnil", "boulevard Malesherbes", "rue de Rome"),
    "75009": ("rue des Martyrs", "rue Cadet", "rue de Provence"),
    "75010": ("rue du Faubourg-Saint-Denis", "rue de Paradis", "quai de Valmy", "rue des Vinaigriers"),
    "75011": ("rue de la Roquette", "rue Oberkampf", "boulevard Voltaire", "rue de Charonne",
              "avenue Parmentier", "rue Saint-Maur", "rue de la Folie-Méricourt", "rue Keller"),
    "75012": ("rue de Charenton", "avenue Daumesnil", "rue du Faubourg-Saint-Antoine", "rue de Reuilly",
              "boulevard Diderot"),
    "75013": ("avenue d'Italie", "rue de Tolbiac", "boulevard Vincent-Auriol", "rue Nationale"),
    "75014": ("rue d'Alésia", "avenue du Maine", "rue Didot", "rue Daguerre"),
    "75015": ("rue de la Convention", "rue du Commerce", "rue Lecourbe", "rue de Vaugirard"),
    "75016": ("rue de Passy", "avenue Mozart", "rue de la Pompe"),
    "75116": ("avenue Victor-Hugo", "rue de Longchamp", "avenue Kléber"),
    "75017": ("rue des Dames", "avenue de Clichy", "rue Legendre"),
    "75018": ("rue Ordener", "rue Caulaincourt", "rue Marcadet", "rue Championnet"),
    "75019": ("avenue Jean-Jaurès", "rue de Belleville", "rue de Crimée", "avenue Secrétan"),
    "75020": ("rue des Pyrénées", "rue de Bagnolet", "rue de Ménilmontant", "avenue Gambetta",
              "rue d'Avron"),
    "69001": ("rue de la République", "montée de la Grande-Côte", "rue d'Algérie"),
    "69002": ("rue Mercière", "rue Victor-Hugo", "cours Charlemagne"),
    "69003": ("rue de Bonnel", "cours Lafayette", "rue Paul-Bert", "avenue Félix-Faure", "rue Garibaldi",
              "cours Gambetta"),
    "69004": ("boulevard de la Croix-Rousse", "rue d'Austerlitz", "Grande rue de la Croix-Rousse"),
    "69005": ("rue Saint-Jean", "montée du Chemin-Neuf", "avenue du Point-du-Jour"),
    "69006": ("cours Vitton", "rue Vendôme", "boulevard des Belges", "rue de Sèze"),
    "69007": ("avenue Jean-Jaurès", "rue de Marseille", "grande rue de la Guillotière", "avenue Berthelot"),
    "69008": ("avenue des Frères-Lumière", "rue Marius-Berliet", "route de Vienne"),
    "69009": ("rue de Bourgogne", "quai Paul-Sédaillian", "avenue Sidoine-Apollinaire"),
}

COMMON_STREETS = (
    "rue de la République", "avenue Jean-Jaurès", "rue Victor-Hugo", "rue Pasteur",
    "avenue du Général-de-Gaulle", "rue Jean-Moulin", "boulevard Gambetta", "rue de la Paix",
    "rue des Écoles", "allée des Tilleuls",
    "rue du Marché", "avenue de la Libération", "rue Gabriel-Péri", "rue Anatole-France", "rue Émile-Zola",
    "place de la Mairie", "rue des Lilas", "chemin des Vignes", "rue Jules-Ferry", "avenue Aristide-Briand",
    "impasse des Rosiers", "rue du Stade", "rue Paul-Vaillant-Couturier", "avenue de Verdun",
)

ADDRESS_COMPLEMENTS = (
    "Bâtiment B, 3e étage", "Escalier 2, porte gauche", "Digicode 47B12", "Au fond de la cour",
    "Résidence Les Érables",
    "2e étage sans ascenseur", "Interphone au nom de la société", "Appartement 12", "Bât. C, 5e étage droite",
    "Sonner chez la gardienne",
)

# Small businesses that call a repairer: their own appliances break as often, and more expensively.
BUSINESS_PATTERNS = (
    "Boulangerie {last}", "Restaurant Chez {first}", "Salon de coiffure {first}", "Cabinet dentaire {last}",
    "Laverie du Marché", "Hôtel {last}", "Crèche Les Petits Loups", "Pressing {last}", "Café de la Place",
    "Auto-école {last}", "Gîtes {last}", "SCI {last} et Fils", "Pharmacie {last}", "Traiteur {last}",
    "Association Les Amis du Quartier", "Cabinet vétérinaire {last}", "Épicerie {first}",
    "Bar-tabac Le Balto",
)

# What the counter writes in « autres besoins », by need: the habits that make a visit or a call go well.
ACCESSIBILITY_NOTES = {
    "needs_reduced_mobility": ("Se déplace en fauteuil : prévoir de monter l'appareil",
                               "4e étage sans ascenseur", "Aidant : sa fille, joignable au même numéro"),
    "needs_hearing": ("Prévenir par SMS avant de passer, n'entend pas la sonnette",
                      "Parler lentement et face à la personne (lecture labiale)"),
    "needs_low_vision": ("Imprimer les documents en gros caractères", "Accompagné d'un chien guide"),
}

OTHER_LANGUAGES = (
    "anglais", "espagnol", "portugais", "arabe", "mandarin", "langue des signes (LSF)", "italien",
)

CUSTOMER_REMARKS = (
    "Cliente fidèle depuis 2016.",
    "Chat dans l'appartement, fermer la porte de la buanderie.",
    "Stationnement difficile : place de livraison devant le n° 14.",
    "Toujours demander un devis écrit avant intervention.",
    "Paie par virement, envoyer la facture par e-mail.",
    "Disponible uniquement le samedi matin.",
    "A déjà fait réparer chez un concurrent, reste méfiant sur les délais.",
    "Gardien de l'immeuble peut ouvrir en son absence (accord écrit au dossier).",
)
