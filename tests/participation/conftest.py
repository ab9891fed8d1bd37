"""Fixtures for participation tests: processes whose phase is open now, verified residents, budgets, and
places on the demo districts' real boundaries."""
from datetime import timedelta

import pytest
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection
from django.utils import timezone

from layers.models import District
from participation.models import Budget, CensusRecord, Phase, Process, Verification
from participation.services.verification import census_key

PHASE_ORDER = ("information", "proposals", "supports", "evaluation", "voting", "results", "implementation")


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def make_process(*, open_phase: str = "proposals", slug: str = "test-process", kind: str = "participatory_budgeting",
                 districts=(), **settings_) -> Process:
    """A process with all seven phases, a week each, the named one open now."""
    process = Process.objects.create(slug=slug, kind=kind, title_el="Δοκιμή", title_en="Test", **settings_)
    if districts:
        process.districts.set(District.objects.filter(code__in=districts))
    now = timezone.now()
    current = PHASE_ORDER.index(open_phase) if open_phase else len(PHASE_ORDER) + 1
    for position, kind_ in enumerate(PHASE_ORDER):
        start = now + timedelta(days=7 * (position - current)) - timedelta(days=1)
        Phase.objects.create(process=process, kind=kind_, position=position, starts_at=start,
                             ends_at=start + timedelta(days=7))
    return process


def set_phase(process: Process, kind: str) -> None:
    """Move the process's dates so that the named phase is open now."""
    Phase.objects.filter(process=process).delete()
    now = timezone.now()
    current = PHASE_ORDER.index(kind)
    for position, kind_ in enumerate(PHASE_ORDER):
        start = now + timedelta(days=7 * (position - current)) - timedelta(days=1)
        Phase.objects.create(process=process, kind=kind_, position=position, starts_at=start,
                             ends_at=start + timedelta(days=7))
    process.refresh_from_db()


def verified(user, district_code: str = "D1"):
    """A resident verified in a district: census record, match and confirmed e-mail."""
    district = District.objects.get(code=district_code)
    key = census_key(f"AB{user.id:06d}", timezone.localdate().replace(year=1980))
    CensusRecord.objects.create(key=key, district=district)
    Verification.objects.create(user=user, census_key=key, district=district, residence_verified_at=timezone.now(),
                                email=f"{user.username}@example.org", email_confirmed_at=timezone.now())
    return user


@pytest.fixture
def resident(django_user_model):
    counter = iter(range(1, 10_000))

    def make(district_code: str = "D1", *, verify: bool = True):
        user = django_user_model.objects.create_user(f"resident{next(counter)}-{district_code}", password="pw-123456")
        return verified(user, district_code) if verify else user

    return make


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("city-staff", password="pw-123456", is_staff=True)


def make_budget(process: Process, *, amount: int, district: str | None = None, rule: str = "knapsack",
                minimum_share: int = 0, max_projects: int = 3) -> Budget:
    return Budget.objects.create(
        process=process, district=District.objects.get(code=district) if district else None,
        title_el="Προϋπολογισμός", title_en=f"Budget {district or 'city'}", amount=amount, rule=rule,
        minimum_share=minimum_share, max_projects=max_projects)


def shared_boundary(a: str, b: str) -> GEOSGeometry:
    """The line two districts share (from the demo boundaries)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_AsText(ST_LineMerge(ST_Intersection(ST_Boundary(x.geom), ST_Boundary(y.geom)))) "
            "FROM layers_district x, layers_district y WHERE x.code = %s AND y.code = %s", [a, b])
        return GEOSGeometry(cursor.fetchone()[0], srid=4326)


def inside_point(code: str) -> GEOSGeometry:
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_AsText(ST_PointOnSurface(geom)) FROM layers_district WHERE code = %s", [code])
        return GEOSGeometry(cursor.fetchone()[0], srid=4326)


def municipality_point(code: str) -> GEOSGeometry:
    """A point inside a municipality (9032: the neighbouring Kalamaria)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_AsText(ST_PointOnSurface(geom)) FROM layers_municipality WHERE code = %s", [code])
        return GEOSGeometry(cursor.fetchone()[0], srid=4326)
