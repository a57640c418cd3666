"""Who is asking about which H5P block: shared by the player's views (views.py) and the frame's
reports (frame_views.py).

`module_block` finds the module and its H5P block for a user who may see the module (404 otherwise);
`xapi_claims` are what the frame's signed tokens name: the learner's opaque account, the module, the
block and the content (never a name or an e-mail address).
"""

from __future__ import annotations

from django.http import Http404
from django.utils.crypto import salted_hmac

from courses import selectors as course_selectors
from people.mfa import privileges_usable

from .activities import H5P
from .models import H5PContent

ACTOR_SALT = "h5p.xapi.actor"


def module_block(request, module_id: int, block_id: str, *, allow_editors: bool | None = None):
    """The module and its H5P block, if the user may see the module (enrolled, or an editor); else 404.

    Returns (module, block value with its content loaded, the enrolment or None for an editor)."""
    # An editor previews only with the second factor a privileged user needs (people.mfa), as on
    # the module page itself: the player and its files are outside the guarded paths. (On the
    # player's own host the ticket says whether the module page was opened with it.)
    module, _course, enrolment = course_selectors.live_module_for_learner(
        user=request.user,
        module_id=module_id,
        allow_editors=privileges_usable(request) if allow_editors is None else allow_editors,
    )
    block = course_selectors.module_block(module, block_id=block_id, block_type=H5P)
    content = H5PContent.objects.filter(pk=(block or {}).get("value", {}).get("content")).first()
    if content is None:
        raise Http404
    return module, {**block["value"], "content": content}, enrolment


def account_name(request) -> str:
    """The learner's opaque xAPI account: the same for every item, and no way back to the person."""
    return salted_hmac(ACTOR_SALT, str(request.user.pk)).hexdigest()[:32]


def xapi_claims(request, module_id: int, block_id: str, content: H5PContent) -> dict:
    # The learner by their opaque account: the token is readable (signed, not encrypted) in the frame.
    return {"a": account_name(request), "m": module_id, "b": block_id, "c": str(content.uuid)}
