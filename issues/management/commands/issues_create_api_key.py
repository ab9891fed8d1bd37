"""Create an Open311 API key and print it once (only its hash is stored)."""
from django.core.management.base import BaseCommand, CommandError

from issues.api_keys import api_key_create


class Command(BaseCommand):
    help = "Create an API key for an Open311 client; the key is printed once and cannot be shown again."

    def add_arguments(self, parser):
        parser.add_argument("name", help="who uses the key (an app, a partner)")
        parser.add_argument("--rate-limit", type=int, default=60, help="requests a minute (default 60)")

    def handle(self, *args, **options):
        if options["rate_limit"] < 1:
            raise CommandError("--rate-limit must be 1 or more")
        api_key, raw = api_key_create(name=options["name"], rate_limit_per_minute=options["rate_limit"])
        self.stdout.write(raw)
        self.stderr.write(f"API key '{api_key.name}' created ({api_key.rate_limit_per_minute} requests a minute); store it now, it is not shown again")
