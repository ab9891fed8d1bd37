"""Heritage records shaped by the Europeana Data Model: organisations (data providers), monuments (the heritage
sites of `layers`), cultural objects (edm:ProvidedCHO) with their same-as links and media files."""
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.db.models import Q, Value
from django.db.models.functions import Now

from .vocabularies import EDM_TYPE_CHOICES, KIND_CHOICES, PERIOD_CHOICES, SAME_AS_CHOICES


class Organisation(models.Model):
    """A data provider: a museum, the Municipal Art Gallery, an ephorate of antiquities, an archive."""

    class Kind(models.TextChoices):
        MUSEUM = "museum"
        GALLERY = "gallery"
        EPHORATE = "ephorate"
        ARCHIVE = "archive"
        MUNICIPALITY = "municipality"

    slug = models.SlugField(max_length=80, unique=True)
    name_el = models.CharField("name (Greek)", max_length=200)
    name_en = models.CharField("name (English)", max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    website = models.URLField(blank=True, default="", db_default="")
    place = models.PointField(srid=4326, null=True, blank=True)
    provenance = models.TextField(blank=True, default="", db_default="")
    created = models.DateTimeField(auto_now_add=True, db_default=Now())
    modified = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name_en


class Monument(models.Model):
    """The heritage side of a site of the heritage layer: its name and place stay in `layers.HeritageSite` (the
    map layer, the OGC collection, the gazetteer); what the portal adds about it hangs here."""

    site = models.OneToOneField("layers.HeritageSite", on_delete=models.PROTECT, related_name="monument")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="monuments", help_text="Who looks after it (an ephorate, a museum).")
    created = models.DateTimeField(auto_now_add=True, db_default=Now())
    modified = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        ordering = ["site__name_en"]

    def __str__(self) -> str:
        return str(self.site)


class CulturalObject(models.Model):
    """A cultural heritage object (edm:ProvidedCHO): a monument's own record, or an object held or digitised.
    A deleted object stays as a tombstone (`deleted`), so harvesters learn of the deletion."""

    identifier = models.SlugField(max_length=120, unique=True, help_text="Stable local identifier (OAI-PMH, imports).")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cultural_objects")
    monument = models.ForeignKey(Monument, on_delete=models.PROTECT, null=True, blank=True, related_name="cultural_objects",
                                 help_text="The monument or site it belongs to (its place when it has none).")
    describes_monument = models.BooleanField(default=False, db_default=False,
                                             help_text="This is the monument's own record, not an object of it.")
    kind = models.CharField(max_length=16, choices=KIND_CHOICES)
    edm_type = models.CharField("EDM type", max_length=8, choices=EDM_TYPE_CHOICES)
    title_el = models.CharField("title (Greek)", max_length=300, blank=True, default="", db_default="")
    title_en = models.CharField("title (English)", max_length=300, blank=True, default="", db_default="")
    description_el = models.TextField(blank=True, default="", db_default="")
    description_en = models.TextField(blank=True, default="", db_default="")
    subjects = ArrayField(models.CharField(max_length=120), default=list, blank=True,
                          db_default=Value([], output_field=ArrayField(models.CharField(max_length=120))))
    period = models.CharField(max_length=24, choices=PERIOD_CHOICES, blank=True, default="", db_default="")
    date = models.CharField(max_length=11, blank=True, default="", db_default="",
                            help_text="ISO 8601 year, year-month or date (e.g. 1310, 1978-06-20).")
    place = models.GeometryField(srid=4326, null=True, blank=True, help_text="Its own place; else its monument's.")
    creator = models.CharField(max_length=300, blank=True, default="", db_default="")
    rights = models.URLField(max_length=120, help_text="Creative Commons or rightsstatements.org URI.")
    attribution = models.TextField(help_text="Credit line: author, title, licence, source.")
    provenance = models.TextField(blank=True, default="", db_default="")
    created = models.DateTimeField(auto_now_add=True, db_default=Now())
    modified = models.DateTimeField(auto_now=True, db_default=Now(), db_index=False)
    deleted = models.DateTimeField(null=True, blank=True, help_text="When it was withdrawn (a tombstone).")

    class Meta:
        ordering = ["modified", "id"]
        indexes = [models.Index(fields=["modified", "id"], name="culturalobject_change_order")]
        constraints = [
            models.CheckConstraint(condition=Q(place__isnull=False) | Q(monument__isnull=False),
                                   name="culturalobject_has_place", violation_error_message=
                                   "place: an object needs a place of its own or a monument it belongs to"),
            models.CheckConstraint(condition=~Q(title_el="") | ~Q(title_en=""), name="culturalobject_has_title",
                                   violation_error_message="title: give a title in Greek or English"),
            models.CheckConstraint(condition=~Q(period="") | ~Q(date=""), name="culturalobject_has_date",
                                   violation_error_message="date: give a date or a period"),
            models.CheckConstraint(condition=~Q(subjects=[]), name="culturalobject_has_subject",
                                   violation_error_message="subjects: give at least one subject"),
            models.CheckConstraint(condition=Q(describes_monument=False) | Q(monument__isnull=False),
                                   name="culturalobject_monument_record_has_monument"),
            models.UniqueConstraint(fields=["monument"], condition=Q(describes_monument=True),
                                    name="culturalobject_one_record_per_monument"),
        ]

    def __str__(self) -> str:
        return self.title_en or self.title_el

    @property
    def title(self) -> str:
        return self.title_en or self.title_el


