"""URLs of the participation pages, under /participation/."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.process_list, name="participation-processes"),
    path("proposals/<int:proposal_id>/", views.proposal_page, name="participation-proposal"),
    path("<slug:slug>/", views.process_page, name="participation-process"),
    path("<slug:slug>/propose/", views.propose, name="participation-propose"),
    path("<slug:slug>/propose/text/", views.propose_without_map, name="participation-propose-text"),
    path("<slug:slug>/ballot/<int:budget_id>/", views.ballot_page, name="participation-ballot"),
    path("<slug:slug>/results/", views.results_page, name="participation-results"),
]
