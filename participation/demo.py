"""Demo data, labelled as such: the Participatory Budget 2025 (over: its vote closed, its results published, its
projects selected) and the Participatory Budget 2027 (open for voting today) with a budget per district and a
city-wide one, about 60 proposals (points, lines, polygons, a few city-wide ideas) with supports, comments, the city's answers,
projects and ballots; a small co-creation process; the 2025 budget's projects being carried out and the municipal
project register (participation/demo_implementation.py). Everything is written through
the same services a real process uses, at the dates of each phase (the services take `now`)."""
import io
import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.gis.geos import GEOSGeometry, LineString, Point
from django.db import connection, transaction
from django.utils import timezone

from issues.models import Department
from layers.models import District

from .demo_implementation import load_demo_implementation
from .errors import ParticipationError
from .models import (
    Budget, Implementation, Meeting, MunicipalProject, Phase, Process, Project, Proposal, ProposalCategory, Verification,
)
from .services.budgets import ballot_submit, project_create, results_publish
from .services.engagement import comment_post, support_give
from .services.proposals import coauthor_accept, coauthor_invite, proposal_answer, proposal_create, proposal_edit
from .services.verification import census_import, census_key, verification_match_residence

DEMO_SLUG = "pb-2027"
CO_CREATION_SLUG = "nea-paralia-co-design"
PAST_SLUG = "pb-2025"
CATEGORIES = [
    ("green", "Πράσινο και δέντρα", "Greenery and trees"), ("mobility", "Κινητικότητα", "Mobility"),
    ("public-space", "Δημόσιος χώρος", "Public space"), ("culture", "Πολιτισμός", "Culture"),
    ("social", "Κοινωνική φροντίδα", "Social care"), ("accessibility", "Προσβασιμότητα", "Accessibility"),
]
# The department that evaluates each category's proposals (the catalogue's departments).
CATEGORY_DEPARTMENTS = {"green": "parks-trees", "mobility": "roads-pavements", "public-space": "urban-planning",
                        "culture": "municipal-buildings", "social": "citizen-service",
                        "accessibility": "roads-pavements"}
POINT_IDEAS = [
    ("Παγκάκια και σκιά στη στάση", "Benches and shade at the bus stop", "public-space"),
    ("Βρύση πόσιμου νερού", "Drinking-water fountain", "public-space"),
    ("Ράμπα πρόσβασης στο ΚΑΠΗ", "Access ramp at the seniors' centre", "accessibility"),
    ("Σταθμός επισκευής ποδηλάτων", "Bicycle repair station", "mobility"),
    ("Μικρή δανειστική βιβλιοθήκη", "Little free library", "culture"),
    ("Φωτισμός στο πέρασμα πεζών", "Lighting at the pedestrian crossing", "mobility"),
    ("Κάδοι κομποστοποίησης γειτονιάς", "Neighbourhood compost bins", "green"),
]
LINE_IDEAS = [
    ("Ποδηλατόδρομος στον δρόμο", "Cycle lane along the street", "mobility"),
    ("Δεντροστοιχία στο πεζοδρόμιο", "Row of trees on the pavement", "green"),
    ("Διεύρυνση πεζοδρομίου", "Wider pavement", "accessibility"),
    ("Ασφαλής διαδρομή προς το σχολείο", "Safe route to school", "mobility"),
]
POLYGON_IDEAS = [
    ("Πάρκο τσέπης στο οικόπεδο", "Pocket park on the empty plot", "green"),
    ("Ανάπλαση της πλατείας", "Redesign of the square", "public-space"),
    ("Κοινοτικός λαχανόκηπος", "Community vegetable garden", "green"),
    ("Παιδική χαρά για όλα τα παιδιά", "Inclusive playground", "accessibility"),
    ("Υπαίθριος χώρος πολιτισμού", "Open-air culture space", "culture"),
]
CITY_WIDE_IDEAS = [
    ("Ψηφιακός χάρτης προσβασιμότητας", "Digital accessibility map", "accessibility"),
    ("Δωρεάν εργαστήρια για ηλικιωμένους", "Free workshops for seniors", "social"),
    ("Φεστιβάλ γειτονιών", "Neighbourhood festival", "culture"),
]
COMMENTS = ["Πολύ καλή ιδέα, τη χρειάζεται η γειτονιά.", "Great idea, I walk there every day.",
            "Να προβλεφθεί και σκίαση.", "What would maintenance cost each year?", "Συμφωνώ απόλυτα!"]
