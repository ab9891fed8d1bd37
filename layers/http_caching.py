"""HTTP caching of layer responses: an ETag and Last-Modified from the layer's change stamp, 304 Not
Modified on a matching If-None-Match (or If-Modified-Since), and Cache-Control a CDN can use.

The ETag covers the data (the change stamp of the layer's source tables), the code that writes it and
the request's variant: scheme and host, path, query (format, CRS, filters ...) and language. The stamp
and the response's data are read in one snapshot (`snapshot()`), so an ETag never labels other data.
"""
import hashlib
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from urllib.parse import urlencode

from django.db import transaction
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from .change_stamps import Stamp, code_changed_at, code_fingerprint, kept_in_snapshot, stamp
from .registry import LANGUAGES
from core.replica import read_connection, reading_alias


@dataclass(frozen=True)
class CacheScope:
    """What a response depends on: the source tables (none: the code alone), how long it may be reused,
    whether its language follows the request, and request headers it varies by."""

    sources: tuple[str, ...]
    max_age: int
    by_language: bool = False
    vary: tuple[str, ...] = ()


@dataclass(frozen=True)
class Validators:
    etag: str
    last_modified: datetime
    cache_control: str
    vary: tuple[str, ...]
    language: str | None


def requested_language(request) -> str | None:
    """el or en: the `lang` parameter, else the first of them in Accept-Language, else en; None for a
    `lang` that is neither (the view answers 400)."""
    if "lang" in request.GET:
        value = request.GET["lang"].strip().lower()
        return value if value in LANGUAGES else None
    ranked = []
    for position, part in enumerate(request.META.get("HTTP_ACCEPT_LANGUAGE", "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else "en"


@contextmanager
def snapshot():
    """One read-only REPEATABLE READ transaction on the database the request reads from, so the stamp and the data come from the same moment
    (inside an outer transaction, a test's say, the outer one's isolation applies, and stamps are read afresh)."""
    connection = read_connection()
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=reading_alias()):
        if not outermost:
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        with kept_in_snapshot():
            yield


def _variant(request, scope: CacheScope, language: str | None) -> str:
    query = urlencode(sorted((key, value) for key, values in request.GET.lists() for value in values))
    headers = [request.META.get("HTTP_" + name.upper().replace("-", "_"), "") for name in scope.vary]
    return repr((request.build_absolute_uri("/"), request.path, query, language, headers))


def validators(request, scope: CacheScope, data: Stamp | None = None) -> Validators:
    """The validators of a response in this scope; the stamp is read now unless given."""
    if scope.sources and data is None:
        data = stamp(scope.sources)
    language = requested_language(request) if scope.by_language else None
    state = data.key if data is not None else code_fingerprint()
    etag = hashlib.sha256(f"{state}|{_variant(request, scope, language)}".encode()).hexdigest()[:32]
    changed = data.changed_at if data is not None and data.changed_at else code_changed_at()
    vary = list(scope.vary)
    if scope.by_language and "lang" not in request.GET:
        vary.append("Accept-Language")
    age = scope.max_age
    return Validators(etag=f'"{etag}"', last_modified=max(changed, code_changed_at()),
                      cache_control=f"public, max-age={age}, s-maxage={age}, stale-while-revalidate={age}",
                      vary=tuple(vary), language=language)


def finish(response, found: Validators):
    """Put the validators on a response (200, or the 304 made from them)."""
    response["ETag"] = found.etag
    response["Last-Modified"] = http_date(found.last_modified.timestamp())
    response["Cache-Control"] = found.cache_control
    if found.language:
        response["Content-Language"] = found.language
    # LayerVaryMiddleware sets exactly these, whatever the site-wide middleware added
    response.layer_vary, response.layer_language = found.vary, found.language
    return response


def not_modified(request, found: Validators):
    """A 304 (or 412) when the request's conditions say the client already has this, else None."""
    answer = get_conditional_response(request, etag=found.etag, last_modified=int(found.last_modified.timestamp()))
    return finish(answer, found) if answer is not None else None


def cached(scope_of: Callable[..., CacheScope | None]):
    """A view whose response is cached in the scope scope_of(request, **kwargs) gives (None: not cached,
    for a request the view will refuse). The stamp, the conditional check and the view run in one snapshot."""
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            scope = scope_of(request, *args, **kwargs)
            if scope is None:
                return view(request, *args, **kwargs)
            with snapshot():
                found = validators(request, scope)
                early = not_modified(request, found)
                if early is not None:
                    return early
                response = view(request, *args, **kwargs)
            return finish(response, found) if 200 <= response.status_code < 300 else response
        return wrapper
    return decorator


class LayerVaryMiddleware:
    """Layer responses vary only by what they declare: the site-wide LocaleMiddleware adds
    `Vary: Accept-Language` and a Content-Language to every response, which would split a CDN's cache
    of tiles and downloads by browser language for nothing. Listed before LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        declared = getattr(response, "layer_vary", None)
        if declared is not None:
            if declared:
                response["Vary"] = ", ".join(declared)
            elif response.has_header("Vary"):
                del response["Vary"]
            if response.layer_language is None and response.has_header("Content-Language"):
                del response["Content-Language"]
        return response
