"""photo_add's subjects: a claim with no dossier, a claim about another dossier, a stage that does not exist."""

import pytest

from atelier.aftersales.models import ClaimType
from atelier.aftersales.services import claim_open
from atelier.core.errors import AtelierError
from atelier.photos.selectors import case_photos, claim_photos
from atelier.photos.services import photo_add

from .conftest import jpeg_with_gps, stored_files, upload

pytestmark = pytest.mark.django_db


def _claim(accueil, appliance, earlier_case=None):
    return claim_open(
        actor=accueil,
        appliance=appliance,
        claim_type=ClaimType.objects.get(code="autre"),
        channel="guichet",
        description="Rayure.",
        answers={"objet": "Rayure"},
        earlier_case=earlier_case,
    )


def test_a_claim_without_dossier_keeps_its_photo_on_its_site(accueil, case, media):
    from atelier.repairs.models import RepairCase

    RepairCase.objects.filter(pk=case.pk).update(status="annule")  # no dossier to link: none handed back
    claim = _claim(accueil, case.appliance)
    assert claim.earlier_case is None
    (photo,) = photo_add(actor=accueil, claim=claim, stage="reclamation", files=[upload(jpeg_with_gps())])
    assert (photo.site, photo.case, photo.claim) == (claim.site, None, claim)
    assert list(claim_photos(claim)) == [photo] and list(case_photos(case)) == []


def test_a_claim_about_another_dossier_is_refused(accueil, case, media):
    from atelier.repairs.services import case_open

    other = case_open(
        actor=accueil, customer=case.customer, appliance=case.appliance, customer_words="Autre panne."
    )
    claim = _claim(accueil, case.appliance, earlier_case=case)
    with pytest.raises(AtelierError, match="Cette réclamation ne porte pas sur ce dossier."):
        photo_add(
            actor=accueil, claim=claim, case=other, stage="reclamation", files=[upload(jpeg_with_gps())]
        )
    assert stored_files(media) == []


def test_an_unknown_stage_and_too_many_files_are_refused(accueil, case, media):
    with pytest.raises(AtelierError, match="Étape inconnue."):
        photo_add(actor=accueil, case=case, stage="vacances", files=[upload(jpeg_with_gps())])
    with pytest.raises(AtelierError, match="11 photos envoyées : 10 au plus à la fois."):
        photo_add(actor=accueil, case=case, stage="reception", files=[upload(jpeg_with_gps())] * 11)
    assert stored_files(media) == []
