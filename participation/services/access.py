"""Who may do what: each action's requirement (a setting of the process) checked against the account."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.i18n import localized

from .. import phases
from ..errors import NotAllowed, NotVerified
from ..models import AccountBlock, Process, Proposal, Requirement, Verification
from ..selectors import assigned_department, evaluator_departments

HOW_TO_VERIFY = gettext_lazy(
    "verify on the page /participation/account/verification/, or through the API: "
    "verify your residence: POST /api/participation/verification/residence with your census identifier "
    "and date of birth, and confirm your e-mail: POST /api/participation/verification/email, then "
    "/api/participation/verification/email/confirm with the code sent to you")


def verification_of(user) -> Verification | None:
    if user is None or not user.is_authenticated:
        return None
    return Verification.objects.filter(user=user).select_related("district").first()


def require_account(user, action: str) -> None:
    if user is None or not user.is_authenticated:
        raise NotVerified(_("%(action)s needs an account: sign in first") % {"action": phases.ACTION_WORDS[action]},
                          missing=["account"])
    block = AccountBlock.objects.filter(user_id=user.pk).only("reason").first()
    if block is not None:
        raise NotAllowed(_("%(action)s is refused: this account is blocked by the moderators (%(reason)s); "
                           "write to the municipality to contest it") % {"action": phases.ACTION_WORDS[action],
                                                                        "reason": block.reason},
                         code="account_blocked")


def require(user, *, action: str, process: Process, districts: list | None = None) -> Verification | None:
    """Check the process's requirement for an action. districts: the districts whose residents may act (a
    proposal's or a budget's); None or empty: the process's scope (the whole city when it names none)."""
    require_account(user, action)
    requirement = {
        phases.PROPOSE: process.propose_requirement, phases.SUPPORT: process.support_requirement,
        phases.COMMENT: process.comment_requirement, phases.VOTE: process.vote_requirement,
    }[action]
    if requirement == Requirement.ACCOUNT:
        return verification_of(user)
    verification = verification_of(user)
    missing = []
    if verification is None or verification.residence_verified_at is None:
        missing.append("residence")
    if verification is None or verification.email_confirmed_at is None:
        missing.append("email")
    word = phases.ACTION_WORDS[action]
    if missing:
        raise NotVerified(_("%(action)s needs a verified residence and a confirmed e-mail (%(missing)s missing): %(how)s")
                          % {"action": word, "missing": ", ".join(missing), "how": HOW_TO_VERIFY}, missing=missing)
    if requirement == Requirement.VERIFIED_IN_SCOPE:
        allowed = list(districts or process.districts.all())
        if allowed and verification.district_id not in {d.id for d in allowed}:
            names = ", ".join(f"{d.name_en} ({d.code})" for d in allowed)
            home = verification.district.name_en if verification.district else _("no district")
            raise NotVerified(_("%(action)s here is for residents of %(districts)s; your verified residence is in %(home)s")
                              % {"action": word, "districts": names, "home": home},
                              missing=["residence_in_scope"])
    return verification


def require_staff(user, what: str) -> None:
    if user is None or not user.is_authenticated or not user.is_staff:
        raise NotAllowed(_("%(what)s is done by the city's staff; sign in with a staff account") % {"what": what})


def require_evaluator(user, proposal: Proposal, what: str) -> None:
    """The city's participation staff act on every proposal; a department's members (CONSUL's valuators) only on
    the proposals assigned to their department (the evaluation's responsible department, else the category's)."""
    scope = evaluator_departments(user)
    if scope is None:
        return
    if not scope:
        raise NotAllowed(_("%(what)s is done by the city's staff or the department the proposal is assigned to; "
                           "sign in with such an account") % {"what": what})
    department = assigned_department(proposal)
    if department is None or department.id not in scope:
        assigned = localized(department, "name") if department else _("no department (the city's staff evaluate it)")
        raise NotAllowed(_("%(what)s: this proposal is assigned to %(assigned)s; your department evaluates only the "
                           "proposals assigned to it") % {"what": what, "assigned": assigned},
                         assigned_department=department.slug if department else None)
