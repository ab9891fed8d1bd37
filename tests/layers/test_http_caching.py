"""HTTP caching of layer responses: ETag and Last-Modified from the layers' change stamps, 304 on a matching
If-None-Match or If-Modified-Since, Cache-Control a CDN can use, and Vary only where a response varies."""
import json

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.utils.http import http_date, parse_http_date

from hazards.models import HazardLayer
from issues.models import Category
from issues.services.reporting import issue_report
from layers.models import HeritageSite

pytestmark = pytest.mark.django_db

HERITAGE_TILE = "/ogc/collections/heritage-sites/tiles/WebMercatorQuad/12/1541/2309"
ISSUES_TILE = "/ogc/collections/public-issues/tiles/WebMercatorQuad/12/1541/2309"
CACHED = [
    "/ogc/", "/ogc/conformance", "/ogc/api", "/ogc/collections", "/ogc/collections/heritage-sites",
    "/ogc/collections/heritage-sites/items?limit=5", "/ogc/collections/heritage-sites/items/white-tower",
    "/ogc/collections/heritage-sites/queryables", HERITAGE_TILE,
    "/ogc/collections/heritage-sites/tiles/WebMercatorQuad/tilejson.json",
    "/ogc/collections/heritage-sites/download/geojson", "/ogc/collections/heritage-sites/download/gpkg",
    "/ogc/collections/heritage-sites/download/csv", "/ogc/collections/heritage-sites/download/shp",
    "/ogc/catalogue.jsonld", "/api/hazards/pga-475/tiles/12/2309/1541.png", "/api/hazards/pga-475/legend",
]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def a_report(lon=22.9480, lat=40.6330):
    return issue_report(category=Category.objects.get(service_code="pothole"), point=Point(lon, lat, srid=4326), actor="t")


