"""The participation API under /api/participation/: parse the request, call one service or selector, render.
Refusals carry {"detail": what to do, "code", "parameter", ...} (core.api_errors): 400 bad input, 401 not signed in, 403 not verified or not allowed,
404, 409 outside the phase (with the phase's dates) or against the state of things."""
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotAuthenticated, ParseError
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from issues.models import Issue
from core.api_errors import ErrorSerializer
from core.filters import BBoxFilter, QueryFilterBackend
from core.bodies import validated
from core.params import parse_int

from .. import phases, selectors
from ..errors import Conflict, InvalidInput, NotFound, ParticipationError
from ..figures import FIGURE_GROUPS, figures
from ..filters import ProposalFilter
from ..models import Budget, Comment, Proposal, ProposalCategory
from ..results import TIE_RULE, budget_results
from ..services import budgets as budget_services
from ..services import engagement, proposals, verification
from ..services.access import verification_of
from . import serializers as out
from .renderers import FiguresCSVRenderer

E409 = OpenApiResponse(ErrorSerializer, "not open in the current phase (the answer names the phase and its dates), "
                                        "or the state of things does not allow it")
E403 = OpenApiResponse(ErrorSerializer, "not verified (the answer says how to verify) or not allowed")


class ParticipationView(APIView):
    """The services' refusals go to the REST API's handler (core.api_errors); one that needs an account, to a
    client that is not signed in, is a 401 with WWW-Authenticate."""

    def handle_exception(self, exc):
        if isinstance(exc, ParticipationError) and exc.status == 403 and not self.request.user.is_authenticated:
            exc = NotAuthenticated(str(exc))
        return super().handle_exception(exc)

    def body(self, serializer_class, *, partial: bool = False) -> dict:
        """The request's JSON object read by the serializer (is_valid); the first field at fault is a 400 naming it."""
        data = self.request.data
        if not hasattr(data, "get"):
            raise ParseError("the body must be a JSON object")
        return validated(serializer_class(data=data, partial=partial))


def _proposal_context(request, proposals_list) -> dict:
    return {"user": request.user, "supported": selectors.supported_ids(request.user, [p.id for p in proposals_list])}


def _budget(budget_id: int) -> Budget:
    budget = Budget.objects.select_related("process", "district").filter(pk=budget_id, process__published=True).first()
    if budget is None:
        raise NotFound(_("no budget %(id)s") % {"id": budget_id})
    return budget


class CategoryList(ParticipationView):
    @extend_schema(responses=out.ProposalCategorySerializer(many=True))
    def get(self, request):
        """Proposal categories."""
        return Response(out.ProposalCategorySerializer(ProposalCategory.objects.order_by("slug"), many=True).data)


class ProcessList(ParticipationView):
    @extend_schema(responses=out.ProcessSerializer(many=True))
    def get(self, request):
        """Participatory processes with their phases, the current phase, what may be done now, and budgets."""
        return Response(out.ProcessSerializer(selectors.processes_visible(request.user), many=True).data)


class ProcessDetail(ParticipationView):
    @extend_schema(responses=out.ProcessSerializer)
    def get(self, request, slug):
        """One process."""
        return Response(out.ProcessSerializer(selectors.process_by_slug(slug, request.user)).data)


class ProposalList(ParticipationView, generics.GenericAPIView):
    serializer_class = out.ProposalSerializer
    queryset = Proposal.objects.none()  # the model the filters are described from; the process's proposals are read below
    filter_backends = [QueryFilterBackend, BBoxFilter]
    filterset_class = ProposalFilter
    bbox_filter_field = "geom"
    bbox_filter_include_overlapping = True

    @extend_schema(responses=out.ProposalSerializer(many=True))
    def get(self, request, slug):
        """Proposals of a process, newest first (limit, offset)."""
        process = selectors.process_by_slug(slug, request.user)
        page = self.paginate_queryset(self.filter_queryset(selectors.proposals_of(process)))
        return self.get_paginated_response(
            out.ProposalSerializer(page, many=True, context=_proposal_context(request, page)).data)

    @extend_schema(request=out.ProposalInputSerializer, responses={201: out.ProposalSerializer, 403: E403, 409: E409})
    def post(self, request, slug):
        """A new proposal (a draft, or published with publish=true), in the proposals phase. The place's districts
        are assigned by PostGIS; a place outside the process's scope or an invalid geometry is refused (400)."""
        process = selectors.process_by_slug(slug, request.user)
        body = self.body(out.ProposalInputSerializer)
        proposal = proposals.proposal_create(
            process=process, author=request.user, title=body["title"], body=body["body"],
            category=body.get("category"), place=body.get("place"), publish=body["publish"])
        proposal = selectors.proposal_visible(proposal.id, request.user)
        return Response(out.ProposalSerializer(proposal, context=_proposal_context(request, [proposal])).data,
                        status=status.HTTP_201_CREATED)


