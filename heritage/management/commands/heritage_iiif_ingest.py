"""heritage_iiif_ingest [identifier ...]: cut the images of the cultural objects (all, or those named) into their
IIIF level-0 pyramids; pyramids already made from the same file are kept."""
from django.core.management.base import BaseCommand, CommandError

from heritage.errors import HeritageError
from heritage.models import CulturalObject
from heritage.services import media_pyramids_ingest


class Command(BaseCommand):
    help = "Make the IIIF image pyramids of the cultural objects' images (all objects, or those named)."

    def add_arguments(self, parser):
        parser.add_argument("identifiers", nargs="*", help="object identifiers (default: every object)")

    def handle(self, *args, identifiers, **options):
        names = identifiers or list(CulturalObject.objects.order_by("identifier").values_list("identifier", flat=True))
        totals = {"made": 0, "current": 0, "missing": 0}
        refused = []
        for name in names:
            try:
                for key, count in media_pyramids_ingest(identifier=name).items():
                    totals[key] += count
            except HeritageError as error:
                refused.append(f"{name}: {error}")
        self.stdout.write(f"{len(names)} objects: {totals['made']} pyramids made, {totals['current']} already current, "
                          f"{totals['missing']} images missing from the media folder")
        if refused:
            raise CommandError("refused:\n" + "\n".join(refused))
