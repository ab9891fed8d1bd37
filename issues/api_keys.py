"""API keys of Open311 clients: issued once in clear, stored as a SHA-256 hash, limited per minute."""
import hashlib
import secrets

from django.utils import timezone

from core.limits import limit_hit

from .models import ApiKey

PREFIX_LENGTH = 8


def _digest(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


def api_key_create(*, name: str, rate_limit_per_minute: int = 60) -> tuple[ApiKey, str]:
    """Create a key; the clear value is returned once and never stored."""
    raw = secrets.token_urlsafe(32)
    api_key = ApiKey.objects.create(
        name=name, prefix=raw[:PREFIX_LENGTH], key_hash=_digest(raw), rate_limit_per_minute=rate_limit_per_minute
    )
    return api_key, raw


def api_key_for(raw_key: str) -> ApiKey | None:
    """The active key matching a clear value, or None."""
    if not raw_key or len(raw_key) > 200:
        return None
    api_key = ApiKey.objects.filter(key_hash=_digest(raw_key), active=True).first()
    if api_key is None or not secrets.compare_digest(api_key.key_hash, _digest(raw_key)):
        return None
    return api_key


def api_key_allow(api_key: ApiKey) -> bool:
    """Count one request against the key's limit for this minute; False once the limit is passed."""
    decision = limit_hit(scope="api-key", key=str(api_key.pk), limit=api_key.rate_limit_per_minute, window_seconds=60)
    if decision.count == 1:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=timezone.now())
    return decision.allowed
