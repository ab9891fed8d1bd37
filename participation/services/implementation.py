"""Implementation of what the participants chose: records for selected projects and accepted proposals (created
once, whatever the number of calls), their status, progress, dates, money and department, milestones with photos,
and the proposal's state following the record's (in progress, done); followers are told of both."""
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from core.photos import process_photo
from core.saved_files import atomic_with_files
from issues.models import Department

from ..errors import Conflict, InvalidInput
from ..models import (
    Implementation, ImplementationStatus, Milestone, MilestonePhoto, Process, Project, Proposal, ProposalEvent,
)
from .access import require_staff
from .notifications import announce_milestone, announce_state

MAX_MILESTONE_TEXT = 2000
MAX_MILESTONE_PHOTOS = 5
MAX_EUROS = 10**12
# The proposal's state follows its record's: the record's status → (the proposal's new state, the states it comes from)
PROPOSAL_FOLLOWS = {
    ImplementationStatus.IN_PROGRESS: (Proposal.State.IN_PROGRESS, (
        Proposal.State.ACCEPTED, Proposal.State.EVALUATED, Proposal.State.SELECTED, Proposal.State.DONE)),
    ImplementationStatus.DONE: (Proposal.State.DONE, (
        Proposal.State.ACCEPTED, Proposal.State.EVALUATED, Proposal.State.SELECTED, Proposal.State.IN_PROGRESS)),
}
# What an update may change; the rest of a record comes from its project or proposal.
FIELDS = ("status", "progress", "starts_on", "ends_on", "spent", "department", "cancel_reason")


def _titles(proposal: Proposal | None, project: Project | None) -> tuple[str, str]:
    if project is not None:
        return project.title_el, project.title_en
    parts = proposal.title.split(" / ")
    return parts[0][:200], parts[-1][:200]


def implementation_for_project(*, project: Project, staff, demo: bool | None = None) -> tuple[Implementation, bool]:
    """The record of a project the vote selected: made once (a second call returns the first record; a record already
    made for its proposal takes the project). (record, created)."""
    require_staff(staff, "starting an implementation")
    return implementation_of_project(project=project, demo=demo)


def implementation_of_project(*, project: Project, demo: bool | None = None) -> tuple[Implementation, bool]:
    """implementation_for_project for a caller that has checked who acts (publishing a budget's results)."""
    if not project.selected:
        raise Conflict(_("only a project the vote selected is implemented; publish the budget's results first"),
                       parameter="project")
    with transaction.atomic():
        Project.objects.select_for_update().get(pk=project.pk)
        existing = Implementation.objects.filter(project=project).first()
        if existing is not None:
            return existing, False
        if project.proposal_id is not None:
            earlier = Implementation.objects.select_for_update().filter(
                proposal_id=project.proposal_id, project__isnull=True).first()
            if earlier is not None:
                earlier.project = project
                earlier.cost = earlier.cost or project.cost
                earlier.save(update_fields=["project", "cost", "updated_at"])
                return earlier, False
        proposal = project.proposal
        title_el, title_en = _titles(proposal, project)
        record = Implementation.objects.create(
            process_id=project.budget.process_id, project=project, proposal=proposal, title_el=title_el,
            title_en=title_en, geom=project.geom if project.geom is not None else (proposal.geom if proposal else None),
            district=(proposal.district if proposal else None) or project.budget.district, cost=project.cost,
            demo=project.demo if demo is None else demo)
    return record, True


def implementation_for_proposal(*, proposal: Proposal, staff, demo: bool | None = None) -> tuple[Implementation, bool]:
    """The record of a proposal the city accepted to carry out (outside a budget's vote): made once."""
    require_staff(staff, "starting an implementation")
    if proposal.state not in (Proposal.State.ACCEPTED, Proposal.State.EVALUATED, Proposal.State.SELECTED,
                              Proposal.State.IN_PROGRESS, Proposal.State.DONE):
        raise Conflict(_("a %(state)s proposal is not implemented; the city accepts it first") % {"state": proposal.state},
                       parameter="proposal", state=proposal.state)
    with transaction.atomic():
        Proposal.objects.select_for_update().get(pk=proposal.pk)
        existing = Implementation.objects.filter(proposal=proposal).order_by("id").first()
        if existing is not None:
            return existing, False
        title_el, title_en = _titles(proposal, None)
        record = Implementation.objects.create(
            process_id=proposal.process_id, proposal=proposal, title_el=title_el, title_en=title_en, geom=proposal.geom,
            district=proposal.district, cost=proposal.cost_estimate, demo=proposal.demo if demo is None else demo)
    return record, True


