"""The options that describe a hazard layer, shared by hazards_import_raster and hazards_import_zones."""
from django.core.management.base import CommandError

from hazards.models import HazardLayer
from hazards.services import LayerSpec


def add_layer_options(parser) -> None:
    parser.add_argument("path")
    parser.add_argument("--slug", required=True, help="the layer's identifier, e.g. flood-t100")
    parser.add_argument("--kind", required=True, choices=HazardLayer.Kind.values)
    parser.add_argument("--title-el", required=True)
    parser.add_argument("--title-en", required=True)
    parser.add_argument("--provenance", required=True, help="source, and whether official or modelled")
    parser.add_argument("--licence", required=True)
    parser.add_argument("--units", required=True)
    parser.add_argument("--thresholds", required=True, help="four rising numbers: very_low,low,medium,high")
    parser.add_argument("--return-period", type=int, help="years")
    parser.add_argument("--min-share", type=float, default=0.05, help="share of a district for its level (default 0.05)")
    parser.add_argument("--commit", action="store_true", help="write (default: dry run)")


def layer_spec(options) -> LayerSpec:
    try:
        thresholds = tuple(float(v) for v in options["thresholds"].split(","))
    except ValueError:
        raise CommandError(f"--thresholds: four numbers separated by commas, got {options['thresholds']!r}") from None
    if len(thresholds) != 4:
        raise CommandError(f"--thresholds: four numbers for very_low,low,medium,high, got {len(thresholds)}")
    return LayerSpec(
        slug=options["slug"], kind=options["kind"], title_el=options["title_el"], title_en=options["title_en"],
        provenance=options["provenance"], licence=options["licence"], units=options["units"], thresholds=thresholds,
        return_period_years=options["return_period"], district_min_share=options["min_share"],
    )
