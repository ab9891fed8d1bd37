"""Hazard API: the layers, a point profile, area statistics and district levels."""
import math

from django.conf import settings
from django.http import HttpResponse
from django.utils.decorators import method_decorator
from django.contrib.gis.geos import MultiPolygon
from django.utils.translation import gettext as _, gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, ParseError
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from hazards.exposure import exposure
from hazards.models import ALL_KINDS, EarthquakeScenario, HazardLayer
from hazards.scenarios.gmpe import MECHANISM_RAKE, MODELS
from hazards.scenarios.presets import PRESETS
from hazards.scenarios.selectors import scenario_detail, scenario_list, scenario_summary
from hazards.scenarios.services import scenario_delete, scenario_inputs, scenario_run
from hazards.tiles import legend, render_tile
from hazards.selectors import area_m2, area_statistics, district_levels, hazard_profile, layer_info
from layers import registry
from layers.registry import exposure_collections, point_collections
from core.params import ParameterError, flag, point_from_params
from layers.http_caching import CacheScope, cached
from layers.models import District
from core.bodies import GeometryField, validated
from core.page_access import planner_or_administrator


def _layers(params):
    """The layers named in ?layer=a,b (404 for an unknown one), or all."""
    names = [n.strip() for n in params.get("layer", "").split(",") if n.strip()]
    layers = list(HazardLayer.objects.filter(slug__in=names)) if names else list(HazardLayer.objects.all())
    unknown = sorted(set(names) - {layer.slug for layer in layers})
    if unknown:
        raise NotFound(_("layer: no hazard layer '%(name)s'; see /api/hazards/layers") % {"name": unknown[0][:64]})
    return layers


class LayerList(APIView):
    """The hazard layers with their provenance, licence, units and level thresholds."""

    @extend_schema(tags=["hazards"], responses={200: {"type": "array", "items": {"type": "object"}}})
    def get(self, request):
        return Response([
            {**layer_info(layer), "provenance": layer.provenance, "licence": layer.licence, "thresholds": layer.thresholds,
             "district_min_share": layer.district_min_share,
             **({"crs": layer.crs, "nodata": layer.nodata, "extent": layer.extent.extent} if layer.extent else {})}
            for layer in HazardLayer.objects.all()
        ])


