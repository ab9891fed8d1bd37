"""The components a process switches on (proposals, budgets, legislation, debates, surveys, meetings): a component
that is off refuses its writes and its pages with a 404 naming it."""
from django.utils.translation import gettext as _

from .errors import NotFound
from .models import Component, Process

# The component each participant action belongs to (comments and supports are on proposals).
ACTION_COMPONENT = {"propose": Component.PROPOSALS, "support": Component.PROPOSALS, "comment": Component.PROPOSALS,
                    "vote": Component.BUDGETS}


def require_component(process: Process, component: str) -> None:
    """NotFound (404, code component_off) when the process does not use the component."""
    if not process.uses(component):
        raise NotFound(_("the process %(process)s does not use %(component)s (the city's staff switch components "
                         "on in the process's settings)")
                       % {"process": process.slug, "component": Component(component).label},
                       code="component_off", component=str(component))
