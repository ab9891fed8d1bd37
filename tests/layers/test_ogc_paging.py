"""OGC API items: `next` links page by keyset (the last id), `offset` still works, counts are kept per data version
and a filtered count past the cap is left out (numberMatched is optional)."""
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.gis.geos import Point

from issues.models import Category
from issues.services.reporting import issue_report
from layers import features
from layers.models import HeritageSite

pytestmark = pytest.mark.django_db

CITY_BOX = "22.90,40.58,23.00,40.66"  # every heritage site of the demo


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return json.loads(b"".join(response.streaming_content))


def walk(client, url):
    """Follow `next` links from url to the end: the bodies and the query of each link followed."""
    bodies, queries = [], []
    while url:
        body = get(client, url)
        bodies.append(body)
        url = next((link["href"] for link in body["links"] if link["rel"] == "next"), None)
        if url:
            queries.append(parse_qs(urlsplit(url).query))
            url = url.replace("http://testserver", "")
    return bodies, queries


def ids_of(bodies):
    return [feature["id"] for body in bodies for feature in body["features"]]


@pytest.mark.parametrize("query", [
    "limit=4",
    "limit=3&kind=church",
    f"limit=5&bbox={CITY_BOX}",
    "limit=2&filter=unesco_component = true",
])
def test_next_links_use_the_last_id_and_paging_to_the_end_sums_to_number_matched(client, query):
    bodies, queries = walk(client, f"/ogc/collections/heritage-sites/items?{query}")
    seen = ids_of(bodies)
    assert len(bodies) > 1, "the query must need more than one page"
    assert all("after" in q and "offset" not in q for q in queries)
    assert [q["after"][0] for q in queries] == [str(body["features"][-1]["id"]) for body in bodies[:-1]]
    assert len(seen) == len(set(seen)) == bodies[0]["numberMatched"] == sum(b["numberReturned"] for b in bodies)
    assert seen == sorted(seen)


def test_an_offset_still_gives_that_slice_and_its_next_link_continues_after_it(client):
    whole = ids_of([get(client, "/ogc/collections/heritage-sites/items?limit=100")])
    page = get(client, "/ogc/collections/heritage-sites/items?limit=4&offset=7")
    assert [f["id"] for f in page["features"]] == whole[7:11]
    assert any(link["rel"] == "prev" for link in page["links"])
    bodies, _ = walk(client, "/ogc/collections/heritage-sites/items?limit=4&offset=7")
    assert ids_of(bodies) == whole[7:]


def test_the_last_full_page_has_no_next_link(client):
    total = HeritageSite.objects.count()
    body = get(client, f"/ogc/collections/heritage-sites/items?limit={total}")
    assert body["numberReturned"] == total and not [link for link in body["links"] if link["rel"] == "next"]


def test_the_count_kept_for_a_layer_changes_with_its_data(client):
    before = get(client, "/ogc/collections/public-issues/items?limit=1")["numberMatched"]
    filtered = get(client, "/ogc/collections/public-issues/items?limit=1&service_code=pothole")["numberMatched"]
    issue_report(category=Category.objects.get(service_code="pothole"), point=Point(22.944, 40.634, srid=4326), actor="t")
    assert get(client, "/ogc/collections/public-issues/items?limit=1")["numberMatched"] == before + 1
    assert get(client, "/ogc/collections/public-issues/items?limit=1&service_code=pothole")["numberMatched"] == filtered + 1


def test_a_filtered_count_past_the_cap_is_left_out_and_next_links_still_reach_the_end(client, monkeypatch):
    monkeypatch.setattr(features, "COUNT_CAP", 5)
    total = HeritageSite.objects.count()
    unfiltered = get(client, "/ogc/collections/heritage-sites/items?limit=100")
    assert unfiltered["numberMatched"] == total  # a collection's own count is always exact
    bodies, _ = walk(client, f"/ogc/collections/heritage-sites/items?limit=8&bbox={CITY_BOX}")
    assert all("numberMatched" not in body for body in bodies)
    assert len(ids_of(bodies)) == total
    small = get(client, "/ogc/collections/heritage-sites/items?kind=museum")
    assert small["numberMatched"] == 2  # under the cap: exact


def test_paging_numbered_features_by_keyset(client):
    category = Category.objects.get(service_code="pothole")
    made = [issue_report(category=category, point=Point(22.944 + i / 1000, 40.634, srid=4326), actor="t").issue.pk
            for i in range(5)]
    bodies, queries = walk(client, "/ogc/collections/public-issues/items?limit=2")
    assert ids_of(bodies)[-5:] == made and [int(q["after"][0]) for q in queries][-1] < made[-1]
    assert len(ids_of(bodies)) == bodies[0]["numberMatched"]


@pytest.mark.parametrize("value", ["abc", "1.5", "9" * 30])
def test_an_after_that_is_not_a_whole_number_for_numbered_features_is_a_400_naming_it(client, value):
    response = client.get("/ogc/collections/public-issues/items", {"after": value})
    assert response.status_code == 400
    assert response.json()["description"].startswith("after: the id of the previous page's last feature")


def test_a_page_larger_than_one_written_piece_is_one_document_with_every_feature_once(client):
    """The page is written in pieces of FEATURES_PER_PIECE features: a page of 1,001 spans three of them."""
    from django.db import connection

    from layers.ogc.features_views import FEATURES_PER_PIECE
    from tests.support.generated_sites import generated_sites

    limit = 2 * FEATURES_PER_PIECE + 1
    with connection.cursor() as cursor:
        generated_sites(cursor, limit, repeats=0)
    body = get(client, f"/ogc/collections/heritage-sites/items?limit={limit}")
    seen = ids_of([body])
    assert body["numberMatched"] > limit
    assert body["numberReturned"] == len(seen) == len(set(seen)) == limit
    assert seen == sorted(seen)
    after = parse_qs(urlsplit(next(link["href"] for link in body["links"] if link["rel"] == "next")).query)["after"]
    assert after == [str(seen[-1])]
