"""Hazard-aware priority: a report in a high hazard zone is raised, with the reason, in the department's queue."""
import pytest
from django.contrib.gis.geos import Point

pytestmark = pytest.mark.django_db


def test_a_blocked_drain_in_a_high_flood_zone_gets_a_higher_priority_with_the_reason():
    from issues.models import Category
    from issues.services.reporting import issue_report

    in_flood = Point(22.9200, 40.6400, srid=4326)  # the western stream corridor: 0.9 m at T = 1000 years
    drain = issue_report(category=Category.objects.get(service_code="blocked-drain"), point=in_flood, actor="t").issue
    pothole = issue_report(category=Category.objects.get(service_code="pothole"), point=in_flood, actor="t").issue
    dry = issue_report(category=Category.objects.get(service_code="blocked-drain"), point=Point(22.9760, 40.6120, srid=4326),
                       actor="t").issue
    assert drain.priority == 3 and "high flood hazard here" in drain.priority_reason and "flood-t1000 0.9 m" in drain.priority_reason
    assert (pothole.priority, pothole.priority_reason) == (2, "")
    assert (dry.priority, dry.priority_reason) == (2, "")


def test_the_boosted_issue_comes_first_in_the_department_queue(django_user_model):
    from django.test import Client

    from issues.models import Category, Department, DepartmentMembership
    from issues.services.reporting import issue_report

    drainage = Department.objects.get(slug="drainage")
    staff = django_user_model.objects.create_user("fotis", password="pw-123456")
    DepartmentMembership.objects.create(user=staff, department=drainage)
    category = Category.objects.get(service_code="blocked-drain")
    dry = issue_report(category=category, point=Point(22.9760, 40.6120, srid=4326), actor="t").issue
    wet = issue_report(category=category, point=Point(22.9200, 40.6400, srid=4326), actor="t").issue
    client = Client()
    client.force_login(staff)
    features = client.get("/api/departments/drainage/queue").json()["features"]
    assert [f["id"] for f in features] == [wet.pk, dry.pk]
    assert features[0]["properties"]["priority_reason"].startswith("high flood hazard here")
