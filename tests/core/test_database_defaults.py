"""Every column whose model field has a default has the same default in the database, so rows inserted by SQL
(loaders, benchmarks, set-based statements) need only the columns that have none."""
import pytest
from django.apps import apps
from django.db import connection
from django.db.models.fields import NOT_PROVIDED

from issues.models import Department, Issue

pytestmark = pytest.mark.django_db
APPS = ("core", "layers", "hazards", "issues", "participation", "heritage")


def fields_with_a_default():
    for model in apps.get_models():
        if model._meta.app_label not in APPS:
            continue
        for field in model._meta.concrete_fields:
            implicit_empty = field.empty_strings_allowed and field.blank and not field.null and not field.primary_key
            if field.has_default() or getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False) or implicit_empty:
                yield model, field


def test_every_field_with_a_default_has_a_database_default():
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name, column_name FROM information_schema.columns "
                       "WHERE table_schema = 'public' AND column_default IS NOT NULL")
        with_default = set(cursor.fetchall())
    missing = [f"{model._meta.label}.{field.name}" for model, field in fields_with_a_default()
               if (model._meta.db_table, field.column) not in with_default]
    assert missing == []
    assert all(field.db_default is not NOT_PROVIDED for _, field in fields_with_a_default())


def test_a_report_inserted_by_sql_with_only_its_required_columns_reads_like_one_made_by_the_orm():
    department = Department.objects.get(slug="citizen-service")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO issues_issue (category_id, location, department_id, routing_note) "
            "SELECT min(id), ST_SetSRID(ST_MakePoint(22.9484, 40.6264), 4326), %s, 'by SQL' FROM issues_category "
            "RETURNING id", [department.pk])
        (pk,) = cursor.fetchone()
    issue = Issue.objects.get(pk=pk)
    made = Issue(category=issue.category, location=issue.location, department=department)
    for name in ("status", "priority", "priority_reason", "reopened_count", "version", "attributes", "description",
                 "address", "email", "close_reason", "status_notes", "photo"):
        assert getattr(issue, name) == getattr(made, name), name
    assert issue.token and issue.created_at and issue.updated_at
