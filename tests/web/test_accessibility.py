"""Every page of the site meets WCAG 2.1 AA (as the EU Web Accessibility Directive asks of a municipality's sites):
axe-core finds no serious or critical violation on it, in English on a desktop and in Greek on a phone, signed in as
the demo account that opens it.

The pages are the URL patterns of Django's resolver, so a new page is checked as soon as it has a URL: each needs one
line in PAGES (its URL arguments from the demo data, and who signs in), or the test named after it fails saying so.
Paths that are no page for people are left out by their prefix in NOT_PAGES, each with the reason."""
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from playwright.sync_api import expect

from participation.demo import CO_CREATION_SLUG, DEMO_SLUG, STRATEGIC_SLUG
from participation.demo_accounts import MANAGED_DEPARTMENT
from tests.support.browser import assert_accessible


@dataclass(frozen=True)
class Demo:
    """A URL argument read from the server's copy of the demo data: the first column of the query's first row."""

    sql: str


@dataclass(frozen=True)
class Page:
    """How to open a page: its URL arguments (values, or Demo queries), query string, the demo account signed in
    (participation/demo_accounts.py; None for a visitor), and the controls to press one after the other (CSS
    selectors, the first match of each) for a state the address cannot give, checked as well; the languages it is
    checked in (those that change the page)."""

    kwargs: dict = field(default_factory=dict)
    account: str | None = None
    query: str = ""
    press: tuple = ()
    languages: tuple = ("en", "el")


# the samples with the most to show: comments, history
REPORT = Demo("SELECT issue_id FROM issues_issueupdate WHERE public GROUP BY issue_id ORDER BY count(*) DESC, issue_id LIMIT 1")
PROPOSAL = Demo("SELECT p.id FROM participation_proposal p JOIN participation_process s ON s.id = p.process_id "
                f"WHERE s.slug = '{DEMO_SLUG}' AND p.state NOT IN ('draft', 'withdrawn') ORDER BY p.comment_count DESC, p.id LIMIT 1")
MEETING = Demo("SELECT m.id FROM participation_meeting m JOIN participation_process s ON s.id = m.process_id "
               f"WHERE s.slug = '{STRATEGIC_SLUG}' AND m.mode = 'in_person' ORDER BY m.id LIMIT 1")
CITY_BUDGET = Demo("SELECT b.id FROM participation_budget b JOIN participation_process s ON s.id = b.process_id "
                   f"WHERE s.slug = '{DEMO_SLUG}' AND b.district_id IS NULL")

IMAGE_OBJECT = Demo("SELECT o.identifier FROM heritage_culturalobject o WHERE o.deleted IS NULL AND EXISTS (SELECT 1 FROM "
                    "heritage_mediafile m WHERE m.cultural_object_id = o.id AND m.mime LIKE 'image/%%') ORDER BY o.id LIMIT 1")
MODEL_OBJECT = Demo("SELECT identifier FROM heritage_culturalobject WHERE edm_type = '3D' AND deleted IS NULL LIMIT 1")
MONUMENT = Demo("SELECT m.id FROM heritage_monument m JOIN heritage_culturalobject o ON o.monument_id = m.id "
                "GROUP BY m.id ORDER BY count(*) DESC, m.id LIMIT 1")
PROJECT = Demo("SELECT id FROM participation_implementation ORDER BY (SELECT count(*) FROM participation_milestone "
               "WHERE implementation_id = participation_implementation.id) DESC, id LIMIT 1")
OWN_PROPOSAL = Demo("SELECT p.id FROM participation_proposal p JOIN auth_user u ON u.id = p.author_id "
                    "WHERE u.username = 'demo-resident' AND p.state = 'published' ORDER BY p.id LIMIT 1")
COMMENT = Demo("SELECT id FROM participation_comment WHERE hidden_at IS NULL ORDER BY id LIMIT 1")

