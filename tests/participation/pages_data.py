"""Data for the participation pages' tests, on the demo geography: a process taking proposals (D4 and D5), a
budgeting process in its vote with a knapsack budget of 100,000 € over four projects, categories, and residents
whose residence is verified. Used by the client tests directly and by the browser tests in their server's database
(WebServer.django)."""
from datetime import timedelta

PASSWORD = "pw-123456"  # as tests/support/staff_accounts.py, so that its sign_in works
BUDGET_AMOUNT = 100_000
PROJECT_COSTS = (60_000, 30_000, 25_000, 45_000)


def verified_resident(username: str, district_code: str):
    from django.contrib.auth.models import User
    from django.utils import timezone

    from layers.models import District
    from participation.models import Verification

    user = User.objects.create_user(username, password=PASSWORD)
    Verification.objects.create(user=user, census_key=f"test-{username}", district=District.objects.get(code=district_code),
                                residence_verified_at=timezone.now(), email=f"{username}@example.org",
                                email_confirmed_at=timezone.now())
    return user


def build() -> dict:
    """The processes, phases, budget and projects; returns their ids and slugs."""
    from django.contrib.gis.geos import Point
    from django.utils import timezone

    from layers.models import District
    from participation.models import Budget, Phase, Process, Project, ProposalCategory

    now = timezone.now()
    ProposalCategory.objects.get_or_create(slug="green", defaults={"name_el": "Πράσινο", "name_en": "Green spaces"})
    ProposalCategory.objects.get_or_create(slug="mobility", defaults={"name_el": "Κινητικότητα", "name_en": "Mobility"})

    ideas = Process.objects.create(slug="neighbourhood-ideas", kind=Process.Kind.URBAN_PLANNING,
                                   title_el="Ιδέες για τη γειτονιά", title_en="Ideas for the neighbourhood",
                                   description_el="Προτείνετε.", description_en="Propose.")
    ideas.districts.set(District.objects.filter(code__in=["D4", "D5"]))
    Phase.objects.create(process=ideas, kind=Phase.Kind.INFORMATION, position=1,
                         starts_at=now - timedelta(days=20), ends_at=now - timedelta(days=10))
    Phase.objects.create(process=ideas, kind=Phase.Kind.PROPOSALS, position=2,
                         starts_at=now - timedelta(days=10), ends_at=now + timedelta(days=10))
    Phase.objects.create(process=ideas, kind=Phase.Kind.SUPPORTS, position=3,
                         starts_at=now + timedelta(days=10), ends_at=now + timedelta(days=20))

    budgeting = Process.objects.create(slug="budget-2027", kind=Process.Kind.BUDGETING,
                                       title_el="Συμμετοχικός προϋπολογισμός 2027", title_en="Participatory budget 2027")
    Phase.objects.create(process=budgeting, kind=Phase.Kind.VOTING, position=1,
                         starts_at=now - timedelta(days=3), ends_at=now + timedelta(days=7))
    Phase.objects.create(process=budgeting, kind=Phase.Kind.RESULTS, position=2,
                         starts_at=now + timedelta(days=7), ends_at=now + timedelta(days=30))
    budget = Budget.objects.create(process=budgeting, title_el="Όλη η πόλη", title_en="The whole city",
                                   amount=BUDGET_AMOUNT, rule=Budget.Rule.KNAPSACK, minimum_share=50)
    d3 = District.objects.get(code="D3").geom.point_on_surface
    projects = []
    for number, cost in enumerate(PROJECT_COSTS, start=1):
        place = Point(d3.x + 0.002 * number, d3.y, srid=4326)
        projects.append(Project.objects.create(budget=budget, title_el=f"Έργο {number}", title_en=f"Project {number}",
                                               cost=cost, geom=place).pk)
    return {"ideas": ideas.slug, "budgeting": budgeting.slug, "budget": budget.pk, "projects": projects}


def open_phase(slug: str, kind: str) -> None:
    """Move a process on: the phases before `kind` end a minute ago, `kind` opens now (dates kept apart)."""
    from django.utils import timezone

    from participation.models import Phase

    now = timezone.now()
    phases = list(Phase.objects.filter(process__slug=slug).order_by("position"))
    target = next(p for p in phases if p.kind == kind)
    for phase in phases:  # an earlier phase still running ends a minute ago
        if phase.position < target.position and phase.ends_at > now - timedelta(minutes=1):
            phase.ends_at = now - timedelta(minutes=1)
            phase.save(update_fields=["ends_at"])
    target.starts_at = now - timedelta(seconds=30)
    target.save(update_fields=["starts_at"])


def reopen_phase(slug: str, kind: str) -> None:
    """Open `kind` again now: the phases after it are dropped, its dates span today."""
    from django.utils import timezone

    from participation.models import Phase

    now = timezone.now()
    target = Phase.objects.get(process__slug=slug, kind=kind)
    Phase.objects.filter(process__slug=slug, position__gt=target.position).delete()
    target.starts_at, target.ends_at = min(target.starts_at, now - timedelta(hours=1)), now + timedelta(days=1)
    target.save(update_fields=["starts_at", "ends_at"])


def reported_comment_scene() -> dict:
    """For the moderation browser test: a published proposal in D4 of the neighbourhood ideas (build() first), in its
    supports phase, supported by `eleni-s`, with a comment two verified residents have reported already."""
    from django.contrib.gis.geos import Point

    from layers.models import District
    from participation.models import Process
    from participation.services.engagement import comment_post, support_give
    from participation.services.moderation import comment_flag
    from participation.services.proposals import proposal_create

    process = Process.objects.get(slug="neighbourhood-ideas")
    centre = District.objects.get(code="D4").geom.point_on_surface
    proposal = proposal_create(process=process, author=verified_resident("anna-t", "D4"), title="Shade on the square",
                               body="Trees and an awning.", place=Point(centre.x, centre.y, srid=4326), publish=True)
    comment = comment_post(proposal=proposal, author=verified_resident("troll-x", "D4"), body="Buy cheap watches here")
    for name in ("rep-1", "rep-2"):
        comment_flag(comment=comment, user=verified_resident(name, "D5"), reason="advertising")
    open_phase("neighbourhood-ideas", "supports")
    support_give(proposal=proposal, user=verified_resident("eleni-s", "D4"))
    return {"proposal": proposal.pk, "comment": comment.pk}


def full_meeting_scene() -> dict:
    """For the meetings browser test: a strategic-planning process with a meeting of one place, taken by `meet-first`;
    `meet-second` has an account too."""
    from datetime import timedelta

    from django.contrib.gis.geos import Point
    from django.utils import timezone

    from participation.models import Meeting, Process
    from participation.services.meetings import register

    process = Process.objects.create(slug="city-plan-2035", kind=Process.Kind.STRATEGIC_PLANNING,
                                     title_el="Σχέδιο 2035", title_en="City plan 2035")
    start = timezone.now() + timedelta(days=3)
    meeting = Meeting.objects.create(
        process=process, mode=Meeting.Mode.IN_PERSON, capacity=1, title_el="Συνάντηση", title_en="Open meeting",
        address="Πλατεία Αριστοτέλους, Θεσσαλονίκη", geom=Point(22.9410, 40.6325, srid=4326),
        starts_at=start, ends_at=start + timedelta(hours=2))
    register(meeting=meeting, user=verified_resident("meet-first", "D1"))
    verified_resident("meet-second", "D2")
    return {"meeting": meeting.pk}
