"""Municipalities and districts, with the ST_Subdivide pieces used for point-in-polygon lookups."""
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GinIndex
from django.db.models.functions import Now


class Area(models.Model):
    """What municipalities and districts share: a code, names in Greek and English, a boundary."""

    code = models.CharField(max_length=32, unique=True, help_text="Official code (YPES code for municipalities).")
    name_el = models.CharField("name (Greek)", max_length=200)
    name_en = models.CharField("name (English)", max_length=200, blank=True, default="", db_default="")
    geom = models.MultiPolygonField(srid=4326)
    provenance = models.TextField(blank=True, help_text="Where the boundary comes from and how exact it is.", default="", db_default="")
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name_en or self.name_el} ({self.code})"

    @property
    def name(self) -> str:
        return self.name_en or self.name_el


class Municipality(Area):
    """A municipality: the one the server serves, or a neighbour imported to name where a point lies."""

    class Meta(Area.Meta):
        verbose_name_plural = "municipalities"


class District(Area):
    """A municipal district (Δημοτική Κοινότητα) of the served municipality."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="districts")
    population = models.PositiveIntegerField(null=True, blank=True, help_text="Residents, for exposure estimates.")


class AreaPiece(models.Model):
    """A piece of at most a few dozen vertices, cut by ST_Subdivide; maintained by a database trigger."""

    geom = models.PolygonField(srid=4326)

    class Meta:
        abstract = True


class MunicipalityPiece(AreaPiece):
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="pieces")


class DistrictPiece(AreaPiece):
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="pieces")


class Place(models.Model):
    """A named place of the gazetteer (street, square, landmark, heritage site) for address search."""

    class Kind(models.TextChoices):
        STREET = "street"
        SQUARE = "square"
        LANDMARK = "landmark"
        HERITAGE = "heritage"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    name_el = models.CharField("name (Greek)", max_length=200)
    name_en = models.CharField("name (English)", max_length=200)
    geom = models.PointField(srid=4326)
    provenance = models.CharField(max_length=300, blank=True, default="", db_default="")

    class Meta:
        ordering = ["name_en"]
        constraints = [models.UniqueConstraint(fields=["kind", "name_el"], name="place_unique_kind_name")]

    def __str__(self) -> str:
        return f"{self.name_en} / {self.name_el}"


class PlaceName(models.Model):
    """One searchable name of a place, as its search key (Latin script, no accents); trigram-indexed."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="names")
    key = models.CharField(max_length=200)

    class Meta:
        indexes = [GinIndex(fields=["key"], opclasses=["gin_trgm_ops"], name="placename_key_trgm")]
        constraints = [models.UniqueConstraint(fields=["place", "key"], name="placename_unique")]

    def save(self, *args, **kwargs):
        from .gazetteer import search_key

        self.key = search_key(self.key)  # stored as searched: Latin script, no accents, lower case
        super().save(*args, **kwargs)


class HeritageSite(models.Model):
    """A cultural-heritage site: a monument, museum or archaeological site, with a point and maybe a footprint."""

    class Kind(models.TextChoices):
        MONUMENT = "monument"
        CHURCH = "church"
        MUSEUM = "museum"
        ARCHAEOLOGICAL_SITE = "archaeological_site"
        FORTIFICATION = "fortification"
        LANDMARK = "landmark"

    slug = models.SlugField(max_length=80, unique=True)
    name_el = models.CharField("name (Greek)", max_length=200)
    name_en = models.CharField("name (English)", max_length=200)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    period = models.CharField(max_length=100, blank=True, help_text="e.g. Early Christian, 4th century", default="", db_default="")
    unesco_component = models.BooleanField(default=False, help_text="A component of World Heritage site 456.", db_default=False)
    description_el = models.TextField(blank=True, default="", db_default="")
    description_en = models.TextField(blank=True, default="", db_default="")
    image_url = models.URLField(blank=True, default="", db_default="")
    geom = models.PointField(srid=4326)
    footprint = models.MultiPolygonField(srid=4326, null=True, blank=True)
    provenance = models.CharField(max_length=300, blank=True, default="", db_default="")
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name_en


class PublicService(models.Model):
    """A municipal service in the spirit of CPSV-AP: what it is, who is competent, through which channels."""

    identifier = models.SlugField(max_length=80, unique=True)
    name_el = models.CharField("name (Greek)", max_length=200)
    name_en = models.CharField("name (English)", max_length=200)
    description_el = models.TextField(blank=True, default="", db_default="")
    description_en = models.TextField(blank=True, default="", db_default="")
    competent_authority = models.CharField(max_length=64, help_text="The competent department's slug (hasCompetentAuthority).")
    online_url = models.URLField(blank=True, help_text="The online channel, if any.", default="", db_default="")
    in_person = models.BooleanField(default=True, db_default=True)
    phone = models.CharField(max_length=32, blank=True, default="", db_default="")
    documents_el = models.TextField("documents needed (Greek)", blank=True, default="", db_default="")
    documents_en = models.TextField("documents needed (English)", blank=True, default="", db_default="")
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        ordering = ["identifier"]

    def __str__(self) -> str:
        return self.name_en


class ServicePoint(models.Model):
    """A place where services are offered: the town hall, a district office, a citizen service centre ..."""

    slug = models.SlugField(max_length=80, unique=True)
    name_el = models.CharField("name (Greek)", max_length=200)
    name_en = models.CharField("name (English)", max_length=200)
    address = models.CharField(max_length=300)
    opening_hours = models.CharField(max_length=200, help_text="OpenStreetMap syntax, e.g. Mo-Fr 08:00-15:00")
    geom = models.PointField(srid=4326)
    services = models.ManyToManyField(PublicService, related_name="points", blank=True)
    provenance = models.CharField(max_length=300, blank=True, default="", db_default="")
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name_en
