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


class EvaluationQueueFilter(FilterSet):
    """The staff's evaluation queue: by process, state, district, category and department, sorted by supports
    (most first unless asked), publication or cost."""

    process = filters.CharFilter(field_name="process__slug", help_text="process slug")
    state = filters.ChoiceFilter(
        choices=[(k, v) for k, v in Proposal.State.choices if k != Proposal.State.DRAFT],
        error_messages={"invalid_choice": "one of the states, got '%(value)s'"})
    district = filters.CharFilter(field_name="district_shares__district__code", distinct=True,
                                  help_text="district code: proposals with any share in it")
    category = filters.CharFilter(field_name="category__slug", help_text="category slug")
    department = filters.CharFilter(method="assigned_to", help_text="the assigned department's slug")
    sort = filters.OrderingFilter(fields=(("support_count", "supports"), ("published_at", "published"),
                                          ("cost_estimate", "cost"), ("title", "title")))

    class Meta:
        model = Proposal
        fields = []

    def assigned_to(self, queryset, name, value):
        return selectors.proposals_assigned_to(queryset, value)

    @property
    def qs(self):
        """Ties in the chosen order go oldest first, as a queue is worked."""
        proposals = super().qs
        if not self.form.cleaned_data.get("sort"):
            return proposals.order_by("-support_count", "-published_at", "-id")
        return proposals.order_by(*proposals.query.order_by, "id")