def implementations_start(*, staff, process: Process | None = None) -> dict:
    """Records for every selected project, and every accepted proposal of a process without budgets (a budget's
    proposals are implemented when the vote selects them); running it again makes nothing new. {"created", "existing"}."""
    require_staff(staff, "starting implementations")
    created = existing = 0
    projects = Project.objects.filter(selected=True).select_related("budget", "proposal", "budget__district")
    proposals = Proposal.objects.filter(state=Proposal.State.ACCEPTED, process__budgets__isnull=True)
    if process is not None:
        projects, proposals = projects.filter(budget__process=process), proposals.filter(process=process)
    for project in projects.order_by("id"):
        made = implementation_for_project(project=project, staff=staff)[1]
        created, existing = created + made, existing + (not made)
    for proposal in proposals.order_by("id"):
        made = implementation_for_proposal(proposal=proposal, staff=staff)[1]
        created, existing = created + made, existing + (not made)
    return {"created": created, "existing": existing}


@dataclass
class Change:
    """What an update would do to a record: the fields and values that differ, and nothing when it changes nothing."""
    record: Implementation
    changed: dict = field(default_factory=dict)


def _whole(value, parameter: str, *, low: int, high: int, words: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(words, parameter=parameter, code="out_of_range" if isinstance(value, int) else "invalid")
    return value


def implementation_checked(*, implementation: Implementation, values: dict) -> Change:
    """The record as it would be with `values` (any of FIELDS; department by slug, dates as dates), checked against
    the rules, without writing: progress 0 to 100; done means 100 % and an end date; the end not before the start;
    no milestone before the start; cancelled needs a reason. Each refusal names its field."""
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise InvalidInput(_("not a field of an implementation; one of %(fields)s") % {"fields": ", ".join(FIELDS)},
                           parameter=unknown[0])
    record = Implementation.objects.get(pk=implementation.pk) if implementation.pk else implementation
    new = {name: getattr(record, name) for name in FIELDS if name != "department"}
    new["department"] = record.department
    for name, value in values.items():
        if name == "status":
            if value not in ImplementationStatus.values:
                raise InvalidInput(_("one of %(values)s") % {"values": ", ".join(ImplementationStatus.values)},
                                   parameter="status")
        elif name == "progress":
            value = _whole(value, "progress", low=0, high=100, words=_("a whole number of per cent, 0 to 100"))
        elif name == "spent":
            value = _whole(value, "spent", low=0, high=MAX_EUROS, words=_("euros, a whole number, 0 or more"))
        elif name in ("starts_on", "ends_on"):
            if value is not None and not isinstance(value, date):
                raise InvalidInput(_("a date, YYYY-MM-DD"), parameter=name)
        elif name == "department":
            if value in (None, ""):
                value = None
            else:
                found = Department.objects.filter(slug=value).first()
                if found is None:
                    raise InvalidInput(_("no department %(slug)r") % {"slug": str(value)[:60]}, parameter="department",
                                       code="not_found")
                value = found
        elif name == "cancel_reason":
            value = (value or "").strip()
        new[name] = value
    if new["status"] == ImplementationStatus.DONE:
        if new["progress"] != 100:
            raise InvalidInput(_("a done project is 100 %% complete; set progress to 100 (it is %(progress)s)")
                               % {"progress": new["progress"]}, parameter="progress", code="done_not_complete")
        if new["ends_on"] is None:
            raise InvalidInput(_("a done project has the date it ended"), parameter="ends_on", code="required")
    if new["status"] == ImplementationStatus.CANCELLED and not new["cancel_reason"]:
        raise InvalidInput(_("say why the project is cancelled; the reason is published"), parameter="cancel_reason",
                           code="required")
    if new["starts_on"] and new["ends_on"] and new["ends_on"] < new["starts_on"]:
        raise InvalidInput(_("the end (%(end)s) is before the start (%(start)s)")
                           % {"end": new["ends_on"], "start": new["starts_on"]}, parameter="ends_on")
    if new["starts_on"] and record.pk:
        first = Milestone.objects.filter(implementation=record, on__lt=new["starts_on"]).order_by("on").first()
        if first is not None:
            raise InvalidInput(_("the milestone of %(date)s would come before the start; start on %(date)s or earlier")
                               % {"date": first.on}, parameter="starts_on", code="milestone_before_start")
    current = {name: getattr(record, name) for name in FIELDS if name != "department"}
    current["department"] = record.department
    return Change(record=record, changed={k: v for k, v in new.items() if v != current[k]})


def _proposal_follows(record: Implementation, staff) -> None:
    follow = PROPOSAL_FOLLOWS.get(record.status)
    if follow is None or record.proposal_id is None:
        return
    to_state, sources = follow
    proposal = Proposal.objects.select_for_update().get(pk=record.proposal_id)
    if proposal.state not in sources:
        return
    before = proposal.state
    proposal.state = to_state
    proposal.save(update_fields=["state", "updated_at"])
    ProposalEvent.objects.create(proposal=proposal, kind=ProposalEvent.Kind.STATE, staff=True, actor=staff,
                                 from_state=before, to_state=to_state, reason=f"implementation {record.status}")
    announce_state(proposal=proposal, before=before, actor=staff)


def implementation_update(*, implementation: Implementation, staff, values: dict) -> Change:
    """Change a record's status, progress, dates, money, department or reason under the rules of
    implementation_checked; the proposal follows (in progress, done). Nothing changes when nothing differs."""
    require_staff(staff, "updating an implementation")
    return implementation_apply(implementation=implementation, values=values, actor=staff)


def implementation_apply(*, implementation: Implementation, values: dict, actor=None) -> Change:
    """implementation_update for a caller that has checked who acts (the project office's import: actor None)."""
    with transaction.atomic():
        locked = Implementation.objects.select_for_update().get(pk=implementation.pk)
        change = implementation_checked(implementation=locked, values=values)
        if change.changed:
            for name, value in change.changed.items():
                setattr(locked, name, value)
            locked.save()
            _proposal_follows(locked, actor)
        change.record = locked
    return change


def milestone_record(*, implementation: Implementation, on: date, text_el: str = "", text_en: str = "") -> Milestone:
    """milestone_add for a caller that has checked who acts: the rules of a milestone, then the milestone."""
    if not isinstance(on, date):
        raise InvalidInput(_("a date, YYYY-MM-DD"), parameter="date", code="required")
    text_el, text_en = _milestone_text(text_el, text_en)
    with transaction.atomic():
        record = Implementation.objects.select_for_update().get(pk=implementation.pk)
        if record.status == ImplementationStatus.CANCELLED:
            raise Conflict(_("the project is cancelled; reopen it before adding milestones"), parameter="status")
        if record.starts_on and on < record.starts_on:
            raise InvalidInput(_("the milestone's date (%(date)s) is before the start of the project (%(start)s)")
                               % {"date": on, "start": record.starts_on}, parameter="date", code="before_start")
        milestone = Milestone.objects.create(implementation=record, on=on, text_el=text_el, text_en=text_en)
        record.save(update_fields=["updated_at"])
        announce_milestone(implementation=record, milestone=milestone)
    return milestone


def _milestone_text(text_el: str, text_en: str) -> tuple[str, str]:
    text_el, text_en = (text_el or "").strip(), (text_en or "").strip()
    if not text_el and not text_en:
        raise InvalidInput(_("say what happened, in Greek or English"), parameter="text_el", code="required")
    for name, text in (("text_el", text_el), ("text_en", text_en)):
        if len(text) > MAX_MILESTONE_TEXT:
            raise InvalidInput(_("is %(length)d characters; at most %(limit)d")
                               % {"length": len(text), "limit": MAX_MILESTONE_TEXT}, parameter=name, code="too_long")
    return text_el, text_en


def milestone_add(*, implementation: Implementation, staff, on: date, text_el: str = "", text_en: str = "") -> Milestone:
    """A dated step of the implementation; not before its start, not on a cancelled project."""
    require_staff(staff, "adding a milestone")
    return milestone_record(implementation=implementation, on=on, text_el=text_el, text_en=text_en)


def milestone_add_photo(*, milestone: Milestone, staff, upload) -> MilestonePhoto:
    """A photo of a milestone through the shared photo pipeline (content checked, EXIF and GPS removed, resized)."""
    require_staff(staff, "adding a milestone's photo")
    if milestone.photos.count() >= MAX_MILESTONE_PHOTOS:
        raise Conflict(_("a milestone has at most %(count)d photos") % {"count": MAX_MILESTONE_PHOTOS})
    processed = process_photo(upload, parameter="photo")
    photo = MilestonePhoto(milestone=milestone, width=processed.width, height=processed.height)
    with atomic_with_files() as saved_files:
        saved_files.save(photo.photo, processed.photo)
        saved_files.save(photo.thumbnail, processed.thumbnail)
        photo.save()
    return photo