# Every page, by URL name: one line each.
PAGES = {
    "home": Page(),
    "report": Page(),
    "issue-page": Page({"issue_id": REPORT}),
    "login": Page(),
    "staff-home": Page(account="demo-manager"),
    "staff-queue": Page({"slug": MANAGED_DEPARTMENT}, account="demo-manager",
                        press=(".queue-item__open", "#issue-actions button")),  # a report, an action's form
    "figures": Page(account="demo-planner"),
    "figures-map": Page(account="demo-planner"),
    "planner-map": Page(account="demo-planner"),
    "district-report": Page({"code": "D1"}, account="demo-planner"),
    "participation-page-processes": Page(),
    "participation-page-register": Page(),
    "participation-page-verification": Page(account="demo-evaluator"),  # not a resident: every step's form
    "participation-page-proposal": Page({"proposal_id": PROPOSAL}),
    "participation-page-process": Page({"slug": DEMO_SLUG}),
    "participation-page-propose": Page({"slug": CO_CREATION_SLUG}, account="demo-resident"),
    "participation-page-propose-text": Page({"slug": CO_CREATION_SLUG}, account="demo-resident"),
    "participation-page-ballot": Page({"slug": DEMO_SLUG, "budget_id": CITY_BUDGET}, account="demo-resident"),
    "participation-page-results": Page({"slug": DEMO_SLUG}),
    "participation-page-drafts": Page({"slug": CO_CREATION_SLUG}, account="demo-resident"),
    "participation-page-activity": Page(account="demo-resident"),
    "participation-page-inbox": Page(account="demo-resident"),
    "participation-page-notifications": Page(account="demo-resident"),
    "participation-page-report-proposal": Page({"object_id": PROPOSAL}, account="demo-resident"),
    "participation-page-report-comment": Page({"object_id": COMMENT}, account="demo-resident"),
    "participation-page-proposal-edit": Page({"proposal_id": OWN_PROPOSAL}, account="demo-resident"),
    # an e-mail's link whose signature does not hold: the page that says so
    "participation-page-unsubscribe": Page({"token": "not-a-signed-token"}),
    "participation-page-implementation": Page(),
    "participation-page-project": Page({"implementation_id": PROJECT}),
    "participation-page-project-edit": Page({"implementation_id": PROJECT}, account="demo-evaluator"),
    "participation-page-staff-queue": Page(account="demo-evaluator"),
    "participation-page-evaluate": Page({"proposal_id": PROPOSAL}, account="demo-evaluator"),
    "participation-page-staff-budgets": Page(account="demo-evaluator"),
    "participation-page-moderation": Page(account="demo-evaluator"),
    "heritage-page-home": Page(),
    "heritage-page-monument": Page({"monument_id": MONUMENT}, account="demo-manager"),
    "heritage-object-page": Page({"identifier": IMAGE_OBJECT}),
    "heritage-compare-page": Page(),
    "heritage-page-model": Page({"identifier": MODEL_OBJECT}),
    "heritage-page-tour": Page({"slug": "ano-poli"}),
    "heritage-page-route": Page({"slug": "along-the-walls"}),
    "heritage-figures-page": Page(),
    "heritage-at-risk-page": Page(account="demo-planner", query="hazard=earthquake"),
    "participation-page-meeting": Page({"meeting_id": MEETING}, account="demo-resident"),
    # Swagger UI (drf-spectacular-sidecar), linked from every page's footer: its operations and their forms
    "api-docs": Page(press=(".opblock-summary-control", ".try-out__btn"), languages=("en",)),  # in English only
    "admin:login": Page(),
    "admin:index": Page(account="demo-evaluator"),
}

