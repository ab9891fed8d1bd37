"""URLs of the participation API, under /api/participation/."""
from django.urls import path

from . import views

urlpatterns = [
    path("categories", views.CategoryList.as_view(), name="participation-categories"),
    path("processes", views.ProcessList.as_view(), name="participation-processes"),
    path("processes/<slug:slug>", views.ProcessDetail.as_view(), name="participation-process"),
    path("processes/<slug:slug>/proposals", views.ProposalList.as_view(), name="participation-proposals"),
    path("processes/<slug:slug>/similar", views.SimilarProposals.as_view(), name="participation-similar"),
    path("processes/<slug:slug>/from-report", views.ProposalFromReport.as_view(), name="participation-from-report"),
    path("processes/<slug:slug>/results", views.ProcessResults.as_view(), name="participation-process-results"),
    path("proposals/<int:proposal_id>", views.ProposalDetail.as_view(), name="participation-proposal"),
    path("proposals/<int:proposal_id>/publish", views.ProposalPublish.as_view(), name="participation-publish"),
    path("proposals/<int:proposal_id>/withdraw", views.ProposalWithdraw.as_view(), name="participation-withdraw"),
    path("proposals/<int:proposal_id>/answer", views.ProposalAnswer.as_view(), name="participation-answer"),
    path("proposals/<int:proposal_id>/history", views.ProposalHistory.as_view(), name="participation-history"),
    path("proposals/<int:proposal_id>/photos", views.ProposalPhotos.as_view(), name="participation-photos"),
    path("proposals/<int:proposal_id>/coauthors", views.CoAuthors.as_view(), name="participation-coauthors"),
    path("proposals/<int:proposal_id>/coauthors/accept", views.CoAuthorAccept.as_view(),
         name="participation-coauthor-accept"),
    path("proposals/<int:proposal_id>/support", views.ProposalSupport.as_view(), name="participation-support"),
    path("proposals/<int:proposal_id>/comments", views.ProposalComments.as_view(), name="participation-comments"),
    path("proposals/<int:proposal_id>/nearby-reports", views.NearbyReports.as_view(),
         name="participation-nearby-reports"),
    path("comments/<int:comment_id>/flag", views.CommentFlag.as_view(), name="participation-comment-flag"),
    path("comments/<int:comment_id>/hide", views.CommentHide.as_view(), name="participation-comment-hide"),
    path("budgets/<int:budget_id>", views.BudgetDetail.as_view(), name="participation-budget"),
    path("budgets/<int:budget_id>/projects", views.BudgetProjects.as_view(), name="participation-budget-projects"),
    path("budgets/<int:budget_id>/ballot", views.BallotView.as_view(), name="participation-ballot"),
    path("budgets/<int:budget_id>/results", views.BudgetResults.as_view(), name="participation-budget-results"),
    path("figures", views.Figures.as_view(), name="participation-figures"),
    path("verification", views.VerificationStatus.as_view(), name="participation-verification"),
    path("verification/residence", views.VerifyResidence.as_view(), name="participation-verify-residence"),
    path("verification/email", views.VerifyEmail.as_view(), name="participation-verify-email"),
    path("verification/email/confirm", views.ConfirmEmail.as_view(), name="participation-confirm-email"),
]
