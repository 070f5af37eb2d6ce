import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from atelier.core.errors import AtelierError, PermissionRefused, TransitionRefused
from atelier.core.tests.factories import UserFactory
from atelier.repairs import services
from atelier.repairs.choices import CaseStatus, EventKind, WorkLocation
from atelier.repairs.models import CaseEvent, RepairCase

PARIS = ZoneInfo("Europe/Paris")


def test_case_open_numbers_per_site_and_year_and_writes_the_opening_entry(accueil, customer, appliance):
    at = datetime.datetime(2026, 3, 2, 9, 15, tzinfo=PARIS)
    first = services.case_open(
        actor=accueil,
        customer=customer,
        appliance=appliance,
        at=at,
        customer_words="  Fait un bruit de ferraille à l'essorage. ",
        accessories="tuyau de vidange",
        visible_condition="rayure sur le hublot",
    )
    second = services.case_open(
        actor=accueil,
        customer=customer,
        appliance=appliance,
        at=at,
        customer_words="Fuit par le bas.",
        channel="telephone",
    )
    assert (first.number, second.number) == ("PAR1-2026-000001", "PAR1-2026-000002")
    assert first.status == CaseStatus.RECU
    assert first.customer_words == "Fait un bruit de ferraille à l'essorage."
    assert first.received_by == accueil and first.received_at == at and first.site == customer.site
    event = first.events.get()
    assert (event.kind, event.to_status, event.label, event.actor) == (
        EventKind.OPENED,
        CaseStatus.RECU,
        "Dossier ouvert (Comptoir)",
        accueil,
    )
    assert second.events.get().label == "Dossier ouvert (Téléphone)"


def test_case_numbers_restart_each_year(accueil, customer, appliance):
    for year in (2025, 2026):
        case = services.case_open(
            actor=accueil,
            customer=customer,
            appliance=appliance,
            customer_words="Ne chauffe plus.",
            at=datetime.datetime(year, 12, 31, 22, 0, tzinfo=datetime.UTC),
        )
        # 22:00 UTC on 31/12 is already 23:00 in Paris: still the same year
        assert case.number == f"PAR1-{year}-000001"


def test_case_open_refuses_blank_words_another_customers_appliance_and_wrong_roles(
    accueil, magasinier, customer, appliance, other_customer, other_accueil
):
    with pytest.raises(AtelierError, match="Notez la panne avec les mots du client."):
        services.case_open(actor=accueil, customer=customer, appliance=appliance, customer_words="   ")
    with pytest.raises(AtelierError, match="Cet appareil n'appartient pas à ce client."):
        services.case_open(
            actor=other_accueil, customer=other_customer, appliance=appliance, customer_words="Bruit."
        )
    with pytest.raises(PermissionRefused, match="Votre rôle ne permet pas cette opération."):
        services.case_open(actor=magasinier, customer=customer, appliance=appliance, customer_words="Bruit.")
    with pytest.raises(PermissionRefused, match="Ce site ne fait pas partie des vôtres."):
        services.case_open(
            actor=other_accueil, customer=customer, appliance=appliance, customer_words="Bruit."
        )
    with pytest.raises(ValidationError, match="n’est pas un choix valide") as info:
        services.case_open(
            actor=accueil, customer=customer, appliance=appliance, customer_words="Bruit.", channel="pigeon"
        )
    assert info.value.message_dict == {
        "channel": ["La valeur «\u00a0'pigeon'\u00a0» n’est pas un choix valide."]
    }
    assert RepairCase.objects.count() == 0 and CaseEvent.objects.count() == 0


def _walk(case, *steps):
    for service, actor, kwargs in steps:
        case = service(case=case, actor=actor, **kwargs)
    return case


