"""GET /: a short page, in Greek and English, pointing at what the server offers."""
from django.shortcuts import render
from django.views.decorators.http import require_GET

LINKS = [
    ("/api/docs/", "Τεκμηρίωση API", "API documentation"),
    ("/api/districts/", "Δημοτικές κοινότητες (GeoJSON)", "Districts (GeoJSON)"),
    ("/api/categories/", "Κατηγορίες αναφορών", "What can be reported"),
    ("/api/departments/", "Υπηρεσίες του Δήμου", "Municipal departments"),
    ("/admin/", "Διαχείριση", "Administration"),
    ("/healthz", "Κατάσταση", "Health"),
]


@require_GET
def home(request):
    return render(request, "gis_portal/home.html", {"links": LINKS})
