"""Bulk re-routing of 1,000,000 synthetic reports in one SQL statement, against the same decisions made
one report at a time in Python (the peer, on a sample, extrapolated)."""
import os
import time

from common import insert_synthetic_issues, save, setup_django, sized, smoke_check

setup_django()

from django.db import connection  # noqa: E402

from issues.models import Issue, IssueUpdate  # noqa: E402
from issues.routing import route_report  # noqa: E402
from issues.services.reroute import issues_reroute

REPORTS = sized(int(os.environ.get("BENCH_REPORTS", "1000000")), 300)
PEER_SAMPLE = sized(int(os.environ.get("BENCH_PEER_SAMPLE", "10000")), 30)


def timed(label, action):
    start = time.perf_counter()
    value = action()
    elapsed = time.perf_counter() - start
    print(f"{label}: {elapsed:.1f} s")
    return value, elapsed


def main():
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE issues_issue CASCADE")
    _, insert_s = timed(f"insert {REPORTS} synthetic reports", lambda: insert_synthetic_issues(REPORTS))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE issues_issue")  # as autovacuum would have, on a table that grew over years

    first, first_s = timed("re-route (every report moves)", lambda: issues_reroute(actor="benchmark"))
    second, second_s = timed("re-route again (nothing moves)", lambda: issues_reroute(actor="benchmark"))

    # Put the peer's sample back where the set-based run found it, so both make the same moves.
    sample_ids = list(Issue.objects.order_by("id").values_list("id", flat=True)[:PEER_SAMPLE])
    fallback = Issue.objects.get(pk=sample_ids[-1]).department.__class__.objects.get(slug="citizen-service")
    Issue.objects.filter(pk__in=sample_ids).update(district=None, department=fallback)
    sample = list(Issue.objects.select_related("category").filter(pk__in=sample_ids).order_by("id"))

    def python_loop():
        moved = 0
        for issue in sample:
            decision = route_report(category=issue.category, point=issue.location, tolerance_m=0)
            district_id = decision.district.pk if decision.district else None
            if district_id != issue.district_id or decision.department.pk != issue.department_id:
                issue.district, issue.department = decision.district, decision.department
                issue.routing_note = decision.explanation
                issue.save(update_fields=["district", "department", "routing_note", "updated_at"])
                IssueUpdate.objects.create(issue=issue, kind="routing", public=False, actor="benchmark",
                                           description=decision.explanation)
                moved += 1
        return moved

    peer_moved, peer_s = timed(f"peer: Python loop over {len(sample)} reports", python_loop)
    smoke_check(first.examined == REPORTS and first.moved > 0 and second.moved == 0 and peer_moved > 0,
                f"re-routing {REPORTS} reports: {first}, then {second}; the peer moved {peer_moved}")
    save("reroute", {
        "reports": REPORTS,
        "insert_synthetic_s": round(insert_s, 1),
        "set_based_reroute_all_move": {"seconds": round(first_s, 1), "examined": first.examined, "moved": first.moved},
        "set_based_reroute_none_move": {"seconds": round(second_s, 1), "examined": second.examined, "moved": second.moved},
        "peer_python_loop": {"sample": len(sample), "seconds": round(peer_s, 1), "moved": peer_moved,
                             "extrapolated_to_all_s": round(peer_s * REPORTS / max(1, len(sample)), 0)},
    })


if __name__ == "__main__":
    main()
