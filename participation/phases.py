"""What participants may do in each phase of a process, and the refusal that names the phase's dates."""
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .components import ACTION_COMPONENT, require_component
from .errors import PhaseClosed
from .models import Phase, Process

PROPOSE, SUPPORT, COMMENT, VOTE = "propose", "support", "comment", "vote"
REPORT = "report"  # reporting content to the moderators: open in every phase
REGISTER = "register"  # registering for a meeting: open until the meeting starts
ACTIONS = (PROPOSE, SUPPORT, COMMENT, VOTE)
# Comments stay open through the whole process; proposing, supporting and voting each have their phase.
PHASE_ACTIONS: dict[str, frozenset[str]] = {
    Phase.Kind.INFORMATION: frozenset({COMMENT}),
    Phase.Kind.PROPOSALS: frozenset({PROPOSE, COMMENT}),
    Phase.Kind.SUPPORTS: frozenset({SUPPORT, COMMENT}),
    Phase.Kind.EVALUATION: frozenset({COMMENT}),
    Phase.Kind.VOTING: frozenset({VOTE, COMMENT}),
    Phase.Kind.RESULTS: frozenset({COMMENT}),
    Phase.Kind.IMPLEMENTATION: frozenset({COMMENT}),
}
ACTION_PHASE = {PROPOSE: Phase.Kind.PROPOSALS, SUPPORT: Phase.Kind.SUPPORTS, VOTE: Phase.Kind.VOTING}
ACTION_WORDS = {PROPOSE: gettext_lazy("proposing"), SUPPORT: gettext_lazy("supporting"),
                COMMENT: gettext_lazy("commenting"), VOTE: gettext_lazy("voting"),
                REPORT: gettext_lazy("reporting"), REGISTER: gettext_lazy("registering for a meeting")}


def phases_of(process: Process) -> list[Phase]:
    cached = getattr(process, "_prefetched_objects_cache", {}).get("phases")
    return sorted(cached, key=lambda p: p.position) if cached is not None else list(process.phases.order_by("position"))


def current_phase(process: Process, now=None) -> Phase | None:
    now = now or timezone.now()
    return next((p for p in phases_of(process) if p.starts_at <= now < p.ends_at), None)


def allowed_actions(process: Process, now=None) -> list[str]:
    phase = current_phase(process, now)
    if phase is None:
        return []
    return [a for a in ACTIONS if a in PHASE_ACTIONS[phase.kind]]


def require_phase(process: Process, action: str, now=None) -> Phase:
    """The current phase when it allows the action; PhaseClosed (409) naming when it is open otherwise; NotFound
    (404) when the process does not use the action's component."""
    component = ACTION_COMPONENT.get(action)
    if component is not None:
        require_component(process, component)
    now = now or timezone.now()
    phase = current_phase(process, now)
    if phase is not None and action in PHASE_ACTIONS[phase.kind]:
        return phase
    word = ACTION_WORDS[action]
    now_text = _("the process is in its '%(phase)s' phase") % {"phase": phase.kind} if phase \
        else _("no phase of the process is open now")
    wanted = next((p for p in phases_of(process) if p.kind == ACTION_PHASE.get(action)), None)
    if wanted is None:
        raise PhaseClosed(_("%(action)s is not part of this process; %(now)s") % {"action": word, "now": now_text},
                          current_phase=phase.kind if phase else None)
    raise PhaseClosed(
        _("%(action)s is open in the '%(phase)s' phase, from %(start)s to %(end)s; %(now)s")
        % {"action": word, "phase": wanted.kind, "start": wanted.starts_at.isoformat(), "end": wanted.ends_at.isoformat(),
           "now": now_text},
        phase=wanted.kind, starts_at=wanted.starts_at.isoformat(), ends_at=wanted.ends_at.isoformat(),
        current_phase=phase.kind if phase else None,
    )