DISTRICT_AMOUNTS = {"D1": 400_000, "D2": 350_000, "D3": 300_000, "D4": 350_000, "D5": 300_000, "D6": 300_000}
CITY_AMOUNT = 1_500_000
CITIZENS_PER_DISTRICT = 12
DEMO_LABEL_EN = " (demo data)"
DEMO_LABEL_EL = " (δοκιμαστικά δεδομένα)"


def _phase_dates(today):
    """Voting open now; the earlier phases over, so the demo holds proposals, supports and evaluations."""
    spans = [("information", -130, -110), ("proposals", -110, -80), ("supports", -80, -55),
             ("evaluation", -55, -10), ("voting", -10, 25), ("results", 25, 40), ("implementation", 40, 400)]
    return [(kind, today + timedelta(days=a), today + timedelta(days=b)) for kind, a, b in spans]


def _inside(phases, kind):
    start = next(s for k, s, _ in phases if k == kind)
    return start + timedelta(days=2)


def _random_points(district: District, count: int, seed: int) -> list[Point]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_AsText((ST_Dump(ST_GeneratePoints(ST_Buffer(geom::geography, -60)::geometry, %s, %s)))"
                       ".geom) FROM layers_district WHERE id = %s", [count, seed, district.id])
        return [GEOSGeometry(row[0], srid=4326) for row in cursor.fetchall()]


def _citizens(districts) -> dict[str, list]:
    """Demo residents, verified through the census import and the residence match like anyone else."""
    users = get_user_model()
    rows, people = ["identifier,date_of_birth,district"], {}
    for district in districts:
        for n in range(CITIZENS_PER_DISTRICT):
            rows.append(f"DEMO{district.code}{n:03d},{1950 + n * 3}-0{1 + n % 9}-1{n % 9},{district.code}")
    census_import(lines=io.StringIO("\n".join(rows) + "\n"), commit=True)
    for district in districts:
        people[district.code] = []
        for n in range(CITIZENS_PER_DISTRICT):
            user, _ = users.objects.get_or_create(username=f"demo-{district.code.lower()}-{n:02d}")
            user.set_unusable_password()
            user.save()
            verify_demo_resident(user, f"DEMO{district.code}{n:03d}", date(1950 + n * 3, 1 + n % 9, 10 + n % 9))
            people[district.code].append(user)
    return people


def verify_demo_resident(user, identifier: str, birth: date) -> None:
    """A demo account becomes a verified resident: matched against the census (which must hold the identifier) like
    anyone else; its e-mail is taken as confirmed (no code is sent)."""
    verification = Verification.objects.filter(user=user).first()
    if verification is None or verification.census_key != census_key(identifier, birth):
        verification_match_residence(user=user, identifier=identifier, birth_date=birth)
    Verification.objects.filter(user=user).update(email=f"{user.username}@demo.invalid", email_confirmed_at=timezone.now())


def _remove_previous() -> None:
    Implementation.objects.filter(process__demo=True).delete()
    for process in Process.objects.filter(demo=True):
        Proposal.objects.filter(process=process).delete()
        process.delete()
    MunicipalProject.objects.filter(demo=True).delete()


