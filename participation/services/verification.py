"""Verification of residence: the census import (identifier, date of birth, district → a keyed hash and the
district only), a citizen's match against it with the minimum age, and the confirmed e-mail."""
from django.utils.translation import gettext as _
import csv
import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from layers.models import District

from ..errors import Conflict, InvalidInput, NotVerified
from ..models import CensusRecord, Verification
from .access import require_account

EMAIL_CODE_MINUTES = 30


def _normalised_identifier(identifier: str) -> str:
    """Identity-card numbers are written with Greek or Latin capitals alike (ΑΒ 123456 = AB123456)."""
    text = unicodedata.normalize("NFKD", str(identifier or "")).upper()
    greek_to_latin = str.maketrans("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX")
    return "".join(c for c in text.translate(greek_to_latin) if c.isalnum())


def census_key(identifier: str, birth_date: date) -> str:
    message = f"{_normalised_identifier(identifier)}|{birth_date.isoformat()}".encode()
    return hmac.new(settings.PARTICIPATION_CENSUS_KEY.encode(), message, hashlib.sha256).hexdigest()


def parse_birth_date(raw, *, field_name: str = "date_of_birth") -> date:
    try:
        return date.fromisoformat(str(raw).strip())
    except (TypeError, ValueError):
        raise InvalidInput(_("write the date as YYYY-MM-DD, got %(value)r") % {"value": str(raw)[:30]}, parameter=field_name) from None


@dataclass
class CensusImport:
    rows: int = 0
    stored: int = 0
    errors: list[str] = field(default_factory=list)


def census_import(*, lines, commit: bool = False, replace: bool = False) -> CensusImport:
    """Read a census CSV (columns identifier, date_of_birth, district): every row checked, then all stored as
    keyed hashes, or nothing when a row is wrong. replace: the census replaces the stored one."""
    districts = {d.code: d for d in District.objects.all()}
    reader = csv.DictReader(lines)
    missing = {"identifier", "date_of_birth", "district"} - set(reader.fieldnames or [])
    if missing:
        raise InvalidInput(f"census file: missing column(s) {', '.join(sorted(missing))}; the header is "
                           "identifier,date_of_birth,district")
    result = CensusImport()
    records: dict[str, CensusRecord] = {}
    for number, row in enumerate(reader, start=2):
        result.rows += 1
        identifier, district_code = (row["identifier"] or "").strip(), (row["district"] or "").strip()
        if not _normalised_identifier(identifier):
            result.errors.append(f"line {number}: identifier is empty")
            continue
        try:
            birth = parse_birth_date(row["date_of_birth"])
        except InvalidInput as exc:
            result.errors.append(f"line {number}: {exc}")
            continue
        if district_code not in districts:
            result.errors.append(f"line {number}: no district {district_code[:20]!r}")
            continue
        key = census_key(identifier, birth)
        records[key] = CensusRecord(key=key, district=districts[district_code])
    if result.errors or not commit:
        return result
    with transaction.atomic():
        if replace:
            CensusRecord.objects.exclude(key__in=list(records)).delete()
        CensusRecord.objects.bulk_create(list(records.values()), update_conflicts=True, unique_fields=["key"],
                                         update_fields=["district", "imported_at"], batch_size=5000)
    result.stored = len(records)
    return result


def _age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def verification_match_residence(*, user, identifier: str, birth_date: date) -> Verification:
    """Match the census; the account then counts as a resident of the census's district. One account per
    resident; under the minimum age refused."""
    require_account(user, "propose")
    age = _age_on(birth_date, timezone.localdate())
    if age < settings.PARTICIPATION_MIN_AGE:
        raise NotVerified(_("taking part needs an age of at least %(age)d") % {"age": settings.PARTICIPATION_MIN_AGE},
                          missing=["age"])
    key = census_key(identifier, birth_date)
    record = CensusRecord.objects.filter(key=key).select_related("district").first()
    if record is None:
        raise NotVerified(_("no resident with this identifier and date of birth in the census; check both as written "
                            "on your identity card, or ask the citizens' service centre (KEP) to update the census"),
                          missing=["residence"])
    try:
        with transaction.atomic():
            verification, _created = Verification.objects.select_for_update().get_or_create(user=user)
            verification.census_key, verification.district = key, record.district
            verification.residence_verified_at = timezone.now()
            verification.save()
    except IntegrityError:
        raise Conflict(_("this resident is verified already with another account")) from None
    return verification


def _code_hash(code: str) -> str:
    return hmac.new(settings.PARTICIPATION_CENSUS_KEY.encode(), f"email|{code}".encode(), hashlib.sha256).hexdigest()


def verification_send_email_code(*, user, email: str) -> Verification:
    require_account(user, "propose")
    email = (email or "").strip()
    if "@" not in email or len(email) > 254:
        raise InvalidInput(_("is not an e-mail address"), parameter="email")
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        verification, _created = Verification.objects.select_for_update().get_or_create(user=user)
        verification.email, verification.email_code_hash = email, _code_hash(code)
        verification.email_code_sent_at, verification.email_confirmed_at = timezone.now(), None
        verification.save()
        transaction.on_commit(lambda: send_mail(
            "Thessaloniki participation: your code", f"Your confirmation code is {code}. It is valid for "
            f"{EMAIL_CODE_MINUTES} minutes.", settings.DEFAULT_FROM_EMAIL, [email]), robust=True)
    return verification


def verification_confirm_email(*, user, code: str) -> Verification:
    require_account(user, "propose")
    with transaction.atomic():
        verification = Verification.objects.select_for_update().filter(user=user).first()
        if verification is None or not verification.email_code_hash:
            raise InvalidInput(_("ask for a code first (POST /api/participation/verification/email)"), parameter="code")
        if timezone.now() - verification.email_code_sent_at > timedelta(minutes=EMAIL_CODE_MINUTES):
            raise InvalidInput(_("has expired; ask for a new one"), parameter="code", code="expired")
        if not hmac.compare_digest(verification.email_code_hash, _code_hash(str(code or "").strip())):
            raise InvalidInput(_("is not the code sent to your e-mail"), parameter="code")
        verification.email_confirmed_at, verification.email_code_hash = timezone.now(), ""
        verification.save()
    return verification
