"""Other apps add panels to the home page and sections to the dossier and customer pages."""

from atelier.customers import extensions as customer_extensions
from atelier.repairs import extensions


def test_registered_home_panels_and_sections_are_shown(client, make_case, accueil, monkeypatch):
    case = make_case()
    monkeypatch.setattr(
        extensions,
        "home_panels",
        [
            lambda user: [
                {
                    "key": "complaints",
                    "title": "Mécontentements à traiter",
                    "count": 1,
                    "empty": "",
                    "links": [{"url": "/x/", "text": "Client fâché", "badge": "urgent"}],
                }
            ],
        ],
    )
    monkeypatch.setattr(
        extensions,
        "detail_sections",
        [
            lambda request, c: {"template": "repairs/_appliance_box.html", "appliance": c.appliance},
            lambda request, c: None,  # a provider with nothing to say adds nothing
        ],
    )
    monkeypatch.setattr(
        customer_extensions,
        "detail_sections",
        [
            lambda request, customer: {
                "template": "repairs/_appliance_box.html",
                "appliance": case.appliance,
            },
        ],
    )
    client.force_login(accueil)
    home = client.get("/").content.decode()
    assert (
        'id="panel-complaints"' in home
        and '<a href="/x/">Client fâché</a> <span class="badge">urgent</span>' in home
    )
    detail = client.get(f"/dossiers/{case.pk}/").content.decode()
    assert detail.count("<h2>Appareil</h2>") == 2  # the page's own box and the registered section
    customer_page = client.get(f"/clients/{case.customer.pk}/").content.decode()
    assert customer_page.count("<h2>Appareil</h2>") == 1
