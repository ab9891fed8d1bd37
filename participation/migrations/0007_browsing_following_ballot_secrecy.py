"""Browsing at scale: the search's fold (lower case, no Greek accents, final sigma as σ) over the title and text with
a trigram index, and the seeded shuffle key of the random order. Following: follows, notices, their e-mails in
participation's outbox, the e-mail choice, phases announced. Ballot secrecy: the ballots move to sealed ballots beside
the rows saying who voted (found by the voter key they carried), and the anonymous ballots lose their voter key."""
import hashlib
import hmac

import django.db.models.deletion
import django.db.models.functions.datetime
from django.conf import settings
from django.db import migrations, models

SEARCH = """
CREATE FUNCTION participation_search_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT translate(participation_fold($1), 'ς', 'σ') $$;
CREATE FUNCTION participation_search_text(title text, body text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT participation_search_fold(coalesce(title, '') || ' ' || coalesce(body, '')) $$;
CREATE FUNCTION participation_shuffle_key(id bigint, seed text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT md5(id::text || ':' || coalesce(seed, '')) $$;
CREATE INDEX proposal_search_trgm ON participation_proposal
    USING gin (participation_search_text(title, body) gin_trgm_ops);
CREATE INDEX proposal_process_supports ON participation_proposal (process_id, support_count DESC, id DESC);
"""

SEARCH_REVERSE = """
DROP INDEX IF EXISTS proposal_process_supports;
DROP INDEX IF EXISTS proposal_search_trgm;
DROP FUNCTION IF EXISTS participation_shuffle_key(bigint, text);
DROP FUNCTION IF EXISTS participation_search_text(text, text);
DROP FUNCTION IF EXISTS participation_search_fold(text);
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

    dependencies = [
        ("participation", "0006_choice_labels"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunSQL(SEARCH, SEARCH_REVERSE),
        migrations.CreateModel(
            name='Follow',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_default=django.db.models.functions.datetime.Now())),
                ('process', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='follows', to='participation.process')),
                ('project', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='follows', to='participation.project')),
                ('proposal', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='follows', to='participation.proposal')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='participation_follows', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='NoticeEmail',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('recipient', models.EmailField(max_length=254)),
                ('subject', models.CharField(max_length=300)),
                ('body', models.TextField()),
                ('unsubscribe_url', models.CharField(max_length=500)),
                ('created_at', models.DateTimeField(auto_now_add=True, db_default=django.db.models.functions.datetime.Now())),
                ('attempts', models.PositiveSmallIntegerField(db_default=0, default=0)),
                ('next_attempt_at', models.DateTimeField(blank=True, null=True)),
                ('last_error', models.TextField(blank=True, db_default='', default='')),
                ('sent_at', models.DateTimeField(blank=True, null=True)),
                ('failed', models.BooleanField(db_default=False, default=False)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['id'],
            },
        ),
        migrations.CreateModel(
            name='Notice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('answer', 'An answer of the city'), ('state', 'A change of state'), ('invitation', 'An invitation to co-author'), ('phase', 'A phase opens'), ('milestone', 'A new milestone'), ('reply', 'A reply')], max_length=16)),
                ('text_el', models.CharField(max_length=500)),
                ('text_en', models.CharField(max_length=500)),
                ('url', models.CharField(help_text='The page it is about (a path on this site).', max_length=300)),
                ('digest', models.BooleanField(db_default=False, default=False, help_text="Waits for the day's digest e-mail.")),
                ('created_at', models.DateTimeField(auto_now_add=True, db_default=django.db.models.functions.datetime.Now())),
                ('follow', models.ForeignKey(blank=True, help_text='The follow that brought it (empty: told directly, as an invitee).', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='participation.follow')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='participation_notices', to=settings.AUTH_USER_MODEL)),
                ('email', models.ForeignKey(blank=True, help_text="The e-mail that told of it; empty while waiting for the day's digest.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='notices', to='participation.noticeemail')),
            ],
            options={
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='NoticeSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('daily_digest', models.BooleanField(db_default=False, default=False)),
                ('email_off', models.BooleanField(db_default=False, default=False, help_text='Unsubscribed from every e-mail.')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='participation_notice_settings', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='PhaseAnnouncement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('announced_at', models.DateTimeField(auto_now_add=True, db_default=django.db.models.functions.datetime.Now())),
                ('phase', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='announcement', to='participation.phase')),
            ],
        ),
        migrations.AddConstraint(
            model_name='follow',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('process__isnull', False), ('project__isnull', True), ('proposal__isnull', True)), models.Q(('process__isnull', True), ('project__isnull', True), ('proposal__isnull', False)), models.Q(('process__isnull', True), ('project__isnull', False), ('proposal__isnull', True)), _connector='OR'), name='follow_one_target'),
        ),
        migrations.AddConstraint(
            model_name='follow',
            constraint=models.UniqueConstraint(condition=models.Q(('process__isnull', False)), fields=('user', 'process'), name='follow_process_once'),
        ),
        migrations.AddConstraint(
            model_name='follow',
            constraint=models.UniqueConstraint(condition=models.Q(('proposal__isnull', False)), fields=('user', 'proposal'), name='follow_proposal_once'),
        ),
        migrations.AddConstraint(
            model_name='follow',
            constraint=models.UniqueConstraint(condition=models.Q(('project__isnull', False)), fields=('user', 'project'), name='follow_project_once'),
        ),
        migrations.AddIndex(
            model_name='noticeemail',
            index=models.Index(fields=['sent_at', 'failed', 'next_attempt_at'], name='notice_email_pending'),
        ),
        migrations.AddIndex(
            model_name='notice',
            index=models.Index(fields=['user', 'created_at'], name='notice_user_created'),
        ),
        migrations.AddIndex(
            model_name='notice',
            index=models.Index(condition=models.Q(('digest', True)), fields=['digest', 'user'], name='notice_digest_waiting'),
        ),
        migrations.CreateModel(
            name='SealedBallot',
            fields=[
                ('cast', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='sealed', serialize=False, to='participation.ballotcast')),
                ('sealed', models.BinaryField()),
                ('budget', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='participation.budget')),
            ],
            options={'indexes': [models.Index(fields=['budget'], name='sealed_ballot_budget')]},
        ),
        migrations.RunPython(seal_existing_ballots, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name='ballot',
            name='ballot_one_per_voter',
        ),
        migrations.RemoveField(
            model_name='ballot',
            name='voter_key',
        ),
    ]
