"""Resources on the campaign page, for the competences below target at the latest checkpoint."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.content.models import ContentItem, ContentKind, ContentState
from app.directorates.models import LearningPath
from app.extensions import db
from app.followup import imports, services
from app.followup.models import Aim, CampaignKind, FollowupPlan, ResultImport
from tests.conftest import make_user
from tests.content.conftest import make
from tests.followup.plans import (
    BASE,
    CALL,
    DIRECTORATE,
    FINAL,
    LAUNCH,
    declare_campaign,
    profiles_export,
)
from tests.queries import count_queries


def follow(user, targets: dict[str, int]) -> FollowupPlan:
    """Declare the campaign, set its plan with these targets, import the launch's results."""
    declare_campaign()
    context = services.get_context(user, CALL, DIRECTORATE, 1)
    values = services.default_plan(context)
    values.update(aim=Aim.SKILLS_PROJECT, kind=CampaignKind.PROFILES_COLLECTION, targets=targets)
    services.save_plan(user, context, values, None)
    context = services.get_context(user, CALL, DIRECTORATE, 1)
    launch = context.plan.checkpoints[0]
    imports.import_results(user, context, launch, profiles_export(LAUNCH), "launch.csv")
    return context.plan


def path_id(code: str) -> int:
    return db.session.scalar(select(LearningPath.id).where(LearningPath.code == code))


@pytest.fixture
def resources(app, project_team_user):
    """A published section of resources: some to show, some never to show."""
    author = project_team_user

    def page(title, state=ContentState.PUBLISHED, parent=None, language="fr", **fields):
        return make(author, ContentKind.PAGE, language, parent or section, title, state, **fields)

    section = make(
        author, ContentKind.SECTION, "fr", None, "Progresser", ContentState.PUBLISHED,
        slug="progresser",
    )  # fmt: skip
    english = make(
        author, ContentKind.SECTION, "en", None, "Progress", ContentState.PUBLISHED,
        slug="progress", translation_of=section,
    )  # fmt: skip
    page("Fiche Interagir", slug="interagir", competences=["2.1"])
    page("Atelier collaboratif", slug="atelier", learning_paths=[path_id("EX-COLLABORATION")])
    page("Fiche sécurité", slug="securite", competences=["4.1", "4.2"])
    page("Security sheet", parent=english, language="en", slug="security", competences=["4.1"])
    # Never shown: a draft, an expired page, a page for a competence without target.
    page("Brouillon sécurité", ContentState.PRIVATE, slug="brouillon", competences=["4.1"])
    page(
        "Ancienne fiche sécurité", slug="ancienne", competences=["4.1"],
        expires_on=date.today() - timedelta(days=1),
    )  # fmt: skip
    page("Fiche données", slug="donnees", competences=["1.1"])
    return section


def gaps(html: str) -> dict[str, list[str]]:
    """Return, per competence below target shown, the titles of its resources."""
    if 'id="resources"' not in html:
        return {}
    section = html.split('id="resources"', 1)[1].split("</section>", 1)[0]
    found = {}
    for block in section.split('data-gap="')[1:]:
        code = block.split('"', 1)[0]
        found[code] = re.findall(
            r'<a class="fr-link" href="/\w\w/content/[^"]+">([^<]+)</a>', block
        )
    return found


def test_resources_of_the_competences_below_target(client, login, directorate_user, resources):
    follow(directorate_user, {"2.1": 3, "4.1": 2})
    login(directorate_user)
    html = client.get(f"{BASE}/").get_data(as_text=True)
    # At the launch, 2 of the 3 shared participations reached 2.1, 2 of 3 reached 4.1.
    assert gaps(html) == {
        "2.1": ["Atelier collaboratif", "Fiche Interagir"],
        "4.1": ["Fiche sécurité"],
    }
    assert "«\xa0Lancement\xa0»" in html  # the checkpoint read, named
    assert 'href="/fr/content/progresser/securite"' in html
    assert 'href="/fr/competences/4.1"' in html
    for never in ("Brouillon sécurité", "Ancienne fiche sécurité", "Fiche données"):
        assert never not in html
    english = client.get(BASE.replace("/fr/", "/en/") + "/").get_data(as_text=True)
    assert gaps(english) == {"2.1": [], "4.1": ["Security sheet"]}
    assert "2 of 3 shared participations reached the target (level 3)." in english


