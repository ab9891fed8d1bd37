"""Open-data downloads: every layer as GeoJSON, GeoPackage, CSV and zipped Shapefile, read back with GDAL
(pyogrio), public fields only, one file per data version, and every bad request refused clearly."""
import csv
import io
import json
import zipfile
from pathlib import Path

import mapbox_vector_tile
import pyogrio
import pytest
from django.conf import settings
from django.contrib.gis.geos import Point
from django.test import Client

from issues.apps import PUBLIC_ISSUE_PROPERTIES
from issues.models import Category
from issues.services.reporting import issue_report
from issues.services.submission import Reporter
from core.jobs import run_due_jobs_here
from layers import downloads
from layers.models import HeritageSite

pytestmark = pytest.mark.django_db
LAYERS = ["districts", "hazard-zones", "heritage-sites", "open-issues", "public-issues", "service-points"]
MEDIA_TYPES = {"geojson": "application/geo+json", "gpkg": "application/geopackage+sqlite3", "csv": "text/csv; charset=utf-8",
               "shp": "application/zip"}
EXTENSIONS = {"geojson": "geojson", "gpkg": "gpkg", "csv": "csv", "shp": "shp.zip"}
PRIVATE = ["maria@example.org", "Papadopoulou", "+302310999999", "device-77", "account-42", "do not publish my name"]


@pytest.fixture
def reports():
    """Two open reports and a closed one, the first with every private detail a reporter can give."""
    from issues.services.lifecycle import issue_transition

    pothole = Category.objects.get(service_code="pothole")
    issue_report(category=pothole, point=Point(22.9440, 40.6340, srid=4326), actor="t", description="do not publish my name",
                 reporter=Reporter(email="maria@example.org", first_name="Maria", last_name="Papadopoulou",
                                   phone="+302310999999", device_id="device-77", account_id="account-42"))
    issue_report(category=pothole, point=Point(22.9500, 40.6300, srid=4326), actor="t")
    closed = issue_report(category=pothole, point=Point(22.9600, 40.6200, srid=4326), actor="t").issue
    issue_transition(issue=closed, to_status="closed", actor="t", close_reason="no_further_action")


def fetch(client, collection, name):
    response = client.get(f"/ogc/collections/{collection}/download/{name}")  # tests/layers/conftest.py: PatientClient
    assert response.status_code == 200, response.content if not response.streaming else name
    return response, b"".join(response.streaming_content)


def number_matched(client, collection) -> int:
    response = client.get(f"/ogc/collections/{collection}/items", {"limit": 1})
    return json.loads(b"".join(response.streaming_content))["numberMatched"]


