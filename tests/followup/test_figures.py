"""Figures of a checkpoint against a data set worked out by hand: pure, through imports, on pages.

The assessment data set (tests/followup/plans.py, ASSESS_LAUNCH and ASSESS_FINAL) has targets
2.1 ≥ 60 %, 4.1 ≥ 50 %, whole profile ≥ 70 %, stage ≥ 3 (of 4). At the launch:

| person  | progr. | shared | whole | stage | 2.1  | 4.1  | misses                |
| Martin  | 100 %  | yes    | 80 %  | 4     | 90 % | 70 % | —                     |
| Bernard | 100 %  | yes    | 60 %  | 2     | 60 % | 40 % | 4.1, mastery, stage   |
| Dubois  | 50 %   | no     | NA    | NA    | NA   | NA   | (started, not shared) |
| Thomas  | 0 %    | no     | NA    | NA    | NA   | NA   | (not started)         |
| Petit   | 100 %  | yes    | 75 %  | 3     | 55 % | 50 % | 2.1                   |
| Roux    | 100 %  | yes    | 70 %  | 3     | 65 % | NA   | 4.1                   |

6 participants, 5 started, 4 shared, 1 reaching every target.
2.1: values 55, 60, 65, 90 → median 62.5, reached 3 (60 counts), deciles 5:1, 6:2, 9:1.
4.1: values 40, 50, 70 (Roux NA) → median 50, reached 2 (Roux's NA does not), 4:1, 5:1, 7:1.
Whole profile: 60, 70, 75, 80 → median 72.5, reached 3 (70 counts), 6:1, 7:2, 8:1.
Stage: 2, 3, 3, 4 → median 3, reached 3, distribution over stages 0–4: [0, 0, 1, 2, 1].
At the final review: 6 participants, 6 started, 5 shared, 4 reaching every target; 2.1 reached
by 4 of 5, 4.1, whole profile and stage by 5 of 5.
"""

import re
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from app.extensions import db
from app.followup import figures
from app.followup.models import FollowupPlan, Participant, ResultImport
from tests.followup.plans import (
    ASSESS_FINAL,
    ASSESS_LAUNCH,
    BASE,
    assessment_export,
    assessment_plan_form,
    declare_campaign,
    upload,
)

TARGETS = figures.Targets(
    kind=figures.ASSESSMENT, competences={"2.1": 60, "4.1": 50}, mastery=70, stage=3
)


@dataclass
class Row:
    """A participation as the figures read it."""

    shared: bool
    progression: float | None = None
    mastery: float | None = None
    stage: int | None = None
    results: dict[str, float] = field(default_factory=dict)


def rows_of(people) -> list[Row]:
    return [
        Row(shared, progression, mastery, stage, dict(shares))
        for _last, _first, progression, shared, mastery, stage, shares in people
    ]


LAUNCH_SUMMARY = {
    "kind": "assessment",
    "participants": 6,
    "started": 5,
    "shared": 4,
    "targets": 4,
    "reached_all": 1,
    "competences": {
        "2.1": {
            "count": 4,
            "median": 62.5,
            "distribution": [0, 0, 0, 0, 0, 1, 2, 0, 0, 1],
            "target": 60,
            "reached": 3,
        },
        "4.1": {
            "count": 3,
            "median": 50.0,
            "distribution": [0, 0, 0, 0, 1, 1, 0, 1, 0, 0],
            "target": 50,
            "reached": 2,
        },
    },
    "overall": {
        "count": 4,
        "median": 72.5,
        "distribution": [0, 0, 0, 0, 0, 0, 1, 2, 1, 0],
        "target": 70,
        "reached": 3,
    },
    "stage": {
        "count": 4,
        "median": 3,
        "distribution": [0, 0, 1, 2, 1],
        "target": 3,
        "reached": 3,
    },
}


def test_the_launch_summary_is_the_hand_computed_one():
    assert figures.summarise(rows_of(ASSESS_LAUNCH), TARGETS, 4) == LAUNCH_SUMMARY


