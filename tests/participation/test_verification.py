"""Residence verification: the census kept as keyed hashes only, the citizen's match, the minimum age, one
account per resident, the e-mail code."""
import io
import re
from datetime import date

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from participation.errors import Conflict, InvalidInput, NotVerified
from participation.models import CensusRecord, Verification
from participation.services.verification import (
    census_import, verification_confirm_email, verification_match_residence, verification_send_email_code,
)

pytestmark = pytest.mark.django_db
CENSUS = "identifier,date_of_birth,district\nΑΒ 123456,1980-05-17,D2\nXY999000,2015-01-01,D1\n"


def test_census_import_stores_only_keyed_hashes_and_the_district():
    result = census_import(lines=io.StringIO(CENSUS), commit=True)
    assert (result.rows, result.stored, result.errors) == (2, 2, [])
    stored = list(CensusRecord.objects.values_list("key", "district__code"))
    assert all(re.fullmatch(r"[0-9a-f]{64}", key) for key, _ in stored)
    text = repr(stored)
    assert "123456" not in text and "1980" not in text


def test_census_import_with_a_wrong_row_stores_nothing():
    bad = CENSUS + "ZZ1,17/05/1980,D2\nZZ2,1980-01-01,D9\n"
    result = census_import(lines=io.StringIO(bad), commit=True)
    assert result.stored == 0 and CensusRecord.objects.count() == 0
    assert result.errors == ["line 4: date_of_birth: write the date as YYYY-MM-DD, got '17/05/1980'",
                             "line 5: no district 'D9'"]


def test_census_import_command_is_a_dry_run_without_commit(tmp_path):
    path = tmp_path / "census.csv"
    path.write_text(CENSUS, encoding="utf-8")
    out = io.StringIO()
    call_command("participation_import_census", str(path), stdout=out)
    assert "dry run" in out.getvalue() and CensusRecord.objects.count() == 0
    call_command("participation_import_census", str(path), "--commit", stdout=io.StringIO())
    assert CensusRecord.objects.count() == 2


def test_census_import_command_missing_column_fails(tmp_path):
    path = tmp_path / "census.csv"
    path.write_text("id,dob\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="missing column"):
        call_command("participation_import_census", str(path), "--commit")


def test_residence_match_with_greek_or_latin_capitals(django_user_model):
    census_import(lines=io.StringIO(CENSUS), commit=True)
    user = django_user_model.objects.create_user("maria")
    verification = verification_match_residence(user=user, identifier="ab123456", birth_date=date(1980, 5, 17))
    assert verification.district.code == "D2" and verification.residence_verified_at is not None
    assert not verification.verified  # the e-mail is not confirmed yet


def test_residence_wrong_date_of_birth_is_refused(django_user_model):
    census_import(lines=io.StringIO(CENSUS), commit=True)
    with pytest.raises(NotVerified, match="no resident"):
        verification_match_residence(user=django_user_model.objects.create_user("x"), identifier="AB123456",
                                     birth_date=date(1980, 5, 18))
    assert Verification.objects.count() == 0


def test_residence_under_the_minimum_age_is_refused(django_user_model, settings):
    settings.PARTICIPATION_MIN_AGE = 16
    census_import(lines=io.StringIO(CENSUS), commit=True)
    with pytest.raises(NotVerified, match="at least 16"):
        verification_match_residence(user=django_user_model.objects.create_user("kid"), identifier="XY999000",
                                     birth_date=date(2015, 1, 1))


def test_residence_one_account_per_resident(django_user_model):
    census_import(lines=io.StringIO(CENSUS), commit=True)
    verification_match_residence(user=django_user_model.objects.create_user("a"), identifier="AB123456",
                                 birth_date=date(1980, 5, 17))
    with pytest.raises(Conflict, match="another account"):
        verification_match_residence(user=django_user_model.objects.create_user("b"), identifier="AB123456",
                                     birth_date=date(1980, 5, 17))


def test_email_code_confirms_and_a_wrong_code_does_not(django_user_model, django_capture_on_commit_callbacks):
    user = django_user_model.objects.create_user("eleni")
    with django_capture_on_commit_callbacks(execute=True):
        verification_send_email_code(user=user, email="eleni@example.org")
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    with pytest.raises(InvalidInput, match="not the code"):
        verification_confirm_email(user=user, code="000000" if code != "000000" else "111111")
    assert verification_confirm_email(user=user, code=code).email_confirmed_at is not None
