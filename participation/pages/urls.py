"""URLs of the participation pages, under /participation/."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.process_list, name="participation-page-processes"),
    path("proposals/<int:proposal_id>/", views.proposal_page, name="participation-page-proposal"),
    path("<slug:slug>/", views.process_page, name="participation-page-process"),
    path("<slug:slug>/propose/", views.propose, name="participation-page-propose"),
    path("<slug:slug>/propose/text/", views.propose_without_map, name="participation-page-propose-text"),
    path("<slug:slug>/ballot/<int:budget_id>/", views.ballot_page, name="participation-page-ballot"),
    path("<slug:slug>/results/", views.results_page, name="participation-page-results"),
]