def test_statuses_and_missed_targets_of_each_participant():
    found = [figures.status_of(row, TARGETS) for row in rows_of(ASSESS_LAUNCH)]
    assert found == [
        ("reached", []),
        ("below_target", ["4.1", "mastery", "stage"]),
        ("not_shared", []),
        ("not_started", []),
        ("below_target", ["2.1"]),
        ("below_target", ["4.1"]),
    ]


def test_the_final_summary_and_the_evolution_between_the_two():
    launch = figures.summarise(rows_of(ASSESS_LAUNCH), TARGETS, 4)
    final = figures.summarise(rows_of(ASSESS_FINAL), TARGETS, 4)
    assert (final["participants"], final["started"], final["shared"]) == (6, 6, 5)
    assert final["reached_all"] == 4
    assert final["competences"]["2.1"]["reached"] == 4
    assert final["competences"]["2.1"]["median"] == 65.0
    assert final["competences"]["4.1"]["reached"] == 5
    assert final["competences"]["4.1"]["count"] == 5
    assert final["overall"]["reached"] == 5
    assert final["overall"]["median"] == 72.0
    assert final["stage"]["distribution"] == [0, 0, 0, 4, 1]

    assert figures.key_shares(launch) == {
        "shared": 4 / 6,
        "reached_all": 1 / 4,
        "2.1": 3 / 4,
        "4.1": 2 / 4,
        "overall": 3 / 4,
        "stage": 3 / 4,
    }
    assert figures.key_shares(final) == {
        "shared": 5 / 6,
        "reached_all": 4 / 5,
        "2.1": 4 / 5,
        "4.1": 1.0,
        "overall": 1.0,
        "stage": 1.0,
    }
    first, second = figures.evolution([launch, final])
    assert first == dict.fromkeys(("shared", "reached_all", "2.1", "4.1", "overall", "stage"))
    assert second == pytest.approx(
        {
            "shared": 1 / 6,
            "reached_all": 0.55,
            "2.1": 0.05,
            "4.1": 0.5,
            "overall": 0.25,
            "stage": 0.25,
        }
    )


def test_started_means_progression_above_zero_or_shared():
    kind = figures.ASSESSMENT
    assert figures.is_started(Row(shared=False, progression=0.01), kind)
    assert not figures.is_started(Row(shared=False, progression=0), kind)
    assert not figures.is_started(Row(shared=False, progression=None), kind)
    assert figures.is_started(Row(shared=True, progression=None), kind)
    assert figures.is_started(Row(shared=True, progression=0), kind)
    # Everyone who joined a profiles collection has started.
    assert figures.is_started(Row(shared=False), figures.PROFILES_COLLECTION)


@pytest.mark.parametrize(
    ("value", "target", "expected"),
    [
        (0.6, 60, True),
        (0.6000000001, 60, True),
        (0.5999999999999999, 60, True),  # float noise of 0.6 itself
        (0.1 + 0.2 + 0.3, 60, True),  # 0.6000000000000001
        (0.59999999, 60, False),  # 59.999999 %: truly below, though shown as 60 %
        (0.599, 60, False),
        (0.57, 57, True),  # 0.57 * 100 is 56.99999999999999
        (0.29, 29, True),  # 28.999999999999996
        (1.0, 100, True),
        (0.0, 1, False),
        (None, 1, False),
    ],
)
def test_a_percentage_target_is_reached_at_its_boundary_despite_float_noise(
    value, target, expected
):
    assert figures.reaches(value, target, figures.ASSESSMENT) is expected


def test_a_level_target_is_reached_at_or_above_the_level():
    kind = figures.PROFILES_COLLECTION
    assert figures.reaches(3, 3, kind) and figures.reaches(4, 3, kind)
    assert not figures.reaches(2, 3, kind) and not figures.reaches(None, 3, kind)


