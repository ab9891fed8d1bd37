"""The participation pages as the server renders them (no browser): both languages, refusals, what a proposal's page
shows (districts, threads, hidden comments, hazard zones, no person's name), the voter's own ballot, the figures
section of the staff dashboard, and no inline script or style anywhere."""
import json
import re

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import GEOSGeometry
from django.utils import timezone

from layers.models import District
from participation.models import Comment, Proposal
from participation.services.budgets import ballot_submit
from participation.services.engagement import comment_post
from participation.services.proposals import proposal_create, proposal_withdraw
from tests.participation import pages_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return pages_data.build()


def square_across_d4_and_d5() -> GEOSGeometry:
    """A square about 200 m wide around the middle of the D4–D5 boundary (it lies in both)."""
    d4, d5 = District.objects.get(code="D4").geom, District.objects.get(code="D5").geom
    boundary = d4.intersection(d5)
    middle = boundary.interpolate_normalized(0.5) if boundary.geom_type == "LineString" else boundary.point_on_surface
    return middle.buffer(0.0012, quadsegs=1).envelope


def proposal_with_thread(*, author_name: str = "maria-k") -> Proposal:
    author = pages_data.verified_resident(author_name, "D4")
    proposal = proposal_create(process=pages_data_process(), author=author, title="Pocket park",
                               body="Trees <script>alert(1)</script>", place=square_across_d4_and_d5(), publish=True)
    first = comment_post(proposal=proposal, author=author, body="First thought")
    comment_post(proposal=proposal, author=pages_data.verified_resident("nikos-p", "D5"), body="A reply to it",
                 parent_id=first.pk)
    hidden = comment_post(proposal=proposal, author=author, body="Something rude")
    Comment.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now(), hidden_reason="insulting")
    return proposal


def pages_data_process():
    from participation.models import Process

    return Process.objects.get(slug="neighbourhood-ideas")


def page_paths(data, proposal_id: int) -> list[str]:
    return ["/participation/", f"/participation/{data['ideas']}/", f"/participation/{data['ideas']}/propose/",
            f"/participation/{data['ideas']}/propose/text/", f"/participation/proposals/{proposal_id}/",
            f"/participation/{data['budgeting']}/ballot/{data['budget']}/", f"/participation/{data['budgeting']}/results/"]


def test_every_page_answers_in_greek_and_in_english_with_no_inline_script_or_style(client, data):
    proposal = proposal_with_thread()
    for path in page_paths(data, proposal.pk):
        greek = client.get(path, HTTP_ACCEPT_LANGUAGE="el")
        english = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
        assert greek.status_code == english.status_code == 200, path
        greek_html, english_html = greek.content.decode(), english.content.decode()
        assert '<html lang="el">' in greek_html and '<html lang="en">' in english_html
        assert "Συμμετοχή" in greek_html and "Participation" in english_html
        for html in (greek_html, english_html):
            assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", html), path
            assert not re.search(r"\sstyle=|<style", html), path
            assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', html), path  # scripts, styles: this server


def test_unknown_process_budget_and_proposal_and_a_draft_are_not_found(client, data):
    author = pages_data.verified_resident("drafter", "D4")
    draft = proposal_create(process=pages_data_process(), author=author, title="Draft idea", body="Not yet.")
    assert client.get("/participation/no-such-process/").status_code == 404
    assert client.get(f"/participation/{data['budgeting']}/ballot/999999/").status_code == 404
    assert client.get(f"/participation/{data['ideas']}/ballot/{data['budget']}/").status_code == 404  # another process's
    assert client.get("/participation/proposals/999999/").status_code == 404
    assert client.get(f"/participation/proposals/{draft.pk}/").status_code == 404