def test_the_latest_checkpoint_with_results_decides(client, login, directorate_user, resources):
    plan = follow(directorate_user, {"2.1": 3, "4.1": 2})
    context = services.get_context(directorate_user, CALL, DIRECTORATE, 1)
    launch, final = plan.checkpoints[0], plan.checkpoints[-1]
    imports.import_results(directorate_user, context, final, profiles_export(FINAL), "final.csv")
    login(directorate_user)
    # At the final review everyone shared reached 2.1; one of 4 is still below 4.1.
    assert gaps(client.get(f"{BASE}/").get_data(as_text=True)) == {"4.1": ["Fiche sécurité"]}
    # Looking at the launch's figures does not change what the resources are about.
    html = client.get(f"{BASE}/?checkpoint={launch.id}").get_data(as_text=True)
    assert gaps(html) == {"4.1": ["Fiche sécurité"]}
    assert final.name in html.split('id="resources"', 1)[1].split("</p>", 1)[0]


def test_nothing_when_every_target_is_reached(client, login, directorate_user, resources):
    follow(directorate_user, {"2.1": 1, "4.1": 1})
    login(directorate_user)
    html = client.get(f"{BASE}/").get_data(as_text=True)
    assert 'id="figures"' in html and gaps(html) == {}
    assert "Fiche sécurité" not in html


def test_nothing_before_results(client, login, directorate_user, resources):
    declare_campaign()
    context = services.get_context(directorate_user, CALL, DIRECTORATE, 1)
    values = services.default_plan(context)
    values.update(targets={"4.1": 2})
    services.save_plan(directorate_user, context, values, None)
    login(directorate_user)
    assert gaps(client.get(f"{BASE}/").get_data(as_text=True)) == {}


def test_a_competence_below_target_without_resources_points_to_its_page(
    client, login, directorate_user, resources
):
    follow(directorate_user, {"1.2": 1})  # nobody has 1.2 in the launch's file
    login(directorate_user)
    html = client.get(f"{BASE}/").get_data(as_text=True)
    assert gaps(html) == {"1.2": []}
    block = html.split('data-gap="1.2"', 1)[1]
    assert "data-no-resource" in block and 'href="/fr/competences/1.2"' in block


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("directorate", 200),
        ("pixorga_admin", 200),
        ("other_directorate", 404),
        ("cvrh", 403),
        ("project_team", 403),
    ],
)
def test_who_sees_the_section(client, login, personas, resources, persona, status):
    follow(personas["directorate"], {"4.1": 2})
    declare_campaign("DREAL-ARA")
    users = personas | {
        "pixorga_admin": make_user("pix@example.org", Role.PIXORGA_ADMIN, directorate=DIRECTORATE)
    }
    if users[persona] is not None:
        login(users[persona])
    response = client.get(f"{BASE}/")
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert ("Fiche sécurité" in html) == (status == 200)
    if persona == "anonymous":
        assert "/fr/login?next=" in response.headers["Location"]


def test_the_page_sends_no_query_per_competence_or_resource(
    client, login, directorate_user, project_team_user, resources
):
    plan = follow(directorate_user, {"2.1": 3})
    result_id, section_id = plan.checkpoints[0].result.id, resources.id
    login(directorate_user)
    counts = {}
    for size in ("small", "large"):
        if size == "large":
            # Five competences below target; a dozen resources, tagged by competence and by
            # path, in two sections and at the top (the sections are loaded one query per
            # level of depth, so both cases have the same depth). The summary is written as
            # an import would write it.
            result = db.session.get(ResultImport, result_id)
            section = db.session.get(ContentItem, section_id)
            author = db.session.merge(project_team_user)
            summary = dict(result.summary)
            figures = dict(summary["competences"])
            for code in ("1.1", "2.1", "3.1", "4.1", "5.2"):
                figures[code] = {**figures["2.1"], "target": 2, "reached": 1}
            summary["competences"] = figures
            result.summary = summary
            other = make(
                author, ContentKind.SECTION, "fr", None, "Autres", ContentState.PUBLISHED,
                slug="autres",
            )  # fmt: skip
            for index in range(12):
                make(
                    author,
                    ContentKind.PAGE if index % 3 else ContentKind.NEWS,
                    "fr",
                    (section, other, None)[index % 3],
                    f"Ressource {index}",
                    ContentState.PUBLISHED,
                    slug=f"ressource-{index}",
                    competences=[("1.1", "3.1", "4.1", "5.2")[index % 4]],
                    learning_paths=[path_id("EX-BUREAUTIQUE")] if index % 2 else [],
                )
            db.session.commit()
        client.get(f"{BASE}/")  # warm up anything cached per process
        db.session.close()  # requests share the test's session: start from an empty one
        with count_queries() as statements:
            html = client.get(f"{BASE}/").get_data(as_text=True)
        found = gaps(html)
        counts[size] = len(statements)
        if size == "small":
            assert found == {"2.1": ["Atelier collaboratif", "Fiche Interagir"]}
        else:
            assert set(found) == {"1.1", "2.1", "3.1", "4.1", "5.2"}
            assert sum(len(titles) for titles in found.values()) >= 15
    assert counts["large"] == counts["small"]
