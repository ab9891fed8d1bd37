"""Schema fuzzing: schemathesis makes requests from the OpenAPI documents (/api/schema/, which holds the REST,
Open311 and OGC paths, and the OGC API's own /ogc/api) and sends them to the application in this process.
No answer may be a 5xx and every answer must match its document (status, content type, body, headers).

`make test` runs FUZZ_EXAMPLES (default 5) random cases per operation, plus schemathesis's own boundary
cases (about 4000 requests in all); `make fuzz` runs many more and writes the counts per operation to
FUZZ_REPORT (a JSON file)."""
import json
import os
import re
from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_headers_conformance, response_schema_conformance, status_code_conformance,
)

from core.api_schema import PortalSchemaGenerator
from layers import registry
from layers.ogc.openapi import ogc_openapi

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]
FUZZ_SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("FUZZ_RANDOM"),
                         suppress_health_check=list(HealthCheck), database=None)
CASES: Counter = Counter()


def _rest_document() -> dict:
    """The document /api/schema/ serves, as plain JSON."""
    return json.loads(json.dumps(PortalSchemaGenerator().get_schema(request=None, public=True), default=str))


rest_schema = schemathesis.openapi.from_dict(_rest_document())
ogc_schema = schemathesis.openapi.from_dict(ogc_openapi(registry.all_collections(), server_url="http://localhost/ogc"))


@pytest.fixture(scope="module", autouse=True)
def fuzz_report():
    yield
    path = os.environ.get("FUZZ_REPORT")
    if path:
        existing = json.loads(open(path).read()) if os.path.exists(path) else {}
        existing.update(CASES)
        with open(path, "w") as out:
            json.dump(dict(sorted(existing.items())), out, indent=1)


@pytest.fixture
def fuzz_app(db, django_user_model):
    """The WSGI application with a signed-in administrator's token and an Open311 API key, and a few reports."""
    from django.core.wsgi import get_wsgi_application
    from rest_framework.authtoken.models import Token

    from issues.api_keys import api_key_create
    from tests.issues.test_workspace import report

    admin = django_user_model.objects.create_superuser("fuzz-admin", password="pw-123456")
    token = Token.objects.create(user=admin)
    _key, raw_key = api_key_create(name="fuzzer", rate_limit_per_minute=1_000_000)
    for _ in range(3):
        report()
    # The test runs in one transaction: keep Django from closing its connection between requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application(), {"Authorization": f"Token {token.key}", "X-Api-Key": raw_key}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _download_written(case) -> None:
    """A download's file written ahead, as `layers_write_downloads` does after an import: a file not written yet
    is answered 503 with Retry-After while a job writes it (tests/core/test_jobs.py), which the fuzzer's
    not-a-server-error check would count as a failure."""
    from layers.downloads import FORMATS, WRITERS, download_write

    found = re.match(r".*/collections/([^/]+)/download/\{format\}$", case.operation.path)
    name = (case.path_parameters or {}).get("format")
    if found and name in WRITERS and registry.get(found[1]) is not None:
        download_write(collection=registry.get(found[1]), download=FORMATS[name])


def _call(case, fuzz_app):
    app, headers = fuzz_app
    CASES[f"{case.operation.method.upper()} {case.operation.path}"] += 1
    _download_written(case)
    # Each case in a savepoint rolled back afterwards, as each request is on its own in production.
    with transaction.atomic():
        try:
            case.call_and_validate(app=app, headers=headers, checks=CHECKS)
        finally:
            transaction.set_rollback(True)


@rest_schema.parametrize()
@FUZZ_SETTINGS
def test_rest_open311_and_ogc_operations_answer_as_documented(case, fuzz_app):
    _call(case, fuzz_app)


@ogc_schema.parametrize()
@FUZZ_SETTINGS
def test_ogc_api_operations_answer_as_their_own_document_says(case, fuzz_app):
    _call(case, fuzz_app)


@pytest.mark.django_db
def test_the_served_documents_are_valid_and_hold_the_rest_open311_and_ogc_paths(client):
    from openapi_spec_validator import validate

    served = client.get("/api/schema/", {"format": "json"}).json()
    validate(served)
    paths = set(served["paths"])
    assert {"/api/districts/", "/api/issues/{issue_id}/actions/{action}", "/open311/v2/requests.{format}",
            "/open311/v2/services/{service_code}.{format}", "/ogc/collections/public-issues/items",
            "/ogc/collections/districts/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}"} <= paths
    assert paths == set(_rest_document()["paths"])  # the fuzzed document is the served one
    ogc = client.get("/ogc/api").json()
    validate(ogc)
    assert {"/collections/heritage-sites/items", "/collections/heritage-sites/items/{featureId}"} <= set(ogc["paths"])
    create = served["paths"]["/open311/v2/requests.{format}"]["post"]["responses"]
    assert {"201", "400", "403", "404", "409", "429"} <= set(create)
