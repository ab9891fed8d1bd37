"""Reports: routing in every district, boundary tolerance, re-routing, lifecycle, duplicates, photos, outbox."""
import io
from datetime import timedelta

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from PIL import Image

from issues.models import Category, Department, Issue, IssueUpdate, Notification, RoutingRule
from issues.routing import OutsideMunicipality, route_report
from issues.services.lifecycle import TransitionNotAllowed, issue_transition
from issues.services.outbox import notifications_send
from issues.errors import ReportError
from issues.services.reporting import issue_report
from issues.services.submission import Reporter
from issues.services.reroute import issues_reroute
from layers.models import District, Municipality
from tests.issues.conftest import jpeg_with_gps

pytestmark = pytest.mark.django_db

REFERENCE_POINTS = {
    "D1": (22.9440, 40.6340), "D2": (22.9250, 40.6430), "D3": (22.9560, 40.6420),
    "D4": (22.9760, 40.6120), "D5": (22.9600, 40.6020), "D6": (22.9700, 40.6233),
}


def category(code: str) -> Category:
    return Category.objects.get(service_code=code)


def report(code="pothole", lon=22.9484, lat=40.6264, **kwargs) -> Issue:
    return issue_report(category=category(code), point=Point(lon, lat, srid=4326), actor="test", **kwargs).issue


def projected(lon, lat, metres, azimuth_deg) -> Point:
    """The point metres away from lon/lat in the direction azimuth (degrees from north), on the spheroid."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_X(g::geometry), ST_Y(g::geometry) FROM ST_Project(ST_MakePoint(%s, %s)::geography, %s, radians(%s)) AS g",
            [lon, lat, metres, azimuth_deg],
        )
        x, y = cursor.fetchone()
    return Point(x, y, srid=4326)


def coast_point_and_azimuth():
    """The municipal boundary point closest to a spot in the gulf, and the azimuth towards the gulf."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH sea AS (SELECT ST_SetSRID(ST_MakePoint(22.935, 40.600), 4326) AS g),
                 edge AS (SELECT ST_ClosestPoint(ST_Boundary(m.geom), sea.g) AS g, sea.g AS sea
                          FROM layers_municipality m, sea WHERE m.code = '9031')
            SELECT ST_X(edge.g), ST_Y(edge.g), degrees(ST_Azimuth(edge.g::geography, edge.sea::geography)) FROM edge
            """
        )
        return cursor.fetchone()


# --- routing ---------------------------------------------------------------------------------


@pytest.mark.parametrize("district", sorted(REFERENCE_POINTS))
@pytest.mark.parametrize(
    "code, department",
    [("bulky-waste", "cleaning-{n}"), ("pothole", "roads-pavements"), ("street-light-out", "street-lighting"),
     ("other", "citizen-service")],
)
def test_report_in_each_district_lands_in_the_expected_department(district, code, department):
    attributes = {"item_type": "furniture"} if code == "bulky-waste" else None
    issue = report(code, *REFERENCE_POINTS[district], attributes=attributes)
    assert issue.district.code == district
    assert issue.department.slug == department.format(n=district.lower())
    assert issue.routing_note.startswith(f"district {district}")


def test_report_on_an_edge_between_two_districts_goes_to_the_smallest_code():
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT ST_X(p.geom), ST_Y(p.geom) FROM
              (SELECT (ST_DumpPoints(geom)).geom FROM layers_district WHERE code = 'D1') AS p
            JOIN (SELECT (ST_DumpPoints(geom)).geom FROM layers_district WHERE code = 'D3') AS q ON ST_Equals(p.geom, q.geom)
            LIMIT 1
            """
        )
        lon, lat = cursor.fetchone()
    point = Point(lon, lat, srid=4326)
    assert set(District.objects.filter(geom__covers=point).values_list("code", flat=True)) >= {"D1", "D3"}
    issue = report("bulky-waste", lon, lat, attributes={"item_type": "mattress"})
    assert issue.district.code == "D1" and issue.department.slug == "cleaning-d1"


