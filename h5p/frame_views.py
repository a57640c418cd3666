"""What the player frame tells the server about itself, through the module page (issue 13, point 4).

The frame (js/h5p-frame.js) has no session: it hands its word to the module page with postMessage,
and the module page (js/h5p-activity.js) posts it here with the learner's session and CSRF token,
as it does xAPI statements. Each report carries the frame's signed report token (the learner's
opaque account, the module, the block and the content it was opened for), so a page can only
report on a frame opened for that block.

- `rendered`: the content is on the screen and nothing failed while it started. Only now does the
  «Åpnet» completion rule count the activity as opened (results.result_rendered); serving the
  player page is not enough, since the learner may have seen nothing but an empty frame.
- `failure`: a library's script or style sheet did not load, or the content threw while starting.
  Counted per content item and kind (h5p.failures), without anything about the person, and
  rate-limited per learner and content item.
"""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import JsonResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from core.ratelimit import limit_exceeded

from . import failures, results
from .access import module_block, xapi_claims
from .models import H5PFailureKind
from .views import REPORT_TOKEN_SALT

REPORT_TOKEN_MAX_AGE = 24 * 60 * 60
MAX_REPORT_BYTES = 4 * 1024
# Reports one learner may make per content item and minute: a frame reports its failure once per
# view, so this only stops a page (or a person) posting in a loop.
FAILURES_PER_MINUTE = 5


class _Refused(Exception):
    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def _report(request, module_id: int, block_id: str, *, learner_only: bool = False):
    """The module, block value, enrolment and JSON body of a report; raises _Refused.

    404 for someone who may not see the module; with `learner_only`, 403 for an editor previewing."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_REPORT_BYTES or len(request.body) > MAX_REPORT_BYTES:
        raise _Refused(gettext("Meldingen er for stor."), 413)
    module, value, enrolment = module_block(request, module_id, block_id)
    if learner_only and enrolment is None:
        raise _Refused(gettext("Du er ikke påmeldt kurset."), 403)
    try:
        body = json.loads(request.body)
        token = body["token"]
        if not isinstance(body, dict) or not isinstance(token, str):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        raise _Refused(gettext("Ugyldig melding fra aktiviteten."), 400) from None
    try:
        claims = signing.loads(token, salt=REPORT_TOKEN_SALT, max_age=REPORT_TOKEN_MAX_AGE)
    except signing.BadSignature:
        raise _Refused(
            gettext("Aktiviteten er utløpt eller ikke åpnet riktig. Last inn siden på nytt."), 403
        ) from None
    if claims != xapi_claims(request, module_id, block_id, value["content"]):
        raise _Refused(gettext("Meldingen hører ikke til aktiviteten som ble åpnet."), 403)
    return module, value, enrolment, body


@login_required
@require_POST
def rendered(request, module_id: int, block_id: str):
    """The frame shows the content and nothing failed while it started: the «Åpnet» rule is met."""
    try:
        module, value, _enrolment, _body = _report(request, module_id, block_id, learner_only=True)
    except _Refused as refused:
        return JsonResponse({"error": str(refused)}, status=refused.status)
    completed = results.result_rendered(
        user=request.user, module=module, block_id=block_id, block_value=value
    )
    return JsonResponse({"ok": True, "completed": completed})


@login_required
@require_POST
def failure(request, module_id: int, block_id: str):
    """The frame could not show the content: counted for the content's admin page."""
    try:
        _module, value, _enrolment, body = _report(request, module_id, block_id)
    except _Refused as refused:
        return JsonResponse({"error": str(refused)}, status=refused.status)
    kind, detail = body.get("kind"), body.get("detail", "")
    if kind not in H5PFailureKind.values or not isinstance(detail, str):
        return JsonResponse({"error": gettext("Ukjent type feil.")}, status=400)
    content = value["content"]
    scope = f"h5p-failure:{request.user.pk}:{content.pk}"
    if limit_exceeded(request, scope=scope, per_minute=FAILURES_PER_MINUTE):
        return JsonResponse({"error": gettext("For mange feilmeldinger. Prøv igjen om litt.")}, status=429)
    failures.failure_record(content=content, kind=kind, detail=detail)
    return JsonResponse({"ok": True})