def test_a_proposal_page_shows_its_districts_threads_hidden_comments_and_hazard_zones_but_no_names(client, data):
    proposal = proposal_with_thread(author_name="maria-k")
    html = client.get(f"/participation/proposals/{proposal.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    districts = re.search(r'<dd id="proposal-districts">(.*?)</dd>', html, re.S).group(1)
    assert "4th District" in districts and "5th District" in districts and "%" in districts
    assert "Trees &lt;script&gt;alert(1)&lt;/script&gt;" in html  # what was typed is text
    # the reply sits inside its parent's list item; the hidden comment keeps its place with the reason only
    thread = re.search(r'<li class="comment" id="comment-\d+"[^>]*>.*?First thought.*?</li>\s*</ul>\s*</li>', html, re.S)
    assert thread and "A reply to it" in thread.group(0)
    assert "Hidden by the moderators: insulting" in html and "Something rude" not in html
    assert "maria-k" not in html and "nikos-p" not in html
    assert "This place lies in a hazard zone" in html  # the demo's seismic zones cover the city
    assert "2 comments" in html  # the hidden one is not counted
    config = json.loads(re.search(r'<script id="page-config" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert config["urls"]["supports"] == f"/api/participation/proposals/{proposal.pk}/support"
    assert json.loads(config["geometry"])["type"] == "Polygon"


def test_a_withdrawn_proposal_has_no_page_and_is_not_listed_as_the_api_answers(client, data):
    proposal = proposal_with_thread(author_name="maria-k")
    proposal_withdraw(proposal=proposal, actor=User.objects.get(username="maria-k"),
                      reason="Done by the neighbours")
    assert client.get(f"/participation/proposals/{proposal.pk}/", HTTP_ACCEPT_LANGUAGE="en").status_code == 404
    assert client.get(f"/api/participation/proposals/{proposal.pk}").status_code == 404
    html = client.get(f"/participation/{data['ideas']}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Pocket park" not in html and 'value="withdrawn"' not in html


def test_the_author_sees_themselves_named_you_and_supporting_waits_for_its_phase(client, data):
    proposal = proposal_with_thread(author_name="maria-k")
    client.force_login(User.objects.get(username="maria-k"))
    html = client.get(f"/participation/proposals/{proposal.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r'<dd id="proposal-authors">You</dd>', html)
    assert 'id="support-button"' not in html  # the process is in its proposals phase
    pages_data.open_phase("neighbourhood-ideas", "supports")
    html = client.get(f"/participation/proposals/{proposal.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="support-button"' in html


def test_the_ballot_page_ticks_the_voters_own_ballot(client, data):
    voter = pages_data.verified_resident("voter", "D4")
    ballot_submit(budget=_budget(data), user=voter, project_ids=data["projects"][:2])
    client.force_login(voter)
    html = client.get(f"/participation/{data['budgeting']}/ballot/{data['budget']}/", HTTP_ACCEPT_LANGUAGE="el").content.decode()
    ticked = set(int(i) for i in re.findall(r'id="project-(\d+)"[^>]*checked', html))
    assert ticked == set(data["projects"][:2])
    assert 'id="ballot-voted"' in html
    config = json.loads(re.search(r'<script id="page-config" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert config["ballot"] == {"style": "knapsack", "budget": 100_000, "maxChoices": 3, "minimumShare": 50}


def test_the_staff_figures_page_carries_the_participation_section(client, data):
    planner = User.objects.create_user("planner-fig", password="x")
    planner.groups.add(Group.objects.get_or_create(name="civil-protection-planners")[0])
    client.force_login(planner)
    html = client.get("/staff/figures/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="participation-figures"' in html and "/static/participation/figures.js" in html
    config = json.loads(re.search(r'<script id="page-config" type="application/json">(.*?)</script>', html, re.S).group(1))
    section = config["sections"]["participation"]
    assert section["figuresUrl"] == "/api/participation/figures"
    assert [g["value"] for g in section["groups"]] == ["process", "district", "month"]
    assert "votes" in [c["value"] for c in section["columns"]]


def _budget(data):
    from participation.models import Budget

    return Budget.objects.get(pk=data["budget"])


def test_results_wait_for_the_vote_to_close(client, data):
    voter = pages_data.verified_resident("early-voter", "D4")
    ballot_submit(budget=_budget(data), user=voter, project_ids=data["projects"][:2])
    html = client.get(f"/participation/{data['budgeting']}/results/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="results-closed"' in html and f'id="results-{data["budget"]}"' not in html
    pages_data.open_phase(data["budgeting"], "results")
    html = client.get(f"/participation/{data['budgeting']}/results/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="results-closed"' not in html
    rows = re.findall(r'<tr class="results-table__selected">\s*<td>(\d)</td><td>(.*?)</td>\s*<td>(\d+)</td>', html)
    assert [(rank, title, votes) for rank, title, votes in rows] == [("1", "Project 2", "1"), ("2", "Project 1", "1")]


def test_an_approval_ballot_says_how_many_projects_and_hands_its_rule_to_the_script(client, data):
    from participation.models import Budget, Process, Project

    budget = Budget.objects.create(process=Process.objects.get(slug=data["budgeting"]), district=District.objects.get(code="D4"),
                                   title_el="Τούμπα", title_en="Toumba", amount=50_000, rule=Budget.Rule.APPROVAL,
                                   max_projects=2)
    Project.objects.create(budget=budget, title_el="Α", title_en="A", cost=10_000)
    html = client.get(f"/participation/{data['budgeting']}/ballot/{budget.pk}/", HTTP_ACCEPT_LANGUAGE="el").content.decode()
    assert "Επιλέξτε έως 2 έργα." in html
    assert "10.000\u00a0€" not in html  # approval ballots show no costs
    config = json.loads(re.search(r'<script id="page-config" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert config["ballot"]["style"] == "approval" and config["ballot"]["maxChoices"] == 2


def test_a_proposal_in_a_flood_zone_says_so(client, data):
    from hazards.models import HazardZone
    from tests.participation.conftest import make_process

    zone = HazardZone.objects.filter(layer__kind="flood").exclude(level__in=["none", "no_data"]).select_related("layer").first()
    place = zone.geom.point_on_surface
    assert District.objects.filter(geom__covers=place).exists(), "the demo flood zone lies in the city"
    process = make_process(open_phase="proposals", slug="riverside", kind="urban_planning")
    proposal = proposal_create(process=process, author=pages_data.verified_resident("river", "D1"), title="Rain garden",
                               body="Soak up the water.", place=place, publish=True)
    html = client.get(f"/participation/proposals/{proposal.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    note = re.search(r'<section class="notice notice--warning" id="hazard-note".*?</section>', html, re.S).group(0)
    assert "hazard-zone-item--flood" in note and zone.layer.title_en in note
