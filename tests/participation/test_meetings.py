"""Meetings: each rule its own test: a full meeting refuses (409) or puts on the waiting list, a cancellation
promotes the first waiting, registering twice answers the registration there, a process without meetings refuses,
the calendar files parse with the right times and place, the OGC collection lists in-person meetings, closing is
staff's, and the attendees count in the figures; plus the components a process starts with and staff switch."""
import json
from datetime import timedelta

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone
from icalendar import Calendar

from participation.errors import InvalidInput, NotAllowed
from participation.models import Meeting, MeetingRegistration, Process, Proposal
from participation.services.meetings import components_set

from .conftest import make_process

pytestmark = pytest.mark.django_db
WHITE_TOWER = Point(22.9484, 40.6264, srid=4326)
API = "/api/participation"


def make_meeting(process, *, capacity=2, starts_in=timedelta(days=3), mode="in_person", **fields):
    start = timezone.now().replace(microsecond=0) + starts_in
    place = {"address": "Λευκός Πύργος, Θεσσαλονίκη", "geom": WHITE_TOWER} if mode == "in_person" else \
        {"url": "https://meet.example.org/plan"}
    return Meeting.objects.create(process=process, title_el="Συνάντηση", title_en="Meeting", mode=mode,
                                  starts_at=start, ends_at=start + timedelta(hours=2), capacity=capacity,
                                  **place, **fields)


@pytest.fixture
def process():
    return make_process(slug="strategic", kind=Process.Kind.STRATEGIC_PLANNING)


@pytest.fixture
def people(resident):
    return [resident(verify=False) for _ in range(3)]


def register(client, user, meeting, **body):
    client.force_login(user)
    return client.post(f"{API}/meetings/{meeting.pk}/registration", body, content_type="application/json")


def test_each_kind_starts_with_its_components_and_staff_switch_them(staff):
    strategic = make_process(slug="s", kind=Process.Kind.STRATEGIC_PLANNING)
    assert strategic.components == ["surveys", "debates", "meetings", "proposals"]
    assert make_process(slug="l", kind=Process.Kind.COLLABORATIVE_LEGISLATION).components == ["legislation"]
    assert make_process(slug="b").components == ["proposals", "budgets"]
    components_set(process=strategic, staff=staff, components=["meetings", "budgets"])
    strategic.refresh_from_db()
    assert strategic.components == ["budgets", "meetings"]
    with pytest.raises(InvalidInput) as refused:
        components_set(process=strategic, staff=staff, components=["polls"])
    assert refused.value.parameter == "components"


def test_a_full_meeting_refuses_with_409_or_puts_on_the_waiting_list(client, process, people):
    meeting = make_meeting(process, capacity=1)
    assert register(client, people[0], meeting).status_code == 201
    full = register(client, people[1], meeting)
    assert full.status_code == 409 and full.json()["code"] == "meeting_full"
    waiting = register(client, people[1], meeting, waiting_list=True)
    assert (waiting.status_code, waiting.json()["status"], waiting.json()["waiting_position"]) == (201, "waiting", 1)
    meeting.refresh_from_db()
    assert meeting.registered_count == 1


