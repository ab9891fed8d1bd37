"""A logging filter that takes secrets out of every record before a handler writes it: the SECRET_KEY, the
database and e-mail passwords, and anything written as api_key=…, password=…, token=…, sessionid=…,
csrftoken=… or in an Authorization or X-Api-Key header, in the message and in the traceback."""
import logging
import re

from django.conf import settings

REDACTED = "[redacted]"
NAMED_VALUE = re.compile(
    r"(?i)\b(api[_-]?key|password|passwd|pwd|secret(?:_key)?|token|csrfmiddlewaretoken|csrftoken|sessionid)"
    r"""(\s*[=:]\s*['"]?|%3d|['"]\s*:\s*['"])([^\s&;,'"]+)"""
)
HEADER_VALUE = re.compile(r"(?i)\b(authorization['\"]?\s*[:=,]\s*['\"]?(?:token|bearer|basic)\s+|x-api-key['\"]?\s*[:=,]\s*['\"]?)([^\s'\",;]+)")
# Passwords inside connection URLs: postgis://user:password@host
URL_PASSWORD = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^:/@\s]+:)([^@\s]+)(@)")


def _known_secrets() -> list[str]:
    values = [settings.SECRET_KEY, getattr(settings, "EMAIL_HOST_PASSWORD", "")]
    values += [database.get("PASSWORD", "") for database in settings.DATABASES.values()]
    return [v for v in values if v and len(v) >= 6]


def redact(text: str) -> str:
    for value in _known_secrets():
        text = text.replace(value, REDACTED)
    text = NAMED_VALUE.sub(lambda m: m.group(1) + m.group(2) + REDACTED, text)
    text = HEADER_VALUE.sub(lambda m: m.group(1) + REDACTED, text)
    return URL_PASSWORD.sub(lambda m: m.group(1) + REDACTED + m.group(3), text)


class RedactSecretsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a record whose arguments do not fit its message: leave it to the formatter
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
