"""Indexes for a department's queue sorted by priority or by age, built without locking out new reports."""
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY: reports keep arriving while a large table is indexed

    dependencies = [
        ("issues", "0010_imported_reports"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="issue",
            index=models.Index(fields=["department", "-priority", "created_at"], name="issue_queue_priority"),
        ),
        AddIndexConcurrently(
            model_name="issue",
            index=models.Index(fields=["department", "created_at", "id"], name="issue_queue_age"),
        ),
    ]
