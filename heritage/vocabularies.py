"""The controlled values of heritage records: periods, EDM types, kinds of object, rights URIs, same-as identifiers."""
import re
from dataclasses import dataclass

from .errors import HeritageError


@dataclass(frozen=True)
class Period:
    """A period of the city's history, with approximate bounding years (negative: BC) for an edm:TimeSpan."""

    slug: str
    label_el: str
    label_en: str
    begin: int
    end: int | None


# Approximate, for Thessaloniki: founded 315 BC, Roman from 168 BC, Ottoman from 1430, Greek from 1912.
PERIODS = {period.slug: period for period in (
    Period("hellenistic", "Ελληνιστική περίοδος", "Hellenistic", -315, -168),
    Period("roman", "Ρωμαϊκή περίοδος", "Roman", -168, 330),
    Period("early-christian", "Παλαιοχριστιανική περίοδος", "Early Christian", 313, 730),
    Period("byzantine", "Βυζαντινή περίοδος", "Byzantine", 730, 1430),
    Period("ottoman", "Οθωμανική περίοδος", "Ottoman", 1430, 1912),
    Period("modern", "Νεότερη περίοδος", "Modern", 1912, None),
)}
PERIOD_CHOICES = [(p.slug, p.label_en) for p in PERIODS.values()]

# edm:type: Europeana's five values for the digital representation of an object.
EDM_TYPES = ("IMAGE", "TEXT", "3D", "VIDEO", "SOUND")
EDM_TYPE_CHOICES = [(value, value) for value in EDM_TYPES]

# dc:type: what the object is, in both languages.
KINDS = {
    "monument": ("Μνημείο", "Monument"),
    "photograph": ("Φωτογραφία", "Photograph"),
    "artwork": ("Έργο τέχνης", "Artwork"),
    "document": ("Έγγραφο", "Document"),
    "map": ("Χάρτης", "Map"),
    "3d-model": ("Τρισδιάστατο μοντέλο", "3D model"),
    "panorama": ("Πανόραμα 360°", "360° panorama"),
    "audio": ("Ηχογράφηση", "Sound recording"),
    "video": ("Βίντεο", "Video"),
}
KIND_CHOICES = [(slug, labels[1]) for slug, labels in KINDS.items()]

# The rights statements Europeana accepts: Creative Commons licences (optionally ported to a jurisdiction) and
# public-domain tools, and rightsstatements.org statements; stored in their canonical http:// form.
_CREATIVE_COMMONS = re.compile(
    r"^https?://creativecommons\.org/(?:licenses/(?P<licence>by|by-sa|by-nd|by-nc|by-nc-sa|by-nc-nd)/(?P<version>\d\.\d)"
    r"(?:/(?P<port>[a-z]{2}))?|publicdomain/(?P<tool>zero|mark)/1\.0)/?$")
_RIGHTS_STATEMENTS = re.compile(
    r"^https?://rightsstatements\.org/(?:vocab|page)/(?P<statement>InC|InC-EDU|InC-OW-EU|NoC-NC|NoC-OKLR|CNE)/1\.0/?$")
RIGHTS_HELP = ("a Creative Commons licence or public-domain tool URI (e.g. http://creativecommons.org/licenses/by-sa/4.0/) "
               "or a rightsstatements.org statement URI (e.g. http://rightsstatements.org/vocab/InC/1.0/)")


def rights_uri(raw: str, *, field: str = "rights") -> str:
    """The canonical rights URI (http://, trailing slash) for a Creative Commons or rightsstatements.org URI."""
    value = (raw or "").strip()
    if match := _CREATIVE_COMMONS.match(value):
        if match["tool"]:
            return f"http://creativecommons.org/publicdomain/{match['tool']}/1.0/"
        port = f"{match['port']}/" if match["port"] else ""
        return f"http://creativecommons.org/licenses/{match['licence']}/{match['version']}/{port}"
    if match := _RIGHTS_STATEMENTS.match(value):
        return f"http://rightsstatements.org/vocab/{match['statement']}/1.0/"
    raise HeritageError(field, f"must be {RIGHTS_HELP}; got {value[:120]!r}")


# Links to the same thing elsewhere: a Wikidata item, or a component of World Heritage property 456.
SAME_AS_SCHEMES = {
    "wikidata": (re.compile(r"^Q[1-9][0-9]*$"), "a Wikidata item id such as Q17151"),
    "unesco": (re.compile(r"^456-0(?:0[1-9]|1[0-5])$"), "a component number of World Heritage property 456, "
               "from 456-001 to 456-015"),
}
SAME_AS_CHOICES = [("wikidata", "Wikidata item"), ("unesco", "UNESCO World Heritage component")]