def test_report_in_the_sea_within_the_tolerance_is_snapped_and_says_so():
    lon, lat, azimuth = coast_point_and_azimuth()
    point = projected(lon, lat, 10, azimuth)
    assert not District.objects.filter(geom__covers=point).exists()
    decision = route_report(category=category("pothole"), point=point)
    assert decision.district is not None
    assert "snapped to district" in decision.explanation and "within the 20 m boundary tolerance" in decision.explanation


def test_report_in_the_sea_beyond_the_tolerance_is_refused():
    lon, lat, azimuth = coast_point_and_azimuth()
    point = projected(lon, lat, 35, azimuth)
    with pytest.raises(OutsideMunicipality, match="^location is outside the Municipality of Thessaloniki$"):
        route_report(category=category("pothole"), point=point)


def test_boundary_tolerance_is_configurable(settings):
    lon, lat, azimuth = coast_point_and_azimuth()
    point = projected(lon, lat, 35, azimuth)
    settings.ROUTING_BOUNDARY_TOLERANCE_M = 50
    assert "within the 50 m boundary tolerance" in route_report(category=category("pothole"), point=point).explanation


def test_report_in_an_imported_neighbour_is_refused_naming_it(kallikratis_file):
    from django.core.management import call_command

    call_command("layers_import_boundaries", str(kallikratis_file), "--level", "municipality",
                 "--code-field", "ypes_code", "--name-field", "name_el", "--commit", stdout=io.StringIO(), stderr=io.StringIO())
    # 6 km east of the city: only the real Pylaia-Chortiatis boundary reaches this far, not the demo ring.
    with pytest.raises(OutsideMunicipality, match=r"it lies in Municipality of Pylaia-Chortiatis \(9037\)"):
        route_report(category=category("pothole"), point=Point(23.05, 40.60, srid=4326))


def test_later_boundary_edit_does_not_rewrite_a_stored_decision():
    issue = report("pothole", *REFERENCE_POINTS["D4"])
    d4 = District.objects.get(code="D4")
    d4.geom = MultiPolygon(Polygon.from_bbox((10, 10, 11, 11)), srid=4326)
    d4.save()
    issue.refresh_from_db()
    assert issue.district.code == "D4" and "district D4" in issue.routing_note


def test_bulk_reroute_moves_reports_after_a_rule_change_and_records_it():
    issues = [report("pothole", *REFERENCE_POINTS[code]) for code in ("D1", "D4", "D4")]
    closed = report("pothole", *REFERENCE_POINTS["D4"])
    issue_transition(issue=closed, to_status="closed", actor="staff", close_reason="no_further_action")
    RoutingRule.objects.create(category=category("pothole"), district=District.objects.get(code="D4"),
                               department=Department.objects.get(slug="cleaning-d4"))
    result = issues_reroute(actor="test")
    assert (result.moved, result.examined) == (2, 3)
    assert [Issue.objects.get(pk=i.pk).department.slug for i in issues] == ["roads-pavements", "cleaning-d4", "cleaning-d4"]
    assert Issue.objects.get(pk=closed.pk).department.slug == "roads-pavements"  # closed ones keep their history
    entry = IssueUpdate.objects.get(issue=issues[1], kind="routing")
    assert not entry.public and "(was roads-pavements)" in entry.description
    assert issues_reroute(actor="test").moved == 0


def test_bulk_reroute_after_a_boundary_change_moves_the_district():
    issue = report("bulky-waste", 22.9700, 40.6233, attributes={"item_type": "mattress"})  # D6
    d6, d4 = District.objects.get(code="D6"), District.objects.get(code="D4")
    merged = d4.geom.union(d6.geom)
    d4.geom = merged if merged.geom_type == "MultiPolygon" else MultiPolygon(merged, srid=4326)
    d4.save()
    d6.geom = MultiPolygon(Polygon.from_bbox((10, 10, 11, 11)), srid=4326)
    d6.save()
    assert issues_reroute(actor="test").moved == 1
    issue.refresh_from_db()
    assert (issue.district.code, issue.department.slug) == ("D4", "cleaning-d4")