@transaction.atomic
def load_demo_participation(*, commit: bool = False) -> dict:
    districts = list(District.objects.order_by("code"))
    if not districts:
        raise ParticipationError("load the demo geography first (layers_load_demo --commit)")
    rng = random.Random(2027)
    _remove_previous()
    departments = {d.slug: d for d in Department.objects.filter(slug__in=CATEGORY_DEPARTMENTS.values())}
    for slug, name_el, name_en in CATEGORIES:
        ProposalCategory.objects.update_or_create(slug=slug, defaults={
            "name_el": name_el, "name_en": name_en, "department": departments.get(CATEGORY_DEPARTMENTS[slug])})
    categories = {c.slug: c for c in ProposalCategory.objects.all()}
    staff, _ = get_user_model().objects.get_or_create(username="demo-participation-staff",
                                                       defaults={"is_staff": True})
    people = _citizens(districts)
    everyone = [u for group in people.values() for u in group]
    today = timezone.now()
    phases = _phase_dates(today)

    process = _budgeting_process(
        DEMO_SLUG, phases, support_threshold=5,
        title_el="Συμμετοχικός Προϋπολογισμός 2027", title_en="Participatory Budget 2027",
        description_el="Οι κάτοικοι προτείνουν και ψηφίζουν έργα για κάθε δημοτική κοινότητα και για όλη την πόλη. "
                       "Δοκιμαστικά δεδομένα για επίδειξη.",
        description_en="Residents propose and vote on projects for each district and for the whole city. "
                       "Demo data for demonstration.")
    budgets = {d.code: Budget.objects.create(process=process, district=d, amount=DISTRICT_AMOUNTS.get(d.code, 300_000),
                                             title_el=f"{d.name_el}" + DEMO_LABEL_EL, title_en=d.name_en + DEMO_LABEL_EN)
               for d in districts}
    budgets["city"] = Budget.objects.create(process=process, amount=CITY_AMOUNT, title_el="Όλη η πόλη" + DEMO_LABEL_EL,
                                            title_en="Whole city" + DEMO_LABEL_EN)

    proposing = _inside(phases, "proposals")
    proposals: list[Proposal] = []
    for number, district in enumerate(districts):
        points = _random_points(district, 13, seed=number + 1)
        authors = people[district.code]
        for i in range(10):
            kind = ("point", "point", "point", "line", "line", "polygon", "polygon", "point", "polygon", "line")[i]
            anchor = points[i]
            if kind == "point":
                title_el, title_en, category = POINT_IDEAS[(i + number) % len(POINT_IDEAS)]
                place = anchor
            elif kind == "line":
                title_el, title_en, category = LINE_IDEAS[(i + number) % len(LINE_IDEAS)]
                other = points[10 + i % 3]
                place = LineString([anchor.coords, ((anchor.x * 2 + other.x) / 3, (anchor.y * 2 + other.y) / 3)],
                                   srid=4326)
            else:
                title_el, title_en, category = POLYGON_IDEAS[(i + number) % len(POLYGON_IDEAS)]
                place = anchor.buffer(0.0007 + 0.0003 * (i % 3), quadsegs=3)
            try:
                proposal = proposal_create(
                    process=process, author=authors[i % len(authors)], title=f"{title_el} / {title_en}",
                    body=(f"{title_en} in {district.name_en}. {title_el}. Demo proposal: written to show the "
                          "platform, not by a resident."),
                    category=categories[category], place=place, publish=True, demo=True, now=proposing)
            except ParticipationError:
                continue  # a generated line that left the city: the demo goes on without it
            proposals.append(proposal)
    for i, (title_el, title_en, category) in enumerate(CITY_WIDE_IDEAS):
        proposals.append(proposal_create(
            process=process, author=everyone[i * 7 % len(everyone)], title=f"{title_el} / {title_en}",
            body=f"{title_en} for the whole city. Demo proposal.", category=categories[category], place=None,
            publish=True, demo=True, now=proposing))
    # one proposal edited by its author, so the history shows a version
    first = proposals[0]
    proposal_edit(proposal=first, editor=first.author, body=first.body + " Edited: with shade trees.", now=proposing)

    supporting = _inside(phases, "supports")
    supports = comments = 0
    for proposal in proposals:
        local = people[proposal.district.code] if proposal.district else everyone
        for supporter in rng.sample(local, rng.randint(0, min(9, len(local)))):
            try:
                support_give(proposal=proposal, user=supporter, now=supporting)
                supports += 1
            except ParticipationError:
                pass  # the supporter's cap reached
        for _ in range(rng.randint(0, 3)):
            comment_post(proposal=proposal, author=rng.choice(everyone), body=rng.choice(COMMENTS), now=supporting)
            comments += 1

    # the city's answers: most accepted and evaluated, some rejected with a reason
    evaluated = []
    for i, proposal in enumerate(proposals):
        proposal.refresh_from_db()
        if i % 6 == 5:
            proposal_answer(proposal=proposal, staff=staff, to_state="rejected",
                            reason="Η περιοχή ανήκει σε ζώνη αρχαιολογικής προστασίας. / "
                                   "The area lies in an archaeological protection zone.")
            continue
        proposal_answer(proposal=proposal, staff=staff, to_state="accepted",
                        reason="Τεχνικά εφικτό. / Technically feasible.")
        cost = rng.choice([25_000, 40_000, 60_000, 80_000, 120_000, 150_000, 200_000])
        proposal_answer(proposal=Proposal.objects.get(pk=proposal.pk), staff=staff, to_state="evaluated",
                        cost_estimate=cost, feasibility="Εφικτό εντός έτους. / Feasible within a year.")
        evaluated.append(Proposal.objects.get(pk=proposal.pk))
    projects = 0
    for proposal in evaluated:
        large = proposal.geom is None or proposal.cost_estimate >= 150_000 or proposal.district is None
        budget = budgets["city"] if large else budgets[proposal.district.code]
        project_create(budget=budget, staff=staff, cost=proposal.cost_estimate, proposal=proposal,
                       title_el=proposal.title.split(" / ")[0], title_en=proposal.title.split(" / ")[-1], demo=True)
        projects += 1

    voting = _inside(phases, "voting")
    ballots = 0
    for code, budget in budgets.items():
        choices = list(Project.objects.filter(budget=budget).order_by("id"))
        if not choices:
            continue
        voters = everyone if code == "city" else people[code]
        for voter in voters:
            if rng.random() < 0.25:
                continue
            chosen = _knapsack_choice(rng, choices, budget)
            if chosen:
                ballot_submit(budget=budget, user=voter, project_ids=[p.id for p in chosen], now=voting)
                ballots += 1

    past = _past_budget(people, districts, today, categories, staff, rng)
    co_creation = _co_creation_process(people, districts, today, categories)
    strategic = _strategic_process(today)
    implemented = load_demo_implementation(
        staff=staff, today=timezone.localdate(),
        slugs={"past": PAST_SLUG, "budgeting": process.slug, "co_creation": co_creation.slug})
    counts = {"proposals": Proposal.objects.filter(process__demo=True).count(), "supports": supports, "comments": comments, "projects": projects,
              "ballots": ballots, "budgets": len(budgets), "selected in 2025": past,
              "meetings": strategic.meetings.count(), **implemented}
    if not commit:
        transaction.set_rollback(True)
    return counts