def saved(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("collection", LAYERS)
@pytest.mark.parametrize("name", ["geojson", "gpkg", "csv", "shp"])
def test_every_layer_in_every_format_reads_back_with_gdal(client, reports, tmp_path, collection, name):
    response, data = fetch(client, collection, name)
    filename = f"thessaloniki-{collection}.{EXTENSIONS[name]}"
    assert response["Content-Type"] == MEDIA_TYPES[name]
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    path = saved(tmp_path, filename, data)
    info = pyogrio.read_info(path)
    assert info["features"] == number_matched(client, collection) > 0
    if name != "csv":
        assert info["crs"] == "EPSG:4326"


def test_geojson_download_is_streamed_rfc7946_with_the_items_ids(client):
    response, data = fetch(client, "heritage-sites", "geojson")
    assert response.streaming
    collection = json.loads(data)
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == HeritageSite.objects.count()
    tower = next(f for f in collection["features"] if f["id"] == "white-tower")
    assert tower["geometry"] == {"type": "Point", "coordinates": [22.948426, 40.626457]}


def test_a_geojson_download_longer_than_one_written_piece_holds_every_feature_once(client):
    """The stream is written in pieces of about PIECE_CHARACTERS: 1,000 sites with long descriptions span several."""
    from django.db import connection

    from tests.support.generated_sites import generated_sites

    with connection.cursor() as cursor:
        generated_sites(cursor, 1000)
    response, data = fetch(client, "heritage-sites", "geojson")
    assert len(data) > 2 * downloads.PIECE_CHARACTERS
    ids = [feature["id"] for feature in json.loads(data)["features"]]
    assert len(ids) == len(set(ids)) == HeritageSite.objects.count() == number_matched(client, "heritage-sites")

def test_csv_has_a_header_one_row_per_feature_and_reads_in_excel_and_gdal(client):
    _, data = fetch(client, "heritage-sites", "csv")
    assert data.startswith("\ufeff".encode())  # a byte-order mark, so spreadsheets read the Greek
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["slug", "name_el", "name_en", "kind", "period", "unesco_component", "description_en", "image_url",
                       "longitude", "latitude", "WKT"]
    assert len(rows) - 1 == HeritageSite.objects.count()
    tower = next(row for row in rows if row[0] == "white-tower")
    assert tower[1] == "Λευκός Πύργος" and tower[-3:] == ["22.948426", "40.626457", "POINT(22.948426 40.626457)"]


def test_csv_of_polygons_carries_wkt_that_gdal_reads_as_geometry(client, tmp_path):
    _, data = fetch(client, "districts", "csv")
    assert data.decode("utf-8-sig").splitlines()[0] == "code,name_el,name_en,population,WKT"
    info = pyogrio.read_info(saved(tmp_path, "districts.csv", data))
    assert info["geometry_type"] != "None" and info["features"] == 6


def test_zipped_shapefile_has_its_parts_short_unique_field_names_and_a_readme(client, reports, tmp_path):
    _, data = fetch(client, "public-issues", "shp")
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    for extension in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
        assert f"thessaloniki-public-issues{extension}" in names
    frame = pyogrio.read_dataframe(saved(tmp_path, "issues.shp.zip", data))
    assert len(frame) == 3 and all(len(column) <= 10 for column in frame.columns)
    assert {"category_e", "category_1", "open311_st", "created_at"} <= set(frame.columns)
    readme = zipfile.ZipFile(io.BytesIO(data)).read("thessaloniki-public-issues.README.txt").decode()
    assert "category_1: category_el" in readme and "creativecommons.org/licenses/by/4.0" in readme


def test_geopackage_keeps_types_and_greek_text(client, tmp_path):
    _, data = fetch(client, "heritage-sites", "gpkg")
    frame = pyogrio.read_dataframe(saved(tmp_path, "h.gpkg", data))
    tower = frame[frame["slug"] == "white-tower"].iloc[0]
    assert tower["name_el"] == "Λευκός Πύργος" and not tower["unesco_component"]
    assert frame["unesco_component"].sum() == HeritageSite.objects.filter(unesco_component=True).count()


@pytest.mark.parametrize("name", ["geojson", "gpkg", "csv", "shp"])
def test_public_issue_downloads_hold_no_private_field(client, reports, tmp_path, name):
    _, data = fetch(client, "public-issues", name)
    path = saved(tmp_path, f"issues.{EXTENSIONS[name]}", data)
    frame = pyogrio.read_dataframe(path) if name != "csv" else None
    text = data.decode("utf-8-sig", errors="replace") if name in ("geojson", "csv") else frame.drop(columns="geometry").astype(str).to_csv()
    for private in PRIVATE + ["Maria"]:
        assert private not in text
    if name == "gpkg":
        assert set(frame.columns) == {"id", *PUBLIC_ISSUE_PROPERTIES, "geometry"}


def test_public_issue_tiles_hold_no_private_field(client, reports):
    response = client.get("/ogc/collections/public-issues/tiles/WebMercatorQuad/12/1541/2309")
    layer = mapbox_vector_tile.decode(response.content)["public-issues"]
    assert len(layer["features"]) == 3
    for feature in layer["features"]:
        assert set(feature["properties"]) <= set(PUBLIC_ISSUE_PROPERTIES)
    assert not any(private.encode() in response.content for private in PRIVATE)


def test_open_issues_leave_out_the_closed_report(client, reports):
    assert number_matched(client, "open-issues") == 2 and number_matched(client, "public-issues") == 3


def test_large_layers_are_written_in_chunks(client, tmp_path, monkeypatch):
    """With five rows to a chunk, the 21 heritage sites are appended in five writes to each file."""
    monkeypatch.setattr(downloads, "CHUNK_ROWS", 5)
    for name in ("gpkg", "shp", "csv"):
        _, data = fetch(client, "heritage-sites", name)
        assert pyogrio.read_info(saved(tmp_path, f"h.{EXTENSIONS[name]}", data))["features"] == 21


def version_folders(collection: str, name: str) -> list[Path]:
    return sorted(p for p in (Path(settings.LAYER_DOWNLOAD_DIR) / collection / name).iterdir() if p.is_dir())


def test_a_file_is_written_once_per_data_version_and_the_one_before_the_last_removed(client):
    first, _ = fetch(client, "heritage-sites", "gpkg")
    [folder] = version_folders("heritage-sites", "gpkg")
    written = (folder / "thessaloniki-heritage-sites.gpkg").stat().st_mtime_ns
    second, _ = fetch(client, "heritage-sites", "gpkg")
    assert second["ETag"] == first["ETag"] and (folder / "thessaloniki-heritage-sites.gpkg").stat().st_mtime_ns == written
    assert not second.has_header("X-Newer-Version")
    HeritageSite.objects.filter(slug="white-tower").update(period="changed")
    # the older file is served at once, with its own validators, while the job for the new data waits
    plain = Client()
    stale = plain.get("/ogc/collections/heritage-sites/download/gpkg")
    assert stale.status_code == 200 and stale["ETag"] == first["ETag"]
    assert stale["X-Newer-Version"].startswith("preparing") and "max-age=30" in stale["Cache-Control"]
    assert plain.get("/ogc/collections/heritage-sites/download/gpkg", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert ("layers.write_download", "succeeded") in run_due_jobs_here(queues=["downloads"])
    third, data = fetch(client, "heritage-sites", "gpkg")
    assert third["ETag"] != first["ETag"] and not third.has_header("X-Newer-Version")
    # the version just replaced stays until the next is written (a request may have named it a moment ago)
    assert set(version_folders("heritage-sites", "gpkg")) - {folder} and folder.exists()
    HeritageSite.objects.filter(slug="white-tower").update(period="changed again")
    plain.get("/ogc/collections/heritage-sites/download/gpkg")
    run_due_jobs_here(queues=["downloads"])
    fourth, _ = fetch(client, "heritage-sites", "gpkg")
    assert fourth["ETag"] not in (first["ETag"], third["ETag"])
    assert len(version_folders("heritage-sites", "gpkg")) == 2 and not folder.exists()


def test_unknown_format_is_404_listing_the_formats(client):
    response = client.get("/ogc/collections/heritage-sites/download/xlsx")
    assert response.status_code == 404
    assert response.json()["description"] == "no download format 'xlsx'; one of geojson, gpkg, csv, shp"


def test_unknown_collection_is_404(client):
    response = client.get("/ogc/collections/castles/download/csv")
    assert response.status_code == 404 and "no collection 'castles'" in response.json()["description"]


@pytest.mark.parametrize("path", [
    "/ogc/collections/..%2F..%2Fetc/download/csv",
    "/ogc/collections/heritage-sites/download/..%2F..%2F..%2Fetc%2Fpasswd",
    "/ogc/collections/heritage-sites/download/../../../../etc/passwd",
    "/ogc/collections/%2E%2E/download/gpkg",
])
def test_path_traversal_finds_nothing(client, path):
    response = client.get(path)
    assert response.status_code == 404 and b"root:" not in response.content


def test_a_download_takes_no_parameters(client):
    response = client.get("/ogc/collections/heritage-sites/download/csv", {"crs": "EPSG:2100"})
    assert response.status_code == 400 and response.json()["description"].startswith("unknown parameter 'crs'")


def test_nothing_is_written_for_a_refused_request(client):
    client.get("/ogc/collections/heritage-sites/download/xlsx")
    client.get("/ogc/collections/castles/download/gpkg")
    root = Path(settings.LAYER_DOWNLOAD_DIR)
    assert not (root / "castles").exists() and not (root / "heritage-sites" / "xlsx").exists()


def test_the_command_writes_files_ahead_and_downloads_reuse_them(client):
    from django.core.management import CommandError, call_command

    out = io.StringIO()
    call_command("layers_write_downloads", "--collection", "service-points", "--format", "gpkg", stdout=out)
    [folder] = version_folders("service-points", "gpkg")
    written = (folder / "thessaloniki-service-points.gpkg").stat().st_mtime_ns
    assert "service-points gpkg" in out.getvalue()
    fetch(client, "service-points", "gpkg")
    assert (folder / "thessaloniki-service-points.gpkg").stat().st_mtime_ns == written
    with pytest.raises(CommandError, match="no collection 'castles'"):
        call_command("layers_write_downloads", "--collection", "castles")


def test_each_layer_links_its_downloads_as_enclosures(client):
    links = [link for link in client.get("/ogc/collections/service-points").json()["links"] if link["rel"] == "enclosure"]
    assert {link["href"].removeprefix("http://testserver"): link["type"] for link in links} == {
        f"/ogc/collections/service-points/download/{name}": media.split(";")[0] for name, media in MEDIA_TYPES.items()}
    for link in links:
        response = client.get(link["href"].removeprefix("http://testserver"))
        assert response.status_code == 200 and response["Content-Type"].split(";")[0] == link["type"]


def test_without_the_accel_setting_the_server_sends_the_file_itself(client, settings):
    settings.DOWNLOADS_ACCEL_REDIRECT_PREFIX = ""
    response, data = fetch(client, "heritage-sites", "csv")
    [folder] = version_folders("heritage-sites", "csv")
    assert response.streaming and not response.has_header("X-Accel-Redirect")
    assert data == (folder / "thessaloniki-heritage-sites.csv").read_bytes()
    assert response["Content-Disposition"] == 'attachment; filename="thessaloniki-heritage-sites.csv"'


def test_with_the_accel_setting_the_file_is_named_for_nginx_with_an_empty_body(client, settings, tmp_path):
    settings.LAYER_DOWNLOAD_DIR = tmp_path  # no file written yet by other tests
    fetch(client, "heritage-sites", "gpkg")  # the file is written
    settings.DOWNLOADS_ACCEL_REDIRECT_PREFIX = "/_downloads/"
    plain = Client()
    response = plain.get("/ogc/collections/heritage-sites/download/gpkg")
    [folder] = version_folders("heritage-sites", "gpkg")
    relative = (folder / "thessaloniki-heritage-sites.gpkg").relative_to(settings.LAYER_DOWNLOAD_DIR).as_posix()
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/_downloads/{relative}"
    assert response["Content-Type"] == MEDIA_TYPES["gpkg"] and response.has_header("ETag")
    assert response["Content-Disposition"] == 'attachment; filename="thessaloniki-heritage-sites.gpkg"'
    unchanged = plain.get("/ogc/collections/heritage-sites/download/gpkg", HTTP_IF_NONE_MATCH=response["ETag"])
    assert unchanged.status_code == 304 and not unchanged.has_header("X-Accel-Redirect")
    # the older file, while a newer one is written, is named the same way, with its mark
    HeritageSite.objects.filter(slug="white-tower").update(period="changed")
    stale = plain.get("/ogc/collections/heritage-sites/download/gpkg")
    assert stale["X-Accel-Redirect"] == f"/_downloads/{relative}" and stale["X-Newer-Version"].startswith("preparing")
    # before any file exists: 503 as without nginx, nothing to redirect to
    first = plain.get("/ogc/collections/service-points/download/shp")
    assert first.status_code == 503 and not first.has_header("X-Accel-Redirect")


def test_a_file_outside_the_downloads_folder_is_never_named_for_nginx(settings, tmp_path):
    settings.LAYER_DOWNLOAD_DIR = tmp_path / "downloads"
    outside = tmp_path / "elsewhere.csv"
    outside.write_text("secret")
    inside = tmp_path / "downloads" / "heritage-sites" / "csv" / "linked" / "thessaloniki-heritage-sites.csv"
    inside.parent.mkdir(parents=True)
    inside.symlink_to(outside)  # a link out of the folder
    for path in (outside, inside):
        with open(path, "rb") as handle:
            found = downloads.Finished(handle=handle, stamp=None, current=True)
            with pytest.raises(ValueError, match="not inside LAYER_DOWNLOAD_DIR"):
                downloads.accel_redirect_uri(found, "/_downloads/")