# --- lifecycle -------------------------------------------------------------------------------


def test_transitions_record_who_when_from_to_and_the_note():
    issue = report()
    issue_transition(issue=issue, to_status="acknowledged", actor="staff anna")
    issue_transition(issue=issue, to_status="in_progress", actor="staff anna", note="crew sent")
    issue_transition(issue=issue, to_status="resolved", actor="staff anna", note="filled")
    issue.refresh_from_db()
    assert issue.status == "resolved" and issue.resolved_at is not None and issue.status_notes == "filled"
    history = list(issue.updates.filter(kind="status").values_list("from_status", "to_status", "actor"))
    assert history == [("", "new", "test"), ("new", "acknowledged", "staff anna"),
                       ("acknowledged", "in_progress", "staff anna"), ("in_progress", "resolved", "staff anna")]


def test_transition_not_allowed_lists_the_allowed_ones_and_changes_nothing():
    issue = report()
    issue_transition(issue=issue, to_status="closed", actor="staff", close_reason="duplicate")
    with pytest.raises(TransitionNotAllowed, match="cannot become in_progress; allowed: reopened"):
        issue_transition(issue=issue, to_status="in_progress", actor="staff")
    issue.refresh_from_db()
    assert issue.status == "closed" and issue.updates.count() == 2


def test_closing_needs_a_reason():
    issue = report()
    with pytest.raises(ReportError, match="closing needs a reason"):
        issue_transition(issue=issue, to_status="closed", actor="staff")
    issue.refresh_from_db()
    assert issue.status == "new"


def test_reopen_after_resolve_maps_to_open():
    issue = report()
    issue_transition(issue=issue, to_status="resolved", actor="staff")
    issue_transition(issue=issue, to_status="reopened", actor="citizen")
    issue.refresh_from_db()
    assert issue.status == "reopened" and issue.resolved_at is None and issue.is_open


def test_expected_datetime_comes_from_the_category_target_days():
    issue = report("pothole")
    assert issue.expected_at - issue.created_at == pytest.approx(timedelta(days=10), abs=timedelta(seconds=5))


# --- duplicates ------------------------------------------------------------------------------


def test_possible_duplicates_radius_at_its_limit():
    from issues.duplicates import possible_duplicates

    origin = (22.9600, 40.6020)
    inside = projected(*origin, 49.5, 90)
    outside = projected(*origin, 50.5, 90)
    near, far = report("pothole", inside.x, inside.y), report("pothole", outside.x, outside.y)
    found = possible_duplicates(category=category("pothole"), point=Point(*origin, srid=4326))
    assert [d.issue.pk for d in found] == [near.pk]
    assert found[0].metres == pytest.approx(49.5, abs=0.5)
    assert far.pk not in [d.issue.pk for d in found]


def test_possible_duplicates_window_at_its_limit():
    from issues.duplicates import possible_duplicates

    recent, old = report("pothole"), report("pothole")
    now = timezone.now()
    Issue.objects.filter(pk=recent.pk).update(created_at=now - timedelta(days=30) + timedelta(minutes=1))
    Issue.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=30) - timedelta(minutes=1))
    found = possible_duplicates(category=category("pothole"), point=Point(22.9484, 40.6264, srid=4326))
    assert [d.issue.pk for d in found] == [recent.pk]


def test_possible_duplicates_ignore_other_categories_and_closed_reports():
    from issues.duplicates import possible_duplicates

    report("street-light-out")
    closed = report("pothole")
    issue_transition(issue=closed, to_status="closed", actor="staff", close_reason="duplicate")
    assert possible_duplicates(category=category("pothole"), point=Point(22.9484, 40.6264, srid=4326)) == []


