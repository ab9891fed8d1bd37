"""Open311 GeoReport v2 views: parse, call one service or selector, render JSON or XML; errors as the spec's list."""
import json
import logging
import re
import uuid

from django.contrib.gis.geos import Polygon
from django.contrib.gis.measure import D
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from issues.clients import report_client
from issues.models import Category, Issue
from issues.selectors import categories_grouped, duplicates_of_issues, public_issues, public_updates
from issues.services.reporting import report_submit
from issues.services.submission import Reporter, Submission
from core.api_language import api_language
from core.errors import ServiceError
from core.parsers import PARSERS
from core.params import degrees_padding, parse_coordinate, point_from_params

from . import representations as rep
from . import schema
from .errors import Open311Error, as_list
from .params import (
    MAX_PAGE_SIZE, MAX_RADIUS_M, bbox_param, comma_list, date_range, flag, positive_int,
)
from .renderers import Open311JSONRenderer, Open311XMLRenderer

logger = logging.getLogger(__name__)

FORMAT_PARAMETER = OpenApiParameter("format", str, OpenApiParameter.PATH, enum=["json", "xml"], description="answer format")
LANG_PARAMETER = OpenApiParameter("lang", str, enum=["el", "en"], description="language of names (default: Accept-Language, else Greek)")


class Open311View(APIView):
    """Shared behaviour: JSON and XML by suffix, form/multipart/JSON bodies, errors as [{code, description}]."""

    renderer_classes = [Open311JSONRenderer, Open311XMLRenderer]
    parser_classes = PARSERS
    authentication_classes = []
    permission_classes = []
    xml_root = "response"
    error_schema = schema.ERRORS
    error_media_types = ["application/json", "text/xml"]

    def handle_exception(self, exc):
        if isinstance(exc, (OperationalError, InterfaceError)):
            raise exc  # the database is down: gis_portal/outage.py answers 503 with Retry-After, in this format
        if isinstance(exc, ServiceError):
            error = exc
        elif isinstance(exc, Http404):
            error = Open311Error(404, str(exc) or "not found")
        elif isinstance(exc, exceptions.MethodNotAllowed):
            error = Open311Error(405, f"method {self.request.method} is not allowed here")
        elif isinstance(exc, exceptions.UnsupportedMediaType):
            error = Open311Error(415, "send the body as application/x-www-form-urlencoded, multipart/form-data or application/json")
        elif isinstance(exc, exceptions.ParseError):
            error = Open311Error(400, f"the request body cannot be read: {exc.detail}", code="parse_error")
        elif isinstance(exc, exceptions.APIException):
            error = Open311Error(exc.status_code, str(exc.detail), code=exc.default_code)
        else:
            logger.exception("Open311 request failed")
            error = Open311Error(500, "the server could not complete the request; it has been logged")
        if getattr(self.request, "accepted_renderer", None) is None:
            self.request.accepted_renderer = Open311JSONRenderer()
            self.request.accepted_media_type = "application/json"
        headers = {"Retry-After": str(error.retry_after)} if error.retry_after else None
        return Response(as_list(error), status=error.status, exception=True, headers=headers)

    def lang(self) -> str:
        requested = self.request.query_params.get("lang")
        if requested in ("el", "en"):
            return requested
        if requested:
            raise Open311Error(400, _("must be el or en, got %(value)r") % {"value": requested[:10]}, parameter="lang")
        asked = api_language(self.request)  # a client that asks for nothing gets the names in Greek
        return "en" if (asked or "el").startswith("en") else "el"


class Discovery(Open311View):
    xml_root = "discovery"

    @extend_schema(tags=["open311"], parameters=[FORMAT_PARAMETER], responses={200: schema.DISCOVERY},
                   summary="Service discovery, with the extensions this server offers")
    def get(self, request, format=None):
        return Response(rep.discovery(request))


