"""Admin of implementation records and of the municipal project register, through the same services and rules as the
staff page, the API and the CSV imports (implementation_checked / implementation_update, municipal_project_checked /
municipal_project_save); records are made by the service (the action below), never typed in; milestones are read
here and added on the staff page, through the API or the import."""
from django import forms
from django.contrib import admin, messages

from core.errors import ServiceError

from .models import Implementation, Milestone, MunicipalProject
from .services.implementation import FIELDS, implementation_checked, implementation_update, implementations_start
from .services.imports import REGISTER_FIELDS, municipal_project_checked


class ImplementationForm(forms.ModelForm):
    department_slug = None

    class Meta:
        model = Implementation
        fields = ["status", "progress", "starts_on", "ends_on", "spent", "department", "cancel_reason"]

    def values(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in FIELDS}
        data["department"] = data["department"].slug if data["department"] else None
        data["cancel_reason"] = data["cancel_reason"] or ""
        return data

    def _post_clean(self):
        # the model's own checks are the service's: a refusal marks the field it names
        if self.errors:
            return
        try:
            implementation_checked(implementation=self.instance, values=self.values())
        except ServiceError as exc:
            field = exc.parameter if exc.parameter in self.fields else None
            self.add_error(field, exc.message)


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["on", "text_el", "text_en"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.action(description="Start the implementation of the selected projects and accepted proposals")
def start_implementations(modeladmin, request, queryset):
    counts = implementations_start(staff=request.user)
    messages.info(request, f"{counts['created']} records made, {counts['existing']} already there")


@admin.register(Implementation)
class ImplementationAdmin(admin.ModelAdmin):
    form = ImplementationForm
    list_display = ["title_en", "process", "status", "progress", "starts_on", "ends_on", "spent", "department", "demo"]
    list_filter = ["status", "process", "department", "demo"]
    search_fields = ["title_en", "title_el"]
    inlines = [MilestoneInline]
    actions = [start_implementations]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        implementation_update(implementation=obj, staff=request.user, values=form.values())


class MunicipalProjectForm(forms.ModelForm):
    """The register's rules (municipal_project_checked) mark the field they name; the row is saved by
    municipal_project_save, as the CSV import saves it."""

    class Meta:
        model = MunicipalProject
        fields = ["reference", "title_el", "title_en", "year", "status", "completed_on", "cost", "district", "place",
                  "process", "implementation", "demo"]

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in REGISTER_FIELDS if name in self.cleaned_data}

    def _post_clean(self):
        if self.errors:
            return
        for name in ("reference", "year", "demo"):
            setattr(self.instance, name, self.cleaned_data.get(name))
        try:
            municipal_project_checked(project=self.instance, values=self.values())
        except ServiceError as exc:
            self.add_error(exc.parameter if exc.parameter in self.fields else None, exc.message)