# Paths (as their URL pattern begins) that are no page for people, and why.
NOT_PAGES = {
    "api/": "the REST API (JSON) and its OpenAPI document (its documentation page is in PAGES)",
    "ogc/": "OGC API Features and Tiles, for GIS clients",
    "open311/": "Open311 GeoReport v2 (JSON and XML), for reporting apps",
    "oai": "OAI-PMH (XML), for harvesters such as Europeana",
    "healthz": "the health check (JSON), for monitoring",
    "basemap/tiles/": "basemap tiles (images)",
    "media/": "uploaded photos",
    "jsi18n/": "the translations of the scripts (JavaScript)",
    "i18n/": "the language switch (a form's POST, answered with a redirect)",
    "accounts/logout/": "signing out (a POST, answered with a redirect)",
    "participation/meetings/<int:meeting_id>/registration/": "registering for a meeting (a POST, answered with a "
                                                             "redirect to the meeting's page)",
    "participation/meetings/<int:meeting_id>/calendar.ics": "a meeting's iCalendar file, for calendar apps",
    "participation/<slug:slug>/meetings.ics": "a process's meetings as an iCalendar feed, for calendar apps",
    # Django's own administration screens, for the site's administrators: their sign-in and index are checked
    # (PAGES), the model screens Django draws alike are Django's.
    "admin/": "Django's admin screens beyond its sign-in and index",
    "iiif/": "IIIF Image and Presentation APIs (images and JSON-LD), for IIIF viewers and aggregators",
}

# Routes by URL name that are no page for people, and why.
NOT_PAGE_NAMES = {
    "heritage-route-gpx": "a walking route as GPX, for a phone's map app",
    "participation-page-follow": "following (a form's POST, answered with a redirect)",
    "participation-page-support-withdraw": "withdrawing a support (a form's POST, answered with a redirect)",
}

# Pages that no URL pattern names, with the path that shows them: the site's answer to an account that may not open
# a page.
OTHER_PAGES = {
    "refused": ("/planner/", Page(account="demo-resident")),
}

PHONE_LANGUAGE = "el"  # Greek on a phone, English on a desktop: each layout checked at no extra cost
HISTORY_STEP = 10  # every tenth report of the demo's history is imported, for the pages that show reports


def url_patterns(patterns=None, prefix: str = "", namespace: str = ""):
    """(route, URL name) of every URL pattern, includes followed; a route's regular-expression marks dropped."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            yield route, f"{namespace}{pattern.name}" if pattern.name else None


def site_pages() -> list[tuple[str, str]]:
    """(URL name, route) of every pattern that is a page for people."""
    pages = {}
    for route, name in url_patterns():
        if name in PAGES or not (route.startswith(tuple(NOT_PAGES)) or name in NOT_PAGE_NAMES):
            pages.setdefault(name or route, route)
    return sorted(pages.items())


@pytest.fixture(scope="module")
def demo_sessions(web_server, tmp_path_factory) -> dict:
    """The server's database gets the rest of the demo (`make demo`): a slice of the reports' history, the heritage
    records, the participation processes and the demo's accounts; returns {account: the browser storage state of a
    session signed in with it} (sessions made on the server, as a sign-in makes them: the sign-in page is one of the
    pages checked)."""
    folder = tmp_path_factory.mktemp("demo-accounts")
    sessions = web_server.django(
        """
from importlib import import_module
from pathlib import Path
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from django.test import override_settings
from heritage.demo import load_demo_heritage
from heritage.demo_journeys import load_demo_journeys
from issues.import_sources import csv_records
from issues.imports import ImportMapping, issues_import
from participation.demo import load_demo_participation
from participation.demo_accounts import ACCOUNTS, demo_accounts_create

demo = Path("fixtures/thessaloniki")
issues_import(source="demo: previous system (ImproveMyCity export)", commit=True,
              records=csv_records(demo / "history-improvemycity.csv")[::step],
              mapping=ImportMapping.from_file(demo / "history-mapping.toml"))
load_demo_heritage(commit=True)
load_demo_journeys(commit=True)
load_demo_participation(commit=True)
# nobody signs in with a password here: the quick hasher spares the work of the real one
with override_settings(DEMO_ACCOUNTS_FILE=Path(folder) / "demo-accounts.json",
                       PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
    demo_accounts_create()
# the demo resident writes one of the co-creation's published proposals, for the page that edits one's own
from participation.models import Proposal
mine = Proposal.objects.filter(process__slug=co_creation, state="published").order_by("id").first()
Proposal.objects.filter(pk=mine.pk).update(author=User.objects.get(username="demo-resident"))
result = {}
for user in User.objects.filter(username__in=[a.username for a in ACCOUNTS]):
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                    HASH_SESSION_KEY: user.get_session_auth_hash()})
    session.create()
    result[user.username] = [settings.SESSION_COOKIE_NAME, session.session_key]