class SimilarProposals(ParticipationView):
    @extend_schema(request=out.SimilarInputSerializer, responses=out.SimilarProposalSerializer(many=True))
    def post(self, request, slug):
        """Before publishing: published proposals nearby or worded alike (case and Greek accents ignored)."""
        process = selectors.process_by_slug(slug, request.user)
        body = self.body(out.SimilarInputSerializer)
        text = (body["title"] + " " + body["body"])[:2000].strip()
        rows = selectors.similar_proposals(process=process, text=text, place=body.get("place"))
        return Response(out.SimilarProposalSerializer(rows, many=True).data)


class ProposalFromReport(ParticipationView):
    @extend_schema(request=out.FromReportInputSerializer,
        responses={201: out.ProposalSerializer, 403: E403, 409: E409})
    def post(self, request, slug):
        """Turn an Improve My City report into a draft proposal at its place (its reporter or staff)."""
        process = selectors.process_by_slug(slug, request.user)
        body = self.body(out.FromReportInputSerializer)
        issue_id = body["issue_id"]
        issue = Issue.objects.select_related("category").filter(pk=issue_id).first()
        if issue is None:
            raise InvalidInput(_("no report %(id)s") % {"id": issue_id}, parameter="issue_id", code="not_found")
        proposal = proposals.proposal_from_report(process=process, issue=issue, actor=request.user,
                                                  title=body["title"])
        proposal = selectors.proposal_visible(proposal.id, request.user)
        return Response(out.ProposalSerializer(proposal, context=_proposal_context(request, [proposal])).data,
                        status=status.HTTP_201_CREATED)


class ProposalDetail(ParticipationView):
    @extend_schema(responses=out.ProposalSerializer)
    def get(self, request, proposal_id):
        """One proposal: text, place, districts with shares, state, the city's answer, photos."""
        proposal = selectors.proposal_visible(proposal_id, request.user)
        return Response(out.ProposalSerializer(proposal, context=_proposal_context(request, [proposal])).data)

    @extend_schema(request=out.ProposalInputSerializer(partial=True),
                   responses={200: out.ProposalSerializer, 403: E403, 409: E409})
    def patch(self, request, proposal_id):
        """Edit (author or accepted co-author, proposals phase); the history keeps every version.
        place: null clears the place (a city-wide idea)."""
        proposal = selectors.proposal_visible(proposal_id, request.user)
        body = self.body(out.ProposalInputSerializer, partial=True)
        proposals.proposal_edit(
            proposal=proposal, editor=request.user, title=body.get("title"), body=body.get("body"),
            category=body.get("category"), place=body.get("place"),
            clear_place="place" in body and body["place"] is None)
        proposal = selectors.proposal_visible(proposal_id, request.user)
        return Response(out.ProposalSerializer(proposal, context=_proposal_context(request, [proposal])).data)


class ProposalAction(ParticipationView):
    permission_classes = [IsAuthenticated]
    action = ""

    @extend_schema(request=None, responses={200: out.ProposalSerializer, 409: E409})
    def post(self, request, proposal_id):
        proposal = selectors.proposal_visible(proposal_id, request.user)
        if self.action == "publish":
            proposals.proposal_publish(proposal=proposal, actor=request.user)
        else:
            proposals.proposal_withdraw(proposal=proposal, actor=request.user)
        proposal = selectors.proposal_visible(proposal_id, request.user)
        return Response(out.ProposalSerializer(proposal, context=_proposal_context(request, [proposal])).data)


class ProposalPublish(ProposalAction):
    """Publish a draft (proposals phase)."""

    action = "publish"


class ProposalWithdraw(ProposalAction):
    """The author withdraws a proposal the city has not taken up yet."""

    action = "withdraw"


