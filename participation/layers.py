"""The public map layers of participation, registered with the layer registry: proposals, selected projects and
their implementation,
with public fields only (never the author, co-authors, supporters or anything of a ballot)."""
PROPOSAL_PROPERTIES = {
    "process": "string", "process_kind": "string", "title": "string", "category": "string", "state": "string",
    "phase": "string", "district": "string", "districts": "string", "geometry_kind": "string",
    "support_count": "integer", "comment_count": "integer", "published_at": "datetime",
}
PROJECT_PROPERTIES = {
    "process": "string", "budget": "string", "district": "string", "title_el": "string", "title_en": "string",
    "cost": "integer", "votes": "integer", "proposal_id": "integer",
}
IMPLEMENTATION_PROPERTIES = {
    "process": "string", "district": "string", "title_el": "string", "title_en": "string", "status": "string",
    "progress": "integer", "starts_on": "string", "ends_on": "string", "year": "integer", "cost": "integer",
    "spent": "integer", "department": "string", "department_el": "string", "department_en": "string",
    "proposal_id": "integer", "project_id": "integer", "milestones": "integer", "demo": "boolean",
    "updated_at": "datetime",
}
IMPLEMENTATION_SOURCES = ("participation_implementation", "participation_milestone", "participation_process",
                          "layers_district", "issues_department")
PROPOSAL_SOURCES = ("participation_proposal", "participation_process", "participation_phase",
                    "participation_proposalcategory", "participation_proposaldistrict", "participation_comment",
                    "layers_district")
MEETING_PROPERTIES = {
    "process": "string", "title_el": "string", "title_en": "string", "mode": "string", "address": "string",
    "starts_at": "datetime", "ends_at": "datetime", "capacity": "integer", "registered": "integer",
    "closed": "boolean", "attendees": "integer", "demo": "boolean",
}
MEETING_SOURCES = ("participation_meeting", "participation_process")
PROJECT_SOURCES = ("participation_project", "participation_budget", "participation_process", "layers_district")


def register_layers() -> None:
    from layers.registry import Collection, register

    register(Collection(
        id="participation-proposals", title_en="Citizens' proposals", title_el="Προτάσεις πολιτών",
        description_en=("Published proposals of the participatory processes: title, category, state, the process's "
                        "phase, districts and support count; never the author or who supported."),
        description_el=("Οι δημοσιευμένες προτάσεις των διαδικασιών συμμετοχής: τίτλος, κατηγορία, κατάσταση, φάση, "
                        "δημοτικές κοινότητες και υποστηρίξεις· ποτέ ο συντάκτης ή όσοι υποστήριξαν."),
        table="ogc_participation_proposals", id_column="id", geometry_type="Geometry", datetime_column="published_at",
        properties=PROPOSAL_PROPERTIES, sources=PROPOSAL_SOURCES, themes=("GOVE", "REGI"), max_age=60,
        keywords_en=("participation", "participatory budgeting", "proposals"),
        keywords_el=("συμμετοχή", "συμμετοχικός προϋπολογισμός", "προτάσεις"),
        provenance="Proposals written by citizens on the portal; places as drawn by their authors.",
        exposure_default=False,
    ))
    register(Collection(
        id="participation-projects", title_en="Selected participatory-budget projects",
        title_el="Επιλεγμένα έργα συμμετοχικού προϋπολογισμού",
        description_en="Projects chosen by the citizens' votes in participatory budgets, with cost and vote count.",
        description_el="Τα έργα που επέλεξαν οι πολίτες με την ψήφο τους στους συμμετοχικούς προϋπολογισμούς.",
        table="ogc_participation_projects", id_column="id", geometry_type="Geometry",
        properties=PROJECT_PROPERTIES, sources=PROJECT_SOURCES, themes=("GOVE", "ECON"), max_age=300,
        keywords_en=("participatory budgeting", "projects"), keywords_el=("συμμετοχικός προϋπολογισμός", "έργα"),
        provenance="Results of the participatory budgets' votes as published by the municipality.",
        exposure_default=False,
    ))
    register(Collection(
        id="participation-implementation", title_en="Implementation of participatory projects",
        title_el="Υλοποίηση έργων συμμετοχής",
        description_en=("Selected projects and accepted proposals as the municipality carries them out: status "
                        "(planned, in progress, done, cancelled), progress in per cent, start and end dates, cost, "
                        "money spent, the responsible department and the number of milestones; demo records are "
                        "marked demo=true."),
        description_el=("Τα επιλεγμένα έργα και οι αποδεκτές προτάσεις όπως τα υλοποιεί ο δήμος: κατάσταση "
                        "(προγραμματισμένο, σε εξέλιξη, ολοκληρωμένο, ακυρωμένο), πρόοδος, ημερομηνίες, κόστος, "
                        "δαπάνη, αρμόδια υπηρεσία και ορόσημα· τα δοκιμαστικά έχουν demo=true."),
        table="ogc_participation_implementation", id_column="id", geometry_type="Geometry",
        datetime_column="updated_at", properties=IMPLEMENTATION_PROPERTIES, sources=IMPLEMENTATION_SOURCES,
        themes=("GOVE", "ECON"), max_age=300,
        keywords_en=("participatory budgeting", "implementation", "projects", "accountability"),
        keywords_el=("συμμετοχικός προϋπολογισμός", "υλοποίηση", "έργα", "λογοδοσία"),
        provenance="Implementation records kept by the municipality's project office.",
        exposure_default=False,
    ))
    register(Collection(
        id="participation-meetings", title_en="Participatory meetings", title_el="Συναντήσεις συμμετοχής",
        description_en=("In-person meetings of the participatory processes: title, address, start and end, capacity, "
                        "places taken, and once closed the number who attended; never who registered. Demo "
                        "meetings are marked demo=true."),
        description_el=("Οι δια ζώσης συναντήσεις των διαδικασιών συμμετοχής: τίτλος, διεύθυνση, έναρξη και λήξη, "
                        "θέσεις, εγγραφές και, μόλις κλείσουν, πόσοι παρευρέθηκαν· ποτέ ποιοι εγγράφηκαν."),
        table="ogc_participation_meetings", id_column="id", geometry_type="Point", datetime_column="starts_at",
        properties=MEETING_PROPERTIES, sources=MEETING_SOURCES, themes=("GOVE", "SOCI"), max_age=60,
        keywords_en=("participation", "meetings", "events"), keywords_el=("συμμετοχή", "συναντήσεις", "εκδηλώσεις"),
        provenance="Meetings organised by the municipality's participation office.",
        exposure_default=False,
    ))
