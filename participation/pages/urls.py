"""URLs of the participation pages, under /participation/."""
from django.urls import path

from . import account, following, staff, views

urlpatterns = [
    path("", views.process_list, name="participation-page-processes"),
    path("account/register/", account.register, name="participation-page-register"),
    path("account/verification/", account.verification_page, name="participation-page-verification"),
    path("staff/", staff.evaluation_queue, name="participation-page-staff-queue"),
    path("staff/proposals/<int:proposal_id>/", staff.evaluation_page, name="participation-page-evaluate"),
    path("staff/budgets/", staff.budgets_page, name="participation-page-staff-budgets"),
    path("notifications/", following.notifications_page, name="participation-page-notifications"),
    path("follow/", following.follow, name="participation-page-follow"),
    path("unsubscribe/<str:token>/", following.unsubscribe_page, name="participation-page-unsubscribe"),
    path("proposals/<int:proposal_id>/", views.proposal_page, name="participation-page-proposal"),
    path("<slug:slug>/", views.process_page, name="participation-page-process"),
    path("<slug:slug>/propose/", views.propose, name="participation-page-propose"),
    path("<slug:slug>/propose/text/", views.propose_without_map, name="participation-page-propose-text"),
    path("<slug:slug>/ballot/<int:budget_id>/", views.ballot_page, name="participation-page-ballot"),
    path("<slug:slug>/results/", views.results_page, name="participation-page-results"),
]