def test_every_whole_percentage_falls_in_its_decile():
    for percent in range(101):
        row = Row(shared=True, results={"2.1": percent / 100})
        summary = figures.summarise([row], figures.Targets(figures.ASSESSMENT))
        distribution = summary["competences"]["2.1"]["distribution"]
        assert distribution.index(1) == min(percent // 10, 9), percent
        assert sum(distribution) == 1


def test_no_shared_participation():
    rows = [Row(shared=False, progression=0.4), Row(shared=False, progression=0)]
    summary = figures.summarise(rows, TARGETS, 4)
    assert (summary["participants"], summary["started"], summary["shared"]) == (2, 1, 0)
    assert summary["reached_all"] == 0
    for measure in (*summary["competences"].values(), summary["overall"], summary["stage"]):
        assert measure["count"] == 0
        assert measure["median"] is None
        assert measure["reached"] == 0
        assert sum(measure["distribution"]) == 0
    assert summary["stage"]["distribution"] == [0] * 5
    shares = figures.key_shares(summary)
    assert shares["shared"] == 0
    assert {key: value for key, value in shares.items() if key != "shared"} == dict.fromkeys(
        ("reached_all", "2.1", "4.1", "overall", "stage")
    )


def test_an_empty_file_has_no_share_at_all():
    summary = figures.summarise([], TARGETS, 4)
    assert summary["participants"] == summary["shared"] == 0
    assert set(figures.key_shares(summary).values()) == {None}


def test_without_targets_nothing_is_reached_nor_missed():
    rows = rows_of(ASSESS_LAUNCH)
    summary = figures.summarise(rows, figures.Targets(figures.ASSESSMENT), 4)
    assert summary["targets"] == 0
    assert summary["reached_all"] is None
    assert summary["competences"]["2.1"]["target"] is None
    assert summary["competences"]["2.1"]["reached"] is None
    assert summary["competences"]["2.1"]["median"] == 62.5  # results are still read
    assert summary["overall"]["reached"] is None and summary["overall"]["median"] == 72.5
    assert summary["stage"]["reached"] is None
    assert figures.key_shares(summary) == {"shared": 4 / 6, "reached_all": None}
    assert [figures.status_of(row, figures.Targets(figures.ASSESSMENT))[0] for row in rows] == [
        "shared",
        "shared",
        "not_shared",
        "not_started",
        "shared",
        "shared",
    ]


def test_a_target_on_a_competence_absent_from_the_file_is_reached_by_nobody():
    targets = figures.Targets(figures.ASSESSMENT, competences={"2.1": 60, "5.2": 50})
    rows = rows_of(ASSESS_LAUNCH)
    summary = figures.summarise(rows, targets, 4)
    assert summary["competences"]["5.2"] == {
        "count": 0,
        "median": None,
        "distribution": [0] * 10,
        "target": 50,
        "reached": 0,
    }
    # Nobody has a result on 5.2, so nobody reaches every target: the plan and the PIX Orga
    # campaign disagree, and the figures say so rather than leave the target out.
    assert summary["reached_all"] == 0
    assert figures.status_of(rows[0], targets) == ("below_target", ["5.2"])
    assert figures.key_shares(summary)["5.2"] == 0


def test_na_values_are_left_out_of_counts_and_medians_and_never_reach_a_target():
    rows = [
        Row(shared=True, mastery=None, stage=None, results={"2.1": 0.8}),
        Row(shared=True, mastery=0.9, stage=4, results={}),
    ]
    summary = figures.summarise(rows, TARGETS, 4)
    assert summary["competences"]["2.1"]["count"] == 1
    assert summary["competences"]["4.1"]["count"] == 0
    assert summary["competences"]["4.1"]["reached"] == 0
    assert summary["overall"] == {
        "count": 1,
        "median": 90.0,
        "distribution": [0] * 9 + [1],
        "target": 70,
        "reached": 1,
    }
    assert summary["stage"]["count"] == 1 and summary["stage"]["reached"] == 1
    assert figures.status_of(rows[0], TARGETS) == ("below_target", ["4.1", "mastery", "stage"])


def test_profiles_collection_levels_their_median_and_distribution():
    targets = figures.Targets(figures.PROFILES_COLLECTION, competences={"2.1": 3})
    rows = [
        Row(shared=True, results={"2.1": 3, "4.1": 2}),
        Row(shared=True, results={"2.1": 2, "4.1": 5}),
        Row(shared=False, results={}),
    ]
    summary = figures.summarise(rows, targets)
    assert (summary["participants"], summary["started"], summary["shared"]) == (3, 3, 2)
    assert summary["competences"]["2.1"] == {
        "count": 2,
        "median": 2.5,
        "distribution": [0, 0, 1, 1, 0, 0, 0, 0, 0],
        "target": 3,
        "reached": 1,
    }
    assert summary["competences"]["4.1"]["target"] is None
    assert summary["overall"] is None and summary["stage"] is None
    assert summary["reached_all"] == 1


# Through the web: the same data set imported at two checkpoints of an assessment plan.


@pytest.fixture
def assessed(client, login, directorate_user):
    """An assessment plan with both checkpoints imported through the web form."""
    declare_campaign()
    login(directorate_user)
    response = client.post(f"{BASE}/plan", data=assessment_plan_form())
    assert response.status_code == 302, response.get_data(as_text=True)
    plan = db.session.scalar(select(FollowupPlan))
    launch, final = plan.checkpoints
    for checkpoint, people in ((launch, ASSESS_LAUNCH), (final, ASSESS_FINAL)):
        response = upload(client, checkpoint.id, assessment_export(people))
        assert response.status_code == 302, response.get_data(as_text=True)
    return plan


def test_an_imported_file_gives_the_hand_computed_summary(assessed):
    launch, final = assessed.checkpoints
    stored = db.session.scalar(select(ResultImport).where(ResultImport.checkpoint_id == launch.id))
    assert stored.summary == {**LAUNCH_SUMMARY, "stage_count": 4}
    assert stored.participant_count == 6
    statuses = dict(
        db.session.execute(
            select(Participant.last_name, Participant.status).where(
                Participant.import_id == stored.id
            )
        ).all()
    )
    assert statuses == {
        "Martin": "reached",
        "Bernard": "below_target",
        "Dubois": "not_shared",
        "Thomas": "not_started",
        "Petit": "below_target",
        "Roux": "below_target",
    }
    bernard = db.session.scalar(select(Participant).where(Participant.last_name == "Bernard"))
    assert bernard.missed == ["4.1", "mastery", "stage"]
    assert bernard.results == {"2.1": 0.6, "4.1": 0.4}
    final_summary = final.result.summary
    assert final_summary["reached_all"] == 4
    assert final_summary["shared"] == 5


def _cell(page: str, attribute: str) -> str:
    """Return the text of the first element holding the attribute, tags removed."""
    match = re.search(rf"<[^>]*{attribute}[^>]*>(.*?)</t[dh]>", page, re.S)
    assert match, attribute
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def _measure_row(page: str, key: str) -> dict[str, str]:
    row = re.search(rf'<tr data-measure="{re.escape(key)}">(.*?)</tr>', page, re.S)
    assert row, key
    return {
        name: _cell(row.group(1), f"data-{name}")
        for name in ("target", "reached", "median", "distribution")
    }


NBSP = "\u00a0"  # what Babel (2.18, CLDR fr) writes between a number and %


def test_the_page_shows_the_figures_in_french_formats(client, assessed):
    launch, _final = assessed.checkpoints
    page = client.get(f"{BASE}/?checkpoint={launch.id}").get_data(as_text=True)
    assert 'data-figure="participants">6<' in page
    assert 'data-figure="started">5<' in page
    assert 'data-figure="shared">4<' in page
    assert 'data-figure="reached-all">1<' in page
    # The population of the declared campaign is 10.
    assert f"60{NBSP}% de la population" in page
    assert f"25{NBSP}% des partagées, 10{NBSP}% de la population" in page

    assert _measure_row(page, "2.1") == {
        "target": f"60{NBSP}%",
        "reached": f"3 (75{NBSP}%)",
        # Babel rounds half to even: a median of 62.5 % is shown as 62 %.
        "median": f"62{NBSP}%",
        "distribution": f"50–59{NBSP}%{NBSP}: 1 60–69{NBSP}%{NBSP}: 2 90–100{NBSP}%{NBSP}: 1",
    }
    assert _measure_row(page, "4.1") == {
        "target": f"50{NBSP}%",
        "reached": f"2 (50{NBSP}%)",
        "median": f"50{NBSP}%",
        "distribution": f"40–49{NBSP}%{NBSP}: 1 50–59{NBSP}%{NBSP}: 1 70–79{NBSP}%{NBSP}: 1",
    }
    assert _measure_row(page, "overall") == {
        "target": f"70{NBSP}%",
        "reached": f"3 (75{NBSP}%)",
        "median": f"72{NBSP}%",
        "distribution": f"60–69{NBSP}%{NBSP}: 1 70–79{NBSP}%{NBSP}: 2 80–89{NBSP}%{NBSP}: 1",
    }
    assert _measure_row(page, "stage") == {
        "target": "palier 3",
        "reached": f"3 (75{NBSP}%)",
        "median": "3",
        "distribution": f"palier 2{NBSP}: 1 palier 3{NBSP}: 2 palier 4{NBSP}: 1",
    }


def test_the_page_shows_the_evolution_in_points(client, assessed):
    page = client.get(f"{BASE}/").get_data(as_text=True)
    rows = dict(re.findall(r'<tr data-evolution="([^"]+)">(.*?)</tr>', page, re.S))
    assert list(rows) == ["shared", "reached_all", "2.1", "4.1", "overall", "stage"]

    def plain(key):
        cells = re.findall(r"<td>(.*?)</td>", rows[key], re.S)
        return [re.sub(r"[ \t\n]+", " ", re.sub(r"<[^>]+>", "", text)) for text in cells]

    assert plain("shared") == [f"67{NBSP}%", f"83{NBSP}% (+16,7 pts)"]
    assert plain("reached_all") == [f"25{NBSP}%", f"80{NBSP}% (+55 pts)"]
    assert plain("2.1") == [f"75{NBSP}%", f"80{NBSP}% (+5 pts)"]
    assert plain("4.1") == [f"50{NBSP}%", f"100{NBSP}% (+50 pts)"]
    assert plain("overall") == [f"75{NBSP}%", f"100{NBSP}% (+25 pts)"]
    assert plain("stage") == [f"75{NBSP}%", f"100{NBSP}% (+25 pts)"]


def test_a_checkpoint_where_nobody_shared_shows_dashes(client, login, directorate_user):
    declare_campaign()
    login(directorate_user)
    assert client.post(f"{BASE}/plan", data=assessment_plan_form()).status_code == 302
    launch = db.session.scalar(select(FollowupPlan)).checkpoints[0]
    people = [(*row[:3], False, None, None, {}) for row in ASSESS_LAUNCH]
    assert upload(client, launch.id, assessment_export(people)).status_code == 302
    page = client.get(f"{BASE}/").get_data(as_text=True)
    assert 'data-figure="shared">0<' in page
    assert 'data-figure="reached-all">0<' in page
    assert _measure_row(page, "2.1") == {
        "target": f"60{NBSP}%",
        "reached": f"0 (0{NBSP}%)",
        "median": "—",
        "distribution": "",
    }


def test_the_page_warns_when_a_targeted_competence_has_no_result(client, login, directorate_user):
    declare_campaign()
    login(directorate_user)
    data = assessment_plan_form(targets={"2.1": 60, "5.2": 50})
    assert client.post(f"{BASE}/plan", data=data).status_code == 302
    plan = db.session.scalar(select(FollowupPlan))
    response = upload(client, plan.checkpoints[0].id, assessment_export(ASSESS_LAUNCH))
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(f"{BASE}/").get_data(as_text=True)
    row = page.split('data-measure="5.2"')[1].split("</tr>")[0]
    assert "data-no-results" in row
    assert "data-no-results" not in page.split('data-measure="2.1"')[1].split("</tr>")[0]