class ProposalAnswer(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=out.AnswerInputSerializer,
        responses={200: out.ProposalSerializer, 409: E409})
    def post(self, request, proposal_id):
        """The city's official answer (staff): accepted or rejected with the reason, evaluated with the cost and
        feasibility, selected, in progress, done. Published in the proposal's history."""
        proposal = selectors.proposal_visible(proposal_id, request.user)
        body = self.body(out.AnswerInputSerializer)
        proposals.proposal_answer(proposal=proposal, staff=request.user, to_state=body["state"], reason=body["reason"],
                                  cost_estimate=body.get("cost_estimate"), feasibility=body["feasibility"])
        proposal = selectors.proposal_visible(proposal_id, request.user)
        return Response(out.ProposalSerializer(proposal, context=_proposal_context(request, [proposal])).data)


class ProposalHistory(ParticipationView):
    @extend_schema(responses=out.ProposalEventSerializer(many=True))
    def get(self, request, proposal_id):
        """The proposal's full public history: state changes with the city's reasons, and each version."""
        proposal = selectors.proposal_visible(proposal_id, request.user)
        return Response(out.ProposalEventSerializer(selectors.proposal_history(proposal), many=True).data)


class ProposalPhotos(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request={"multipart/form-data": {"type": "object", "properties": {
        "photo": {"type": "string", "format": "binary"}}, "required": ["photo"]}},
        responses={201: out.PhotoSerializer, 409: E409})
    def post(self, request, proposal_id):
        """Add a photo (JPEG, PNG or WebP; checked, EXIF and GPS removed, resized)."""
        proposal = selectors.proposal_visible(proposal_id, request.user)
        upload = request.FILES.get("photo")
        if upload is None:
            raise InvalidInput(_("send the file as multipart/form-data field 'photo'"), parameter="photo", code="required")
        photo = proposals.proposal_add_photo(proposal=proposal, actor=request.user, upload=upload)
        return Response(out.PhotoSerializer(photo).data, status=status.HTTP_201_CREATED)


class CoAuthors(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=out.CoAuthorInputSerializer,
                   responses={201: inline_serializer("CoAuthorInvited", {"invited": serializers.CharField()}),
                              409: E409})
    def post(self, request, proposal_id):
        """The author invites a co-author by account name (co-creation)."""
        proposal = selectors.proposal_visible(proposal_id, request.user)
        username = self.body(out.CoAuthorInputSerializer)["username"]
        proposals.coauthor_invite(proposal=proposal, inviter=request.user, username=username)
        return Response({"invited": username}, status=status.HTTP_201_CREATED)


class CoAuthorAccept(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=inline_serializer("CoAuthorAccepted", {"accepted": serializers.BooleanField()}))
    def post(self, request, proposal_id):
        """Accept an invitation to co-author: you may then edit the proposal."""
        proposal = selectors.proposal_visible(proposal_id, request.user)
        proposals.coauthor_accept(proposal=proposal, user=request.user)
        return Response({"accepted": True})


SupportAnswer = inline_serializer("SupportAnswer", {
    "support_count": serializers.IntegerField(), "state": serializers.CharField(),
    "supported_by_me": serializers.BooleanField()})


class ProposalSupport(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: SupportAnswer, 403: E403, 409: E409})
    def post(self, request, proposal_id):
        """Support a proposal (supports phase; once; within the process's cap). Reaching the threshold
        qualifies it."""
        proposal = selectors.proposal_visible(proposal_id, request.user)
        proposal = engagement.support_give(proposal=proposal, user=request.user)
        return Response({"support_count": proposal.support_count, "state": proposal.state, "supported_by_me": True})

    @extend_schema(request=None, responses={200: SupportAnswer, 403: E403, 409: E409})
    def delete(self, request, proposal_id):
        """Withdraw your support while the supports phase is open."""
        proposal = selectors.proposal_visible(proposal_id, request.user)
        proposal = engagement.support_withdraw(proposal=proposal, user=request.user)
        return Response({"support_count": proposal.support_count, "state": proposal.state, "supported_by_me": False})


class ProposalComments(ParticipationView):
    @extend_schema(responses=out.ProposalCommentSerializer(many=True))
    def get(self, request, proposal_id):
        """Comments, oldest first, with parent ids for threads; hidden ones without their text, with the reason."""
        proposal = selectors.proposal_visible(proposal_id, request.user)
        return Response(out.ProposalCommentSerializer(selectors.comments_of(proposal), many=True,
                                              context={"user": request.user}).data)

    @extend_schema(request=out.CommentInputSerializer,
        responses={201: out.ProposalCommentSerializer, 403: E403, 409: E409})
    def post(self, request, proposal_id):
        """Comment (parent: the comment answered)."""
        if not request.user.is_authenticated:
            raise NotAuthenticated("commenting needs an account: sign in first")
        proposal = selectors.proposal_visible(proposal_id, request.user)
        body = self.body(out.CommentInputSerializer)
        comment = engagement.comment_post(proposal=proposal, author=request.user, body=body["body"],
                                          parent_id=body.get("parent"))
        return Response(out.ProposalCommentSerializer(comment, context={"user": request.user}).data,
                        status=status.HTTP_201_CREATED)


