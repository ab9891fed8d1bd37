"""URLs of the participation API, under /api/participation/."""
from django.urls import path

from .views import budgets, engagement, figures, processes, proposals, verification

urlpatterns = [
    path("categories", processes.CategoryList.as_view(), name="participation-categories"),
    path("processes", processes.ProcessList.as_view(), name="participation-processes"),
    path("processes/<slug:slug>", processes.ProcessDetail.as_view(), name="participation-process"),
    path("processes/<slug:slug>/proposals", proposals.ProposalList.as_view(), name="participation-proposals"),
    path("processes/<slug:slug>/similar", proposals.SimilarProposals.as_view(), name="participation-similar"),
    path("processes/<slug:slug>/from-report", proposals.ProposalFromReport.as_view(), name="participation-from-report"),
    path("processes/<slug:slug>/results", budgets.ProcessResults.as_view(), name="participation-process-results"),
    path("proposals/<int:proposal_id>", proposals.ProposalDetail.as_view(), name="participation-proposal"),
    path("proposals/<int:proposal_id>/publish", proposals.ProposalPublish.as_view(), name="participation-publish"),
    path("proposals/<int:proposal_id>/withdraw", proposals.ProposalWithdraw.as_view(), name="participation-withdraw"),
    path("proposals/<int:proposal_id>/answer", proposals.ProposalAnswer.as_view(), name="participation-answer"),
    path("proposals/<int:proposal_id>/history", proposals.ProposalHistory.as_view(), name="participation-history"),
    path("proposals/<int:proposal_id>/photos", proposals.ProposalPhotos.as_view(), name="participation-photos"),
    path("proposals/<int:proposal_id>/coauthors", proposals.CoAuthors.as_view(), name="participation-coauthors"),
    path("proposals/<int:proposal_id>/coauthors/accept", proposals.CoAuthorAccept.as_view(),
         name="participation-coauthor-accept"),
    path("proposals/<int:proposal_id>/support", engagement.ProposalSupport.as_view(), name="participation-support"),
    path("proposals/<int:proposal_id>/comments", engagement.ProposalComments.as_view(), name="participation-comments"),
    path("proposals/<int:proposal_id>/nearby-reports", engagement.NearbyReports.as_view(),
         name="participation-nearby-reports"),
    path("comments/<int:comment_id>/flag", engagement.CommentFlag.as_view(), name="participation-comment-flag"),
    path("comments/<int:comment_id>/hide", engagement.CommentHide.as_view(), name="participation-comment-hide"),
    path("budgets/<int:budget_id>", budgets.BudgetDetail.as_view(), name="participation-budget"),
    path("budgets/<int:budget_id>/projects", budgets.BudgetProjects.as_view(), name="participation-budget-projects"),
    path("budgets/<int:budget_id>/ballot", budgets.BallotView.as_view(), name="participation-ballot"),
    path("budgets/<int:budget_id>/results", budgets.BudgetResults.as_view(), name="participation-budget-results"),
    path("figures", figures.Figures.as_view(), name="participation-figures"),
    path("verification", verification.VerificationStatus.as_view(), name="participation-verification"),
    path("verification/residence", verification.VerifyResidence.as_view(), name="participation-verify-residence"),
    path("verification/email", verification.VerifyEmail.as_view(), name="participation-verify-email"),
    path("verification/email/confirm", verification.ConfirmEmail.as_view(), name="participation-confirm-email"),
]
