"""Every demo account's home opens on something to do."""

from app.demo import DEMO_PASSWORD
from tests.core.homes import element, order, text

# (account, page, data-testid, what it says)
EXPECTED = [
    ("dgec@example.org", "/fr/home", "declaration-PIX-2023", "Corriger la déclaration"),
    ("dgec@example.org", "/fr/home", "review-comment", "Merci de préciser le périmètre"),
    ("dreal-pdl@example.org", "/fr/home", "declaration-PIX-2027", "Poursuivre la déclaration"),
    ("dreal-pdl@example.org", "/fr/home", "codir-task", "Voir la demande"),
    ("dreal-ara@example.org", "/en/home", "campaign-PIX-2023-1", "Import overdue"),
    ("nadia.fabre@example.org", "/en/home", "campaign-PIX-2023-1", "Up to date"),
    ("cvrh-nantes@example.org", "/en/home", "codir-to-answer", "1 request to answer"),
    ("cvrh-nantes@example.org", "/en/home", "codir-upcoming", "DIR West"),
    ("cvrh-nantes@example.org", "/en/home", "declarations-PIX-2027", "Draft: 1"),
    ("admin@example.org", "/en/home", "invitations-waiting", "1 invitation not accepted"),
    # Julien Mercier's invitation, the 2027 call's claim links (one of them bounced) and the
    # webinar invitations.
    ("admin@example.org", "/en/home", "outbox-stuck", "16 e-mails not delivered yet"),
]


def test_each_demo_home_shows_its_work(app, runner, client):
    assert runner.invoke(args=["demo"]).exit_code == 0
    pages = {}
    for email, page, testid, expected in EXPECTED:
        if (email, page) not in pages:
            client.post("/fr/logout")
            login = client.post("/fr/login", data={"email": email, "password": DEMO_PASSWORD})
            assert login.status_code == 302, email
            pages[email, page] = client.get(page).get_data(as_text=True)
        assert expected in text(element(pages[email, page], testid)), (email, testid)
    # DGEC's corrections come before its new call.
    dgec = pages["dgec@example.org", "/fr/home"]
    assert order(dgec, "declaration-P") == ["declaration-PIX-2023", "declaration-PIX-2027"]
    # The invited account has no password yet.
    client.post("/fr/logout")
    refused = client.post(
        "/fr/login", data={"email": "julien.mercier@example.org", "password": DEMO_PASSWORD}
    )
    assert refused.status_code == 200