class Profile(APIView):
    """Every hazard layer at a point: level, value and units, or no data with the reason."""

    @extend_schema(tags=["hazards"], parameters=[OpenApiParameter("lat", float, required=True),
                                                 OpenApiParameter("lon", float, required=True),
                                                 OpenApiParameter("layer", str, description="comma-separated layers (default all)")],
                   responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        point = point_from_params(request.query_params)
        wanted = {layer.slug for layer in _layers(request.query_params)}
        return Response({"lon": point.x, "lat": point.y,
                         "layers": [entry for entry in hazard_profile(point) if entry["layer"] in wanted]})


def _body(request) -> dict:
    """The request's JSON object."""
    if not isinstance(request.data, dict):
        raise ParseError("the body must be a JSON object")
    return request.data


class AreaInputSerializer(serializers.Serializer):
    geometry = GeometryField(types=("Polygon", "MultiPolygon"), help_text="a GeoJSON Polygon or MultiPolygon in WGS84")

    def validate_geometry(self, value):
        if value is None:
            raise serializers.ValidationError("is required: a GeoJSON Polygon or MultiPolygon", code="required")
        return value


class Area(APIView):
    """Per layer, the share of an area in each level and raster statistics; the area is a district
    (?district=D1) or a GeoJSON Polygon or MultiPolygon in the body (or a Feature with one), in WGS84."""

    @extend_schema(tags=["hazards"], parameters=[OpenApiParameter("district", str), OpenApiParameter("layer", str)],
                   responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        code = request.query_params.get("district", "")
        if not code:
            raise ParameterError("district", _("give a district code, or POST a GeoJSON polygon"), code="required")
        district = District.objects.filter(code=code).first()
        if district is None:
            raise NotFound(_("district: no district '%(code)s'") % {"code": code[:40]})
        return self._answer(request, district.geom, {"district": district.code})

    @extend_schema(tags=["hazards"], request=AreaInputSerializer, parameters=[OpenApiParameter("layer", str)],
                   responses={200: OpenApiTypes.OBJECT},
                   description="The body is `{geometry}`, a GeoJSON Feature, or the geometry itself.")
    def post(self, request):
        data = _body(request)
        area = validated(AreaInputSerializer(data=data if "geometry" in data else {"geometry": data}))["geometry"]
        return self._answer(request, area if isinstance(area, MultiPolygon) else MultiPolygon(area, srid=4326), {})

    def _answer(self, request, area, head):
        layers = _layers(request.query_params)
        km2 = area_m2(area) / 1e6
        if km2 > settings.HAZARD_MAX_AREA_KM2:
            raise ParameterError("geometry", _("the area is %(area).0f km²; at most %(limit)s km²")
                                 % {"area": km2, "limit": settings.HAZARD_MAX_AREA_KM2}, code="too_large")
        return Response({**head, "area_km2": round(km2, 4),
                         "layers": [stats.as_dict() for stats in area_statistics(area, layers=layers)]})


KINDS = [value for value, _label in ALL_KINDS if value != "site"]  # site data has no levels


class DistrictLevels(APIView):
    """Each district's level for each hazard kind, by the documented rule, with the numbers behind it."""

    @extend_schema(tags=["hazards"], parameters=[OpenApiParameter("kind", str, enum=KINDS)],
                   responses={200: {"type": "array", "items": {"type": "object"}}})
    def get(self, request):
        kind = request.query_params.get("kind") or None
        if kind and kind not in KINDS:
            raise ParameterError("kind", _("one of %(choices)s") % {"choices": ", ".join(KINDS)})
        return Response(district_levels(kind=kind))


def _layer_or_404(slug: str) -> HazardLayer:
    layer = HazardLayer.objects.filter(slug=slug).first()
    if layer is None:
        raise NotFound(_("layer: no hazard layer '%(name)s'; see /api/hazards/layers") % {"name": slug[:64]})
    return layer


# Tiles and legends change when a layer is registered again: the change stamp of the layers' table.
RASTER_MAX_AGE = 3600


def _raster_scope(request, *args, **kwargs) -> CacheScope:
    return CacheScope(sources=("hazards_hazardlayer",), max_age=RASTER_MAX_AGE)


class Tile(APIView):
    """A raster layer as a PNG map tile (XYZ, Web Mercator), coloured by level, transparent where no data."""

    @extend_schema(tags=["hazards"], responses={(200, "image/png"): OpenApiTypes.BINARY})
    @method_decorator(cached(_raster_scope))
    def get(self, request, slug, z, x, y):
        layer = _layer_or_404(slug)
        if layer.source != HazardLayer.Source.RASTER:
            raise NotFound(_("layer %(name)s is a vector layer; its zones are served as map layers, not PNG tiles") % {"name": slug})
        png = render_tile(layer, z, x, y)
        return HttpResponse(png, content_type="image/png")


class Legend(APIView):
    """The colours and value ranges of a layer's levels."""

    @extend_schema(tags=["hazards"], responses={200: OpenApiTypes.OBJECT})
    @method_decorator(cached(_raster_scope))
    def get(self, request, slug):
        return Response(legend(_layer_or_404(slug)))


class Exposure(APIView):
    """Heritage sites, open citizen issues (and any registered collection) in each level of a layer, per
    district, with the features; residents exposed per district (area-weighted)."""

    @extend_schema(tags=["hazards"], parameters=[
        OpenApiParameter("layer", str, required=True),
        OpenApiParameter("collections", str, description="comma-separated point collections (heritage-sites, service-points, open-issues, public-issues); "
                                                 "default all but public-issues"),
        OpenApiParameter("features", bool, description="include the features (default true)")],
        responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        params = request.query_params
        slug = params.get("layer", "")
        if not slug:
            raise ParameterError("layer", _("required; see /api/hazards/layers"), code="required")
        layer = _layer_or_404(slug)
        points = [c.id for c in point_collections()]
        wanted = [c.strip() for c in params.get("collections", "").split(",") if c.strip()]
        wanted = wanted or [c.id for c in exposure_collections()]
        for name in wanted:
            if registry.get(name) is None:
                raise NotFound(_("collections: no collection '%(name)s'; one of %(choices)s")
                               % {"name": name[:64], "choices": ", ".join(points)})
            if name not in points:
                raise ParameterError("collections", _("%(name)s is not a point layer; exposure counts the point collections: "
                                                      "%(choices)s") % {"name": name, "choices": ", ".join(points)})
        return Response(exposure(layer=layer, collection_ids=wanted, with_features=flag(params, "features", default=True)))


# --- earthquake scenarios ------------------------------------------------------------------------------------


class IsPlanner(BasePermission):
    """Civil-protection planners and administrators, as on the planner pages."""

    message = "earthquake scenarios are for planners: sign in with an account in the planners' group"

    def has_permission(self, request, view):
        return planner_or_administrator(request.user)


class ScenarioNumber(serializers.FloatField):
    """A number from min_value to max_value; the refusal says the value and the range."""

    def __init__(self, *, unit: str = "", **kwargs):
        super().__init__(required=False, **kwargs)
        self.unit = unit

    def to_internal_value(self, data):
        if isinstance(data, bool):
            raise serializers.ValidationError(_("must be a number, got %(value)r") % {"value": data}, code="invalid")
        try:
            number = float(data)
        except (TypeError, ValueError):
            raise serializers.ValidationError(_("must be a number, got %(value)r") % {"value": str(data)[:40]},
                                              code="invalid") from None
        if not math.isfinite(number) or not self.min_value <= number <= self.max_value:
            raise serializers.ValidationError(_("%(value)g is outside %(low)g to %(high)g%(unit)s")
                                              % {"value": number, "low": self.min_value, "high": self.max_value,
                                                 "unit": str(self.unit)}, code="out_of_range")
        return number


class ScenarioChoice(serializers.ChoiceField):
    """One of a list; the refusal is said in the request's language by `refusal(value)`."""

    def __init__(self, *, refusal, **kwargs):
        super().__init__(**kwargs)
        self.refusal = refusal

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError:
            raise serializers.ValidationError(self.refusal(str(data)[:40]), code="invalid_choice") from None


class PercentileField(serializers.ChoiceField):
    """n_sigma: the number -1, 0 or 1."""

    def __init__(self, **kwargs):
        super().__init__(choices=[-1, 0, 1], **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, float)) or data not in (-1, 0, 1):
            raise serializers.ValidationError(
                _("0 (the median), -1 (16th percentile) or 1 (84th percentile), got %(value)r") % {"value": str(data)[:40]},
                code="invalid_choice")
        return float(data)


def _one_of(choices):
    return lambda value: _("one of %(choices)s, got %(value)r") % {"choices": ", ".join(choices), "value": value}


class ScenarioInputSerializer(serializers.Serializer):
    """A scenario's inputs; a preset's inputs may be overridden one by one, and the model checks the magnitude and
    distances it is valid for (hazards.scenarios.services.scenario_inputs). Refusals in the request's language."""

    preset = ScenarioChoice(choices=list(PRESETS), required=False, allow_blank=True, allow_null=True,
                            help_text="start from a preset; any field below overrides it",
                            refusal=lambda value: _("no preset '%(name)s'; one of %(choices)s")
                            % {"name": value, "choices": ", ".join(PRESETS)})
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, allow_null=True,
                                 error_messages={"max_length": gettext_lazy("at most 200 characters")})
    magnitude = ScenarioNumber(min_value=0, max_value=10, help_text="moment magnitude, within the model's range")
    lon = ScenarioNumber(min_value=-180, max_value=180, unit=gettext_lazy("° (WGS84 longitude)"))
    lat = ScenarioNumber(min_value=-90, max_value=90, unit=gettext_lazy("° (WGS84 latitude)"))
    depth_km = ScenarioNumber(min_value=1, max_value=40, unit=gettext_lazy(" km"), help_text="default 10")
    mechanism = ScenarioChoice(choices=list(MECHANISM_RAKE), required=False, refusal=_one_of(MECHANISM_RAKE))
    rupture = ScenarioChoice(choices=["finite", "point"], required=False, help_text="default finite",
                             refusal=lambda value: _("finite (with strike and dip) or point, got %(value)r") % {"value": value})
    strike = ScenarioNumber(min_value=0, max_value=360, unit=gettext_lazy("° (clockwise from north)"), help_text="finite ruptures")
    dip = ScenarioNumber(min_value=1, max_value=90, unit="°", help_text="finite ruptures")
    model = ScenarioChoice(choices=list(MODELS), required=False, help_text="default akkar-bommer-2010", refusal=_one_of(MODELS))
    n_sigma = PercentileField(required=False, help_text="0 the median (default), -1 the 16th percentile, 1 the 84th")

class Scenarios(APIView):
    """Earthquake scenarios: the presets, the models and the stored scenarios; POST runs one (201 when it is done
    within a second, else 202 with the URL to poll)."""

    permission_classes = [IsPlanner]

    @extend_schema(tags=["hazards"], operation_id="api_hazards_scenarios_list", responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response(scenario_list())

    @extend_schema(tags=["hazards"], request=ScenarioInputSerializer,
                   responses={201: OpenApiTypes.OBJECT, 202: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT})
    def post(self, request):
        inputs, name, preset = scenario_inputs(validated(ScenarioInputSerializer(data=_body(request))))
        scenario, done = scenario_run(inputs=inputs, name=name, preset=preset, user=request.user)
        url = f"/api/hazards/scenarios/{scenario.pk}"
        if not done:
            return Response({**scenario_summary(scenario), "poll": url}, status=202, headers={"Location": url})
        return Response(scenario_detail(scenario), status=201, headers={"Location": url})


class ScenarioDetail(APIView):
    """One earthquake scenario: inputs, provenance, district damage, exposure ranked by shaking; DELETE removes it
    with its layers and rasters."""

    permission_classes = [IsPlanner]

    def _scenario(self, pk: int) -> EarthquakeScenario:
        scenario = EarthquakeScenario.objects.select_related("created_by", "pga_layer", "mmi_layer").filter(pk=pk).first()
        if scenario is None:
            raise NotFound(_("scenario: no scenario %(id)s; see /api/hazards/scenarios") % {"id": pk})
        return scenario

    @extend_schema(tags=["hazards"], responses={200: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT})
    def get(self, request, pk):
        return Response(scenario_detail(self._scenario(pk)))

    @extend_schema(tags=["hazards"], responses={204: None, 404: OpenApiTypes.OBJECT})
    def delete(self, request, pk):
        scenario_delete(scenario=self._scenario(pk))
        return Response(status=204)
