"""Admin of implementation records: edited through the same service and rules as the staff page and the API
(implementation_checked / implementation_update); records are made by the service (the action below), never typed
in; milestones are read here and added on the staff page or through the API."""
from django import forms
from django.contrib import admin, messages

from core.errors import ServiceError

from .models import Implementation, Milestone
from .services.implementation import FIELDS, implementation_checked, implementation_update, implementations_start


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
