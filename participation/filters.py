"""The filters of a process's proposal list as a django-filter FilterSet: the API and the process page read them
through it, and the OpenAPI document describes them from it."""
from django_filters import filters
from django_filters.rest_framework import FilterSet

from core.filters import FlagFilter

from . import selectors
from .models import Proposal


class ProposalFilter(FilterSet):
    """Without `mine`, the public proposals; with it, your own and co-authored ones in any state. Newest first
    unless `sort` says otherwise; `sort=random` with the same `seed` gives the same order on every page."""

    mine = FlagFilter(method="listed", default=False,
                      help_text="your own proposals and co-authored ones, drafts included")
    state = filters.ChoiceFilter(
        choices=Proposal.State.choices, help_text="draft ... done",
        error_messages={"invalid_choice": f"one of {', '.join(Proposal.State.values)}, got '%(value)s'"})
    category = filters.CharFilter(field_name="category__slug", help_text="category slug")
    district = filters.CharFilter(field_name="district_shares__district__code",
                                  help_text="district code: proposals with any share in it")
    place = filters.ChoiceFilter(
        method="placed", choices=[(value, value) for value in selectors.PLACES],
        help_text="with: proposals with a place on the map; without: city-wide ideas (no place)",
        error_messages={"invalid_choice": f"one of {', '.join(selectors.PLACES)}, got '%(value)s'"})
    q = filters.CharFilter(method="searched", max_length=200,
                           help_text="words of the title or the text (each word must occur), or a title like them; "
                                     "case and Greek accents ignored")
    sort = filters.ChoiceFilter(
        method="sorted", choices=[(value, value) for value in selectors.SORTS],
        help_text="newest (default), supported (most supports first), random (shuffled by seed)",
        error_messages={"invalid_choice": f"one of {', '.join(selectors.SORTS)}, got '%(value)s'"})
    seed = filters.CharFilter(method="seeded", max_length=40,
                              help_text="with sort=random: any text; the same seed gives the same order on every page")

    class Meta:
        model = Proposal
        fields = []

    def listed(self, queryset, name, value):
        return selectors.proposals_listed(queryset, user=self.request.user, mine=value)

    def placed(self, queryset, name, value):
        return selectors.proposals_placed(queryset, value)

    def searched(self, queryset, name, value):
        return selectors.proposals_searched(queryset, value)

    def sorted(self, queryset, name, value):
        return selectors.proposals_sorted(queryset, value, seed=self.form.cleaned_data.get("seed") or "")

    def seeded(self, queryset, name, value):
        return queryset  # read by `sort`
