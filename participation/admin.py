"""Admin: staff create and edit processes with their phases and budgets, categories, projects and municipal
projects; proposals and comments are read here (answers and hiding go through the services). Ballots are not
in the admin: nobody browses who voted beside what was chosen."""
from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from .models import (
    Budget, CensusRecord, Comment, MunicipalProject, Phase, Process, Project, Proposal, ProposalCategory,
    ProposalDistrict, ProposalEvent,
)
from . import admin_implementation  # noqa: F401  (registers the implementation records)


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0
    ordering = ["position"]


class BudgetInline(admin.TabularInline):
    model = Budget
    extra = 0


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin):
    list_display = ["slug", "title_en", "kind", "published", "demo", "created_at"]
    list_filter = ["kind", "published", "demo"]
    search_fields = ["slug", "title_en", "title_el"]
    prepopulated_fields = {"slug": ["title_en"]}
    filter_horizontal = ["districts"]
    inlines = [PhaseInline, BudgetInline]


@admin.register(ProposalCategory)
class ProposalCategoryAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_en", "name_el"]


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


@admin.register(Proposal)
class ProposalAdmin(LeafletGeoAdmin):
    list_display = ["id", "title", "process", "state", "district", "support_count", "published_at"]
    list_filter = ["process", "state", "category", "district"]
    list_select_related = ["process", "district"]
    search_fields = ["title"]
    readonly_fields = ["author", "state", "support_count", "district", "from_issue", "published_at"]
    inlines = [ProposalDistrictInline, ProposalEventInline]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["id", "proposal", "created_at", "flag_count", "hidden_at", "hidden_reason"]
    list_filter = ["hidden_at"]
    readonly_fields = ["proposal", "parent", "author", "body", "created_at", "hidden_at", "hidden_by", "hidden_reason"]


@admin.register(Project)
class ProjectAdmin(LeafletGeoAdmin):
    list_display = ["title_en", "budget", "cost", "selected"]
    list_filter = ["budget__process", "budget", "selected"]


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
        admin_implementation.municipal_project_save(project=obj, values=form.values())