def backdate_changes():
    """Every recorded change happened yesterday, so a change made now gets a later Last-Modified (HTTP dates
    count whole seconds)."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE layers_change SET changed_at = changed_at - interval '1 day'")


@pytest.mark.parametrize("url", CACHED)
def test_every_layer_response_has_validators_and_answers_304(client, url):
    first = client.get(url)
    assert first.status_code in (200, 204), url
    body(first)
    cache_control = first["Cache-Control"]
    for part in ("public", "max-age=", "s-maxage=", "stale-while-revalidate="):
        assert part in cache_control
    assert first["ETag"].startswith('"') and parse_http_date(first["Last-Modified"])
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and body(again) == b""
    assert (again["ETag"], again["Cache-Control"], again["Last-Modified"]) == (first["ETag"], cache_control, first["Last-Modified"])
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code in (200, 204)


def test_if_modified_since_and_if_none_match_takes_precedence(client):
    url = "/ogc/collections/heritage-sites/items"
    first = client.get(url)
    modified = first["Last-Modified"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    earlier = http_date(parse_http_date(modified) - 60)
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200
    # RFC 9110: with If-None-Match present, If-Modified-Since is ignored
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_head_gets_the_same_validators_and_a_304(client):
    url = "/ogc/collections/districts/items"
    got = client.get(url)
    head = client.head(url)
    assert head.status_code == 200 and head["ETag"] == got["ETag"]
    assert client.head(url, HTTP_IF_NONE_MATCH=got["ETag"]).status_code == 304


@pytest.mark.parametrize("first, second", [
    ({"limit": "5"}, {"limit": "6"}),
    ({}, {"crs": "http://www.opengis.net/def/crs/EPSG/0/2100"}),
    ({}, {"filter": "kind = 'church'"}),
    ({}, {"bbox": "22.94,40.62,22.96,40.64"}),
])
def test_the_etag_covers_the_query(client, first, second):
    url = "/ogc/collections/heritage-sites/items"
    assert client.get(url, first)["ETag"] != client.get(url, second)["ETag"]


def test_the_etag_covers_the_format_and_the_query_order_does_not_matter(client):
    downloads = {client.get(f"/ogc/collections/districts/download/{name}")["ETag"] for name in ("geojson", "gpkg", "csv", "shp")}
    assert len(downloads) == 4
    url = "/ogc/collections/heritage-sites/items"
    assert client.get(f"{url}?limit=5&offset=5")["ETag"] == client.get(f"{url}?offset=5&limit=5")["ETag"]


def test_language_follows_the_request_with_its_own_etag_and_vary(client):
    url = "/ogc/collections/heritage-sites"
    english = client.get(url)
    greek = client.get(url, HTTP_ACCEPT_LANGUAGE="el-GR,el;q=0.9,en;q=0.8")
    assert english.json()["title"] == "Heritage sites" and greek.json()["title"] == "Μνημεία πολιτιστικής κληρονομιάς"
    assert (english["Content-Language"], greek["Content-Language"]) == ("en", "el")
    assert english["ETag"] != greek["ETag"] and greek["Vary"] == "Accept-Language"
    by_parameter = client.get(url, {"lang": "el"}, HTTP_ACCEPT_LANGUAGE="en")
    assert by_parameter.json()["title"] == greek.json()["title"] and not by_parameter.has_header("Vary")
    refused = client.get(url, {"lang": "fr"})
    assert refused.status_code == 400 and refused.json()["description"].startswith("lang: el or en")


@pytest.mark.parametrize("url", [HERITAGE_TILE, "/ogc/collections/heritage-sites/items",
                                 "/ogc/collections/heritage-sites/download/csv", "/ogc/catalogue.jsonld"])
def test_data_and_tiles_do_not_vary_by_browser_language(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="el")
    assert not response.has_header("Vary") and not response.has_header("Content-Language")
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="en")["ETag"] == response["ETag"]


ISSUE_URLS = ["/ogc/collections/public-issues/items", "/ogc/collections/open-issues/items", ISSUES_TILE,
              "/ogc/collections/public-issues/download/gpkg", "/ogc/collections/public-issues/download/geojson",
              "/ogc/collections", "/ogc/catalogue.jsonld"]
HERITAGE_URLS = ["/ogc/collections/heritage-sites/items", HERITAGE_TILE, "/ogc/collections/heritage-sites/download/csv",
                 "/ogc/collections/heritage-sites"]


def validators(client, urls) -> dict:
    answers = {url: client.get(url) for url in urls}
    return {url: (r["ETag"], parse_http_date(r["Last-Modified"])) for url, r in answers.items()}


def test_a_new_report_changes_the_issue_layers_and_not_the_heritage_sites(client):
    backdate_changes()
    issues_before, heritage_before = validators(client, ISSUE_URLS), validators(client, HERITAGE_URLS)
    a_report()
    issues_after, heritage_after = validators(client, ISSUE_URLS), validators(client, HERITAGE_URLS)
    for url in ISSUE_URLS:
        assert issues_after[url][0] != issues_before[url][0], url
        assert issues_after[url][1] > issues_before[url][1], url
    assert heritage_after == heritage_before


def test_an_edited_heritage_site_changes_its_layer_and_not_the_issues(client):
    a_report()
    backdate_changes()
    heritage_before, issues_before = validators(client, HERITAGE_URLS), validators(client, ISSUE_URLS[:4])
    site = HeritageSite.objects.get(slug="white-tower")
    site.period = "Ottoman, 15th century (rebuilt)"
    site.save()
    heritage_after, issues_after = validators(client, HERITAGE_URLS), validators(client, ISSUE_URLS[:4])
    for url in HERITAGE_URLS:
        assert heritage_after[url][0] != heritage_before[url][0] and heritage_after[url][1] > heritage_before[url][1], url
    assert issues_after == issues_before


def test_a_stale_etag_gets_the_new_data(client):
    url = "/ogc/collections/public-issues/items"
    old = client.get(url)
    report = a_report().issue
    fresh = client.get(url, HTTP_IF_NONE_MATCH=old["ETag"])
    assert fresh.status_code == 200 and report.pk in {f["id"] for f in json.loads(body(fresh))["features"]}


def test_raster_tiles_and_legends_change_when_the_layer_does(client):
    tile, legend = "/api/hazards/pga-475/tiles/12/2309/1541.png", "/api/hazards/pga-475/legend"
    before = (client.get(tile)["ETag"], client.get(legend)["ETag"])
    HazardLayer.objects.filter(slug="pga-475").update(threshold_high=0.3)
    after = (client.get(tile)["ETag"], client.get(legend)["ETag"])
    assert before[0] != after[0] and before[1] != after[1]
    assert client.get(legend).json()["classes"][-1]["from"] == 0.3


def test_errors_are_not_given_validators(client):
    for url in ["/ogc/collections/castles/items", "/ogc/collections/heritage-sites/items?colour=red",
                "/ogc/collections/heritage-sites/tiles/WebMercatorQuad/3/9/1"]:
        response = client.get(url)
        assert response.status_code in (400, 404) and not response.has_header("ETag")


@pytest.mark.django_db(transaction=True)
def test_outside_a_test_transaction_layer_responses_leave_no_transaction_open(client):
    """As in production (no outer transaction): each cached response runs in its own read-only snapshot,
    and a streamed download ends its transaction when the response is closed, read or not (HEAD), so the
    next request on the same connection can write."""
    from psycopg.pq import TransactionStatus

    from tests.conftest import load_demo_data

    load_demo_data()
    a_report()

    def idle() -> bool:
        return connection.connection.info.transaction_status == TransactionStatus.IDLE

    for path in ["/ogc/collections/public-issues/items", ISSUES_TILE, "/ogc/collections/public-issues/download/gpkg",
                 "/ogc/catalogue.jsonld"]:
        response = client.get(path)
        body(response)
        assert response.status_code == 200 and idle(), path
        assert client.get(path, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304 and idle()
    streamed = client.get("/ogc/collections/public-issues/download/geojson")
    assert len(json.loads(body(streamed))["features"]) == 1 and idle()
    unread = client.head("/ogc/collections/heritage-sites/download/geojson")
    assert not idle()  # the snapshot of the stream is open until the server closes the response
    unread.close()
    assert idle()
    a_report(22.9490, 40.6340)
