"""CSV of the participation figures (?format=csv), one row per group and a total row."""
import csv
import io

from rest_framework.renderers import BaseRenderer

from ..figures import figures_csv


class FiguresCSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and "rows" in data:
            return figures_csv(data).encode("utf-8")
        out = io.StringIO()
        csv.writer(out).writerow(["error", (data or {}).get("detail", "") if isinstance(data, dict) else ""])
        return out.getvalue().encode("utf-8")