def _budgeting_process(slug: str, phases, *, support_threshold: int, title_el: str, title_en: str,
                       description_el: str, description_en: str) -> Process:
    """A demo participatory budget (labelled as demo data) with its phases [(kind, start, end)]."""
    process = Process.objects.create(
        slug=slug, kind=Process.Kind.BUDGETING, demo=True, support_cap=10, support_threshold=support_threshold,
        title_el=title_el + DEMO_LABEL_EL, title_en=title_en + DEMO_LABEL_EN,
        description_el=description_el, description_en=description_en)
    for position, (kind, start, end) in enumerate(phases):
        Phase.objects.create(process=process, kind=kind, position=position, starts_at=start, ends_at=end)
    return process


def _knapsack_choice(rng, projects, budget: Budget) -> list:
    """A ballot a voter could cast: projects in random order while they fit, kept when it spends the minimum."""
    for _attempt in range(20):
        order = rng.sample(projects, len(projects))
        chosen, spent = [], 0
        for project in order:
            if spent + project.cost <= budget.amount:
                chosen.append(project)
                spent += project.cost
        if spent * 100 >= budget.amount * budget.minimum_share:
            return chosen
    return []


PAST_IDEAS = [
    ("Σκίαση στην παιδική χαρά", "Shade over the playground", "green", "polygon"),
    ("Ράμπες στις διαβάσεις", "Ramps at the crossings", "accessibility", "point"),
    ("Ποδηλατικές θέσεις στάθμευσης", "Bicycle parking", "mobility", "point"),
    ("Δεντροφύτευση στον πεζόδρομο", "Trees along the pedestrian street", "green", "line"),
    ("Ανακαίνιση του δημοτικού θεάτρου γειτονιάς", "Neighbourhood theatre renovation", "culture", "polygon"),
    ("Κοινόχρηστα τραπέζια σκάκι", "Public chess tables", "public-space", "point"),
]