class SameAs(models.Model):
    """The same thing elsewhere: a Wikidata item or a UNESCO World Heritage component number, with its source."""

    cultural_object = models.ForeignKey(CulturalObject, on_delete=models.CASCADE, related_name="same_as")
    scheme = models.CharField(max_length=16, choices=SAME_AS_CHOICES)
    identifier = models.CharField(max_length=32)
    source = models.CharField(max_length=300, blank=True, default="", db_default="",
                              help_text="Where the link was taken from.")

    class Meta:
        ordering = ["scheme", "identifier"]
        constraints = [
            models.UniqueConstraint(fields=["cultural_object", "scheme", "identifier"], name="sameas_unique"),
            models.CheckConstraint(
                condition=Q(scheme="wikidata", identifier__regex=r"^Q[1-9][0-9]*$")
                | Q(scheme="unesco", identifier__regex=r"^456-0(0[1-9]|1[0-5])$"),
                name="sameas_identifier_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme}:{self.identifier}"


class MediaFile(models.Model):
    """A digital representation of an object (edm:WebResource): a file under MEDIA_ROOT, its type and size."""

    cultural_object = models.ForeignKey(CulturalObject, on_delete=models.CASCADE, related_name="media")
    path = models.CharField(max_length=300, help_text="Relative to MEDIA_ROOT.")
    mime = models.CharField(max_length=80)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    attribution = models.TextField(blank=True, default="", db_default="")
    position = models.PositiveSmallIntegerField(default=0, db_default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["cultural_object", "path"], name="mediafile_unique_path")]

    def __str__(self) -> str:
        return self.path


class Journey(models.Model):
    """What tours and walking routes share: a slug, a title and a story in Greek and English, provenance."""

    slug = models.SlugField(max_length=80, unique=True)
    title_el = models.CharField("title (Greek)", max_length=200)
    title_en = models.CharField("title (English)", max_length=200)
    description_el = models.TextField(blank=True, default="", db_default="")
    description_en = models.TextField(blank=True, default="", db_default="")
    provenance = models.TextField(blank=True, default="", db_default="")
    created = models.DateTimeField(auto_now_add=True, db_default=Now())
    modified = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        abstract = True
        ordering = ["title_en"]

    def __str__(self) -> str:
        return self.title_en


class Tour(Journey):
    """A virtual tour: 360° panoramas (scenes) placed by their coordinates, linked by hotspots."""

    class Meta(Journey.Meta):
        pass


class TourScene(models.Model):
    """A scene of a tour: an equirectangular panorama (a media file of a panorama object), where it was taken, the
    view it opens on, and the monument it shows (if any)."""

    tour = models.ForeignKey(Tour, on_delete=models.CASCADE, related_name="scenes")
    slug = models.SlugField(max_length=80)
    position = models.PositiveSmallIntegerField()
    title_el = models.CharField("title (Greek)", max_length=200)
    title_en = models.CharField("title (English)", max_length=200)
    description_el = models.TextField(blank=True, default="", db_default="")
    description_en = models.TextField(blank=True, default="", db_default="")
    panorama = models.ForeignKey(MediaFile, on_delete=models.PROTECT, related_name="tour_scenes")
    monument = models.ForeignKey(Monument, on_delete=models.PROTECT, null=True, blank=True, related_name="tour_scenes")
    place = models.PointField(srid=4326)
    yaw = models.FloatField(default=0, db_default=0, help_text="Initial view: degrees east of the image's centre.")
    pitch = models.FloatField(default=0, db_default=0, help_text="Initial view: degrees above the horizon.")

    class Meta:
        ordering = ["tour", "position"]
        constraints = [
            models.UniqueConstraint(fields=["tour", "slug"], name="tourscene_unique_slug"),
            models.UniqueConstraint(fields=["tour", "position"], name="tourscene_unique_position"),
            models.CheckConstraint(condition=Q(yaw__gte=-180, yaw__lte=180, pitch__gte=-90, pitch__lte=90),
                                   name="tourscene_view_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.tour.slug}/{self.slug}"


class TourHotspot(models.Model):
    """A point of a scene's panorama (yaw, pitch) that leads to another scene of the same tour or to an object."""

    scene = models.ForeignKey(TourScene, on_delete=models.CASCADE, related_name="hotspots")
    yaw = models.FloatField()
    pitch = models.FloatField()
    target_scene = models.ForeignKey(TourScene, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    target_object = models.ForeignKey(CulturalObject, on_delete=models.CASCADE, null=True, blank=True,
                                      related_name="tour_hotspots")
    label_el = models.CharField("label (Greek)", max_length=200)
    label_en = models.CharField("label (English)", max_length=200)

    class Meta:
        ordering = ["scene", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(target_scene__isnull=False) ^ Q(target_object__isnull=False),
                                   name="tourhotspot_one_target"),
            models.CheckConstraint(condition=Q(yaw__gte=-180, yaw__lte=180, pitch__gte=-90, pitch__lte=90),
                                   name="tourhotspot_in_range"),
        ]


class Route(Journey):
    """A curated walking route: a line on the map with a story, and its ordered stops."""

    geom = models.LineStringField(srid=4326)

    class Meta(Journey.Meta):
        pass


class RouteStop(models.Model):
    """A stop of a route, in order: a monument, an object or a panorama (a tour's scene), with its text and audio in
    Greek and English."""

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="stops")
    position = models.PositiveSmallIntegerField()
    monument = models.ForeignKey(Monument, on_delete=models.PROTECT, null=True, blank=True, related_name="route_stops")
    cultural_object = models.ForeignKey(CulturalObject, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="route_stops")
    scene = models.ForeignKey(TourScene, on_delete=models.PROTECT, null=True, blank=True, related_name="route_stops")
    title_el = models.CharField("title (Greek)", max_length=200)
    title_en = models.CharField("title (English)", max_length=200)
    text_el = models.TextField(blank=True, default="", db_default="")
    text_en = models.TextField(blank=True, default="", db_default="")
    audio_el = models.ForeignKey(MediaFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    audio_en = models.ForeignKey(MediaFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["route", "position"]
        constraints = [
            models.UniqueConstraint(fields=["route", "position"], name="routestop_unique_position"),
            models.CheckConstraint(
                condition=(Q(monument__isnull=False, cultural_object__isnull=True, scene__isnull=True)
                           | Q(monument__isnull=True, cultural_object__isnull=False, scene__isnull=True)
                           | Q(monument__isnull=True, cultural_object__isnull=True, scene__isnull=False)),
                name="routestop_one_place"),
        ]
# --- heritage at risk and the portal's figures ------------------------------------------------------------------

class MonumentStructure(models.Model):
    """How a monument is built, for earthquake scenarios: a fragility class of `hazards.scenarios.fragility`.
    A monument without one is taken as unreinforced masonry (settings.HERITAGE_DEFAULT_BUILDING_CLASS)."""

    monument = models.OneToOneField(Monument, on_delete=models.CASCADE, related_name="structure")
    building_class = models.CharField(max_length=32, help_text="A fragility class, e.g. urm-pre1960.")
    source = models.CharField(max_length=300, blank=True, default="", db_default="",
                              help_text="Where the structural type was taken from.")

    def __str__(self) -> str:
        return f"{self.monument}: {self.building_class}"


class VisitSalt(models.Model):
    """The day's random salt of the visitor hashes; deleted with the day's hashes when the day is counted."""

    day = models.DateField(primary_key=True)
    salt = models.BinaryField(max_length=32)


class VisitHash(models.Model):
    """One visitor of one day: a hash of the day's salt, the address and the browser (never the address itself).
    Kept only during that day: counting the day deletes them."""

    day = models.DateField()
    digest = models.BinaryField(max_length=32)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "digest"], name="visithash_once_per_day")]


class UsageCount(models.Model):
    """A day's count of one kind of use of the portal: visitors, IIIF manifests, IIIF info.json, OAI-PMH harvests."""

    class Kind(models.TextChoices):
        VISITORS = "visitors"
        IIIF_PRESENTATION = "iiif_presentation"
        IIIF_INFO = "iiif_info"
        OAI_HARVEST = "oai_harvest"

    day = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    count = models.PositiveIntegerField(default=0, db_default=0)

    class Meta:
        ordering = ["day", "kind"]
        constraints = [models.UniqueConstraint(fields=["day", "kind"], name="usagecount_one_per_day_and_kind")]
