"""The quote and repair-order PDFs: rendered by WeasyPrint, A4, with every mandatory mention in the text."""

import datetime
import io

from django.utils import timezone
from pypdf import PdfReader

from atelier.quotes import decisions, orders, services
from atelier.quotes.documents import quote_pdf, repair_order_pdf


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (
        595,
        842,
    )  # A4 in points
    return "\n".join(p.extract_text() for p in reader.pages)


def test_quote_pdf_carries_every_mandatory_mention(case, accueil, solution, used_solution, labelled):
    quote = services.quote_create(
        case=case, actor=accueil, solution=solution, is_charged=True, charge_ht="15"
    )
    services.quote_send(quote=quote, actor=accueil, channel="papier")
    text = " ".join(_text(quote_pdf(quote)).split())
    today = timezone.localdate()
    expected = [
        f"Devis de réparation n° {quote.number}",
        f"Date du devis : {today:%d/%m/%Y}",  # date
        "Réparations Dupont SARL",  # repairer's identity
        "SIRET 73282932000074",
        "TVA intracommunautaire FR44732829320",
        "12 rue de la République",
        "Mme Nadia LEFÈVRE" if case.customer.civility else "Nadia LEFÈVRE",  # customer
        "Lieu d'exécution des travaux : En atelier : 12 rue de la République, 75011 Paris",  # place
        "Dépose et remplacement de la pompe de vidange",  # exact nature of the repair
        "Pompe de vidange – réf. BSH-00145212 (neuve)",  # each line's designation
        "48,90 €",  # unit price
        "1,50 h",  # quantity
        "Frais de déplacement : aucun",  # travel costs
        "TVA 20 % sur 131,40 €",  # VAT
        "Total TTC 157,68 €",
        f"Valable jusqu'au {quote.valid_until:%d/%m/%Y}",  # validity
        # a charged quote's price as the consumer reads it, TTC (L112-1): 15,00 € HT × 1,20
        "Ce devis est payant : 18,00 € TTC (15,00 € HT)",
        "Option avec pièces issues de l'économie circulaire proposée : « Pompe d'occasion »",  # used parts
        "L224-109",
        "Bonus réparation QualiRépar (Lave-linge) déduit − 50,00 €",
        "Net à payer TTC 107,68 €",
        "Devis reçu avant l'exécution des travaux",
    ]
    missing = [m for m in expected if m not in text]
    assert missing == [], text


def test_repair_order_pdf(case, accueil, responsable, solution, used_solution):
    quote = services.quote_create(case=case, actor=accueil, solution=solution)
    services.quote_send(quote=quote, actor=accueil, channel="papier")
    decisions.quote_accept(quote=quote, actor=accueil, signer_name="Nadia Lefèvre")
    promised = timezone.localdate() + datetime.timedelta(days=10)
    order = orders.repair_order_create(
        quote=quote,
        actor=responsable,
        promised_on=promised,
        skills=["niveau:2", "hab:elec"],
        tools=["multimetre"],
    )
    text = " ".join(_text(repair_order_pdf(order)).split())
    for mention in [
        f"Ordre de réparation n° {order.number}",
        f"Devis {quote.number} accepté le",
        "Dépose et remplacement de la pompe de vidange",
        f"Délai promis au client : {promised:%d/%m/%Y}",
        "Compétences requises : Réparation de niveau 2 (composant), Habilitation électrique",
        "Outillage requis : Multimètre",
        "BSH-00145212",
        "Manquante · à commander, délai 5 j",
        "Lieu : En atelier",
    ]:
        assert mention in text, (mention, text)