def _past_budget(people, districts, today, categories, staff, rng) -> int:
    """The Participatory Budget 2025, over: proposals answered and evaluated, a city-wide ballot cast by the demo
    residents while its vote was open, and its results published (the selected projects on the map); now in
    its implementation phase. Returns the number of selected projects."""
    spans = [("information", -400, -380), ("proposals", -380, -350), ("supports", -350, -320),
             ("evaluation", -320, -290), ("voting", -290, -270), ("results", -270, -250),
             ("implementation", -250, 400)]
    phases = [(kind, today + timedelta(days=a), today + timedelta(days=b)) for kind, a, b in spans]
    process = _budgeting_process(
        PAST_SLUG, phases, support_threshold=4,
        title_el="Συμμετοχικός Προϋπολογισμός 2025", title_en="Participatory Budget 2025",
        description_el="Ο προηγούμενος κύκλος: η ψηφοφορία έκλεισε, τα αποτελέσματα δημοσιεύτηκαν και τα έργα "
                       "υλοποιούνται. Δοκιμαστικά δεδομένα για επίδειξη.",
        description_en="The previous cycle: the vote has closed, the results are published and the projects are "
                       "being carried out. Demo data for demonstration.")
    budget = Budget.objects.create(process=process, amount=450_000, minimum_share=50,
                                   title_el="Όλη η πόλη 2025" + DEMO_LABEL_EL, title_en="Whole city 2025" + DEMO_LABEL_EN)
    everyone = [u for group in people.values() for u in group]
    proposing, supporting = _inside(phases, "proposals"), _inside(phases, "supports")
    evaluated = []
    for number, district in enumerate(districts):
        anchor = _random_points(district, 2, seed=2025 + number)
        for i in range(2):
            title_el, title_en, category, kind = PAST_IDEAS[(2 * number + i) % len(PAST_IDEAS)]
            point = anchor[i]
            place = (point.buffer(0.0006, quadsegs=3) if kind == "polygon" else
                     LineString([point.coords, (point.x + 0.0012, point.y + 0.0004)], srid=4326) if kind == "line"
                     else point)
            try:
                proposal = proposal_create(
                    process=process, author=people[district.code][i + 2], title=f"{title_el} / {title_en}",
                    body=f"{title_en} in {district.name_en}. Demo proposal of the 2025 budget.",
                    category=categories[category], place=place, publish=True, demo=True, now=proposing)
            except ParticipationError:
                continue  # a generated line that left the city
            for supporter in people[district.code][4:4 + rng.randint(2, 7)]:
                support_give(proposal=proposal, user=supporter, now=supporting)
            proposal.refresh_from_db()
            if (2 * number + i) % 5 == 4:
                proposal_answer(proposal=proposal, staff=staff, to_state="rejected",
                                reason="Υπάρχει ήδη έργο του δήμου εκεί. / A municipal project already covers it.")
                continue
            proposal_answer(proposal=proposal, staff=staff, to_state="accepted", reason="Εφικτό. / Feasible.")
            evaluated.append(proposal_answer(
                proposal=Proposal.objects.get(pk=proposal.pk), staff=staff, to_state="evaluated",
                cost_estimate=rng.choice([30_000, 45_000, 60_000, 90_000, 120_000]),
                feasibility="Εφικτό μέσα στο 2025. / Feasible within 2025."))
    projects = [project_create(budget=budget, staff=staff, cost=p.cost_estimate, proposal=p,
                               title_el=p.title.split(" / ")[0], title_en=p.title.split(" / ")[-1], demo=True)
                for p in evaluated]
    voting = _inside(phases, "voting")
    for voter in everyone:
        if rng.random() < 0.3:
            continue
        chosen = _knapsack_choice(rng, projects, budget)
        if chosen:
            ballot_submit(budget=budget, user=voter, project_ids=[p.id for p in chosen], now=voting)
    return len(results_publish(budget=budget, staff=staff).selected_projects)


