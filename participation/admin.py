"""Admin: staff create and edit processes with their phases and budgets, categories (and the department that
evaluates each), projects and municipal projects; proposals and comments are read here. The admin never goes
around a service's rules: a proposal's state, answer and evaluation change only through the services (the
evaluation workspace's link on each proposal), a project is put on a ballot through the service's checks, and a
budget's results are published by the same service as the staff pages (an action). Ballots are not in the admin:
nobody browses who voted beside what was chosen."""
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from leaflet.admin import LeafletGeoAdmin

from .errors import ParticipationError
from .models import (
    Budget, CensusRecord, Comment, Component, Meeting, MunicipalProject, Phase, Process, Project, Proposal, ProposalCategory,
    ProposalDistrict, ProposalEvent,
)
from .services.budgets import project_check, project_create, results_publish
from .services.meetings import components_set
from .services.imports import municipal_project_save
from . import admin_implementation  # noqa: F401  (registers the implementation records)


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0
    ordering = ["position"]


class BudgetInline(admin.TabularInline):
    model = Budget
    extra = 0
    readonly_fields = ["results_published_at"]


class ProcessForm(forms.ModelForm):
    components = forms.MultipleChoiceField(
        choices=Component.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text="The components the process uses; a new process left unticked starts with its kind's set.")

    class Meta:
        model = Process
        exclude = ["components"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["components"].initial = list(self.instance.components)


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin):
    form = ProcessForm
    list_display = ["slug", "title_en", "kind", "components", "published", "demo", "created_at"]
    list_filter = ["kind", "published", "demo"]
    search_fields = ["slug", "title_en", "title_el"]
    prepopulated_fields = {"slug": ["title_en"]}
    filter_horizontal = ["districts"]
    inlines = [PhaseInline, BudgetInline]

    def save_model(self, request, obj, form, change):
        """The components go through the service that checks them (staff only, known names)."""
        super().save_model(request, obj, form, change)
        if "components" in form.changed_data:
            try:
                components_set(process=obj, staff=request.user, components=form.cleaned_data["components"])
            except ParticipationError as error:
                self.message_user(request, str(error), level=messages.ERROR)


@admin.register(Meeting)
class MeetingAdmin(LeafletGeoAdmin):
    """Staff plan meetings here; registration, cancelling and closing go through the API and the meeting page."""

    list_display = ["title_en", "process", "mode", "starts_at", "capacity", "registered_count", "closed_at", "demo"]
    list_filter = ["mode", "demo", "process"]
    search_fields = ["title_en", "title_el", "address"]
    readonly_fields = ["registered_count", "closed_at", "attendees", "minutes_el", "minutes_en"]
    exclude = ["proposals"]


@admin.register(ProposalCategory)
class ProposalCategoryAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_en", "name_el", "department"]
    list_select_related = ["department"]


class ProposalDistrictInline(admin.TabularInline):
    model = ProposalDistrict
    extra = 0
    readonly_fields = ["district", "share"]
    can_delete = False


class ProposalEventInline(admin.TabularInline):
    model = ProposalEvent
    extra = 0
    fields = ["at", "kind", "from_state", "to_state", "reason", "actor", "staff"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(LeafletGeoAdmin):
    """Read only: residents write proposals through the pages and the API, the city answers and evaluates them in
    the evaluation workspace (the services keep their rules and the history)."""

    list_display = ["id", "title", "process", "state", "district", "support_count", "published_at"]
    list_filter = ["process", "state", "category", "district"]
    list_select_related = ["process", "district"]
    search_fields = ["title"]
    fields = ["evaluation", "process", "title", "body", "category", "state", "answer", "cost_estimate", "feasibility",
              "department", "author", "support_count", "comment_count", "district", "from_issue", "published_at"]
    readonly_fields = fields
    inlines = [ProposalDistrictInline, ProposalEventInline]

    @admin.display(description="answer and evaluate")
    def evaluation(self, obj):
        url = reverse("participation-page-evaluate", kwargs={"proposal_id": obj.pk})
        return format_html('<a href="{}">the evaluation workspace</a> (answers, evaluation, ballot)', url)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["id", "proposal", "created_at", "flag_count", "hidden_at", "hidden_reason"]
    list_filter = ["hidden_at"]
    readonly_fields = ["proposal", "parent", "author", "body", "created_at", "hidden_at", "hidden_by", "hidden_reason"]


class ProjectAddForm(forms.ModelForm):
    """A new project, checked by the service's rules (participation.services.budgets.project_check) before saving."""

    class Meta:
        model = Project
        fields = ["budget", "proposal", "cost", "title_el", "title_en"]

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = staff
        self.fields["title_el"].required = self.fields["title_en"].required = False
        self.fields["title_el"].help_text = self.fields["title_en"].help_text = "Empty: the proposal's title."

    def clean(self):
        data = super().clean()
        if self.errors or data.get("budget") is None:
            return data
        try:
            project_check(budget=data["budget"], staff=self.staff, cost=data.get("cost"), proposal=data.get("proposal"))
        except ParticipationError as refusal:
            field = refusal.parameter if refusal.parameter in self.fields else None
            raise ValidationError({field: refusal.message} if field else refusal.message) from None
        return data


@admin.register(Project)
class ProjectAdmin(LeafletGeoAdmin):
    """Added through the service (project_check, then project_create); the budget, proposal, cost, votes and
    selection are then read only: the ballot and the published results depend on them."""

    list_display = ["title_en", "budget", "cost", "votes", "selected"]
    list_filter = ["budget__process", "budget", "selected"]
    list_select_related = ["budget"]
    readonly_fields = ["budget", "proposal", "cost", "votes", "selected", "demo"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            return super().get_form(request, obj, change=change, **kwargs)

        class Form(ProjectAddForm):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, staff=request.user, **form_kwargs)

        return Form

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        made = project_create(budget=data["budget"], staff=request.user, cost=data["cost"],
                              proposal=data.get("proposal"), title_el=data.get("title_el", ""),
                              title_en=data.get("title_en", ""))
        obj.pk, obj.geom = made.pk, made.geom

    def has_delete_permission(self, request, obj=None):
        return obj is None or obj.budget.results_published_at is None


@admin.register(Budget)
class BudgetAdmin(admin.ModelAdmin):
    list_display = ["title_en", "process", "district", "amount", "rule", "results_published_at"]
    list_filter = ["process"]
    list_select_related = ["process", "district"]
    readonly_fields = ["results_published_at"]
    actions = ["publish_results"]

    @admin.action(description="Close the vote and publish the results (once voting has closed)")
    def publish_results(self, request, queryset):
        for budget in queryset.select_related("process"):
            try:
                published = results_publish(budget=budget, staff=request.user)
            except ParticipationError as refusal:
                self.message_user(request, f"{budget}: {refusal.message}", messages.ERROR)
            else:
                self.message_user(request, published.summary(),
                                  messages.SUCCESS if published.changed else messages.INFO)


@admin.register(CensusRecord)
class CensusRecordAdmin(admin.ModelAdmin):
    list_display = ["key", "district", "imported_at"]
    list_filter = ["district"]

    def has_add_permission(self, request):
        return False  # the census comes in through participation_import_census only


@admin.register(MunicipalProject)
class MunicipalProjectAdmin(admin.ModelAdmin):
    form = admin_implementation.MunicipalProjectForm
    list_display = ["reference", "title_en", "year", "status", "completed_on", "district", "process"]
    list_filter = ["year", "status", "district"]

    def save_model(self, request, obj, form, change):
        municipal_project_save(project=obj, values=form.values())
