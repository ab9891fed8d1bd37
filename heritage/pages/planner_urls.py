"""URLs of the heritage pages for planners, under /planner/heritage/."""
from django.urls import path

from . import at_risk

urlpatterns = [
    path("at-risk/", at_risk.monuments_at_risk_page, name="heritage-at-risk-page"),
]
