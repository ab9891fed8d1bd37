"""CSV of the participation figures (?format=csv): one row per group and a total row, or one row per year of the
outcome indicator; then each figure's definition and whether demo data is counted."""
import csv
import io

from rest_framework.renderers import BaseRenderer

from ..figures import figures_csv, outcome_csv


class FiguresCSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"
    written = staticmethod(figures_csv)

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and "rows" in data:
            return self.written(data).encode("utf-8")
        out = io.StringIO()
        csv.writer(out).writerow(["error", (data or {}).get("detail", "") if isinstance(data, dict) else ""])
        return out.getvalue().encode("utf-8")


class OutcomeCSVRenderer(FiguresCSVRenderer):
    written = staticmethod(outcome_csv)
