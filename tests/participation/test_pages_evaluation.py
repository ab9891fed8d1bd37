"""The staff workspace in a real browser: a department's evaluator finds a proposal of its field in the evaluation
queue (list and map), accepts it with a public reason and evaluates it; the city's staff put it on the budget's
ballot; a resident votes; the staff are refused publishing while the vote is open, then close the vote and publish
the results from the budgets page; the proposal's public page shows it selected."""
import pytest
from playwright.sync_api import expect

from tests.support.staff_accounts import PASSWORD, sign_in

pytestmark = pytest.mark.browser

SLUG = "pb-evaluation-flow"


@pytest.fixture(scope="module")
def flow(web_server) -> dict:
    """A budget in its evaluation phase with one published proposal of the roads department's field (mobility),
    a roads evaluator (anna), the city's staff (eleni) and a verified resident."""
    web_server.create_user("anna", PASSWORD, department="roads-pavements")
    web_server.create_user("eleni", PASSWORD, superuser=True)
    return web_server.django("""
from django.contrib.auth.models import User
from issues.models import Department
from layers.models import District
from participation.models import Budget, Proposal, ProposalCategory, ProposalDistrict
from tests.participation.conftest import inside_point, make_process
from tests.participation.pages_data import verified_resident

process = make_process(open_phase="evaluation", slug=slug)
category, _ = ProposalCategory.objects.update_or_create(slug="mobility", defaults={
    "name_el": "Κινητικότητα", "name_en": "Mobility", "department": Department.objects.get(slug="roads-pavements")})
budget = Budget.objects.create(process=process, title_el="Όλη η πόλη", title_en="The whole city", amount=100_000,
                               minimum_share=0)
d1 = District.objects.get(code="D1")
resident = verified_resident("rena", "D1")
proposal = Proposal.objects.create(process=process, category=category, author=resident, title="A safer crossing",
                                   body="Lights and a raised crossing.", state="published", geom=inside_point("D1"),
                                   district=d1, district_codes="D1")
ProposalDistrict.objects.create(proposal=proposal, district=d1, share=1)
result = {"proposal": proposal.pk, "budget": budget.pk}
""", slug=SLUG)


def move_to(web_server, kind: str) -> None:
    web_server.django("""
from participation.models import Process
from tests.participation.conftest import set_phase
set_phase(Process.objects.get(slug=slug), kind)
""", slug=SLUG, kind=kind)


def test_staff_answer_evaluate_ballot_close_and_publish_and_the_proposal_is_selected(web, web_server, flow):
    proposal = flow["proposal"]
    # the roads department's evaluator: the queue lists the proposal of its field, the map beside it
    page = sign_in(web, "/participation/staff/", "anna")
    row = page.locator(f'#queue-table tr[data-proposal="{proposal}"]')
    expect(row).to_contain_text("A safer crossing")
    expect(page.locator("#queue-map")).to_have_attribute("data-shapes", "1")
    expect(page.locator("#queue-map path.proposal-shape--published")).to_have_count(1)
    page.locator("#filter-state").select_option("accepted")
    page.locator("#queue-apply").click()
    expect(page.locator("#queue-map")).to_have_attribute("data-shapes", "0")  # the map follows the filters
    page.goto("/participation/staff/")
    row.get_by_role("link", name="A safer crossing").click()
    page.wait_for_url("**/participation/staff/proposals/*/")
    page.wait_for_load_state("load")  # the forms are sent by the page's script, which must have run

    # answer: accepted, with the public reason (an empty reason is refused next to its field)
    page.get_by_label("Accept").check()
    page.locator("#answer-submit").click()
    expect(page.locator("#error-reason")).not_to_be_empty()
    page.get_by_label("Public reason").fill("The street is ours to rebuild next year.")
    page.locator("#answer-submit").click()
    expect(page.locator("#proposal-state")).to_have_text("Accepted")
    expect(page.locator("#action-status")).to_contain_text("Answer sent")

    # evaluate: the cost, the feasibility, the responsible department
    page.get_by_label("Cost in euros").fill("40000")
    page.get_by_label("Feasibility: whether and how it can be done").fill("Feasible within a year.")
    page.locator("#evaluate-submit").click()
    expect(page.locator("#proposal-state")).to_have_text("Evaluated")
    expect(page.locator("#proposal-department")).to_have_text("Roads and Pavements Directorate")
    expect(page.locator("#ballot-form")).to_have_count(0)  # the ballot is the city's staff's

    # the city's staff put it on the budget's ballot
    staff = sign_in(web, f"/participation/staff/proposals/{proposal}/", "eleni")
    expect(staff.get_by_label("Cost on the ballot, in euros")).to_have_value("40000")
    staff.locator("#ballot-submit").click()
    expect(staff.locator(".on-ballot")).to_contain_text("The whole city")

    # a resident votes; publishing is refused while the vote is open, with the date it closes
    move_to(web_server, "voting")
    web_server.django("""
from django.contrib.auth.models import User
from participation.models import Budget, Project
from participation.services.budgets import ballot_submit
budget = Budget.objects.get(pk=budget)
ballot_submit(budget=budget, user=User.objects.get(username="rena"), project_ids=[budget.projects.get().pk])
""", budget=flow["budget"])
    staff.goto("/participation/staff/budgets/")
    staff.locator(f"#publish-{flow['budget']}").click()
    expect(staff.locator("#action-status")).to_contain_text("voting closes on")

    # the vote closes; the staff publish the results
    move_to(web_server, "results")
    staff.reload()
    staff.locator(f"#publish-{flow['budget']}").click()
    expect(staff.locator("#action-status")).to_contain_text("projects selected: 1")
    expect(staff.locator(f'#budgets-table tr[data-budget="{flow["budget"]}"]')).to_contain_text("Published on")
    web.screenshot(staff, "budgets-published")

    # the proposal is selected on its public page
    public = web.page(f"/participation/proposals/{proposal}/")
    expect(public.locator("#proposal-state")).to_have_text("Selected by the vote")
