"""Counting the heritage portal's use without cookies and without keeping any address: visitors as a hash of the
day's random salt, the address and the browser, kept only for that day; reuse (IIIF manifests and collections, IIIF
info.json, OAI-PMH harvests) as counts per day. Only the counts outlive the day."""
import hashlib
import logging
import secrets
from datetime import date

from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from core.limits import client_ip
from core.sql_files import fetch_all

from .models import UsageCount, VisitHash, VisitSalt

log = logging.getLogger(__name__)

HARVEST_VERBS = ("ListRecords", "ListIdentifiers")
_salts: dict[date, bytes] = {}  # this process's salt of the day (the database keeps the one every process shares)


def usage_kind(request, response) -> str | None:
    """Which use a request was, by its path alone (the views behind the paths are not consulted): a page of the
    heritage portal (a visitor), an IIIF Presentation manifest or collection, an IIIF image's info.json, or the
    start of an OAI-PMH harvest (ListRecords or ListIdentifiers without a resumption token)."""
    if response.status_code >= 400 or request.method not in ("GET", "POST"):
        return None
    path = request.path
    if path.startswith("/heritage/") and request.method == "GET" \
            and response.get("Content-Type", "").startswith("text/html"):
        return UsageCount.Kind.VISITORS
    if path.startswith("/iiif/presentation/"):
        return UsageCount.Kind.IIIF_PRESENTATION
    if path.startswith("/iiif/3/") and path.endswith("/info.json"):
        return UsageCount.Kind.IIIF_INFO
    if path == "/oai" or path.startswith("/oai/"):
        params = request.GET if request.method == "GET" else request.POST
        if params.get("verb") in HARVEST_VERBS and not params.get("resumptionToken"):
            return UsageCount.Kind.OAI_HARVEST
    return None


def day_salt(day: date) -> bytes:
    """The day's salt: made at the day's first visit (random, 32 bytes), shared by every process through the
    database, deleted when the day is counted."""
    salt = _salts.get(day)
    if salt is None:
        if _salts:  # a new day in this process: count the days before it and forget their salts
            _salts.clear()
            visits_roll_up(today=day)
        try:
            with transaction.atomic():
                row, _created = VisitSalt.objects.get_or_create(day=day, defaults={"salt": secrets.token_bytes(32)})
        except IntegrityError:  # another process made it first
            row = VisitSalt.objects.get(day=day)
        salt = _salts[day] = bytes(row.salt)
    return salt


def visitor_digest(salt: bytes, address: str, user_agent: str) -> bytes:
    return hashlib.sha256(salt + address.encode() + b"\0" + user_agent.encode("utf-8", "replace")).digest()


def visit_record(*, address: str, user_agent: str, day: date | None = None) -> None:
    """A visitor of the day: its hash stored once (the same address and browser on the same day count once)."""
    day = day or timezone.localdate()
    VisitHash.objects.bulk_create([VisitHash(day=day, digest=visitor_digest(day_salt(day), address, user_agent))],
                                  ignore_conflicts=True)


def reuse_record(*, kind: str, day: date | None = None) -> int:
    """One more use of this kind today; the day's count so far."""
    return fetch_all("heritage", "usage_count_add", {"day": day or timezone.localdate(), "kind": kind})[0]["count"]


def visits_roll_up(*, today: date | None = None) -> dict:
    """Count the visitors of the days before today into their day's count, and delete those days' hashes and salts
    (heritage/sql/visits_roll_up.sql). Run by the daily job, by each process at its first visit of a day, and
    before the figures are read; running it twice changes nothing."""
    row = fetch_all("heritage", "visits_roll_up", {"today": today or timezone.localdate()})[0]
    return {"days": row["days"], "salts": row["salts"]}


class UsageCountingMiddleware:
    """Counts each request by its path (usage_kind) after the view answered; a failure to count is logged and never
    fails the request. Sets no cookie and reads none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        kind = usage_kind(request, response)
        if kind is None:
            return response
        try:
            with transaction.atomic():
                if kind == UsageCount.Kind.VISITORS:
                    visit_record(address=client_ip(request) or "", user_agent=request.META.get("HTTP_USER_AGENT", ""))
                else:
                    reuse_record(kind=kind)
        except DatabaseError:
            log.exception("could not count a use of the heritage portal (%s)", kind)
        return response