def _co_creation_process(people, districts, today, categories) -> Process:
    process = Process.objects.create(
        slug=CO_CREATION_SLUG, kind=Process.Kind.CO_CREATION, demo=True, support_threshold=3,
        title_el="Συν-σχεδιασμός της Νέας Παραλίας" + DEMO_LABEL_EL,
        title_en="Co-designing the New Waterfront" + DEMO_LABEL_EN,
        description_el="Κάτοικοι γράφουν μαζί προτάσεις για τη Νέα Παραλία.",
        description_en="Residents write proposals for the New Waterfront together.")
    process.districts.set([d for d in districts if d.code in ("D1", "D5")])
    spans = [("information", -20, -5), ("proposals", -5, 30), ("evaluation", 30, 60), ("results", 60, 90)]
    for position, (kind, a, b) in enumerate(spans):
        Phase.objects.create(process=process, kind=kind, position=position, starts_at=today + timedelta(days=a),
                             ends_at=today + timedelta(days=b))
    district = next(d for d in districts if d.code == "D1")
    anchor = _random_points(district, 1, seed=99)[0]
    author, partner = people["D1"][0], people["D5"][1]
    proposal = proposal_create(
        process=process, author=author, title="Σκιά και νερό στη Νέα Παραλία / Shade and water on the waterfront",
        body="Pergolas and drinking fountains every 300 metres. Demo proposal.", category=categories["public-space"],
        place=anchor.buffer(0.0008, quadsegs=3), publish=True, demo=True)
    coauthor_invite(proposal=proposal, inviter=author, username=partner.username)
    coauthor_accept(proposal=proposal, user=partner)
    proposal_edit(proposal=proposal, editor=partner, body=proposal.body + " Added: benches facing the sea.")
    return process


STRATEGIC_SLUG = "thessaloniki-2035"
ARISTOTELOUS_SQUARE = Point(22.9410, 40.6325, srid=4326)


def _strategic_process(today) -> Process:
    """A strategic-planning process (surveys, debates, meetings, proposals) with two meetings: one in person on
    Aristotelous Square, one online."""
    process = Process.objects.create(
        slug=STRATEGIC_SLUG, kind=Process.Kind.STRATEGIC_PLANNING, demo=True,
        title_el="Θεσσαλονίκη 2035: στρατηγικό σχέδιο" + DEMO_LABEL_EL,
        title_en="Thessaloniki 2035: strategic plan" + DEMO_LABEL_EN,
        description_el="Ο δήμος συζητά με τους κατοίκους τις προτεραιότητες της επόμενης δεκαετίας.",
        description_en="The municipality discusses the next decade's priorities with its residents.")
    spans = [("information", -10, 20), ("proposals", 20, 50), ("evaluation", 50, 80), ("results", 80, 110)]
    for position, (kind, a, b) in enumerate(spans):
        Phase.objects.create(process=process, kind=kind, position=position, starts_at=today + timedelta(days=a),
                             ends_at=today + timedelta(days=b))
    evening = today.replace(hour=16, minute=0, second=0, microsecond=0)  # 18:00 or 19:00 in Athens
    Meeting.objects.create(
        process=process, mode=Meeting.Mode.IN_PERSON, demo=True, capacity=60,
        title_el="Ανοιχτή συνάντηση στην Πλατεία Αριστοτέλους" + DEMO_LABEL_EL,
        title_en="Open meeting on Aristotelous Square" + DEMO_LABEL_EN,
        description_el="Παρουσίαση του σχεδίου και συζήτηση με τους κατοίκους.",
        description_en="The plan presented and discussed with the residents.",
        address="Πλατεία Αριστοτέλους, 546 24 Θεσσαλονίκη", geom=ARISTOTELOUS_SQUARE,
        starts_at=evening + timedelta(days=7), ends_at=evening + timedelta(days=7, hours=2))
    Meeting.objects.create(
        process=process, mode=Meeting.Mode.ONLINE, demo=True, capacity=200,
        title_el="Διαδικτυακή συνάντηση για τις γειτονιές" + DEMO_LABEL_EL,
        title_en="Online meeting on the neighbourhoods" + DEMO_LABEL_EN,
        url="https://meet.example.org/thessaloniki-2035",
        starts_at=evening + timedelta(days=14), ends_at=evening + timedelta(days=14, hours=1, minutes=30))
    return process

