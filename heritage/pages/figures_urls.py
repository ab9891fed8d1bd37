"""URL of the heritage portal's figures page, /heritage/figures/."""
from django.urls import path

from . import figures

urlpatterns = [
    path("", figures.figures_page, name="heritage-figures-page"),
]
