"""Helpers for the player tests: a module with an H5P block, and statements posted as the module page does."""

import json

from django.urls import reverse

from tests.factories import make_module


def module_with_h5p(course, content, *, rule="completed", pass_percent=80):
    module = make_module(course, title="H5P-modul")
    module.body = [
        {
            "type": "h5p",
            "value": {"content": content.pk, "completion_rule": rule, "pass_percent": pass_percent},
        }
    ]
    module.save_revision().publish()
    module.refresh_from_db()
    return module, module.body[0].id


def statement(module, block_id, *, verb="answered", raw=1, maximum=1, email=None, extra=None, object_id=None):
    data = {
        "actor": {"mbox": f"mailto:{email}"} if email else {},
        "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}"},
        "object": {
            "id": object_id or f"http://testserver{reverse('h5p:player', args=[module.pk, block_id])}"
        },
        "result": {"score": {"min": 0, "max": maximum, "raw": raw}},
        **(extra or {}),
    }
    return {"statement": data}


def player_token(client, module, block_id) -> str:
    """The signed token the player frame sends with its statements ('' if the player is refused)."""
    response = client.get(reverse("h5p:player", args=[module.pk, block_id]))
    return response.context["options"]["xapiToken"] if response.status_code == 200 else ""


def post(client, module, block_id, payload, *, token=None):
    if token is None:
        token = player_token(client, module, block_id)
    return client.post(
        reverse("h5p:xapi", args=[module.pk, block_id]),
        data=json.dumps({**payload, "token": token}),
        content_type="application/json",
    )


def csp_directives(header: str) -> dict[str, list[str]]:
    """A Content-Security-Policy header as {directive: [sources]}."""
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


# What H5P.Video's YouTube and Vimeo handlers need (their scripts, frames, thumbnails, Vimeo's
# oEmbed lookup), and nothing else from outside: every other directive stays the platform's own.
VIDEO_PLAYER_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": [
        "'self'",
        "'unsafe-inline'",
        "'unsafe-eval'",
        "https://www.youtube.com",
        "https://player.vimeo.com",
    ],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", "https://i.ytimg.com", "https://i.vimeocdn.com"],
    "media-src": ["'self'", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'", "https://vimeo.com"],
    "frame-src": ["https://www.youtube.com", "https://www.youtube-nocookie.com", "https://player.vimeo.com"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'none'"],
}
