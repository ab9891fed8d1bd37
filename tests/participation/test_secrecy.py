"""Ballot secrecy: no public output (results, figures, budgets, layers, tiles) holds anything that links a
person to what they chose: no account, no voter key, no ballot id."""
import json
import math

import mapbox_vector_tile
import pytest
from rest_framework.test import APIClient

from participation.models import Ballot, BallotChoice, Project
from participation.services.budgets import ballot_submit, results_publish

from .conftest import inside_point, make_budget, make_process, set_phase

pytestmark = pytest.mark.django_db


def tile_xy(lon, lat, z):
    n = 2 ** z
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


@pytest.fixture
def voted(resident, staff):
    process = make_process(open_phase="voting", slug="secret-vote")
    budget = make_budget(process, amount=100, district="D1")
    place = inside_point("D1")
    a = Project.objects.create(budget=budget, title_el="α", title_en="a", cost=60, geom=place)
    b = Project.objects.create(budget=budget, title_el="β", title_en="b", cost=50, geom=place.buffer(0.0005))
    voters = [resident("D1") for _ in range(3)]
    for voter, chosen in zip(voters, ([a], [a], [b])):
        ballot_submit(budget=budget, user=voter, project_ids=[p.id for p in chosen])
    set_phase(process, "results")
    results_publish(budget=budget, staff=staff)
    secrets = [v.username for v in voters] + [str(v.id) for v in voters]
    secrets += [str(b.id) for b in Ballot.objects.all()]
    secrets += [str(c.id) for c in BallotChoice.objects.all()]
    return process, budget, place, secrets, voters


def leaks(text: str, secrets) -> list[str]:
    # account ids are small numbers: look for them only as JSON values of an id-like key
    words = [s for s in secrets if not s.isdigit()]
    return [s for s in words if s in text]


def field_names(text: str) -> set[str]:
    """The names of the fields an output carries: a JSON document's keys at any depth, or a CSV's header (the figures'
    definitions are prose and may speak of voters)."""
    try:
        document = json.loads(text)
    except ValueError:
        return set(text.splitlines()[0].split(","))
    names, todo = set(), [document]
    while todo:
        value = todo.pop()
        if isinstance(value, dict):
            names.update(value)
            todo.extend(value.values())
        elif isinstance(value, list):
            todo.extend(value)
    return names


def test_secrecy_results_figures_and_budget_hold_counts_only(voted):
    process, budget, _place, secrets, _voters = voted
    client = APIClient()
    outputs = [client.get(f"/api/participation/budgets/{budget.id}/results").content.decode(),
               client.get(f"/api/participation/processes/{process.slug}/results").content.decode(),
               client.get(f"/api/participation/budgets/{budget.id}").content.decode(),
               client.get("/api/participation/figures?by=district").content.decode(),
               client.get("/api/participation/figures?by=month&format=csv").content.decode()]
    for text in outputs:
        assert not leaks(text, secrets)
        assert not [name for name in field_names(text) if "voter" in name or name == "ballot_id"]
    results = json.loads(outputs[0])
    assert [(p["title_en"], p["votes"]) for p in results["projects"]] == [("a", 2), ("b", 1)]


def test_secrecy_project_layer_items_and_tile(client, voted):
    _process, _budget, place, secrets, _voters = voted
    items = b"".join(client.get("/ogc/collections/participation-projects/items").streaming_content).decode()
    assert not leaks(items, secrets)
    x, y = tile_xy(place.x, place.y, 15)
    tile = client.get(f"/ogc/collections/participation-projects/tiles/WebMercatorQuad/15/{y}/{x}").content
    decoded = mapbox_vector_tile.decode(tile)["participation-projects"]
    keys = {k for f in decoded["features"] for k in f["properties"]}
    assert {"title_en", "votes", "cost"} <= keys <= {"process", "budget", "district", "title_el", "title_en", "cost", "votes",
                                             "proposal_id"}  # a null property is left out of a tile
    assert not leaks(json.dumps(decoded["features"], default=str), secrets)


def test_secrecy_another_account_cannot_read_a_ballot(voted, resident):
    _process, budget, _place, _secrets, _voters = voted
    other = APIClient()
    other.force_authenticate(resident("D1"))
    assert other.get(f"/api/participation/budgets/{budget.id}/ballot").json()["projects"] is None


def test_secrecy_who_voted_and_what_share_no_column_but_the_budget():
    from participation.models import BallotCast

    cast = {f.column for f in BallotCast._meta.fields}
    chosen = {f.column for f in Ballot._meta.fields} | {f.column for f in BallotChoice._meta.fields}
    assert cast & chosen == {"id", "budget_id"}
    assert BallotCast._meta.get_field("id").get_internal_type() == "BigAutoField"
    assert Ballot._meta.get_field("id").get_internal_type() == "UUIDField"  # random: no order to match
