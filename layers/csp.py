"""Content-Security-Policy on every response, from settings.CONTENT_SECURITY_POLICY (scripts, styles, fonts
and connections from this server only; images also from data:, blob: and the basemap's tile server).

A page that needs more relaxes the policy for its own responses only, in one of two ways:

- Inline code: write nonce="{{ request.csp_nonce }}" on the inline <script> or <style> element. The
  first use of request.csp_nonce in a request makes a fresh random nonce, and this middleware then adds
  'nonce-…' to script-src and style-src of that response (django-leaflet's admin widgets use it already).
  Inline event handlers (onclick=…) and style="…" attributes stay blocked: use a script file.
- Other sources: decorate the view with @csp_update(img_src=["https://wms.example.org"]) (directive
  names with _ for -); the sources are added to those directives for that view's responses. For a
  generated page full of inline code (a standalone folium map, say) @csp_update(script_src=[CSP_NONCE],
  style_src=[CSP_NONCE]) together with add_nonce(html, request) puts the nonce on its own tags.

A response that already carries a Content-Security-Policy header keeps it.
"""
import re
import secrets
from functools import wraps

from django.conf import settings
from django.utils.functional import SimpleLazyObject

HEADER = "Content-Security-Policy"
CSP_NONCE = "'nonce'"  # in csp_update: stands for this request's nonce
NONCE_DIRECTIVES = ("script-src", "style-src")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        made: list[str] = []

        def make_nonce() -> str:
            made.append(secrets.token_urlsafe(18))
            return made[0]

        request.csp_nonce = SimpleLazyObject(make_nonce)
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = policy_header(extra=getattr(response, "csp_update", None), nonce=made[0] if made else None)
        if getattr(settings, "PERMISSIONS_POLICY", "") and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        return response


def policy_header(*, extra: dict | None = None, nonce: str | None = None) -> str:
    """The header value: the settings' policy, with a view's added sources and the request's nonce."""
    policy = {directive: list(sources) for directive, sources in settings.CONTENT_SECURITY_POLICY.items()}
    additions = {directive: list(sources) for directive, sources in (extra or {}).items()}
    if nonce:
        for directive in NONCE_DIRECTIVES:
            additions.setdefault(directive, []).append(CSP_NONCE)
    for directive, sources in additions.items():
        current = [s for s in policy.get(directive, policy.get("default-src", [])) if s != "'none'"]
        policy[directive] = current + [s for s in sources if s not in current]
    rendered = []
    for directive, sources in policy.items():
        sources = [f"'nonce-{nonce}'" if s == CSP_NONCE else s for s in sources if s != CSP_NONCE or nonce]
        rendered.append(" ".join([directive, *sources]))
    return "; ".join(rendered)


def csp_update(**directives):
    """Add sources to directives for this view's responses: @csp_update(img_src=["https://tiles.example.org"])."""
    extra = {name.replace("_", "-"): list(sources) for name, sources in directives.items()}

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            merged = dict(getattr(response, "csp_update", None) or {})
            for directive, sources in extra.items():
                merged[directive] = [*merged.get(directive, []), *sources]
            response.csp_update = merged
            if CSP_NONCE in sum(extra.values(), []):
                str(request.csp_nonce)  # make the nonce, so that the header names it
            return response
        return wrapped
    return decorator


_OPENING_TAG = re.compile(r"<(script|style)\b(?![^>]*\bnonce=)", re.IGNORECASE)


def add_nonce(html: str, request) -> str:
    """Put this request's nonce on every <script> and <style> tag of a page the server generated itself
    (a folium map). Only for trusted HTML: text from users must be escaped before it gets here."""
    return _OPENING_TAG.sub(lambda m: f'<{m.group(1)} nonce="{request.csp_nonce}"', html)
