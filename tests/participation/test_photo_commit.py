"""A proposal's photo files follow its row through COMMIT, as a report's do (core.saved_files): a write that fails at
COMMIT leaves no file; a connection lost during COMMIT keeps them (the row may be stored), never a row without
its file."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, OperationalError, connection

from layers.demo import load_demo_geography
from participation.models import Proposal
from participation.services.proposals import proposal_add_photo, proposal_create

from .conftest import make_process, verified
from .test_admin_and_photos import jpeg, stored_files

pytestmark = pytest.mark.django_db(transaction=True)

LOSE_CONNECTION = """
CREATE FUNCTION test_lose_connection() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NULL; END $$;
CREATE CONSTRAINT TRIGGER test_lose_connection AFTER INSERT ON participation_proposalphoto
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_lose_connection();
"""


@pytest.fixture
def author(django_user_model):
    load_demo_geography(commit=True)  # a transactional test starts from an empty database
    return verified(django_user_model.objects.create_user("photographer", password="pw-123456"), "D1")


@pytest.fixture
def proposal(author):
    return proposal_create(process=make_process(slug="photo-commit"), author=author, title="Park", body="A park.",
                           publish=True)


def upload():
    return SimpleUploadedFile("p.jpg", jpeg(), content_type="image/jpeg")


def test_a_photo_whose_proposal_is_gone_at_commit_leaves_no_file(proposal, author, media_in_tmp):
    Proposal.objects.filter(pk=proposal.pk).delete()  # the reference is checked at COMMIT
    with pytest.raises(IntegrityError):
        proposal_add_photo(proposal=proposal, actor=author, upload=upload())
    assert stored_files(media_in_tmp) == []


@pytest.fixture
def lose_connection_at_commit():
    with connection.cursor() as cursor:
        cursor.execute(LOSE_CONNECTION)
    yield
    connection.close()  # the lost one
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS test_lose_connection ON participation_proposalphoto; "
                       "DROP FUNCTION IF EXISTS test_lose_connection()")


def test_a_connection_lost_during_commit_keeps_the_photo_files(proposal, author, media_in_tmp,
                                                                lose_connection_at_commit):
    with pytest.raises(OperationalError, match="terminating connection"):
        proposal_add_photo(proposal=proposal, actor=author, upload=upload())
    assert [name.split("/")[1] for name in stored_files(media_in_tmp)] == ["photos", "thumbnails"]
