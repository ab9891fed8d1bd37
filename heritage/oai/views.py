"""The OAI-PMH endpoint, /oai: one view answering the six verbs (GET or POST) with the protocol's XML."""
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml import etree

from .. import selectors
from .metadata import FORMATS, RECORD_BUILDERS, ResourceUris
from .protocol import GRANULARITY, OAIError, check_prefix, datestamp, list_request, next_token, parse_arguments

OAI = "http://www.openarchives.org/OAI/2.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_IDENTIFIER = "http://www.openarchives.org/OAI/2.0/oai-identifier"


def _el(parent, name: str, text=None, ns: str = OAI, **attributes):
    element = etree.SubElement(parent, f"{{{ns}}}{name}", {k: str(v) for k, v in attributes.items()})
    if text is not None:
        element.text = str(text)
    return element


def _oai_identifier(identifier: str) -> str:
    return f"oai:{settings.HERITAGE_OAI_REPOSITORY_ID}:{identifier}"


def _local_identifier(oai_identifier: str) -> str:
    prefix = f"oai:{settings.HERITAGE_OAI_REPOSITORY_ID}:"
    return oai_identifier[len(prefix):] if oai_identifier.startswith(prefix) else ""


@csrf_exempt  # harvesters may POST their arguments; nothing is written
@require_http_methods(["GET", "HEAD", "POST"])
def oai_pmh(request):
    """OAI-PMH 2.0: Identify, ListMetadataFormats, ListSets, ListIdentifiers, ListRecords, GetRecord."""
    params = request.POST if request.method == "POST" else request.GET
    base_url = request.build_absolute_uri("/oai")
    root = etree.Element(f"{{{OAI}}}OAI-PMH", nsmap={None: OAI, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd")
    _el(root, "responseDate", datestamp(timezone.now()))
    echo = _el(root, "request", base_url)
    try:
        verb, arguments = parse_arguments(params)
        for name, value in {"verb": verb, **arguments}.items():
            echo.set(name, value)  # echoed only for a request the protocol accepts
        ANSWERS[verb](root, arguments, ResourceUris(request.build_absolute_uri("/")), base_url)
    except OAIError as error:
        if error.code in ("badVerb", "badArgument"):
            echo.attrib.clear()
        for child in list(root)[2:]:
            root.remove(child)
        _el(root, "error", error.message, code=error.code)
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


def _identify(root, arguments, uris, base_url):
    earliest = selectors.earliest_change() or timezone.now()
    identify = _el(root, "Identify")
    _el(identify, "repositoryName", settings.HERITAGE_OAI_REPOSITORY_NAME)
    _el(identify, "baseURL", base_url)
    _el(identify, "protocolVersion", "2.0")
    _el(identify, "adminEmail", settings.HERITAGE_OAI_ADMIN_EMAIL)
    _el(identify, "earliestDatestamp", datestamp(earliest))
    _el(identify, "deletedRecord", "persistent")
    _el(identify, "granularity", GRANULARITY)
    description = _el(identify, "description")
    scheme = etree.SubElement(description, f"{{{OAI_IDENTIFIER}}}oai-identifier", nsmap={None: OAI_IDENTIFIER})
    scheme.set(f"{{{XSI}}}schemaLocation", f"{OAI_IDENTIFIER} http://www.openarchives.org/OAI/2.0/oai-identifier.xsd")
    _el(scheme, "scheme", "oai", ns=OAI_IDENTIFIER)
    _el(scheme, "repositoryIdentifier", settings.HERITAGE_OAI_REPOSITORY_ID, ns=OAI_IDENTIFIER)
    _el(scheme, "delimiter", ":", ns=OAI_IDENTIFIER)
    _el(scheme, "sampleIdentifier", _oai_identifier("rotunda"), ns=OAI_IDENTIFIER)


def _list_metadata_formats(root, arguments, uris, base_url):
    if "identifier" in arguments:
        _record_or_error(arguments["identifier"])
    formats = _el(root, "ListMetadataFormats")
    for prefix, (schema, namespace) in FORMATS.items():
        entry = _el(formats, "metadataFormat")
        _el(entry, "metadataPrefix", prefix)
        _el(entry, "schema", schema)
        _el(entry, "metadataNamespace", namespace)


def _list_sets(root, arguments, uris, base_url):
    if "resumptionToken" in arguments:
        raise OAIError("badResumptionToken", "the list of sets comes whole, in one answer: ask again without a token")
    sets = _el(root, "ListSets")
    for spec, name in selectors.harvest_sets():
        entry = _el(sets, "set")
        _el(entry, "setSpec", spec)
        _el(entry, "setName", name)


def _get_record(root, arguments, uris, base_url):
    check_prefix(arguments["metadataPrefix"])
    obj = _record_or_error(arguments["identifier"])
    _record(_el(root, "GetRecord"), obj, arguments["metadataPrefix"], uris)


def _list(root, arguments, uris, base_url, *, with_metadata: bool):
    verb = "ListRecords" if with_metadata else "ListIdentifiers"
    request = list_request(verb, arguments)
    check_prefix(request.prefix)
    where = None
    if request.set_spec is not None:
        where = selectors.set_filter(request.set_spec)
        if where is None:
            raise OAIError("noRecordsMatch", f"there is no set {request.set_spec[:60]!r}; ListSets names them")
    whole = selectors.objects_changed(since=request.since, before=request.before, where=where)
    page = list(selectors.objects_changed(since=request.since, before=request.before, where=where,
                                          after=request.after)[: settings.HERITAGE_OAI_PAGE_SIZE + 1])
    if not page and request.after is None:
        raise OAIError("noRecordsMatch", "no record matches these from, until and set")
    more, page = len(page) > settings.HERITAGE_OAI_PAGE_SIZE, page[: settings.HERITAGE_OAI_PAGE_SIZE]
    listing = _el(root, verb)
    for obj in page:
        if with_metadata:
            _record(listing, obj, request.prefix, uris)
        else:
            _header(listing, obj)
    if more or request.after is not None:  # the last page of a resumed list carries an empty token
        sent = request.sent + len(page)
        token = next_token(request, last=(page[-1].modified, page[-1].id), sent=sent) if more else None
        _el(listing, "resumptionToken", token, completeListSize=whole.count(), cursor=request.sent)


def _record_or_error(oai_identifier: str):
    obj = selectors.object_by_identifier(_local_identifier(oai_identifier))
    if obj is None:
        raise OAIError("idDoesNotExist", f"no record {oai_identifier[:80]!r}; identifiers look like "
                                         f"{_oai_identifier('rotunda')!r}")
    return obj


def _header(parent, obj):
    header = _el(parent, "header", **({"status": "deleted"} if obj.deleted else {}))
    _el(header, "identifier", _oai_identifier(obj.identifier))
    _el(header, "datestamp", datestamp(obj.modified))
    _el(header, "setSpec", f"organisation:{obj.organisation.slug}")
    if obj.monument is not None:
        _el(header, "setSpec", f"site:{obj.monument.site.slug}")


def _record(parent, obj, prefix: str, uris: ResourceUris):
    record = _el(parent, "record")
    _header(record, obj)
    if not obj.deleted:
        _el(record, "metadata").append(RECORD_BUILDERS[prefix](obj, uris))


ANSWERS = {
    "Identify": _identify,
    "ListMetadataFormats": _list_metadata_formats,
    "ListSets": _list_sets,
    "GetRecord": _get_record,
    "ListIdentifiers": lambda *args: _list(*args, with_metadata=False),
    "ListRecords": lambda *args: _list(*args, with_metadata=True),
}
