"""Residents' own pages: create an account, and verify residence (census) and e-mail, the two steps that supports
and votes need. Plain forms posted to the server, so they work without scripts."""
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from core.limits import citizen_write_allowed
from participation.errors import ParticipationError
from participation.services import verification
from participation.services.access import verification_of
from participation.services.accounts import account_register

AUTH_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


@require_http_methods(["GET", "POST"])
def register(request):
    """Create a resident's account and sign in with it; then on to verification (or where the resident came from)."""
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        decision = citizen_write_allowed(request)
        if not decision.allowed:
            errors["form"] = f"too many attempts from here; retry in {decision.retry_after} s"
            status = 429
        else:
            try:
                user = account_register(username=request.POST.get("username", ""), email=request.POST.get("email", ""),
                                        password=request.POST.get("password", ""))
            except ParticipationError as exc:
                errors[exc.parameter or "form"] = exc.message
                status = 400
            else:
                login(request, user, backend=AUTH_BACKEND)
                return redirect(_safe_next(request, "participation-page-verification"))
    return render(request, "participation/pages/register.html", {
        "errors": errors, "values": request.POST if request.method == "POST" else {},
        "next": _safe_next(request, ""),
    }, status=status)


FORMS = {
    "residence": lambda request: verification.verification_match_residence(
        user=request.user, identifier=request.POST.get("identifier", ""),
        birth_date=verification.parse_birth_date(request.POST.get("date_of_birth", ""))),
    "email": lambda request: verification.verification_send_email_code(user=request.user, email=request.POST.get("email", "")),
    "code": lambda request: verification.verification_confirm_email(user=request.user, code=request.POST.get("code", "")),
}


@require_http_methods(["GET", "POST"])
def verification_page(request):
    """Where a resident stands (residence in which district, e-mail confirmed) and the forms for each step."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    errors: dict[str, str] = {}
    done = ""
    status = 200
    if request.method == "POST":
        step = request.POST.get("step", "")
        if step not in FORMS:
            errors["form"] = "step: one of residence, email, code"
            status = 400
        else:
            try:
                FORMS[step](request)
                done = step
            except ParticipationError as exc:
                errors[step] = exc.message
                status = exc.status
    return render(request, "participation/pages/verification.html", {
        "verification": verification_of(request.user), "errors": errors, "done": done,
        "min_age": settings.PARTICIPATION_MIN_AGE, "next": _safe_next(request, ""),
    }, status=status)
