"""Browsing a process's proposals at scale: the API's filters (state, category, district, with or without a place,
words with Greek accents and case ignored), sorting (newest, most supported, random by a seed kept across pages),
pages; the process page with the same filters, its pages, the city-wide ideas beside the map, and one colour per
state in the map's legend, each readable."""
import re
from datetime import timedelta
from pathlib import Path

from django.contrib.auth.models import User
from django.test import Client, TestCase
from django.utils import timezone

from layers.models import District
from participation.models import Proposal, ProposalCategory, ProposalDistrict
from tests.participation.conftest import inside_point, make_process

API = "/api/participation"
CSS = Path(__file__).resolve().parents[2] / "participation/static/participation/participation.css"
JS = Path(__file__).resolve().parents[2] / "participation/static/participation/process-map.js"
S = Proposal.State


class Browsing(TestCase):
    """45 public proposals (every public state, two categories, D4 and D5, some city-wide), one draft, built once."""

    @classmethod
    def setUpTestData(cls):
        cls.process = make_process(slug="browse", open_phase="supports")
        green, _ = ProposalCategory.objects.get_or_create(slug="green", defaults={"name_el": "Πράσινο", "name_en": "Green"})
        ProposalCategory.objects.get_or_create(slug="mobility", defaults={"name_el": "Κινητικότητα", "name_en": "Mobility"})
        author = User.objects.create_user("author")
        d4, d5 = District.objects.get(code="D4"), District.objects.get(code="D5")
        at = {"D4": inside_point("D4"), "D5": inside_point("D5")}
        now = timezone.now()
        states = list(Proposal.PUBLIC_STATES)
        rows = []
        for number in range(45):
            code = "D4" if number % 2 else "D5"
            city_wide = number % 9 == 0
            rows.append(Proposal(
                process=cls.process, author=author, title=f"Idea {number:02d}", body="Something for the street.",
                category=green if number % 3 == 0 else None, state=states[number % len(states)],
                geom=None if city_wide else at[code], district=None if city_wide else (d4 if code == "D4" else d5),
                support_count=(number * 7) % 31, published_at=now - timedelta(hours=number)))
        rows[5].title, rows[5].body = "ΠΛΑΤΕΊΑ Αριστοτέλους με δέντρα", "Σκιά."
        rows[6].title, rows[6].body = "Bike lane", "Along the ΟΔΟΣ Εγνατίας, safe for children."
        proposals = Proposal.objects.bulk_create(rows)
        ProposalDistrict.objects.bulk_create(
            ProposalDistrict(proposal=p, district=p.district, share=1.0) for p in proposals if p.district)
        Proposal.objects.create(process=cls.process, author=author, title="Idea draft", body="x", state=S.DRAFT)
        cls.by_title = {p.title: p.pk for p in proposals}

    def listed(self, **params) -> dict:
        response = Client().get(f"{API}/processes/browse/proposals", {"limit": 100, **params})
        assert response.status_code == 200, response.content
        return response.json()

    def titles(self, **params) -> list[str]:
        return [p["title"] for p in self.listed(**params)["results"]]

    def test_the_list_holds_every_public_proposal_and_no_draft(self):
        body = self.listed()
        assert body["count"] == 45 and "Idea draft" not in [p["title"] for p in body["results"]]

    def test_state_filter_keeps_that_state_only(self):
        states = {p["state"] for p in self.listed(state="in_progress")["results"]}
        assert states == {"in_progress"}

    def test_category_and_district_filters_combine(self):
        results = self.listed(category="green", district="D4")["results"]
        assert results and all(p["category"] == "green" and [d["code"] for d in p["districts"]] == ["D4"] for p in results)
        assert len(results) == len([n for n in range(45) if n % 3 == 0 and n % 2 and n % 9])

    def test_place_without_lists_the_city_wide_ideas_and_with_the_others(self):
        without = self.listed(place="without")["results"]
        assert {p["title"] for p in without} == {f"Idea {n:02d}" for n in range(0, 45, 9)}
        assert all(p["place"] is None for p in without)
        assert self.listed(place="with")["count"] == 45 - len(without)

    def test_words_ignore_greek_accents_and_case(self):
        assert self.titles(q="πλατεια αριστοτελους") == ["ΠΛΑΤΕΊΑ Αριστοτέλους με δέντρα"]

    def test_words_ignore_the_final_sigma_and_are_found_in_the_text(self):
        assert self.titles(q="οδός εγνατίας") == ["Bike lane"]

    def test_every_word_must_occur(self):
        assert self.titles(q="Εγνατίας trees") == []

    def test_sort_supported_puts_most_supports_first(self):
        counts = [p["support_count"] for p in self.listed(sort="supported")["results"]]
        assert counts == sorted(counts, reverse=True) and counts[0] == 30

    def test_sort_newest_is_the_default(self):
        assert self.titles()[:3] == ["Idea 00", "Idea 01", "Idea 02"]

    def test_random_order_with_one_seed_is_the_same_across_pages(self):
        pages = [self.titles(sort="random", seed="s1", limit=20, offset=offset) for offset in (0, 20, 40)]
        whole = sum(pages, [])
        assert len(whole) == len(set(whole)) == 45
        assert whole == self.titles(sort="random", seed="s1")
        assert whole != self.titles(sort="random", seed="s2")
        assert whole != sorted(whole) and whole != sorted(whole, reverse=True)

    def test_a_wrong_sort_is_400_naming_it(self):
        response = Client().get(f"{API}/processes/browse/proposals", {"sort": "oldest"})
        assert response.status_code == 400 and response.json()["parameter"] == "sort"
        assert "newest, supported, random" in response.json()["detail"]

    def test_the_filters_are_described_in_the_openapi_document(self):
        document = Client().get("/api/schema/", {"format": "json"}).json()
        operation = document["paths"]["/api/participation/processes/{slug}/proposals"]["get"]
        described = {p["name"]: p["schema"] for p in operation["parameters"]}
        assert described["sort"]["enum"] == ["newest", "random", "supported"]
        assert described["place"]["enum"] == ["with", "without"] and {"seed", "q"} <= set(described)

    # the process page

    def page(self, **params):
        response = Client().get("/participation/browse/", params, HTTP_ACCEPT_LANGUAGE="en")
        return response, response.content.decode()

    def test_the_page_lists_twenty_and_the_next_page_keeps_the_filters(self):
        response, html = self.page(category="green", sort="supported")
        assert response.status_code == 200
        assert len(re.findall(r'<li class="proposal-item">', html.split('id="proposal-list"')[1])) == 15
        response, html = self.page(sort="supported")
        listed = re.findall(r'class="proposal-item__title">([^<]+)<', html.split('id="proposal-list"')[1])
        assert len(listed) == 20
        next_link = re.search(r'id="page-next" rel="next" href="\?([^"]+)"', html).group(1)
        assert "sort=supported" in next_link and "page=2" in next_link
        _, second = self.page(**dict(pair.split("=") for pair in next_link.replace("&amp;", "&").split("&")))
        more = re.findall(r'class="proposal-item__title">([^<]+)<', second.split('id="proposal-list"')[1])
        assert len(more) == 20 and not set(more) & set(listed)

    def test_the_random_page_carries_its_seed_to_the_next_page(self):
        _, html = self.page(sort="random")
        seed = re.search(r'id="filter-seed" name="seed" value="([0-9a-f]+)"', html).group(1)
        assert f"seed={seed}" in re.search(r'id="page-next" rel="next" href="([^"]+)"', html).group(1)

    def test_city_wide_ideas_are_listed_beside_the_map(self):
        _, html = self.page()
        beside = html.split('id="city-wide"')[1].split("</section>")[0]
        assert re.findall(r'class="proposal-item__title">([^<]+)<', beside) == [f"Idea {n:02d}" for n in range(0, 45, 9)]

    def test_searched_words_give_the_map_the_matching_ids(self):
        _, html = self.page(q="bike")
        assert f'data-map-ids="{self.by_title["Bike lane"]}"' in html

    def test_the_list_part_alone_answers_a_filter_change(self):
        response = Client().get("/participation/browse/", {"part": "list", "state": "done"})
        html = response.content.decode()
        assert "<html" not in html and 'id="proposal-results"' in html
        assert set(re.findall(r"state-badge--(\w+)", html)) == {"done"}

    def test_a_wrong_filter_on_the_page_is_400_saying_what_to_send(self):
        response, html = self.page(place="somewhere")
        assert response.status_code == 400 and 'id="filter-error"' in html and "with, without" in html

    def test_every_state_has_its_own_readable_colour_in_the_legend_and_the_map_takes_them_from_it(self):
        colours = dict(re.findall(r"\.state-chip--(\w+) \{ background: (#[0-9a-f]{6}); \}", CSS.read_text()))
        assert set(colours) == set(S.values) and len(set(colours.values())) == len(colours)
        assert all(contrast(colour, "#ffffff") >= 4.5 for colour in colours.values()), colours
        _, html = self.page()
        assert re.findall(r'class="state-chip state-chip--(\w+)"', html) == list(Proposal.PUBLIC_STATES)
        script = JS.read_text()
        assert "evaluating" not in script and "implemented" not in script and "state-chip" in script


def contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b_ = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_
    light, dark = sorted([luminance(a), luminance(b)], reverse=True)
    return (light + 0.05) / (dark + 0.05)
