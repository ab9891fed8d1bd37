"""A participant's notices: following a process, a proposal or a project from its page, the notifications page
(the notices, the e-mail choice, what is followed) and the one-click unsubscribe of the e-mails. Plain forms posted
to the server, so they work without scripts."""
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.i18n import localized
from participation import selectors
from participation.errors import InvalidInput, ParticipationError
from participation.services import notifications

EMAIL_CHOICES = ("now", "digest", "off")


def _back(request, default: str = "/participation/") -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


@require_POST
def follow(request):
    """Follow (or stop following) the process, proposal or project named by the form, then back to its page."""
    if not request.user.is_authenticated:
        return redirect_to_login(_back(request))
    try:
        if request.POST.get("follow_id"):
            notifications.follow_stop(user=request.user, follow_id=int(request.POST["follow_id"]))
        else:
            name = request.POST.get("kind", "")
            value = request.POST.get("target", "")
            if name not in ("process", "proposal", "project"):
                raise InvalidInput("kind: one of process, proposal, project", parameter="kind")
            target = selectors.follow_target(user=request.user, **{name: value if name == "process" else int(value)})
            notifications.follow_start(user=request.user, **target)
    except (ParticipationError, ValueError) as exc:
        return render(request, "participation/pages/notifications.html", {
            **_notifications_context(request.user), "errors": {"form": getattr(exc, "message", str(exc))}}, status=400)
    return HttpResponseRedirect(_back(request))


def _notifications_context(user) -> dict:
    chosen = selectors.notice_settings_of(user)
    return {
        "notices": [{"notice": n, "text": localized(n, "text")} for n in selectors.notices_of(user)],
        "email_choice": "off" if chosen.email_off else "digest" if chosen.daily_digest else "now",
        "follows": [{"follow": f, "title": _follow_title(f)} for f in selectors.follows_of(user)],
        "errors": {},
    }


def _follow_title(follow) -> str:
    if follow.process is not None:
        return localized(follow.process, "title")
    if follow.proposal is not None:
        return follow.proposal.title
    return localized(follow.project, "title")


@require_http_methods(["GET", "POST"])
def notifications_page(request):
    """/participation/notifications/ : my notices, newest first; e-mail each at once, a daily digest or none; what I
    follow, each with a button to stop."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    saved = False
    if request.method == "POST":
        choice = request.POST.get("email", "")
        if choice not in EMAIL_CHOICES:
            context = _notifications_context(request.user)
            context["errors"] = {"email": "email: one of now, digest, off"}
            return render(request, "participation/pages/notifications.html", context, status=400)
        notifications.notice_settings_set(user=request.user, daily_digest=choice == "digest", email=choice != "off")
        saved = True
    return render(request, "participation/pages/notifications.html",
                  {**_notifications_context(request.user), "saved": saved})


@csrf_exempt  # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" with no session; the signed token decides
@require_http_methods(["GET", "POST"])
def unsubscribe_page(request, token: str):
    """/participation/unsubscribe/<token>/ : GET asks to confirm (a link opened must not act by itself, as mail
    scanners open links); POST (the button, or the mail client's one-click) stops the follow or every e-mail."""
    done, error, status = "", "", 200
    if request.method == "POST":
        try:
            done = notifications.unsubscribe(token=token)
        except ParticipationError as exc:
            error, status = exc.message, exc.status
    return render(request, "participation/pages/unsubscribe.html", {"done": done, "error": error}, status=status)
