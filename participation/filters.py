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
        proposals = super().qs
        if not self.form.cleaned_data.get("sort"):
            proposals = proposals.order_by("-support_count", "-published_at", "-id")
        return proposals
