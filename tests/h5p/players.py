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
