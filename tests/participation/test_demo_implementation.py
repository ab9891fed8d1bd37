"""The demo's implementation, on a hand-built past budget: its selected projects at different stages with milestones
and photos, the register with done projects, all marked demo; the figures leave them out unless asked for."""
from datetime import date

import pytest
from django.contrib.gis.geos import Point

from participation.demo_implementation import load_demo_implementation
from participation.figures import outcome_indicator
from participation.models import Implementation, MilestonePhoto, MunicipalProject, Project, Proposal

from .conftest import make_budget, make_process

pytestmark = pytest.mark.django_db


def test_demo_implementation_stages_milestones_register_and_honest_figures(staff):
    past = make_process(open_phase="implementation", slug="demo-past", demo=True)
    make_process(slug="demo-now", demo=True)
    make_process(slug="demo-co", kind="co_creation", demo=True)
    budget = make_budget(past, amount=1_000_000, district="D1")
    for number in range(7):
        proposal = Proposal.objects.create(process=past, author=staff, title=f"Έργο {number} / Project {number}",
                                           body="b", state="selected", geom=Point(22.94 + number / 1000, 40.632, srid=4326),
                                           demo=True)
        Project.objects.create(budget=budget, proposal=proposal, title_el=f"Έργο {number}", title_en=f"Project {number}",
                               cost=100_000, geom=proposal.geom, selected=True, demo=True)
    counts = load_demo_implementation(staff=staff, today=date(2026, 12, 8),
                                      slugs={"past": "demo-past", "budgeting": "demo-now", "co_creation": "demo-co"})
    records = Implementation.objects.filter(process=past)
    assert set(records.values_list("status", flat=True)) == {"done", "in_progress", "planned", "cancelled"}
    assert counts["implementation records"] == 7 and counts["milestones"] >= 10
    assert not records.filter(demo=False).exists()
    assert MilestonePhoto.objects.filter(milestone__implementation__process=past).count() == 3  # one per done record
    assert Proposal.objects.filter(process=past, state="done").count() == 3
    register = MunicipalProject.objects.filter(reference__startswith="DEMO-")
    assert register.filter(status="done", implementation__isnull=False).count() == 3
    assert not register.filter(demo=False).exists()
    years = {r["year"]: r for r in outcome_indicator(include_demo=True)["rows"]}
    assert years[2025]["implemented_projects"] >= 3 and years[2026]["participatory_projects"] >= 4
    assert outcome_indicator()["rows"] == []  # demo data left out unless asked for
