"""The mixed workload: a request plan made from a fixed seed, clients that send it, and what each answer was.

Kinds and weights: reports created without a photo (20) and with one (5), Open311 listing (15), a
department's queue (15), vector tiles (25), hazard profiles (20), and the peer GET /healthz (5). Every
create carries a tag of its own in its description and as its Idempotency-Key, so the database can be
checked for it afterwards.
"""
import http.client
import io
import json
import math
import random
import threading
import time
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from bench.reliability.stack import PROXY_HEADERS

# The peer, GET /healthz (the stack and one trivial query), shows in the same run how much of a request's time
# is the machine and the queue in front of the workers rather than the request's own work.
MIX = [("create", 20), ("create_photo", 5), ("list", 15), ("queue", 15), ("tile", 25), ("profile", 20), ("peer_health", 5)]
SUCCESS = {"create": {201}, "create_photo": {201}, "list": {200}, "queue": {200}, "tile": {200, 204}, "profile": {200},
           "peer_health": {200}}
CREATES = {"create", "create_photo"}
TILE_COLLECTIONS = ["districts", "heritage-sites", "service-points", "hazard-zones", "public-issues"]
SERVICE_CODES = ["pothole", "street-light-out", "litter", "overflowing-bin", "blocked-drain", "fallen-tree", "graffiti", "other"]
TAG_PREFIX = "reliability-check"


@dataclass
class Context:
    """What the plan draws from: API keys, a token that reads every queue, departments, points, photos."""
    api_keys: list[str]
    token: str
    departments: list[str]
    points: list[tuple[float, float]]
    photos: list[bytes]
    run: str


@dataclass
class Planned:
    kind: str
    method: str
    path: str
    body: bytes | None = None
    headers: dict = field(default_factory=dict)
    tag: str | None = None


def make_context(seed: int, run: str, keys: int = 8) -> Context:
    """API keys with a limit no client reaches, a planner's token, points inside the districts, photos."""
    from django.conf import settings
    from django.contrib.auth.models import Group, User
    from rest_framework.authtoken.models import Token

    from issues.api_keys import api_key_create
    from issues.models import Department

    raw_keys = [api_key_create(name=f"load client {run} {i}", rate_limit_per_minute=1_000_000)[1] for i in range(keys)]
    planner, _ = User.objects.get_or_create(username=f"planner-{run}")
    planner.groups.add(Group.objects.get_or_create(name=settings.PLANNER_GROUP)[0])
    token = Token.objects.get_or_create(user=planner)[0].key
    departments = sorted(Department.objects.values_list("slug", flat=True))
    return Context(api_keys=raw_keys, token=token, departments=departments, points=points_inside_districts(seed),
                   photos=[photo(seed, i) for i in range(4)], run=run)


def points_inside_districts(seed: int, count: int = 400) -> list[tuple[float, float]]:
    from shapely import from_wkb
    from shapely.geometry import Point

    from layers.models import District

    areas = [from_wkb(bytes(geom.wkb)).buffer(-0.0002) for geom in District.objects.order_by("code").values_list("geom", flat=True)]
    rng = random.Random(seed)
    points = []
    while len(points) < count:
        area = rng.choice(areas)
        minx, miny, maxx, maxy = area.bounds
        candidate = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if area.contains(candidate):
            points.append((round(candidate.x, 6), round(candidate.y, 6)))
    return points