def _comment(comment_id: int, user) -> Comment:
    comment = Comment.objects.select_related("proposal__process").filter(pk=comment_id).first()
    if comment is None:
        raise NotFound(_("no comment %(id)s") % {"id": comment_id})
    selectors.proposal_visible(comment.proposal_id, user)
    return comment


class CommentFlag(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=out.FlagInputSerializer,
                   responses={200: out.ProposalCommentSerializer, 409: E409})
    def post(self, request, comment_id):
        """Flag a comment for the staff's attention."""
        comment = engagement.comment_flag(comment=_comment(comment_id, request.user), user=request.user,
                                          reason=self.body(out.FlagInputSerializer)["reason"])
        return Response(out.ProposalCommentSerializer(comment, context={"user": request.user}).data)


class CommentHide(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=out.HideInputSerializer,
                   responses={200: out.ProposalCommentSerializer, 409: E409})
    def post(self, request, comment_id):
        """Staff hide a comment with a reason; the text is kept for audit."""
        comment = engagement.comment_hide(comment=_comment(comment_id, request.user), staff=request.user,
                                          reason=self.body(out.HideInputSerializer)["reason"])
        return Response(out.ProposalCommentSerializer(comment, context={"user": request.user}).data)


class NearbyReports(ParticipationView):
    @extend_schema(parameters=[OpenApiParameter("metres", int, description="1 to 2000; default the setting")],
                   responses=out.NearbyReportSerializer(many=True))
    def get(self, request, proposal_id):
        """Open Improve My City reports near the proposal's place."""
        proposal = selectors.proposal_visible(proposal_id, request.user)
        raw = request.query_params.get("metres")
        metres = parse_int(raw, parameter="metres", low=1, high=2000) if raw else None
        return Response(out.NearbyReportSerializer(selectors.nearby_reports(proposal, metres=metres), many=True).data)


class BudgetDetail(ParticipationView):
    @extend_schema(responses=out.BudgetSerializer)
    def get(self, request, budget_id):
        """A budget with its rule and the projects on its ballot."""
        budget = _budget(budget_id)
        return Response(out.BudgetSerializer(budget).data)


class BudgetProjects(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=out.ProjectInputSerializer,
        responses={201: out.ProjectSerializer, 409: E409})
    def post(self, request, budget_id):
        """Staff put a project on the ballot, from an accepted or evaluated proposal, with its cost."""
        budget = _budget(budget_id)
        body = self.body(out.ProjectInputSerializer)
        proposal_id = body.get("proposal_id")
        proposal = None
        if proposal_id is not None:
            proposal = selectors.proposal_visible(proposal_id, request.user)
        project = budget_services.project_create(
            budget=budget, staff=request.user, cost=body["cost"], proposal=proposal,
            title_el=body["title_el"], title_en=body["title_en"])
        return Response(out.ProjectSerializer(project).data, status=status.HTTP_201_CREATED)


class BallotView(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=out.BallotSerializer)
    def get(self, request, budget_id):
        """Your own ballot in this budget (only you see it)."""
        budget = _budget(budget_id)
        chosen = budget_services.ballot_of(budget=budget, user=request.user)
        total = sum(p.cost for p in budget.projects.filter(id__in=chosen or []))
        return Response({"budget": budget.id, "projects": chosen, "total_cost": total})

    @extend_schema(request=out.BallotInputSerializer,
                   responses={200: out.BallotSerializer, 400: OpenApiResponse(
                       ErrorSerializer, "not within the budget's rule: the answer names the excess or shortfall"),
                       403: E403, 409: E409})
    def put(self, request, budget_id):
        """Cast or change your ballot while voting is open: knapsack budgets take projects whose costs fit the
        budget and spend at least its minimum share; approval budgets at most N projects."""
        budget = _budget(budget_id)
        chosen = budget_services.ballot_submit(budget=budget, user=request.user,
                                               project_ids=self.body(out.BallotInputSerializer)["projects"])
        return Response({"budget": budget.id, "projects": sorted(p.id for p in chosen),
                         "total_cost": sum(p.cost for p in chosen)})


