"""Ballot secrecy against a database reader: the ballots move to sealed ballots beside the rows saying who voted
(found by the voter key they carried), and the anonymous ballots lose their voter key. The search's folded title and
text become a stored generated column with its trigram index, so a match is checked without folding each text again."""
import hashlib
import hmac

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

SEARCH_COLUMN = """
ALTER TABLE participation_proposal
    ADD COLUMN search_text text GENERATED ALWAYS AS (participation_search_text(title, body)) STORED;
CREATE INDEX proposal_search_text_trgm ON participation_proposal USING gin (search_text gin_trgm_ops);
DROP INDEX IF EXISTS proposal_search_trgm;
"""

SEARCH_COLUMN_REVERSE = """
CREATE INDEX proposal_search_trgm ON participation_proposal
    USING gin (participation_search_text(title, body) gin_trgm_ops);
DROP INDEX IF EXISTS proposal_search_text_trgm;
ALTER TABLE participation_proposal DROP COLUMN IF EXISTS search_text;
"""


def seal_existing_ballots(apps, schema_editor):
    """Each ballot found by its voter's key becomes that voter's sealed ballot; the count opens it again after the
    vote, shuffled with the others."""
    from participation.sealing import seal

    BallotCast = apps.get_model("participation", "BallotCast")
    Ballot = apps.get_model("participation", "Ballot")
    BallotChoice = apps.get_model("participation", "BallotChoice")
    SealedBallot = apps.get_model("participation", "SealedBallot")
    key = settings.PARTICIPATION_BALLOT_KEY.encode()
    for cast in BallotCast.objects.all().iterator():
        voter_key = hmac.new(key, f"{cast.budget_id}|{cast.user_id}".encode(), hashlib.sha256).hexdigest()
        ballot = Ballot.objects.filter(budget_id=cast.budget_id, voter_key=voter_key).first()
        if ballot is None:
            continue
        chosen = sorted(BallotChoice.objects.filter(ballot=ballot).values_list("project_id", flat=True))
        SealedBallot.objects.create(cast=cast, budget_id=cast.budget_id, sealed=seal(cast.budget_id, chosen))
        ballot.delete()


class Migration(migrations.Migration):

    dependencies = [("participation", "0008_evaluation_implementation_moderation_following")]

    operations = [
        migrations.CreateModel(
            name="SealedBallot",
            fields=[
                ("cast", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                              related_name="sealed", serialize=False, to="participation.ballotcast")),
                ("sealed", models.BinaryField()),
                ("budget", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                             to="participation.budget")),
            ],
            options={"indexes": [models.Index(fields=["budget"], name="sealed_ballot_budget")]},
        ),
        migrations.RunPython(seal_existing_ballots, migrations.RunPython.noop),
        # the ballot rule's triggers are deferred to the commit: run them now, since PostgreSQL alters no table
        # with trigger events pending
        migrations.RunSQL("SET CONSTRAINTS ALL IMMEDIATE", migrations.RunSQL.noop),
        migrations.RemoveConstraint(model_name="ballot", name="ballot_one_per_voter"),
        migrations.RemoveField(model_name="ballot", name="voter_key"),
        migrations.RunSQL(SEARCH_COLUMN, SEARCH_COLUMN_REVERSE),
    ]
