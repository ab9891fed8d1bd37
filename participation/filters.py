"""The filters of a process's proposal list as a django-filter FilterSet: the view reads them through it, and the
OpenAPI document describes them from it."""
from django_filters import filters
from django_filters.rest_framework import FilterSet

from core.filters import FlagFilter

from . import selectors
from .models import Proposal


class ProposalFilter(FilterSet):
    """Without `mine`, the public proposals; with it, your own and co-authored ones in any state."""

    mine = FlagFilter(method="listed", default=False,
                      help_text="your own proposals and co-authored ones, drafts included")
    state = filters.ChoiceFilter(
        choices=Proposal.State.choices, help_text="draft ... done",
        error_messages={"invalid_choice": f"one of {', '.join(Proposal.State.values)}, got '%(value)s'"})
    category = filters.CharFilter(field_name="category__slug", help_text="category slug")
    district = filters.CharFilter(field_name="district_shares__district__code",
                                  help_text="district code: proposals with any share in it")
    q = filters.CharFilter(method="titled", help_text="words of the title; case and Greek accents ignored")

    class Meta:
        model = Proposal
        fields = []

    def listed(self, queryset, name, value):
        return selectors.proposals_listed(queryset, user=self.request.user, mine=value)

    def titled(self, queryset, name, value):
        return selectors.proposals_titled(queryset, value)