def same_as_identifier(scheme: str, raw: str, *, field: str = "same_as") -> str:
    """The identifier checked against its scheme (Wikidata Q-ids, UNESCO component numbers 456-001..456-015)."""
    if scheme not in SAME_AS_SCHEMES:
        raise HeritageError(field, f"scheme must be one of {', '.join(SAME_AS_SCHEMES)}; got {scheme!r}")
    pattern, help_text = SAME_AS_SCHEMES[scheme]
    value = (raw or "").strip()
    if not pattern.match(value):
        raise HeritageError(field, f"{scheme} identifier must be {help_text}; got {value[:60]!r}")
    return value


def same_as_uri(scheme: str, identifier: str) -> str:
    """A resolvable URI for a same-as link (a component number has no page of its own: its property's)."""
    if scheme == "wikidata":
        return f"http://www.wikidata.org/entity/{identifier}"
    return "https://whc.unesco.org/en/list/456/"


_DATE = re.compile(r"^-?\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$")


def object_date(raw: str, *, field: str = "date") -> str:
    """A date as ISO 8601 year, year-month or day (negative years BC); blank when only a period is known."""
    value = (raw or "").strip()
    if value and not _DATE.match(value):
        raise HeritageError(field, f"must be a year, year-month or date as YYYY, YYYY-MM or YYYY-MM-DD; got {value[:40]!r}")
    return value


# Licence names as Wikimedia Commons writes them in a file's attribution ("CC BY-SA 4.0", "CC0", "Public domain").
_COMMONS_LICENCE = re.compile(r"^CC[ -](?P<licence>BY(?:-SA|-ND|-NC|-NC-SA|-NC-ND)?)[ -](?P<version>\d\.\d)(?:[ -](?P<port>[A-Za-z]{2}))?$",
                              re.IGNORECASE)


def licence_uri(name: str, *, field: str = "licence") -> str:
    """The rights URI of a Commons-style licence name, or of a licence given as its URI."""
    value = (name or "").strip()
    if value.lower().startswith(("http://", "https://")):
        return rights_uri(value, field=field)
    if value.upper() in ("CC0", "CC0 1.0", "CC ZERO"):
        return "http://creativecommons.org/publicdomain/zero/1.0/"
    if value.lower() in ("public domain", "pdm", "public domain mark"):
        return "http://creativecommons.org/publicdomain/mark/1.0/"
    if match := _COMMONS_LICENCE.match(value):
        port = f"{match['port'].lower()}/" if match["port"] else ""
        return rights_uri(f"http://creativecommons.org/licenses/{match['licence'].lower()}/{match['version']}/{port}",
                          field=field)
    raise HeritageError(field, f"must be a licence name such as 'CC BY-SA 4.0', 'CC0' or 'Public domain', or {RIGHTS_HELP}; "
                               f"got {value[:80]!r}")


_STATEMENT_LABELS = {
    "InC": ("Προστατεύεται από πνευματικά δικαιώματα", "In Copyright"),
    "InC-EDU": ("Προστατεύεται από πνευματικά δικαιώματα – επιτρέπεται η εκπαιδευτική χρήση",
                "In Copyright – Educational Use Permitted"),
    "InC-OW-EU": ("Προστατεύεται από πνευματικά δικαιώματα – ορφανό έργο (ΕΕ)", "In Copyright – EU Orphan Work"),
    "NoC-NC": ("Χωρίς πνευματικά δικαιώματα – μόνο μη εμπορική χρήση", "No Copyright – Non-Commercial Use Only"),
    "NoC-OKLR": ("Χωρίς πνευματικά δικαιώματα – άλλοι γνωστοί νομικοί περιορισμοί",
                 "No Copyright – Other Known Legal Restrictions"),
    "CNE": ("Τα πνευματικά δικαιώματα δεν έχουν αξιολογηθεί", "Copyright Not Evaluated"),
}


def rights_label(uri: str) -> tuple[str, str]:
    """The name of a rights URI a reader knows, in Greek and English ("CC BY-SA 4.0", "In Copyright")."""
    if match := _CREATIVE_COMMONS.match(uri or ""):
        if match["tool"] == "zero":
            return "CC0 1.0 – αφιέρωση στον δημόσιο τομέα", "CC0 1.0 – public domain dedication"
        if match["tool"] == "mark":
            return "Σήμα δημόσιου τομέα 1.0", "Public Domain Mark 1.0"
        port = f" ({match['port'].upper()})" if match["port"] else ""
        name = f"CC {match['licence'].upper()} {match['version']}{port}"
        return name, name
    if match := _RIGHTS_STATEMENTS.match(uri or ""):
        return _STATEMENT_LABELS[match["statement"]]
    return uri, uri