def test_workshop_dossier_walks_from_intake_to_closed_file(make_case, accueil, technicien, responsable):
    case = make_case()
    case = _walk(
        case,
        (services.case_prediagnose, accueil, {"note": "Pompe de vidange bloquée, filtre propre."}),
        (services.case_send_quote, accueil, {"note": "Devis 129 € TTC"}),
        (services.case_accept_quote, accueil, {}),
        (services.case_receive_in_workshop, technicien, {}),
        (services.case_start_repair, technicien, {}),
        (services.case_wait_for_parts, technicien, {"note": "Pompe de vidange réf. 00145212"}),
        (services.case_start_repair, technicien, {}),
        (services.case_mark_repaired, technicien, {"note": "Pompe remplacée."}),
        (services.case_commission, technicien, {"note": "Cycle court, vidange et essorage OK."}),
        (services.case_hand_back, accueil, {}),
        (services.case_close, responsable, {"note": "RAS"}),
    )
    assert case.status == CaseStatus.CLOTURE
    assert case.technician == technicien  # took the dossier when receiving it in the workshop
    assert case.closed_at is not None
    path = list(case.events.values_list("from_status", "to_status"))
    assert path == [
        ("", "recu"),
        ("recu", "prediagnostique"),
        ("prediagnostique", "devis_envoye"),
        ("devis_envoye", "accepte"),
        ("accepte", "en_atelier"),
        ("en_atelier", "en_reparation"),
        ("en_reparation", "attente_pieces"),
        ("attente_pieces", "en_reparation"),
        ("en_reparation", "repare"),
        ("repare", "pret"),
        ("pret", "rendu"),
        ("rendu", "cloture"),
    ]
    assert list(case.events.values_list("actor__username", flat=True)) == [
        "accueil",
        "accueil",
        "accueil",
        "accueil",
        "technicien",
        "technicien",
        "technicien",
        "technicien",
        "technicien",
        "technicien",
        "accueil",
        "responsable",
    ]


def test_home_visit_is_planned_with_a_technician_and_a_date(make_case, accueil, technicien):
    case = make_case(location=WorkLocation.DOMICILE)
    case = _walk(
        case,
        (services.case_prediagnose, accueil, {"note": "Ne refroidit plus."}),
        (services.case_send_quote, accueil, {}),
        (services.case_accept_quote, accueil, {}),
    )
    when = datetime.datetime(2026, 12, 1, 14, 0, tzinfo=PARIS)
    with pytest.raises(AtelierError, match="Choisissez le technicien et la date de l'intervention."):
        services.case_plan_visit(case=case, actor=accueil, technician=None, planned_for=when)
    with pytest.raises(AtelierError, match="n'est pas technicien."):
        services.case_plan_visit(case=case, actor=accueil, technician=accueil, planned_for=when)
    case = services.case_plan_visit(
        case=case, actor=accueil, technician=technicien, planned_for=when, note="Code portail 1234"
    )
    assert (case.status, case.technician, case.planned_for) == (CaseStatus.PLANIFIE, technicien, when)
    # a workshop step does not apply to a home visit
    with pytest.raises(TransitionRefused, match="« Prendre en charge en atelier » est impossible : le"):
        services.case_receive_in_workshop(case=case, actor=technicien)


