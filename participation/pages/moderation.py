"""The moderators' page (staff): what residents reported or the reports hid, each with the reports' reasons; hide
and show again a proposal or a comment with a public reason (the author is told on their activity page); block
and unblock an account with the reason. Plain forms posted to the server, under the citizen write limit."""
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.page_access import page_for
from participation import selectors
from core.errors import ServiceError
from participation.errors import InvalidInput
from participation.services import moderation
from participation.write_limit import require_write_allowance

from .resident import _int, answer, refused


def is_moderator(user) -> bool:
    return bool(user and user.is_authenticated and user.is_staff)


def _decide(request) -> str:
    """Carry out the posted decision; the notice to show when it is done."""
    step, post, moderator = request.POST.get("step", ""), request.POST, request.user
    reason = post.get("reason", "")
    if step in ("hide-proposal", "restore-proposal"):
        proposal = selectors.proposal_for_moderation(_int(post.get("id")))
        if step == "hide-proposal":
            moderation.proposal_hide(proposal=proposal, moderator=moderator, reason=reason)
            return _("The proposal is hidden; its author is told.")
        moderation.proposal_restore(proposal=proposal, moderator=moderator, reason=reason)
        return _("The proposal is shown again; its author is told.")
    if step in ("hide-comment", "restore-comment"):
        comment = selectors.comment_for_moderation(_int(post.get("id")))
        if step == "hide-comment":
            moderation.comment_hide(comment=comment, staff=moderator, reason=reason)
            return _("The comment is hidden; its author is told.")
        moderation.comment_restore(comment=comment, moderator=moderator, reason=reason)
        return _("The comment is shown again; its author is told.")
    if step == "block":
        moderation.account_block(username=post.get("username", "").strip(), moderator=moderator, reason=reason)
        return _("The account is blocked: its content is hidden and its actions refused.")
    if step == "unblock":
        moderation.account_unblock(username=post.get("username", "").strip(), moderator=moderator, reason=reason)
        return _("The account is unblocked: its content is shown again.")
    raise InvalidInput(_("one of hide-proposal, restore-proposal, hide-comment, restore-comment, block, unblock"),
                       parameter="step")


@require_http_methods(["GET", "POST"])
@page_for(lambda request: is_moderator(request.user), gettext_lazy("This page is for the municipality's moderators."))
def moderation_queue(request):
    """/participation/moderation/ : the queue and the decisions."""
    errors: dict = {}
    failed = None
    if request.method == "POST":
        step = request.POST.get("step", "")
        try:
            require_write_allowance(request)
            done = _decide(request)
        except ServiceError as exc:
            refused(errors, exc, step)
            # the form that failed (its step and target, as the page names them) marks its field with the message
            target = "" if step == "block" else request.POST.get("id") or request.POST.get("username", "")
            failed = {"here": f"{step}:{target}", "parameter": exc.parameter, "message": exc.message}
        else:
            messages.success(request, done)
            return redirect("participation-page-moderation")
    return answer(request, "participation/pages/moderation.html", {
        "queue": selectors.moderation_queue(), "values": request.POST, "current": "moderation", "failed": failed},
        errors)