def test_create_offers_duplicates_without_blocking(post_report):
    first = post_report({"service_code": "pothole", "lat": "40.6264", "long": "22.9484"}).json()[0]
    second = post_report({"service_code": "pothole", "lat": "40.6266", "long": "22.9484"})
    assert second.status_code == 201
    duplicates = second.json()[0]["possible_duplicates"]
    assert duplicates[0]["service_request_id"] == first["service_request_id"]
    assert duplicates[0]["distance_m"] == pytest.approx(22.2, abs=1)


def test_nearby_endpoint(client):
    issue = report("pothole")
    body = client.get("/api/issues/nearby", {"service_code": "pothole", "lat": "40.6265", "long": "22.9484"}).json()
    assert [r["service_request_id"] for r in body] == [str(issue.pk)]
    assert client.get("/api/issues/nearby", {"service_code": "pothole", "lat": "x", "long": "22.9"}).status_code == 400
    assert client.get("/api/issues/nearby", {"service_code": "nope", "lat": "40.6", "long": "22.9"}).status_code == 400


# --- photos ----------------------------------------------------------------------------------


def test_photo_upload_loses_its_exif_gps_and_is_resized(post_report, media_in_tmp):
    original = jpeg_with_gps(3000, 2000)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test photo does carry GPS
    upload = SimpleUploadedFile("IMG_0001.jpg", original, content_type="image/jpeg")
    response = post_report({"service_code": "pothole", "lat": "40.6264", "long": "22.9484", "media": upload})
    assert response.status_code == 201, response.content
    issue = Issue.objects.get(pk=response.json()[0]["service_request_id"])
    stored = Image.open(issue.photo.path)
    assert stored.format == "JPEG" and max(stored.size) == 2048
    assert not stored.getexif() and "exif" not in stored.info
    assert max(Image.open(issue.thumbnail.path).size) == 320
    detail = Client().get(f"/open311/v2/requests/{issue.pk}.json").json()[0]
    assert detail["media_url"].endswith(issue.photo.url)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("photo.jpg", b"GIF89a" + b"\x00" * 100, "media: media is not a readable"),
        ("notes.png", b"just text, not an image", "media: media is not a readable"),
    ],
)
def test_bad_photo_is_400_and_nothing_is_stored(post_report, media_in_tmp, name, content, message):
    upload = SimpleUploadedFile(name, content, content_type="image/jpeg")
    response = post_report({"service_code": "pothole", "lat": "40.6264", "long": "22.9484", "media": upload})
    assert response.status_code == 400
    assert response.json()[0]["description"].startswith(message)
    assert Issue.objects.count() == 0
    assert not [p for p in media_in_tmp.rglob("*") if p.is_file()]


def test_gif_photo_is_refused_by_content(post_report):
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, format="GIF")
    upload = SimpleUploadedFile("looks-like.jpg", gif.getvalue(), content_type="image/jpeg")
    response = post_report({"service_code": "pothole", "lat": "40.6264", "long": "22.9484", "media": upload})
    assert response.status_code == 400
    assert "media is a GIF image; send a JPEG, PNG or WebP photo" in response.json()[0]["description"]


def test_oversized_photo_is_400_and_nothing_is_stored(post_report, settings):
    settings.PHOTO_MAX_BYTES = 50_000
    upload = SimpleUploadedFile("big.jpg", jpeg_with_gps(1500, 1500) + b"\x00" * 60_000, content_type="image/jpeg")
    response = post_report({"service_code": "pothole", "lat": "40.6264", "long": "22.9484", "media": upload})
    assert response.status_code == 400
    assert "photos may be at most" in response.json()[0]["description"]
    assert Issue.objects.count() == 0


def test_png_and_webp_photos_are_kept_in_their_format(post_report):
    for image_format in ("PNG", "WEBP"):
        data = io.BytesIO()
        Image.new("RGBA", (400, 300), (0, 128, 0, 255)).save(data, format=image_format)
        upload = SimpleUploadedFile(f"p.{image_format.lower()}", data.getvalue())
        response = post_report({"service_code": "pothole", "lat": "40.6264", "long": "22.9484", "media": upload})
        assert response.status_code == 201, response.content
        issue = Issue.objects.get(pk=response.json()[0]["service_request_id"])
        assert Image.open(issue.photo.path).format == image_format


