"""Municipalities and districts, with the ST_Subdivide pieces used for point-in-polygon lookups."""
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GinIndex


class Area(models.Model):
    """What municipalities and districts share: a code, names in Greek and English, a boundary."""

    code = models.CharField(max_length=32, unique=True, help_text="Official code (YPES code for municipalities).")
    name_el = models.CharField("name (Greek)", max_length=200)
    name_en = models.CharField("name (English)", max_length=200, blank=True)
    geom = models.MultiPolygonField(srid=4326)
    provenance = models.TextField(blank=True, help_text="Where the boundary comes from and how exact it is.")
    updated_at = models.DateTimeField(auto_now=True)

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
    provenance = models.CharField(max_length=300, blank=True)

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
