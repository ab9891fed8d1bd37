"""URLs of the participation pages, under /participation/."""
from django.urls import path

from . import account, moderation, resident, views

urlpatterns = [
    path("", views.process_list, name="participation-page-processes"),
    path("account/register/", account.register, name="participation-page-register"),
    path("account/verification/", account.verification_page, name="participation-page-verification"),
    path("account/activity/", resident.activity, name="participation-page-activity"),
    path("account/inbox/", resident.inbox, name="participation-page-inbox"),
    path("moderation/", moderation.moderation_queue, name="participation-page-moderation"),
    path("proposals/<int:object_id>/report/", resident.report, {"kind": "proposal"},
         name="participation-page-report-proposal"),
    path("comments/<int:object_id>/report/", resident.report, {"kind": "comment"}, name="participation-page-report-comment"),
    path("proposals/<int:proposal_id>/", views.proposal_page, name="participation-page-proposal"),
    path("proposals/<int:proposal_id>/edit/", resident.proposal_manage, name="participation-page-proposal-edit"),
    path("proposals/<int:proposal_id>/support/withdraw/", resident.support_withdraw,
         name="participation-page-support-withdraw"),
    path("<slug:slug>/", views.process_page, name="participation-page-process"),
    path("<slug:slug>/drafts/", resident.drafts, name="participation-page-drafts"),
    path("<slug:slug>/propose/", views.propose, name="participation-page-propose"),
    path("<slug:slug>/propose/text/", views.propose_without_map, name="participation-page-propose-text"),
    path("<slug:slug>/ballot/<int:budget_id>/", views.ballot_page, name="participation-page-ballot"),
    path("<slug:slug>/results/", views.results_page, name="participation-page-results"),
]
