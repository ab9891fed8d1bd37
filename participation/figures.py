"""The city's participation figures (its roadmap): initiatives, participants, comments, supports, votes, co-creation
and the share of municipal projects done with participation; and participants per 1,000 residents by district.

Counts only: no figure names a person, and a ballot is counted through BallotCast (who voted, by month), never
through what was chosen."""
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from layers.models import District

from .models import BallotCast, CoAuthor, Comment, MunicipalProject, Process, Proposal, Support, Verification

FIGURES = ("initiatives", "participants", "proposals", "comments", "supports", "votes", "co_creation_participants",
           "municipal_projects", "municipal_projects_with_participation", "share_municipal_projects_with_participation")


@dataclass(frozen=True)
class FigureScope:
    """From (inclusive) to (exclusive); the process, when the figures are of one."""

    start: datetime
    end: datetime
    process: Process | None = None


def _in_scope(scope: FigureScope, *, time: str, process: str) -> Q:
    q = Q(**{f"{time}__gte": scope.start, f"{time}__lt": scope.end})
    if scope.process is not None:
        q &= Q(**{process: scope.process})
    return q


def _participant_ids(scope: FigureScope, *, co_creation: bool = False) -> set[int]:
    """Accounts that proposed, co-wrote, commented, supported or voted in the scope."""
    kind = {"process__kind": Process.Kind.CO_CREATION} if co_creation else {}
    proposal_kind = {"proposal__process__kind": Process.Kind.CO_CREATION} if co_creation else {}
    ids = set(Proposal.objects.filter(_in_scope(scope, time="created_at", process="process"), **kind)
              .exclude(state=Proposal.State.DRAFT).values_list("author_id", flat=True))
    ids |= set(CoAuthor.objects.filter(_in_scope(scope, time="accepted_at", process="proposal__process"), **proposal_kind)
               .values_list("user_id", flat=True))
    ids |= set(Comment.objects.filter(_in_scope(scope, time="created_at", process="proposal__process"), **proposal_kind)
               .values_list("author_id", flat=True))
    if not co_creation:
        ids |= set(Support.objects.filter(_in_scope(scope, time="created_at", process="process"))
                   .values_list("user_id", flat=True))
        ids |= set(BallotCast.objects.filter(_ballot_scope(scope)).values_list("user_id", flat=True))
    return ids


def _ballot_scope(scope: FigureScope) -> Q:
    # a ballot is dated by its month only: a month counts when it starts in the scope
    q = Q(month__gte=scope.start.date().replace(day=1), month__lt=scope.end.date())
    if scope.process is not None:
        q &= Q(budget__process=scope.process)
    return q


def participation_figures(scope: FigureScope) -> dict:
    """The roadmap's figures for the scope, in the order of FIGURES."""
    processes = Process.objects.filter(published=True, phases__starts_at__lt=scope.end, phases__ends_at__gt=scope.start)
    if scope.process is not None:
        processes = processes.filter(pk=scope.process.pk)
    years = (scope.start.year, (scope.end.year if (scope.end.month, scope.end.day) != (1, 1) else scope.end.year - 1))
    municipal = MunicipalProject.objects.filter(year__gte=years[0], year__lte=years[1]).aggregate(
        total=Count("id"), with_participation=Count("id", filter=Q(process__isnull=False)))
    return {
        "initiatives": processes.distinct().count(),
        "participants": len(_participant_ids(scope)),
        "proposals": Proposal.objects.filter(_in_scope(scope, time="published_at", process="process")).count(),
        "comments": Comment.objects.filter(_in_scope(scope, time="created_at", process="proposal__process"),
                                           hidden_at__isnull=True).count(),
        "supports": Support.objects.filter(_in_scope(scope, time="created_at", process="process")).count(),
        "votes": BallotCast.objects.filter(_ballot_scope(scope)).count(),
        "co_creation_participants": len(_participant_ids(scope, co_creation=True)),
        "municipal_projects": municipal["total"],
        "municipal_projects_with_participation": municipal["with_participation"],
        "share_municipal_projects_with_participation":
            round(municipal["with_participation"] / municipal["total"], 4) if municipal["total"] else None,
    }


def participation_by_district(scope: FigureScope) -> dict:
    """Participants with a verified residence, per district and per 1,000 of its residents, as GeoJSON for a
    choropleth (the district outlines simplified to about 10 m)."""
    ids = _participant_ids(scope)
    counts = dict(Verification.objects.filter(user_id__in=ids, district__isnull=False).values_list("district")
                  .annotate(n=Count("user_id", distinct=True)).values_list("district", "n"))
    features = []
    for district in District.objects.order_by("code"):
        participants = counts.get(district.pk, 0)
        population = district.population
        features.append({
            "type": "Feature", "id": district.code,
            "geometry": _geojson(district.geom.simplify(0.0001, preserve_topology=True)),
            "properties": {
                "code": district.code, "name_el": district.name_el, "name_en": district.name_en,
                "participants": participants, "population": population,
                "per_thousand": round(participants * 1000 / population, 2) if population else None,
            },
        })
    return {"type": "FeatureCollection", "features": features}


def _geojson(geom) -> dict:
    return json.loads(geom.geojson)


def default_scope(process: Process | None = None) -> FigureScope:
    """The whole life of a process (its first phase's start to its last phase's end, or now if later), or else the
    last 365 days."""
    now = timezone.now()
    if process is not None:
        bounds = process.phases.aggregate(start=Min("starts_at"), end=Max("ends_at"))
        if bounds["start"]:
            return FigureScope(start=bounds["start"], end=max(bounds["end"], now), process=process)
    return FigureScope(start=now - timedelta(days=365), end=now, process=process)
