"""What residents do from the pages, as plain forms posted to the server (they work without scripts): edit a
proposal, withdraw it with a reason, add photos, invite co-authors, open a draft for collaboration and publish it;
withdraw a support; report a proposal or a comment; answer invitations and requests to join from the inbox; ask
to join a collaborative draft; see one's own activity. Every post counts against the citizen write limit (429 with
Retry-After); a refusal is shown beside the field it names, with the service's status."""
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.bodies import validated
from core.i18n import localized
from participation import selectors
from core.errors import ServiceError
from participation.errors import InvalidInput, NotFound
from participation.inputs import PhotoInputSerializer
from participation.models import JoinRequest, Phase, Proposal
from participation.phases import current_phase
from participation.services import collaboration, engagement, moderation, proposals
from participation.services.budgets import ballot_of
from participation.services.proposals import EDITABLE, WITHDRAWABLE
from participation.write_limit import require_write_allowance


def refused(errors: dict, exc: ServiceError, form: str) -> int:
    """The refusal beside its field (`<form>.<parameter>`), or the form's own slot; the status to answer with."""
    errors[f"{form}.{exc.parameter}" if exc.parameter else form] = exc.message
    errors["status"] = exc.status
    errors["retry_after"] = exc.retry_after
    return exc.status


def answer(request, template: str, context: dict, errors: dict):
    response = render(request, template, {**context, "errors": errors}, status=errors.get("status", 200))
    if errors.get("retry_after"):
        response["Retry-After"] = str(errors["retry_after"])
    return response


def _signed_in(request):
    return None if request.user.is_authenticated else redirect_to_login(request.get_full_path())


def _own_proposal(request, proposal_id: int) -> Proposal:
    try:
        proposal = selectors.proposal_visible(proposal_id, request.user)
    except NotFound:
        raise Http404(f"no proposal {proposal_id}") from None
    return proposal


def _manage_forms(request, proposal: Proposal) -> dict:
    """Each form of the proposal's management page: its name → (what posting it does, the notice when done)."""
    post, user = request.POST, request.user
    opening = post.get("open") == "1"
    return {
        "edit": (lambda: proposals.proposal_edit(
            proposal=proposal, editor=user, title=post.get("title", ""), body=post.get("body", ""),
            category=selectors.category_by_slug(post.get("category", ""))), _("Your changes are saved.")),
        "photo": (lambda: proposals.proposal_add_photo(
            proposal=proposal, actor=user, upload=validated(PhotoInputSerializer(data=request.FILES))["photo"]),
            _("The photo is added.")),
        "invite": (lambda: proposals.coauthor_invite(
            proposal=proposal, inviter=user, username=post.get("username", "").strip()),
            _("The invitation is sent; it waits in their inbox.")),
        "collaboration": (lambda: collaboration.draft_collaboration(proposal=proposal, actor=user, open_=opening),
                          _("The draft is open: others may ask to join it.") if opening
                          else _("The draft is closed to new requests.")),
        "publish": (lambda: proposals.proposal_publish(proposal=proposal, actor=user), _("The proposal is published.")),
        "withdraw": (lambda: proposals.proposal_withdraw(proposal=proposal, actor=user, reason=post.get("reason", "")),
                     _("The proposal is withdrawn.")),
    }


@require_http_methods(["GET", "POST"])
def proposal_manage(request, proposal_id: int):
    """/participation/proposals/<id>/edit/ : the author's and co-authors' page of a proposal: edit its text and
    category while its state allows, add photos, invite co-authors, open a draft for collaboration, publish it,
    withdraw it with a reason."""
    if (login := _signed_in(request)) is not None:
        return login
    proposal = _own_proposal(request, proposal_id)
    if not selectors.may_edit(proposal, request.user):
        raise Http404(f"you do not write proposal {proposal_id}")
    errors: dict = {}
    if request.method == "POST":
        form = request.POST.get("form", "")
        forms = _manage_forms(request, proposal)
        if form not in forms:
            errors["form"], errors["status"] = _("form: one of %(forms)s") % {"forms": ", ".join(forms)}, 400
        else:
            try:
                require_write_allowance(request)
                action, done = forms[form]
                action()
            except ServiceError as exc:
                refused(errors, exc, form)
            else:
                messages.success(request, done)
                if form == "withdraw":
                    return redirect("participation-page-activity")
                if form == "publish":
                    return redirect("participation-page-proposal", proposal_id=proposal.pk)
                return redirect("participation-page-proposal-edit", proposal_id=proposal.pk)
        proposal = _own_proposal(request, proposal_id)
    return answer(request, "participation/pages/proposal_manage.html", {
        "proposal": proposal,
        "process_title": localized(proposal.process, "title"),
        "state_label": proposal.get_state_display(),
        "editable": proposal.state in EDITABLE,
        "withdrawable": proposal.state in WITHDRAWABLE and proposal.author_id == request.user.id,
        "is_author": proposal.author_id == request.user.id,
        "categories": [(c.slug, localized(c, "name")) for c in selectors.categories()],
        "values": request.POST if request.method == "POST" else {},
        "coauthors": selectors.coauthors_of(proposal),
        "join_requests": [j for j in proposal.join_requests.select_related("user") if j.state == JoinRequest.State.PENDING],
    }, errors)


@require_POST
def support_withdraw(request, proposal_id: int):
    """Withdraw one's support from the proposal's page (the supports phase open); back to the page."""
    if (login := _signed_in(request)) is not None:
        return login
    proposal = _own_proposal(request, proposal_id)
    try:
        require_write_allowance(request)
        engagement.support_withdraw(proposal=proposal, user=request.user)
    except ServiceError as exc:
        return refusal_page(request, exc, back=reverse("participation-page-proposal", kwargs={"proposal_id": proposal.pk}))
    messages.success(request, _("Your support is withdrawn."))
    return redirect("participation-page-proposal", proposal_id=proposal.pk)