def test_photo_of_a_report_that_fails_is_removed(post_report, media_in_tmp):
    upload = SimpleUploadedFile("ok.jpg", jpeg_with_gps(200, 200), content_type="image/jpeg")
    response = post_report({"service_code": "pothole", "lat": "40.585", "long": "22.955", "media": upload})  # Kalamaria
    assert response.status_code == 400
    assert not [p for p in media_in_tmp.rglob("*") if p.is_file()]


# --- comments, supports ----------------------------------------------------------------------


def test_comments_are_public_and_listed(client, api_key):
    issue = report()
    response = client.post(f"/api/issues/{issue.pk}/comments", {"api_key": api_key, "text": "Still there", "author_name": "Eleni"})
    assert response.status_code == 201
    assert client.get(f"/api/issues/{issue.pk}/comments").json()[0]["text"] == "Still there"
    assert client.post(f"/api/issues/{issue.pk}/comments", {"api_key": api_key, "text": " "}).status_code == 400
    assert client.post(f"/api/issues/{issue.pk}/comments", {"api_key": api_key, "text": "x" * 4001}).status_code == 400
    assert client.post("/api/issues/999999/comments", {"api_key": api_key, "text": "hi"}).status_code == 404


def test_support_once_per_device(client, api_key):
    issue = report()
    first = client.post(f"/api/issues/{issue.pk}/supports", {"api_key": api_key, "device_id": "phone-1"})
    again = client.post(f"/api/issues/{issue.pk}/supports", {"api_key": api_key, "device_id": "phone-1"})
    other = client.post(f"/api/issues/{issue.pk}/supports", {"api_key": api_key, "device_id": "phone-2"})
    assert (first.status_code, again.status_code, other.status_code) == (201, 409, 201)
    assert other.json()["supports"] == 2
    assert client.post(f"/api/issues/{issue.pk}/supports", {"api_key": api_key}).status_code == 400


def comment_or_support(client, issue, what, body):
    return client.post(f"/api/issues/{issue.pk}/{what}", body, content_type="application/json")


def test_comment_without_text_is_400_naming_the_text(client, api_key):
    response = comment_or_support(client, report(), "comments", {"api_key": api_key, "author_name": "Eleni"})
    assert response.status_code == 400
    assert (response.json()["parameter"], response.json()["code"]) == ("text", "required")


def test_comment_text_that_is_not_a_string_is_400_naming_it(client, api_key):
    issue = report()
    response = comment_or_support(client, issue, "comments", {"api_key": api_key, "text": {"say": "hi"}})
    assert response.status_code == 400
    assert (response.json()["parameter"], response.json()["code"]) == ("text", "invalid")
    assert issue.updates.filter(kind="comment").count() == 0


def test_support_device_id_that_is_not_a_string_is_400_naming_it(client, api_key):
    issue = report()
    response = comment_or_support(client, issue, "supports", {"api_key": api_key, "device_id": ["phone-1"]})
    assert response.status_code == 400
    assert (response.json()["parameter"], response.json()["code"]) == ("device_id", "invalid")
    assert issue.supports.count() == 0


def test_support_once_per_account(client, django_user_model):
    issue = report()
    user = django_user_model.objects.create_user("nikos", password="pw-123456")
    browser = Client()
    browser.force_login(user)
    assert browser.post(f"/api/issues/{issue.pk}/supports", {"device_id": "a"}).status_code == 201
    assert browser.post(f"/api/issues/{issue.pk}/supports", {"device_id": "b"}).status_code == 409


def test_comment_without_key_or_csrf_is_403(db):
    issue = report()
    response = Client(enforce_csrf_checks=True).post(f"/api/issues/{issue.pk}/comments", {"text": "hi"})
    assert response.status_code == 403
    assert issue.updates.filter(kind="comment").count() == 0


# --- outbox ----------------------------------------------------------------------------------