class ServiceList(Open311View):
    xml_root = "services"

    @extend_schema(tags=["open311"], parameters=[FORMAT_PARAMETER, LANG_PARAMETER], responses={200: schema.SERVICES},
                   summary="What can be reported (service_code, service_name, group, keywords, metadata)")
    def get(self, request, format=None):
        lang = self.lang()
        return Response([rep.service(c, lang) for c in categories_grouped()])


class ServiceDefinition(Open311View):
    xml_root = "service_definition"

    @extend_schema(tags=["open311"], parameters=[FORMAT_PARAMETER], responses={200: schema.SERVICE_DEFINITION},
                   summary="The attributes a service asks for")
    def get(self, request, service_code, format=None):
        category = categories_grouped().filter(service_code=service_code).first()
        if category is None:
            raise Open311Error(404, _("no service '%(code)s'; see services.%(format)s") % {"code": service_code[:64], "format": format or "json"},
                               parameter="service_code", code="unknown_service")
        return Response(rep.service_definition(category))


class TokenLookup(Open311View):
    xml_root = "service_requests"

    @extend_schema(tags=["open311"], parameters=[FORMAT_PARAMETER], responses={200: schema.TOKENS},
                   summary="The service_request_id of a token")
    def get(self, request, token, format=None):
        token_value = _uuid(token)
        issue = Issue.objects.filter(token=token_value).only("pk", "token").first() if token_value else None
        if issue is None:
            raise Open311Error(404, _("no request has the token '%(token)s'") % {"token": token[:64]}, parameter="token")
        return Response([{"service_request_id": str(issue.pk), "token": str(issue.token)}])


class RequestDetail(Open311View):
    xml_root = "service_requests"

    @extend_schema(tags=["open311"], parameters=[FORMAT_PARAMETER, LANG_PARAMETER,
                   OpenApiParameter("extensions", bool, description="add extended_attributes")],
                   responses={200: schema.SERVICE_REQUESTS}, summary="One request")
    def get(self, request, service_request_id, format=None):
        lang = self.lang()
        extensions = flag(request.query_params, "extensions")
        if not service_request_id.isdigit():
            raise Open311Error(404, _("no request '%(id)s'") % {"id": service_request_id[:64]}, parameter="service_request_id")
        issue = public_issues().filter(pk=int(service_request_id)).first()
        if issue is None:
            raise Open311Error(404, _("no request %(id)s") % {"id": service_request_id}, parameter="service_request_id")
        duplicates = duplicates_of_issues([issue.pk]).get(issue.pk, []) if extensions else None
        return Response([rep.service_request(issue, request, lang, extensions, duplicates)])


