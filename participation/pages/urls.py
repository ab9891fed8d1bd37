"""URLs of the participation pages, under /participation/."""
from django.urls import path

from . import account, following, implementation, moderation, resident, staff, views

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
    path("implementation/", implementation.implementation_map, name="participation-page-implementation"),
    path("projects/<int:implementation_id>/", implementation.project_page, name="participation-page-project"),
    path("projects/<int:implementation_id>/edit/", implementation.project_edit, name="participation-page-project-edit"),
    path("account/activity/", resident.activity, name="participation-page-activity"),
    path("account/inbox/", resident.inbox, name="participation-page-inbox"),
    path("moderation/", moderation.moderation_queue, name="participation-page-moderation"),
    path("proposals/<int:object_id>/report/", resident.report, {"kind": "proposal"},
         name="participation-page-report-proposal"),
    path("comments/<int:object_id>/report/", resident.report, {"kind": "comment"}, name="participation-page-report-comment"),
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
