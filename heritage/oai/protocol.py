"""OAI-PMH 2.0 requests: the verbs and their arguments, datestamps and their granularity, resumption tokens, and the
protocol's own error codes."""
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core import signing

GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
METADATA_PREFIXES = ("oai_dc", "edm")
_LIST_ARGUMENTS = ({"metadataPrefix"}, {"from", "until", "set"})
# verb: (required arguments, optional arguments, whether a resumptionToken may stand in for them)
VERBS = {
    "Identify": (set(), set(), False),
    "ListMetadataFormats": (set(), {"identifier"}, False),
    "ListSets": (set(), set(), True),
    "GetRecord": ({"identifier", "metadataPrefix"}, set(), False),
    "ListIdentifiers": (*_LIST_ARGUMENTS, True),
    "ListRecords": (*_LIST_ARGUMENTS, True),
}
_TOKEN_SALT = "heritage.oai.resumption"


class OAIError(Exception):
    """One of the protocol's errors: `code` as OAI-PMH names it, the message says what to send instead."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ListRequest:
    """What a ListIdentifiers or ListRecords asks for, and where the previous page ended."""

    verb: str
    prefix: str
    set_spec: str | None
    since: datetime | None
    before: datetime | None
    after: tuple[datetime, int] | None = None
    sent: int = 0


def parse_arguments(params) -> tuple[str, dict[str, str]]:
    """The verb and its arguments from a GET query or POST form; badVerb or badArgument when they are wrong."""
    verbs = params.getlist("verb")
    if not verbs:
        raise OAIError("badVerb", "give a verb: Identify, ListMetadataFormats, ListSets, ListIdentifiers, ListRecords "
                                  "or GetRecord")
    if len(verbs) > 1:
        raise OAIError("badVerb", "give the verb once")
    verb = verbs[0]
    if verb not in VERBS:
        raise OAIError("badVerb", f"{verb[:40]!r} is not an OAI-PMH verb; use one of {', '.join(VERBS)}")
    required, optional, resumable = VERBS[verb]
    arguments = {}
    for name in params:
        if name == "verb":
            continue
        values = params.getlist(name)
        if len(values) > 1:
            raise OAIError("badArgument", f"{name[:40]} is given {len(values)} times; give it once")
        allowed = required | optional | ({"resumptionToken"} if resumable else set())
        if name not in allowed:
            raise OAIError("badArgument", f"{verb} takes no argument {name[:40]!r}"
                                          + (f"; it takes {', '.join(sorted(allowed))}" if allowed else ""))
        arguments[name] = values[0]
    if "resumptionToken" in arguments:
        if len(arguments) > 1:
            raise OAIError("badArgument", "resumptionToken is exclusive: send it with the verb only")
        return verb, arguments
    if missing := sorted(required - arguments.keys()):
        raise OAIError("badArgument", f"{verb} needs {', '.join(missing)}")
    return verb, arguments


def parse_datestamp(raw: str, *, argument: str) -> tuple[datetime, timedelta]:
    """A from/until datestamp (a day, or a second in UTC) and its granularity's step."""
    for pattern, step in (("%Y-%m-%d", timedelta(days=1)), ("%Y-%m-%dT%H:%M:%SZ", timedelta(seconds=1))):
        try:
            return datetime.strptime(raw, pattern).replace(tzinfo=UTC), step
        except ValueError:
            continue
    raise OAIError("badArgument", f"{argument} must be a date YYYY-MM-DD or a UTC time YYYY-MM-DDThh:mm:ssZ; "
                                  f"got {raw[:40]!r}")


def list_request(verb: str, arguments: dict[str, str]) -> ListRequest:
    """The list asked for, from the arguments or from a resumption token (checked to belong to this verb)."""
    if "resumptionToken" in arguments:
        return _read_token(verb, arguments["resumptionToken"])
    prefix = arguments["metadataPrefix"]
    since = before = None
    steps = []
    if "from" in arguments:
        since, step = parse_datestamp(arguments["from"], argument="from")
        steps.append(step)
    if "until" in arguments:
        until, step = parse_datestamp(arguments["until"], argument="until")
        before = until + step  # until is inclusive at its granularity
        steps.append(step)
    if len(set(steps)) > 1:
        raise OAIError("badArgument", "from and until must have the same granularity (both days or both seconds)")
    if since is not None and before is not None and since >= before:
        raise OAIError("badArgument", "from must not be later than until")
    return ListRequest(verb=verb, prefix=prefix, set_spec=arguments.get("set"), since=since, before=before)


def check_prefix(prefix: str) -> None:
    if prefix not in METADATA_PREFIXES:
        raise OAIError("cannotDisseminateFormat",
                       f"metadataPrefix {prefix[:40]!r} is not offered; use {' or '.join(METADATA_PREFIXES)}")


def next_token(request: ListRequest, *, last: tuple[datetime, int], sent: int) -> str:
    """An opaque, signed token: the same list, after the (change time, id) of the page's last record."""
    payload = {"v": request.verb, "p": request.prefix, "s": request.set_spec,
               "f": _iso(request.since), "b": _iso(request.before), "m": last[0].isoformat(), "i": last[1], "n": sent}
    return signing.dumps(payload, salt=_TOKEN_SALT, compress=True)


def _read_token(verb: str, token: str) -> ListRequest:
    try:
        payload = signing.loads(token, salt=_TOKEN_SALT)
        if payload["v"] != verb:
            raise OAIError("badResumptionToken", f"this resumptionToken continues {payload['v']}, not {verb}")
        return ListRequest(verb=verb, prefix=payload["p"], set_spec=payload["s"], since=_datetime(payload["f"]),
                           before=_datetime(payload["b"]), after=(datetime.fromisoformat(payload["m"]), int(payload["i"])),
                           sent=int(payload["n"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise OAIError("badResumptionToken", "the resumptionToken is not one this repository issued; "
                                             "start the list again without it") from None


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _datetime(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def datestamp(value: datetime) -> str:
    """A change time as the repository's granularity shows it (seconds, UTC)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