""", step=HISTORY_STEP, folder=str(folder), co_creation=CO_CREATION_SLUG)
    return {account: {"cookies": [{"name": name, "value": key, "domain": "127.0.0.1", "path": "/", "expires": -1,
                                   "httpOnly": True, "secure": False, "sameSite": "Lax"}], "origins": []}
            for account, (name, key) in sessions.items()}


def path_of(web_server, name: str, sample: Page) -> str:
    kwargs = {}
    for key, value in sample.kwargs.items():
        if isinstance(value, Demo):
            rows = web_server.query(value.sql)
            kwargs[key] = next(iter(rows[0].values()), None) if rows else None
            assert kwargs[key] is not None, f"the demo data has no sample for {name}'s {key}: {value.sql}"
        else:
            kwargs[key] = value
    return reverse(name, kwargs=kwargs) + (f"?{sample.query}" if sample.query else "")


def checked_pages():
    """(URL name, route, language) of each check: every page found, and the others."""
    found = site_pages() + [(name, "") for name in OTHER_PAGES]
    samples = {**PAGES, **{name: sample for name, (_, sample) in OTHER_PAGES.items()}}
    return [pytest.param(name, route, lang, id=f"{name}-{lang}")
            for name, route in found for lang in (samples[name].languages if name in samples else Page.languages)]


@pytest.mark.browser
@pytest.mark.parametrize("name, route, lang", checked_pages())
def test_page_has_no_serious_accessibility_violation(web, web_server, demo_sessions, name, route, lang):
    if name in OTHER_PAGES:
        path, sample = OTHER_PAGES[name]
    elif name in PAGES:
        sample = PAGES[name]
        path = path_of(web_server, name, sample)
    else:
        pytest.fail(f"/{route} ({name}) is a page without a sample: add a line to PAGES in {Path(__file__).name} "
                    "with its URL arguments from the demo data and the demo account that opens it (or, if it is no "
                    "page for people, its path's beginning to NOT_PAGES with the reason)", pytrace=False)
    # the language cookie as the language switch sets it: an account's earlier visit in the other language is no
    # matter
    state = demo_sessions[sample.account] if sample.account else {"cookies": [], "origins": []}
    state = {**state, "cookies": [*state["cookies"], {
        "name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "domain": "127.0.0.1", "path": "/", "expires": -1,
        "httpOnly": False, "secure": False, "sameSite": "Lax"}]}
    page = web.page(path, lang=lang, phone=PHONE_LANGUAGE == lang, storage_state=state)
    page.wait_for_load_state("networkidle")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert page.url.endswith(path), f"{path} led to {page.url}: {sample.account or 'a visitor'} cannot open it"
    assert_accessible(page, context=f"{name} in {lang}")
    for control in sample.press:
        page.locator(control).first.click()
        page.wait_for_load_state("networkidle")
        assert_accessible(page, context=f"{name} in {lang}, after pressing {control}")
    page.close()  # a page that passed needs no screenshot


urlpatterns = []  # this module is also the URL configuration of the next test: the site's, and one page more


def test_a_new_page_is_found_and_asks_for_a_sample(settings):
    from django.urls import include, path
    from django.views.generic import TemplateView

    urlpatterns[:] = [path("", include(settings.ROOT_URLCONF)),
                      path("new-page/<int:number>/", TemplateView.as_view(), name="new-page")]
    settings.ROOT_URLCONF = __name__
    pages = dict(site_pages())
    assert pages["new-page"] == "new-page/<int:number>/" and "new-page" not in PAGES
    assert {"home", "login", "admin:login", "admin:index"} <= set(pages)
    assert [route for route in pages.values() if route.startswith(("api/", "ogc/", "open311/", "oai", "media/"))] \
        == ["api/docs/"]
    assert sorted(route for route in pages.values() if route.startswith("admin/")) == ["admin/", "admin/login/"]
    # every page the site has today has its sample
    assert set(pages) - {"new-page"} <= set(PAGES)
