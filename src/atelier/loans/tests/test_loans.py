"""Loans: lend with signed terms, one loan per appliance, no closing while out, overdue on the home page,
bad input refused in French with nothing written, other site → 404."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from atelier.core.errors import AtelierError, TransitionRefused
from atelier.core.tests.factories import UserFactory
from atelier.loans import checks as loan_checks
from atelier.loans import services
from atelier.loans.models import Loan, LoanAppliance
from atelier.loans.tests.conftest import SIGNATURE
from atelier.repairs import extensions as repairs_extensions
from atelier.repairs import services as case_services


def _lend(case, user, spare, due, **kw):
    return services.loan_create(
        case=case,
        actor=user,
        appliance=spare,
        due_on=due,
        signer_name="Nadia Lefèvre",
        signature=SIGNATURE,
        **kw,
    )


def test_lend_with_terms_then_return(make_case, accueil, spare, in_a_week):
    case = make_case()
    loan = _lend(case, accueil, spare, in_a_week, deposit="150,00", delivery="livraison")
    assert loan.deposit == Decimal("150.00") and loan.condition_out == "bon"
    assert loan.terms.startswith("Prêt gracieux de l'appareil Beko WTV7712 (n° PRET-LL-01, état : bon état)")
    assert "Dépôt de garantie : 150,00 €" in loan.terms and "Remise : livré / repris à domicile" in loan.terms
    with pytest.raises(AtelierError, match="L'appareil PRET-LL-01 est déjà prêté."):
        _lend(make_case(), accueil, spare, in_a_week)
    services.loan_return(loan=loan, actor=accueil, condition="usage", note="Rayure sur le hublot")
    loan.refresh_from_db()
    spare.refresh_from_db()
    assert loan.returned_at is not None and spare.condition == "usage"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"due_on": datetime.date(2020, 1, 1)}, "La date de retour doit être aujourd'hui ou plus tard."),
        ({"signature": ""}, "La signature du client est nécessaire"),
        ({"signer_name": " "}, "Indiquez le nom de la personne qui signe."),
        ({"deposit": "-10"}, "Le montant ne peut pas être négatif."),
        ({"fee": "4,999"}, "Un montant s'écrit en euros et centimes"),
        ({"fee": "dix"}, "Montant illisible : dix"),
    ],
)
def test_lend_bad_input(make_case, accueil, spare, in_a_week, kwargs, message):
    params = {"due_on": in_a_week, "signer_name": "N. Lefèvre", "signature": SIGNATURE, **kwargs}
    with pytest.raises(AtelierError, match=message):
        services.loan_create(case=make_case(), actor=accueil, appliance=spare, **params)
    assert not Loan.objects.exists()


def test_loan_of_another_site_refused(make_case, accueil, other_site, in_a_week):
    lyon = LoanAppliance.objects.create(site=other_site, code="L1", family="froid", label="x", location="y")
    with pytest.raises(AtelierError, match="appartient à un autre site"):
        _lend(make_case(), accueil, lyon, in_a_week)


def test_dossier_cannot_close_while_its_loan_is_out(
    make_case, accueil, responsable, spare, in_a_week, monkeypatch
):
    # the loan's condition alone (billing's own conditions on closing are tested in billing)
    monkeypatch.setattr(repairs_extensions, "step_checks", [loan_checks.step_check])
    case = make_case()
    _lend(case, accueil, spare, in_a_week)
    case_services.case_prediagnose(case=case, actor=accueil, note="x")
    case_services.case_send_quote(case=case, actor=accueil)
    case_services.case_refuse_quote(case=case, actor=accueil, note="Trop cher")
    case_services.case_hand_back(case=case, actor=accueil)
    with pytest.raises(TransitionRefused, match="n'est pas rendu") as info:
        case_services.case_close(case=case, actor=responsable)
    assert info.value.message.endswith(
        f"l'appareil de prêt PRET-LL-01 n'est pas rendu (prévu le {in_a_week:%d/%m/%Y})"
    )
    case.refresh_from_db()
    assert case.status == "rendu"
    services.loan_return(loan=Loan.objects.get(), actor=accueil, condition="bon")
    case_services.case_close(case=case, actor=responsable)
    assert case.status == "cloture"


def test_overdue_loans_on_the_managers_home(client, make_case, accueil, responsable, spare):
    case = make_case()
    loan = _lend(case, accueil, spare, timezone.localdate())
    Loan.objects.filter(pk=loan.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=3))
    client.force_login(responsable)
    body = client.get("/accueil/volets/").content.decode()
    assert 'id="panel-overdue_loans"' in body and "PRET-LL-01" in body


def test_lend_screen_and_other_site_404(client, make_case, accueil, spare, in_a_week, other_site):
    case = make_case()
    client.force_login(accueil)
    response = client.post(
        f"/prets/dossier/{case.pk}/preter/",
        {
            "appliance": spare.pk,
            "due_on": in_a_week.isoformat(),
            "delivery": "magasin",
            "return_mode": "magasin",
            "signer_name": "N. Lefèvre",
        },
    )
    assert (
        response.status_code == 400 and "La signature du client est nécessaire" in response.content.decode()
    )
    assert not Loan.objects.exists()
    response = client.post(
        f"/prets/dossier/{case.pk}/preter/",
        {
            "appliance": spare.pk,
            "due_on": in_a_week.isoformat(),
            "delivery": "magasin",
            "return_mode": "magasin",
            "signer_name": "N. Lefèvre",
            "signature": SIGNATURE,
            "deposit": "0",
            "fee": "0",
        },
    )
    assert response.status_code == 302 and Loan.objects.count() == 1
    assert client.get("/prets/").status_code == 200
    lyon = UserFactory(username="accueil-lyon", roles=["accueil"], sites=[other_site])
    client.force_login(lyon)
    assert client.post(f"/prets/{Loan.objects.get().pk}/retour/", {"condition": "bon"}).status_code == 404
    assert client.post(f"/prets/dossier/{case.pk}/preter/", {}).status_code == 404


def test_take_back_twice_and_lend_without_the_role_are_refused_on_the_loan_section(
    client, make_case, accueil, comptable, spare, in_a_week
):
    case = make_case()
    loan = _lend(case, accueil, spare, in_a_week)
    client.force_login(accueil)
    url = f"/prets/{loan.pk}/retour/"
    assert client.post(url, {"condition": "bon"}).url == reverse("repairs:detail", args=[case.pk])
    loan.refresh_from_db()
    assert loan.returned_at is not None
    again = client.post(url, {"condition": "usage"})
    assert again.status_code == 400 and "Ce prêt est déjà rendu." in again.content.decode()
    spare.refresh_from_db()
    assert spare.condition == "bon"
    client.force_login(comptable)
    refused = client.post(
        f"/prets/dossier/{case.pk}/preter/",
        {
            "appliance": spare.pk,
            "due_on": in_a_week.isoformat(),
            "delivery": "magasin",
            "return_mode": "magasin",
            "signer_name": "N. Lefèvre",
            "signature": SIGNATURE,
        },
    )
    assert (
        refused.status_code == 403 and "Votre rôle ne permet pas cette opération." in refused.content.decode()
    )
    assert Loan.objects.count() == 1
    assert Loan.objects.visible_to(comptable).count() == 1
