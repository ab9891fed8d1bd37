"""Hazard layers: vector zones or a GeoTIFF raster, with a classification of values into levels."""
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

LEVELS = ["very_low", "low", "medium", "high"]
# Kinds a layer has beyond the hazard kinds a report category can name: a computed earthquake scenario (never
# a reason to raise a report's priority), and site data for the scenarios (Vs30, m/s: not a hazard, no levels).
SCENARIO_KIND = "eq_scenario"
SITE_KIND = "site"


class Level(models.TextChoices):
    """A hazard level, named in the page's language; LEVELS orders the four levels a value can reach."""
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")
    VERY_LOW = "very_low", _("Very low")
    NONE = "none", _("No hazard")
    NO_DATA = "no_data", _("No data")


class HazardKind(models.TextChoices):
    """The hazard kinds a report category can name."""
    EARTHQUAKE = "earthquake", _("Earthquake")
    FLOOD = "flood", _("Flood")
    COASTAL_FLOOD = "coastal_flood", _("Coastal flooding")
    HEAT = "heat", _("Urban heat")
    LANDSLIDE = "landslide", _("Landslide")


ALL_KINDS = [*HazardKind.choices, (SCENARIO_KIND, _("Earthquake scenario")), (SITE_KIND, _("Site conditions (Vs30)"))]


class HazardLayer(models.Model):
    """One hazard scenario (a kind, a return period) as zones or a raster, classified into four levels."""

    Kind = HazardKind

    class Source(models.TextChoices):
        VECTOR = "vector"
        RASTER = "raster"

    slug = models.SlugField(max_length=64, unique=True)
    kind = models.CharField(max_length=16, choices=ALL_KINDS)
    title_el = models.CharField("title (Greek)", max_length=200)
    title_en = models.CharField("title (English)", max_length=200)
    provenance = models.TextField(help_text="Where the data comes from, and whether it is official or modelled.")
    licence = models.CharField(max_length=200)
    return_period_years = models.PositiveIntegerField(null=True, blank=True)
    units = models.CharField(max_length=32, help_text="Units of the values, e.g. g, m, °C.")
    # A value at or above a threshold is at least that level; below very_low it is none.
    threshold_very_low = models.FloatField()
    threshold_low = models.FloatField()
    threshold_medium = models.FloatField()
    threshold_high = models.FloatField()
    district_min_share = models.FloatField(
        default=0.05, help_text="A level applies to a district where it covers at least this share of it (ThinkHazard!).",
        db_default=0.05,
    )
    source = models.CharField(max_length=8, choices=Source.choices)
    # Raster layers: the GeoTIFF and what was read from it when it was registered.
    raster_path = models.CharField(max_length=500, blank=True, help_text="Path of the GeoTIFF, relative to HAZARD_DATA_DIR.", default="", db_default="")
    band = models.PositiveSmallIntegerField(default=1, db_default=1)
    nodata = models.FloatField(null=True, blank=True)
    crs = models.CharField(max_length=64, blank=True, default="", db_default="")
    extent = models.PolygonField(srid=4326, null=True, blank=True)
    coverage = models.MultiPolygonField(
        srid=4326, null=True, blank=True,
        help_text="The area the layer's study covers: inside it and outside every zone is level none (not affected); "
                  "outside it is no data. Empty: the layer's extent.",
    )
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        ordering = ["kind", "return_period_years", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold_very_low__lte=models.F("threshold_low"))
                & Q(threshold_low__lte=models.F("threshold_medium"))
                & Q(threshold_medium__lte=models.F("threshold_high")),
                name="hazardlayer_thresholds_ascend",
            ),
            models.CheckConstraint(
                condition=Q(source="vector") | ~Q(raster_path=""), name="hazardlayer_raster_has_a_file"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title_en} ({self.slug})"

    @property
    def thresholds(self) -> dict[str, float]:
        return {level: getattr(self, f"threshold_{level}") for level in LEVELS}

    @property
    def is_hazard(self) -> bool:
        return self.kind != SITE_KIND

    def level_of(self, value: float | None) -> str | None:
        """The level of a value: the highest whose threshold it reaches, or None below very_low (and for site data)."""
        if value is None or not self.is_hazard:
            return None
        reached = [level for level in LEVELS if value >= getattr(self, f"threshold_{level}")]
        return reached[-1] if reached else None

    def clean(self) -> None:
        values = [getattr(self, f"threshold_{level}") for level in LEVELS]
        if any(v is None for v in values) or values != sorted(values):
            raise ValidationError("thresholds must rise from very_low to high")
        if not 0 < self.district_min_share <= 1:
            raise ValidationError("district_min_share is a share between 0 and 1")


class HazardZone(models.Model):
    """A zone of a vector layer, with its value and the level that value falls in."""

    layer = models.ForeignKey(HazardLayer, on_delete=models.CASCADE, related_name="zones")
    level = models.CharField(max_length=16, choices=[(level, Level(level).label) for level in ["none", *LEVELS]])
    value = models.FloatField()
    geom = models.MultiPolygonField(srid=4326)

    class Meta:
        ordering = ["layer", "value"]


class EarthquakeScenario(models.Model):
    """An earthquake scenario: its inputs, and once computed its PGA and MMI layers and the district damage."""

    class Status(models.TextChoices):
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    name = models.CharField(max_length=200)
    preset = models.CharField(max_length=64, blank=True, help_text="The preset it replays, if any.", default="", db_default="")
    inputs = models.JSONField(help_text="Magnitude, epicentre, depth, mechanism, strike, dip, rupture, model, n_sigma.")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RUNNING, db_default=Status.RUNNING)
    error = models.TextField(blank=True, default="", db_default="")
    results = models.JSONField(default=dict, blank=True, help_text="Grid, sigma, district damage and timings.", db_default={})
    pga_layer = models.OneToOneField(HazardLayer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    mmi_layer = models.OneToOneField(HazardLayer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.pk})"


class BuildingStock(models.Model):
    """How many buildings of a class stand in a district (for the scenario damage estimates)."""

    district = models.ForeignKey("layers.District", on_delete=models.CASCADE, related_name="building_stock")
    building_class = models.CharField(max_length=32)
    buildings = models.PositiveIntegerField()
    source = models.CharField(max_length=300)

    class Meta:
        ordering = ["district", "building_class"]
        constraints = [models.UniqueConstraint(fields=["district", "building_class"], name="buildingstock_one_row_per_class")]
