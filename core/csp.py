"""The Content-Security-Policy nonce for the few scripts the Wagtail admin writes inline.

The site-wide policy (settings: CONTENT_SECURITY_POLICY, served by django-csp) lets scripts run only
from the platform's own static files or when they carry the request's nonce. Wagtail 8 still starts
some admin widgets with a short inline `<script>`: choosers (page, snippet, image, document), the
date and time pickers (set FORM_RENDERER to `NonceFormRenderer`), and inline panels. Those scripts
are written by Wagtail's own Python and templates, with every user-supplied value escaped, so they
are exactly what a nonce is for; this module stamps the current request's nonce on them and on
nothing else.

Widgets render without the request, so `WagtailScriptNonceMiddleware` keeps the request in a
context variable for the duration of the response. Without a request (a management command
rendering a form) the scripts stay as they are.
"""

import functools
from contextvars import ContextVar

from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

_current_request = ContextVar("csp_nonce_request", default=None)

BARE_SCRIPT_TAG = "<script>"


def current_nonce() -> str | None:
    """The CSP nonce of the request being answered, or None outside a request."""
    request = _current_request.get()
    # django-csp's lazy nonce is falsy until first read; reading it adds it to the header.
    nonce = getattr(request, "csp_nonce", None) if request is not None else None
    return str(nonce) if nonce is not None else None


def stamp_nonce(html: str) -> str:
    """Give every bare `<script>` tag in Wagtail-generated HTML the request's nonce."""
    nonce = current_nonce()
    if not nonce or BARE_SCRIPT_TAG not in html:
        return html
    return mark_safe(html.replace(BARE_SCRIPT_TAG, f'<script nonce="{nonce}">'))  # noqa: S308 - nonce is base64


def _stamping(render):
    @functools.wraps(render)
    def wrapper(*args, **kwargs):
        return stamp_nonce(render(*args, **kwargs))

    wrapper.stamps_csp_nonce = True
    return wrapper


def _stamp_wagtail_inline_scripts() -> None:
    """Wrap the renderers of the Wagtail widgets and panels that emit inline scripts (once)."""
    from wagtail.admin.panels import InlinePanel, MultipleChooserPanel
    from wagtail.admin.widgets.chooser import BaseChooser

    if not getattr(BaseChooser.render, "stamps_csp_nonce", False):
        BaseChooser.render = _stamping(BaseChooser.render)
    for cls in (InlinePanel.BoundPanel, MultipleChooserPanel.BoundPanel):
        if not getattr(cls.render_html, "stamps_csp_nonce", False):
            cls.render_html = _stamping(cls.render_html)


class NonceFormRenderer(DjangoTemplates):
    """Django's default form renderer, stamping the nonce on Wagtail's admin widget templates.

    The date, time and date-time pickers (also inside range filters, which render them through
    their own template) end in an inline `initDateChooser(…)` script.
    """

    def render(self, template_name, context, request=None):
        html = super().render(template_name, context, request=request)
        return stamp_nonce(html) if template_name.startswith("wagtailadmin/") else html


class WagtailScriptNonceMiddleware:
    """Makes the request's CSP nonce available to Wagtail's widget and panel renderers.

    Place after django-csp's CSPMiddleware (which creates `request.csp_nonce`).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        _stamp_wagtail_inline_scripts()

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