def test_technician_of_another_site_cannot_be_planned(make_case, accueil, other_site):
    lyon_tech = UserFactory(username="tech-lyon", roles=["technicien"], sites=[other_site])
    case = _walk(
        make_case(location=WorkLocation.DOMICILE),
        (services.case_prediagnose, accueil, {"note": "x"}),
        (services.case_send_quote, accueil, {}),
        (services.case_accept_quote, accueil, {}),
    )
    with pytest.raises(AtelierError, match="ne travaille pas sur le site PAR1."):
        services.case_plan_visit(
            case=case,
            actor=accueil,
            technician=lyon_tech,
            planned_for=datetime.datetime(2026, 12, 1, 9, 0, tzinfo=PARIS),
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTE


def test_transition_from_a_wrong_state_is_refused_and_writes_nothing(make_case, responsable):
    case = make_case()
    with pytest.raises(
        TransitionRefused, match="« Clôturer le dossier » est impossible : le dossier"
    ) as info:
        services.case_close(case=case, actor=responsable)
    assert info.value.message == (
        "« Clôturer le dossier » est impossible : le dossier PAR1-2026-000001 est à l'état « Reçu ».".replace(
            "2026", str(case.received_at.astimezone(PARIS).year)
        )
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.RECU and case.events.count() == 1


def test_transition_by_a_wrong_role_is_refused_and_writes_nothing(make_case, magasinier, comptable):
    case = make_case()
    with pytest.raises(
        PermissionRefused, match="« Enregistrer le pré-diagnostic » est réservé aux rôles"
    ) as info:
        services.case_prediagnose(case=case, actor=comptable, note="x")
    assert info.value.message == (
        "« Enregistrer le pré-diagnostic » est réservé aux rôles : Accueil, Responsable SAV, Technicien."
    )
    assert case.events.count() == 1


def test_transition_by_a_user_of_another_site_is_refused(make_case, other_accueil):
    case = make_case()
    with pytest.raises(PermissionRefused, match="Ce site ne fait pas partie des vôtres."):
        services.case_prediagnose(case=case, actor=other_accueil, note="x")


def test_only_customer_steps_run_without_an_actor_and_still_check_the_state(make_case, accueil, responsable):
    case = make_case()
    for service, label in (
        (services.case_close, "Clôturer le dossier"),
        (services.case_send_quote, "Devis envoyé au client"),
    ):
        with pytest.raises(
            PermissionRefused, match="» ne peut être fait que par le personnel du magasin"
        ) as info:
            service(case=case, actor=None)
        assert info.value.message == f"« {label} » ne peut être fait que par le personnel du magasin."
    with pytest.raises(TransitionRefused, match="« Devis accepté par le client » est impossible"):
        services.case_accept_quote(case=case, actor=None)
    case.refresh_from_db()
    assert case.status == CaseStatus.RECU and case.events.count() == 1

    _walk(
        case,
        (services.case_prediagnose, accueil, {"note": "Pompe bloquée."}),
        (services.case_send_quote, accueil, {}),
    )
    services.case_accept_quote(case=case, actor=None, note="Signé en ligne.")
    event = case.events.latest("pk")
    assert (case.status, event.actor, event.note) == (CaseStatus.ACCEPTE, None, "Signé en ligne.")


def test_required_note_is_enforced(make_case, accueil):
    case = make_case()
    with pytest.raises(AtelierError, match="Renseignez « Constats et premières pistes »."):
        services.case_prediagnose(case=case, actor=accueil, note="  ")
    case.refresh_from_db()
    assert case.status == CaseStatus.RECU


def test_stale_object_cannot_apply_a_step_twice(make_case, accueil):
    case = make_case()
    stale = RepairCase.objects.get(pk=case.pk)
    services.case_prediagnose(case=case, actor=accueil, note="Vu.")
    with pytest.raises(TransitionRefused, match="« Enregistrer le pré-diagnostic » est impossible : le"):
        services.case_prediagnose(case=stale, actor=accueil, note="Vu deux fois.")
    assert case.events.count() == 2


def test_refused_and_unrepairable_dossiers_are_handed_back_then_closed(
    make_case, accueil, technicien, responsable
):
    refused = _walk(
        make_case(),
        (services.case_prediagnose, accueil, {"note": "x"}),
        (services.case_send_quote, accueil, {}),
        (services.case_refuse_quote, accueil, {"note": "Trop cher, rachète neuf."}),
        (services.case_hand_back, accueil, {}),
        (services.case_close, responsable, {}),
    )
    assert refused.status == CaseStatus.CLOTURE
    broken = _walk(
        make_case(),
        (services.case_prediagnose, technicien, {"note": "x"}),
        (services.case_declare_unrepairable, technicien, {"note": "Cuve fissurée."}),
    )
    assert broken.status == CaseStatus.NON_REPARABLE
    broken = services.case_hand_back(case=broken, actor=accueil)
    assert broken.status == CaseStatus.RENDU


def test_cancel_needs_a_reason_and_freezes_the_dossier(make_case, accueil, technicien):
    case = make_case()
    with pytest.raises(AtelierError, match="Renseignez « Motif de l'annulation »."):
        services.case_cancel(case=case, actor=accueil, note="")
    case = services.case_cancel(case=case, actor=accueil, note="Le client a trouvé la panne.")
    assert case.status == CaseStatus.ANNULE
    with pytest.raises(TransitionRefused, match="est fermé"):
        services.case_assign_technician(case=case, actor=accueil, technician=technicien)


def test_assign_and_note_write_timeline_entries(make_case, accueil, technicien):
    case = make_case()
    case = services.case_assign_technician(case=case, actor=accueil, technician=technicien)
    services.case_add_note(case=case, actor=technicien, note=" Client rappelé, absent. ")
    labels = list(case.events.values_list("kind", "label", "note"))
    assert labels[1:] == [
        (EventKind.ASSIGNMENT, "Confié à Camille Martin" + technicien.last_name[6:], ""),
        (EventKind.NOTE, "Note", "Client rappelé, absent."),
    ]
    with pytest.raises(AtelierError, match="La note est vide."):
        services.case_add_note(case=case, actor=technicien, note=" ")


def test_a_note_is_for_the_roles_that_work_on_the_dossier(make_case, magasinier, comptable, formateur):
    from atelier.core.choices import Role
    from atelier.repairs import workflow

    assert workflow.ADD_NOTE.roles == {Role.ACCUEIL, Role.TECHNICIEN, Role.MAGASINIER, Role.RESPONSABLE_SAV}
    case = make_case()
    services.case_add_note(case=case, actor=magasinier, note="Pièce commandée chez le grossiste.")
    for reader in (comptable, formateur):
        with pytest.raises(PermissionRefused, match="« Ajouter une note » est réservé aux rôles : Accueil"):
            services.case_add_note(case=case, actor=reader, note="Vu.")
    assert list(case.events.values_list("kind", flat=True)) == [EventKind.OPENED, EventKind.NOTE]