class Requests(Open311View):
    xml_root = "service_requests"

    @extend_schema(
        tags=["open311"],
        parameters=[
            FORMAT_PARAMETER, LANG_PARAMETER,
            OpenApiParameter("service_request_id", str, description="comma-separated ids; overrides the other filters"),
            OpenApiParameter("service_code", str, description="comma-separated service codes"),
            OpenApiParameter("start_date", OpenApiTypes.DATETIME), OpenApiParameter("end_date", OpenApiTypes.DATETIME),
            OpenApiParameter("status", str, description="open, closed, or both comma-separated"),
            OpenApiParameter("page", int), OpenApiParameter("page_size", int, description="1 to 1000"),
            OpenApiParameter("bbox", str, description="min_long,min_lat,max_long,max_lat"),
            OpenApiParameter("lat", float), OpenApiParameter("long", float),
            OpenApiParameter("radius", float, description="metres around lat/long, at most 10000"),
            OpenApiParameter("extensions", bool),
        ],
        responses={200: schema.SERVICE_REQUESTS},
        summary="List requests (default: the last 90 days, at most 1000)",
    )
    def get(self, request, format=None):
        params = request.query_params
        lang = self.lang()
        extensions = flag(params, "extensions")
        page = positive_int(params, "page", 1)
        page_size = positive_int(params, "page_size", MAX_PAGE_SIZE, maximum=MAX_PAGE_SIZE)
        issues = public_issues()
        ids = comma_list(params, "service_request_id")
        if ids:
            bad = [i for i in ids if not i.isdigit()]
            if bad:
                raise Open311Error(400, _("ids are whole numbers, got %(value)r") % {"value": bad[0][:40]}, parameter="service_request_id")
            issues = issues.filter(pk__in=[int(i) for i in ids])
        else:
            issues = self._filtered(issues, params)
        rows = list(issues[(page - 1) * page_size: page * page_size])
        duplicates = duplicates_of_issues([i.pk for i in rows]) if extensions else {}
        return Response([rep.service_request(i, request, lang, extensions, duplicates.get(i.pk, [])) for i in rows])

    def _filtered(self, issues, params):
        codes = comma_list(params, "service_code")
        if codes:
            known = set(Category.objects.filter(service_code__in=codes).values_list("service_code", flat=True))
            unknown = [c for c in codes if c not in known]
            if unknown:
                raise Open311Error(404, _("no service '%(code)s'") % {"code": unknown[0][:64]}, parameter="service_code", code="unknown_service")
            issues = issues.filter(category__service_code__in=codes)
        start, end = date_range(params)
        issues = issues.filter(created_at__gte=start, created_at__lte=end)
        statuses = comma_list(params, "status")
        if statuses:
            bad = [s for s in statuses if s not in ("open", "closed")]
            if bad:
                raise Open311Error(400, _("must be open or closed, got %(value)r") % {"value": bad[0][:20]}, parameter="status")
            if statuses == ["open"]:
                issues = issues.filter(status__in=Issue.OPEN_STATUSES)
            elif statuses == ["closed"]:
                issues = issues.exclude(status__in=Issue.OPEN_STATUSES)
        box = bbox_param(params)
        if box is not None:
            issues = issues.filter(location__coveredby=box)
        if "radius" in params or ("lat" in params and "long" in params):
            issues = self._within_radius(issues, params)
        return issues

    def _within_radius(self, issues, params):
        point = point_from_params(params, lon_names=("long", "lon"))
        radius = parse_coordinate(params.get("radius", "500"), parameter="radius", low=0, high=MAX_RADIUS_M)
        pad = degrees_padding(radius, point.y)
        box = Polygon.from_bbox((point.x - pad, point.y - pad, point.x + pad, point.y + pad))
        box.srid = 4326
        # The box lets the GiST index narrow the search; the distance test is in true metres.
        return issues.filter(location__bboverlaps=box, location__distance_lte=(point, D(m=radius)))

    @extend_schema(
        tags=["open311"],
        parameters=[FORMAT_PARAMETER, LANG_PARAMETER, OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)],
        request={"application/x-www-form-urlencoded": schema.CREATE_FORM, "multipart/form-data": schema.CREATE_MULTIPART,
                 "application/json": schema.CREATE_JSON},
        responses={201: schema.CREATED, 200: OpenApiResponse(schema.CREATED, "a retry with the same Idempotency-Key: the first answer"),
                   403: OpenApiResponse(schema.ERRORS, "api_key wrong or revoked, or no key and no CSRF token"),
                   409: OpenApiResponse(schema.ERRORS, "the Idempotency-Key was used for another request"),
                   429: OpenApiResponse(schema.ERRORS, "too many requests: wait for the seconds in Retry-After")},
        summary="Create a request (api_key, service_code, lat+long or address_string, description, media ...)",
    )
    def post(self, request, format=None):
        data = request.data
        lang = self.lang()
        raw_key = _text(data, "api_key") or request.query_params.get("api_key", "") or request.headers.get("X-Api-Key", "")
        client = report_client(request._request, raw_key)
        submission = Submission(
            service_code=_text(data, "service_code"), lat=_text(data, "lat"), long=_text(data, "long") or _text(data, "lon"),
            address_string=_text(data, "address_string"), address_id=_text(data, "address_id"),
            description=_text(data, "description"), attributes=_attributes(data), zipcode=_text(data, "zipcode"),
            media_url=_text(data, "media_url"),
            reporter=Reporter(**{name: _text(data, name)[:limit] for name, limit in
                                 (("email", 254), ("first_name", 100), ("last_name", 100), ("phone", 32),
                                  ("device_id", 100), ("account_id", 100))}),
            upload=request.FILES.get("media"), idempotency_key=request.headers.get("Idempotency-Key", "").strip(),
            fields=[(key, data.getlist(key) if hasattr(data, "getlist") else data[key]) for key in data.keys()],
        )
        result = report_submit(submission=submission, actor=client.actor, client_scope=client.scope, user=client.user,
                               api_key=client.api_key, answer=lambda r: rep.create_answer(r, lang))
        return Response([result.answer], status=status.HTTP_200_OK if result.replayed else status.HTTP_201_CREATED)


