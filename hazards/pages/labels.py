"""Translated names of hazard kinds and levels, for the planners' pages."""
from django.utils.translation import gettext_lazy as _

KINDS = {
    "earthquake": _("Earthquake"),
    "flood": _("Flood"),
    "coastal_flood": _("Coastal flooding"),
    "heat": _("Urban heat"),
    "landslide": _("Landslide"),
    "eq_scenario": _("Earthquake scenario"),
    "site": _("Site conditions (Vs30)"),
}
LEVELS = {
    "high": _("High"),
    "medium": _("Medium"),
    "low": _("Low"),
    "very_low": _("Very low"),
    "none": _("No hazard"),
    "no_data": _("No data"),
}