def _results_open(budget: Budget) -> None:
    voting = next((p for p in phases.phases_of(budget.process) if p.kind == "voting"), None)
    if voting is not None and timezone.now() < voting.ends_at:
        raise Conflict(
            f"results are shown once voting closes on {voting.ends_at.isoformat()}",
            phase="voting", starts_at=voting.starts_at.isoformat(), ends_at=voting.ends_at.isoformat())


class BudgetResults(ParticipationView):
    @extend_schema(responses={200: out.BudgetResultsSerializer, 409: E409})
    def get(self, request, budget_id):
        """Projects ranked by votes, selected greedily while the budget lasts (the tie rule is in the answer);
        only counts, never who chose what. Shown once voting has closed."""
        budget = _budget(budget_id)
        _results_open(budget)
        results = budget_results(budget)
        return Response(out.BudgetResultsSerializer({**results.__dict__, "spent": results.spent,
                                                     "tie_rule": TIE_RULE}).data)


class ProcessResults(ParticipationView):
    @extend_schema(responses={200: out.BudgetResultsSerializer(many=True), 409: E409})
    def get(self, request, slug):
        """Every budget's results of a process (one per district, and the city-wide one)."""
        process = selectors.process_by_slug(slug, request.user)
        answer = []
        for budget in process.budgets.select_related("district", "process").order_by("district__code"):
            _results_open(budget)
            results = budget_results(budget)
            answer.append({**results.__dict__, "spent": results.spent, "tie_rule": TIE_RULE})
        return Response(out.BudgetResultsSerializer(answer, many=True).data)


class Figures(ParticipationView):
    renderer_classes = [JSONRenderer, FiguresCSVRenderer]

    @extend_schema(parameters=[
        OpenApiParameter("by", str, enum=list(FIGURE_GROUPS), description="group by process, district or month")],
        responses={200: inline_serializer("ParticipationFigures", {
            "by": serializers.CharField(), "totals": serializers.DictField(child=serializers.FloatField(allow_null=True)),
            "rows": serializers.ListField(child=serializers.DictField())})})
    def get(self, request):
        """The roadmap's indicators: initiatives, participants, comments, supports, votes, co-creation
        participants and the share of municipal projects done with participation; per process, district or
        month (format=csv for a spreadsheet: a row per group and a total row)."""
        by = request.query_params.get("by", "process")
        if by not in FIGURE_GROUPS:
            raise InvalidInput(f"one of {', '.join(FIGURE_GROUPS)}, got {by[:30]!r}", parameter="by")
        response = Response(figures(by=by))
        if request.accepted_renderer.format == "csv":
            response["Content-Disposition"] = f'attachment; filename="participation-figures-{by}.csv"'
        return response


def _verification_answer(user) -> dict:
    v = verification_of(user)
    district = v.district if v and v.residence_verified_at else None
    return {"residence_verified": bool(v and v.residence_verified_at), "email_confirmed": bool(v and v.email_confirmed_at),
            "verified": bool(v and v.verified), "minimum_age": settings.PARTICIPATION_MIN_AGE,
            "district": {"code": district.code, "name_el": district.name_el, "name_en": district.name_en}
            if district else None}


class VerificationStatus(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=out.VerificationSerializer)
    def get(self, request):
        """Your verification: residence (with the district) and e-mail."""
        return Response(_verification_answer(request.user))


class VerifyResidence(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=out.ResidenceInputSerializer,
        responses={200: out.VerificationSerializer, 403: E403, 409: E409})
    def post(self, request):
        """Match your census entry (identity-card number and date of birth, as on the card)."""
        body = self.body(out.ResidenceInputSerializer)
        verification.verification_match_residence(user=request.user, identifier=body["identifier"],
                                                  birth_date=body["date_of_birth"])
        return Response(_verification_answer(request.user))


class VerifyEmail(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=out.EmailInputSerializer,
                   responses={202: out.VerificationSerializer})
    def post(self, request):
        """Send a six-digit code to your e-mail address."""
        verification.verification_send_email_code(user=request.user, email=self.body(out.EmailInputSerializer)["email"])
        return Response(_verification_answer(request.user), status=status.HTTP_202_ACCEPTED)


class ConfirmEmail(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=out.EmailCodeInputSerializer,
                   responses=out.VerificationSerializer)
    def post(self, request):
        """Confirm your e-mail with the code sent to it."""
        verification.verification_confirm_email(user=request.user, code=self.body(out.EmailCodeInputSerializer)["code"])
        return Response(_verification_answer(request.user))