class RequestUpdates(Open311View):
    xml_root = "service_request_updates"

    @extend_schema(
        tags=["open311"],
        parameters=[FORMAT_PARAMETER, OpenApiParameter("start_date", OpenApiTypes.DATETIME),
                    OpenApiParameter("end_date", OpenApiTypes.DATETIME),
                    OpenApiParameter("service_request_id", str), OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
        responses={200: schema.UPDATES},
        summary="Public status changes and comments (FixMyStreet's servicerequestupdates)",
    )
    def get(self, request, format=None):
        params = request.query_params
        page = positive_int(params, "page", 1)
        page_size = positive_int(params, "page_size", MAX_PAGE_SIZE, maximum=MAX_PAGE_SIZE)
        updates = public_updates()
        ids = comma_list(params, "service_request_id")
        if ids:
            if any(not i.isdigit() for i in ids):
                raise Open311Error(400, _("ids are whole numbers"), parameter="service_request_id")
            updates = updates.filter(issue_id__in=[int(i) for i in ids])
        start, end = date_range(params)
        updates = updates.filter(created_at__gte=start, created_at__lte=end)
        rows = updates[(page - 1) * page_size: page * page_size]
        return Response([rep.service_request_update(u, request) for u in rows])


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Any other path under /open311/: the spec's 404, never an HTML page (and no CSRF check: it changes nothing)."""
    view = _NotFound.as_view()
    return view(request, *args, **kwargs)


class _NotFound(Open311View):
    def dispatch(self, request, *args, **kwargs):
        fmt = "xml" if request.path.endswith(".xml") else "json"
        kwargs = {"format": fmt}
        return super().dispatch(request, *args, **kwargs)

    def _missing(self, request, *args, **kwargs):
        raise Open311Error(404, f"no such Open311 call: {request.path[:100]}; see /open311/v2/discovery.json")

    get = post = put = patch = delete = _missing


UUID_FORM = re.compile(r"[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}")


def _uuid(text: str) -> uuid.UUID | None:
    return uuid.UUID(text) if UUID_FORM.fullmatch(text) else None


def _text(data, name: str) -> str:
    value = data.get(name, "")
    if isinstance(value, list):
        value = value[0] if value else ""
    if value is None:
        return ""
    if not isinstance(value, str):
        value = json.dumps(value) if isinstance(value, (dict, list)) else str(value)
    return value.strip()


def _attributes(data) -> dict:
    """attribute[code]=v and attribute[code][]=v form fields, or a JSON object under attribute."""
    values: dict = {}
    nested = data.get("attribute")
    if isinstance(nested, dict):
        values.update(nested)
    keys = data.keys() if hasattr(data, "keys") else []
    for key in keys:
        if key.startswith("attribute[") and key.endswith("]"):
            code = key[len("attribute["):].split("]")[0]
            many = key.endswith("[]")
            items = data.getlist(key) if hasattr(data, "getlist") else data[key]
            if not isinstance(items, list):
                items = [items]
            values[code] = items if many else (items[-1] if items else "")
    return values