def test_new_report_notifies_the_department_once():
    report("pothole", reporter=Reporter(email="maria@example.org"))
    notification = Notification.objects.get(kind="new_issue")
    assert notification.recipient == "roads-pavements@thessaloniki.invalid"
    assert notifications_send().sent == 1
    assert notifications_send().sent == 0
    assert len(mail.outbox) == 1 and "New report" in mail.outbox[0].subject


def test_a_notification_sent_again_keeps_its_message_id():
    # A lost database between the mail server's acceptance and the row's update sends the e-mail again:
    # the receiving side sees the same Message-ID and can drop the copy.
    report("pothole")
    report("street-light-out")
    assert notifications_send().sent == 2
    Notification.objects.update(sent_at=None)
    assert notifications_send().sent == 2
    ids = [m.extra_headers["Message-ID"] for m in mail.outbox]
    assert len(mail.outbox) == 4 and ids[0] == ids[2] and ids[1] == ids[3] and ids[0] != ids[1]
    assert all(i.startswith("<notification-") and i.endswith("@thessaloniki.invalid>") for i in ids)
    assert mail.outbox[0].message()["Message-ID"] == ids[0]


def test_public_status_change_notifies_the_reporter_internal_one_does_not():
    issue = report("pothole", reporter=Reporter(email="maria@example.org"))
    issue_transition(issue=issue, to_status="acknowledged", actor="staff", public=False, note="internal")
    issue_transition(issue=issue, to_status="resolved", actor="staff", note="fixed")
    to_reporter = Notification.objects.filter(kind="status_change")
    assert [n.recipient for n in to_reporter] == ["maria@example.org"]
    assert "resolved" in to_reporter[0].subject


def test_failed_send_is_retried_later_then_given_up(settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 5  # port 9: no mail server
    report("pothole")

    first = notifications_send()
    notification = Notification.objects.get()
    assert first.retried == 1 and notification.sent_at is None and "ConnectionRefusedError" in notification.last_error
    assert notifications_send().retried == 0  # not due yet
    Notification.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert notifications_send().given_up == 1
    assert Notification.objects.get().failed


def _d4_rule_moves_two_reports() -> list[Issue]:
    issues = [report("pothole", *REFERENCE_POINTS[code]) for code in ("D1", "D4", "D4")]
    RoutingRule.objects.create(category=category("pothole"), district=District.objects.get(code="D4"),
                               department=Department.objects.get(slug="cleaning-d4"))
    return issues


def test_reroute_command_without_commit_prints_the_moves_and_writes_nothing():
    issues = _d4_rule_moves_two_reports()
    before = {i.pk: (i.department_id, i.district_id, i.version) for i in Issue.objects.all()}
    out = io.StringIO()
    call_command("issues_reroute", stdout=out)
    assert out.getvalue().splitlines() == [
        "3 reports examined, 2 would move to another district or department",
        "  roads-pavements -> cleaning-d4: 2",
        "dry run: nothing was written; run with --commit to re-route",
    ]
    assert {i.pk: (i.department_id, i.district_id, i.version) for i in Issue.objects.all()} == before
    assert not IssueUpdate.objects.filter(issue__in=issues, kind="routing").exists()


def test_reroute_command_with_commit_now_moves_and_records():
    issues = _d4_rule_moves_two_reports()
    out = io.StringIO()
    call_command("issues_reroute", "--commit", "--now", stdout=out)
    assert out.getvalue().splitlines() == [
        "3 reports examined, 2 moved to another district or department",
        "  roads-pavements -> cleaning-d4: 2",
    ]
    assert [Issue.objects.get(pk=i.pk).department.slug for i in issues] == ["roads-pavements", "cleaning-d4", "cleaning-d4"]
    assert IssueUpdate.objects.filter(issue__in=issues, kind="routing").count() == 2
    out = io.StringIO()
    call_command("issues_reroute", "--commit", "--now", stdout=out)
    assert out.getvalue().splitlines() == ["3 reports examined, 0 moved to another district or department"]
