"""Citizens' pages: the map of reports with the report form."""
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def citizen_map(request):
    return render(request, "issues/pages/citizen_map.html", {"page_config": {}})