def photo(seed: int, number: int) -> bytes:
    """A 1024×768 JPEG photo with shapes on a gradient; the same bytes for the same seed."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed * 100 + number)
    image = Image.linear_gradient("L").resize((1024, 768)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(0, 900), rng.randrange(0, 650)
        draw.rectangle((x, y, x + rng.randrange(20, 120), y + rng.randrange(20, 120)),
                       fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def make_plan(context: Context, count: int, seed: int) -> Iterator[Planned]:
    """The requests, made one at a time (photos make a long plan large)."""
    rng = random.Random(seed)
    kinds, weights = zip(*MIX)
    for number in range(count):
        yield _planned(rng.choices(kinds, weights)[0], number, context, rng)


def _planned(kind: str, number: int, context: Context, rng: random.Random) -> Planned:
    lon, lat = rng.choice(context.points)
    if kind in CREATES:
        tag = f"{TAG_PREFIX}-{context.run}-{number}"
        fields = {"api_key": context.api_keys[number % len(context.api_keys)], "service_code": rng.choice(SERVICE_CODES),
                  "lat": str(lat), "long": str(lon), "description": f"Load check report [{tag}]",
                  "email": f"citizen{number % 97}@example.org"}
        headers = {"Idempotency-Key": tag}
        if kind == "create_photo":
            body, content_type = multipart(fields, "media", "photo.jpg", rng.choice(context.photos), f"reliability{number:x}")
        else:
            body, content_type = urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"
        headers["Content-Type"] = content_type
        return Planned(kind, "POST", "/open311/v2/requests.json", body, headers, tag)
    if kind == "list":
        pad = 0.004
        query = {"page_size": "100"} if rng.random() < 0.5 else {
            "bbox": f"{lon - pad},{lat - pad},{lon + pad},{lat + pad}", "page_size": "100"}
        return Planned(kind, "GET", "/open311/v2/requests.json?" + urllib.parse.urlencode(query))
    if kind == "queue":
        query = urllib.parse.urlencode({"page_size": "50", "sort": rng.choice(["priority", "age", "-age"])})
        return Planned(kind, "GET", f"/api/departments/{rng.choice(context.departments)}/queue?{query}",
                       headers={"Authorization": f"Token {context.token}"})
    if kind == "tile":
        z = rng.randint(12, 15)
        x, y = tile_xy(lon, lat, z)
        return Planned(kind, "GET", f"/ogc/collections/{rng.choice(TILE_COLLECTIONS)}/tiles/WebMercatorQuad/{z}/{y}/{x}")
    if kind == "peer_health":
        return Planned(kind, "GET", "/healthz")
    return Planned(kind, "GET", f"/api/hazards/profile?lat={lat}&lon={lon}")


def tile_xy(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2 ** z
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


def multipart(fields: dict, file_field: str, filename: str, content: bytes, boundary: str) -> tuple[bytes, str]:
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
                 "Content-Type: image/jpeg\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


# ---------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """One attempt: when it started (seconds into the run), how long it took, what came back."""
    kind: str
    started: float
    seconds: float
    status: int | None
    error: str = ""
    retry_after: str | None = None
    well_formed_503: bool | None = None
    tag: str | None = None
    issue_id: int | None = None
    attempt: int = 1


def send(port: int, planned: Planned, started_at: float, timeout: float, attempt: int = 1) -> Outcome:
    start = time.perf_counter()
    outcome = Outcome(planned.kind, start - started_at, 0.0, None, tag=planned.tag, attempt=attempt)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        connection.request(planned.method, planned.path, body=planned.body, headers={**PROXY_HEADERS, **planned.headers})
        response = connection.getresponse()
        body = response.read()
        connection.close()
    except (OSError, http.client.HTTPException) as exc:
        outcome.seconds = time.perf_counter() - start
        outcome.error = exc.__class__.__name__
        return outcome
    outcome.seconds = time.perf_counter() - start
    outcome.status = response.status
    outcome.retry_after = response.getheader("Retry-After")
    if response.status == 503:
        outcome.well_formed_503 = well_formed_503(planned.path, response.getheader("Content-Type", ""), body)
    if planned.kind in CREATES and response.status in (200, 201):
        outcome.issue_id = int(json.loads(body)[0]["service_request_id"])
    return outcome


def well_formed_503(path: str, content_type: str, body: bytes) -> bool:
    """The outage answer in the API's own format: Open311's [{code, description}], OGC's or DRF's JSON."""
    if not content_type.startswith("application/json"):
        return False
    try:
        data = json.loads(body)
    except ValueError:
        return False
    if path.startswith("/open311/"):
        return isinstance(data, list) and data[0].get("code") == 503 and bool(data[0].get("description"))
    if path.startswith("/ogc/"):
        return data.get("code") == "ServiceUnavailable"
    if path == "/healthz":
        return data.get("status") == "unavailable"
    return bool(data.get("detail"))


@dataclass
class Recorder:
    outcomes: list[Outcome] = field(default_factory=list)
    acknowledged: dict[str, int] = field(default_factory=dict)  # tag: issue id
    photo_tags: set[str] = field(default_factory=set)
    attempted_tags: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, outcome: Outcome) -> None:
        with self.lock:
            self.outcomes.append(outcome)
            if outcome.issue_id is not None:
                self.acknowledged[outcome.tag] = outcome.issue_id


def drive(port: int, plan: Iterable[Planned], recorder: Recorder, *, clients: int, seconds: float, retry_creates: bool = False,
          retry_for: float = 120.0, timeout: float = 60.0, stop: threading.Event | None = None,
          started_at: float | None = None) -> float:
    """Send the plan from `clients` threads until it is done, `seconds` have passed or `stop` is set.

    With retry_creates, a create that got no answer, a 5xx or a 429 is sent again, the same body with the same
    Idempotency-Key, after its Retry-After (1 s without one), until it is acknowledged or retry_for has passed.
    Outcomes are timed from started_at (a time.perf_counter() value; now by default). Returns the wall time.
    """
    stop = stop or threading.Event()
    started_at = time.perf_counter() if started_at is None else started_at
    deadline = started_at + seconds
    pending = iter(plan)
    pending_lock = threading.Lock()

    def client():
        while not stop.is_set() and time.perf_counter() < deadline:
            with pending_lock:
                planned = next(pending, None)
            if planned is None:
                return
            if planned.tag:
                with recorder.lock:
                    recorder.attempted_tags.add(planned.tag)
                    if planned.kind == "create_photo":
                        recorder.photo_tags.add(planned.tag)
            outcome = send(port, planned, started_at, timeout)
            recorder.add(outcome)
            give_up = time.perf_counter() + retry_for
            while retry_creates and planned.tag and _should_retry(outcome) and time.perf_counter() < give_up:
                time.sleep(float(outcome.retry_after) if (outcome.retry_after or "").isdigit() else 1.0)
                outcome = send(port, planned, started_at, timeout, attempt=outcome.attempt + 1)
                recorder.add(outcome)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started_at


def _should_retry(outcome: Outcome) -> bool:
    return outcome.status is None or outcome.status >= 500 or outcome.status == 429


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


def latency_table(outcomes: list[Outcome], wall_seconds: float) -> dict:
    """Per kind: requests, answers by status, throughput and p50/p95/p99 of the successful ones (ms)."""
    table = {}
    for kind, _ in MIX:
        mine = [o for o in outcomes if o.kind == kind]
        ok = [o.seconds * 1000 for o in mine if o.status in SUCCESS[kind] or (kind in CREATES and o.status == 200)]
        statuses: dict[str, int] = {}
        for o in mine:
            key = str(o.status) if o.status is not None else o.error
            statuses[key] = statuses.get(key, 0) + 1
        table[kind] = {"requests": len(mine), "answers": dict(sorted(statuses.items())),
                       "per_second": round(len(mine) / wall_seconds, 1) if wall_seconds else 0,
                       "p50_ms": round(percentile(ok, 0.50), 1), "p95_ms": round(percentile(ok, 0.95), 1),
                       "p99_ms": round(percentile(ok, 0.99), 1)}
    return table


def print_table(table: dict) -> None:
    print(f"{'kind':<14}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  answers")
    for kind, row in table.items():
        print(f"{kind:<14}{row['requests']:>9}{row['per_second']:>8}{row['p50_ms']:>9}{row['p95_ms']:>9}{row['p99_ms']:>9}  "
              + ", ".join(f"{k}: {v}" for k, v in row["answers"].items()))
