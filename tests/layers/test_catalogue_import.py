"""Heritage sites, public services and service points: the demo catalogue and each bad import refused."""
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from layers.models import HeritageSite, PublicService, ServicePoint

pytestmark = pytest.mark.django_db


def run(command, *args) -> str:
    out = StringIO()
    call_command(command, *map(str, args), stdout=out)
    return out.getvalue()


def test_demo_catalogue_sizes():
    assert HeritageSite.objects.filter(unesco_component=True).count() >= 15
    assert PublicService.objects.count() >= 30
    assert ServicePoint.objects.count() >= 10
    town_hall = ServicePoint.objects.get(slug="town-hall")
    assert town_hall.services.count() > 20 and town_hall.opening_hours.startswith("Mo-Fr")
    assert all(s.name_el and s.name_en for s in PublicService.objects.all())


def test_heritage_import_from_csv_dry_run_then_commit(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text("slug,name_el,name_en,kind,period,unesco_component,lon,lat\n"
                    "new-site,Νέο,New,monument,Roman,false,22.95,40.63\n", encoding="utf-8")
    assert "would be created" in run("layers_import_heritage", path)
    assert not HeritageSite.objects.filter(slug="new-site").exists()
    assert "1 created" in run("layers_import_heritage", path, "--commit")
    assert "1 unchanged" in run("layers_import_heritage", path, "--commit")
    assert HeritageSite.objects.get(slug="new-site").geom.coords == (22.95, 40.63)


@pytest.mark.parametrize("content, message", [
    ("slug,name_el,name_en,lon,lat\na,Α,A,22.9,40.6\n", "missing fields kind"),
    ("slug,name_el,name_en,kind,lon,lat\na,Α,A,castle,22.9,40.6\n", "kind"),
    ("slug,name_el,name_en,kind,lon,lat\na,Α,A,monument,abc,40.6\n", "lon: must be a number"),
    ("slug,name_el,name_en,kind,lon,lat\na,Α,A,monument,22.9,40.6\na,Β,B,museum,22.9,40.6\n", "slug 'a' appears twice"),
    ("slug,name_el,name_en,kind,lon,lat\n", "no rows"),
])
def test_heritage_bad_files_are_refused_and_write_nothing(tmp_path, content, message):
    path = tmp_path / "sites.csv"
    path.write_text(content, encoding="utf-8")
    before = HeritageSite.objects.count()
    with pytest.raises(CommandError, match=message):
        run("layers_import_heritage", path, "--commit")
    assert HeritageSite.objects.count() == before


def test_service_point_naming_an_unknown_service_is_refused(tmp_path):
    services = tmp_path / "services.csv"
    services.write_text("identifier,name_el,name_en,competent_authority\nnew-service,Νέα,New,citizen-service\n", encoding="utf-8")
    points = tmp_path / "points.geojson"
    points.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {
        "slug": "p1", "name_el": "Σ", "name_en": "P", "address": "Οδός 1", "opening_hours": "Mo-Fr 08:00-15:00",
        "services": "new-service;no-such-service"}, "geometry": {"type": "Point", "coordinates": [22.95, 40.63]}}]}))
    with pytest.raises(CommandError, match="no public service 'no-such-service'"):
        run("layers_import_services", services, "--points", points, "--commit")
    assert not PublicService.objects.filter(identifier="new-service").exists()  # all or nothing, services too


def test_services_and_points_import(tmp_path):
    services = tmp_path / "services.csv"
    services.write_text("identifier,name_el,name_en,competent_authority,online_url,in_person\n"
                        "new-service,Νέα,New,citizen-service,https://example.org/new,false\n", encoding="utf-8")
    points = tmp_path / "points.csv"
    points.write_text("slug,name_el,name_en,address,opening_hours,services,lon,lat\n"
                      "p1,Σ,P,Οδός 1,Mo-Fr 08:00-15:00,new-service,22.95,40.63\n", encoding="utf-8")
    output = run("layers_import_services", services, "--points", points, "--commit")
    assert "1 public services: 1 created" in output and "1 service points: 1 created" in output
    assert list(ServicePoint.objects.get(slug="p1").services.values_list("identifier", flat=True)) == ["new-service"]
    assert PublicService.objects.get(identifier="new-service").in_person is False