def refusal_page(request, exc: ServiceError, *, back: str):
    """A refused one-button form (no field to mark): the reason, the status, and the way back."""
    errors: dict = {}
    refused(errors, exc, "form")
    return answer(request, "participation/pages/refused.html", {"message": exc.message, "back": back}, errors)


@require_http_methods(["GET", "POST"])
def report(request, kind: str, object_id: int):
    """/participation/report/<proposal|comment>/<id>/ : report a proposal or a comment to the moderators, with the
    reason; once per account."""
    if (login := _signed_in(request)) is not None:
        return login
    try:
        target = (selectors.comment_by_id(object_id, request.user) if kind == "comment"
                  else selectors.proposal_visible(object_id, request.user))
    except NotFound:
        raise Http404(f"no {kind} {object_id}") from None
    proposal = target.proposal if kind == "comment" else target
    errors: dict = {}
    if request.method == "POST":
        try:
            require_write_allowance(request)
            if kind == "comment":
                moderation.comment_flag(comment=target, user=request.user, reason=request.POST.get("reason", ""))
            else:
                moderation.proposal_flag(proposal=target, user=request.user, reason=request.POST.get("reason", ""))
        except ServiceError as exc:
            refused(errors, exc, "report")
        else:
            messages.success(request, _("Thank you: the moderators will look at your report."))
            return redirect("participation-page-proposal", proposal_id=proposal.pk)
    return answer(request, "participation/pages/report.html", {
        "kind": kind, "target": target, "proposal": proposal, "values": request.POST}, errors)




@require_http_methods(["GET", "POST"])
def inbox(request):
    """/participation/account/inbox/ : invitations to co-author (accept, decline), requests to join one's drafts
    (accept, reject), and one's own requests."""
    if (login := _signed_in(request)) is not None:
        return login
    errors: dict = {}
    if request.method == "POST":
        step = request.POST.get("step", "")
        try:
            require_write_allowance(request)
            if step in ("accept", "decline"):
                proposal = _own_proposal(request, _int(request.POST.get("proposal")))
                if step == "accept":
                    proposals.coauthor_accept(proposal=proposal, user=request.user)
                    done = _("You are now a co-author: you may edit the proposal.")
                else:
                    proposals.coauthor_decline(proposal=proposal, user=request.user)
                    done = _("The invitation is declined.")
            elif step in ("join-accept", "join-reject"):
                join = selectors.join_request_by_id(_int(request.POST.get("request")))
                collaboration.join_answer(join=join, actor=request.user, accept=step == "join-accept")
                done = _("The request is accepted: they now write the draft with you.") if step == "join-accept" \
                    else _("The request is rejected.")
            else:
                raise InvalidInput(_("one of accept, decline, join-accept, join-reject"), parameter="step")
        except ServiceError as exc:
            refused(errors, exc, "inbox")
        else:
            messages.success(request, done)
            return redirect("participation-page-inbox")
    return answer(request, "participation/pages/inbox.html", {"inbox": selectors.inbox_of(request.user),
                                                              "current": "inbox"}, errors)


def _int(raw) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise Http404("no such item") from None


@require_http_methods(["GET", "POST"])
def drafts(request, slug: str):
    """/participation/<slug>/drafts/ : the process's drafts open for collaboration, each with its text and a
    button to ask to join it."""
    process = selectors.published_process(slug)
    if process is None:
        raise Http404(f"no published process {slug!r}")
    errors: dict = {}
    if request.method == "POST":
        if (login := _signed_in(request)) is not None:
            return login
        try:
            require_write_allowance(request)
            collaboration.join_request(proposal=_own_proposal(request, _int(request.POST.get("proposal"))),
                                       user=request.user)
        except ServiceError as exc:
            refused(errors, exc, "join")
        else:
            messages.success(request, _("Your request is sent; the author answers it from their inbox."))
            return redirect("participation-page-drafts", slug=process.slug)
    mine = selectors.join_requests_of(request.user) if request.user.is_authenticated else {}
    return answer(request, "participation/pages/drafts.html", {
        "process": process, "process_title": localized(process, "title"),
        "drafts": [{"draft": d, "asked": mine.get(d.pk)} for d in selectors.collaborative_drafts(process)],
        "open": selectors.phase_open(process, Phase.Kind.PROPOSALS),
    }, errors)


@require_http_methods(["GET"])
def activity(request):
    """/participation/account/activity/ : my proposals, supports (withdrawn from here while the phase allows),
    comments, the budgets I voted in with my choices, and what the moderators decided about my content."""
    if (login := _signed_in(request)) is not None:
        return login
    mine = selectors.activity_of(request.user)
    supports = []
    for support in mine.supports:
        process = support.process
        phase = current_phase(process)
        supports.append({"support": support, "process_title": localized(process, "title"),
                         "withdrawable": phase is not None and phase.kind == Phase.Kind.SUPPORTS})
    ballots = []
    for cast in mine.ballots:
        budget = cast.budget
        chosen = set(ballot_of(budget=budget, user=request.user) or [])
        ballots.append({"cast": cast, "title": localized(budget, "title"),
                        "process_title": localized(budget.process, "title"),
                        "choices": [localized(p, "title") for p in budget.projects.all() if p.pk in chosen]})
    return render(request, "participation/pages/activity.html", {
        "activity": mine, "supports": supports, "ballots": ballots, "current": "activity",
        "editable": EDITABLE, "withdrawable": WITHDRAWABLE,
    })