def test_the_database_refuses_more_places_than_the_capacity(process):
    from django.db import IntegrityError, transaction
    meeting = make_meeting(process, capacity=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(registered_count=2)


def test_a_cancellation_promotes_the_first_on_the_waiting_list(client, process, people):
    meeting = make_meeting(process, capacity=1)
    register(client, people[0], meeting)
    register(client, people[1], meeting, waiting_list=True)
    register(client, people[2], meeting, waiting_list=True)
    client.force_login(people[0])
    cancelled = client.delete(f"{API}/meetings/{meeting.pk}/registration")
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")
    statuses = dict(MeetingRegistration.objects.filter(meeting=meeting).values_list("user_id", "status"))
    assert statuses == {people[0].pk: "cancelled", people[1].pk: "registered", people[2].pk: "waiting"}
    meeting.refresh_from_db()
    assert meeting.registered_count == 1
    client.force_login(people[2])
    assert client.get(f"{API}/meetings/{meeting.pk}/registration").json()["waiting_position"] == 1


def test_registering_twice_answers_the_registration_already_there(client, process, people):
    meeting = make_meeting(process)
    first = register(client, people[0], meeting)
    again = register(client, people[0], meeting)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert MeetingRegistration.objects.filter(meeting=meeting).count() == 1


def test_a_process_without_meetings_refuses_them(client, process, people, staff):
    meeting = make_meeting(process)
    components_set(process=process, staff=staff, components=["proposals"])
    refused = register(client, people[0], meeting)
    assert (refused.status_code, refused.json()["code"]) == (404, "component_off")
    assert client.get(f"{API}/processes/{process.slug}/meetings").status_code == 404
    assert client.get(f"{API}/processes/{process.slug}").json()["components"] == ["proposals"]
    assert client.get(f"/participation/{process.slug}/").content.count(b"meeting-list") == 0
    assert not MeetingRegistration.objects.exists()


def test_a_process_without_proposals_refuses_proposing(client, people, staff):
    legislation = make_process(slug="regulation", kind=Process.Kind.COLLABORATIVE_LEGISLATION)
    client.force_login(people[0])
    refused = client.post(f"{API}/processes/{legislation.slug}/proposals", {"title": "Ένα παγκάκι εδώ", "body": "x" * 40},
                          content_type="application/json")
    assert (refused.status_code, refused.json()["code"]) == (404, "component_off")
    assert not Proposal.objects.exists()
    page = client.get(f"/participation/{legislation.slug}/").content.decode()
    assert 'id="process-map"' not in page and "process-map.js" not in page


def test_the_calendar_files_parse_with_the_times_and_the_place(client, process):
    in_person = make_meeting(process)
    online = make_meeting(process, mode="online", starts_in=timedelta(days=5))
    event = Calendar.from_ical(client.get(f"/participation/meetings/{in_person.pk}/calendar.ics").content).walk("VEVENT")[0]
    assert (event.decoded("dtstart"), event.decoded("dtend")) == (in_person.starts_at, in_person.ends_at)
    assert str(event["location"]) == "Λευκός Πύργος, Θεσσαλονίκη"
    assert (round(event["geo"].latitude, 4), round(event["geo"].longitude, 4)) == (40.6264, 22.9484)
    feed = client.get(f"/participation/{process.slug}/meetings.ics")
    assert feed["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    assert [e.decoded("dtstart") for e in events] == [in_person.starts_at, online.starts_at]
    assert str(events[1]["location"]) == "https://meet.example.org/plan"


def test_the_ogc_collection_lists_the_in_person_meetings(client, process):
    in_person = make_meeting(process)
    make_meeting(process, mode="online")
    response = client.get("/ogc/collections/participation-meetings/items")
    body = json.loads(b"".join(response.streaming_content) if response.streaming else response.content)
    assert [f["id"] for f in body["features"]] == [in_person.pk]
    assert body["features"][0]["properties"]["address"] == "Λευκός Πύργος, Θεσσαλονίκη"
    assert body["features"][0]["geometry"]["coordinates"] == [22.9484, 40.6264]


def test_closing_a_meeting_is_staff_work(client, process, people, staff):
    meeting = make_meeting(process, starts_in=timedelta(hours=-2))
    proposal = Proposal.objects.create(process=process, author=people[0], title="Πάρκο", body="b",
                                       state=Proposal.State.PUBLISHED)
    body = {"attendees": 25, "minutes_el": "Συζητήθηκε το πάρκο.", "proposal_ids": [proposal.pk]}
    client.force_login(people[0])
    refused = client.post(f"{API}/meetings/{meeting.pk}/close", body, content_type="application/json")
    assert refused.status_code == 403
    meeting.refresh_from_db()
    assert meeting.closed_at is None
    client.force_login(staff)
    closed = client.post(f"{API}/meetings/{meeting.pk}/close", body, content_type="application/json")
    assert closed.status_code == 200
    assert (closed.json()["closed"], closed.json()["attendees"], closed.json()["proposals"]) == (True, 25, [proposal.pk])


def test_in_person_attendees_count_in_the_figures(client, process, staff):
    from participation.services.meetings import close
    in_person = make_meeting(process, starts_in=timedelta(hours=-2))
    online = make_meeting(process, mode="online", starts_in=timedelta(hours=-2))
    close(meeting=in_person, staff=staff, attendees=25, minutes_en="Minutes.")
    close(meeting=online, staff=staff, attendees=40, minutes_en="Minutes.")
    figures = client.get(f"{API}/figures", {"by": "process"}).json()
    row = next(r for r in figures["rows"] if r["key"] == process.slug)
    assert (row["meeting_attendees"], figures["totals"]["meeting_attendees"]) == (25, 25)
    assert "meeting_attendees" in figures["definitions"]


def test_the_meeting_page_registers_and_the_process_page_lists_it(client, process, people):
    meeting = make_meeting(process, capacity=1)
    listed = client.get(f"/participation/{process.slug}/").content.decode()
    assert f"/participation/meetings/{meeting.pk}/" in listed and "Συναντήσεις" in listed
    client.force_login(people[0])
    page = client.get(f"/participation/meetings/{meeting.pk}/").content.decode()
    assert 'id="meeting-register"' in page and f"/participation/meetings/{meeting.pk}/calendar.ics" in page
    answer = client.post(f"/participation/meetings/{meeting.pk}/registration/", follow=True)
    assert "Έχετε εγγραφεί." in answer.content.decode() and 'id="meeting-cancel"' in answer.content.decode()
    client.force_login(people[1])
    assert 'id="meeting-wait"' in client.get(f"/participation/meetings/{meeting.pk}/").content.decode()
