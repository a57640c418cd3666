"""Issue 12: xAPI input the server must not trust, and a player frame that must not learn who the
learner is nor report on another activity.

Each test posts as the module page does (session + CSRF, with the frame's token) and checks
both the answer and that nothing was stored or completed when the statement is refused.
"""

import json
import uuid

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from courses import services
from courses.models import ActivityCompletion, ModuleProgress
from h5p.models import H5PResult, H5PStatement
from tests.factories import make_catalogue, make_course, make_module
from tests.h5p.players import module_with_h5p, player_token, post, statement

pytestmark = pytest.mark.django_db


def nothing_recorded():
    assert not H5PStatement.objects.exists()
    assert not H5PResult.objects.filter(score_raw__isnull=False).exists()
    assert not ActivityCompletion.objects.exists()
    assert not ModuleProgress.objects.filter(completed_at__isnull=False).exists()


def post_raw(client, module, block_id, body: bytes):
    return client.post(
        reverse("h5p:xapi", args=[module.pk, block_id]), data=body, content_type="application/json"
    )


# C. Input


@pytest.mark.parametrize("bad", [b"NaN", b"Infinity", b"-Infinity", b"1e999"])
def test_a_score_that_is_not_a_finite_number_is_refused_with_400(client, user, setup, bad):
    _course, module, block_id = setup
    client.force_login(user)
    payload = {**statement(module, block_id), "token": player_token(client, module, block_id)}
    body = json.dumps(payload).replace('"raw": 1', '"raw": ' + bad.decode()).encode()
    response = post_raw(client, module, block_id, body)
    assert response.status_code == 400
    assert response.json() == {"error": "Utsagnet inneholder et ugyldig tall (NaN eller uendelig)."}
    nothing_recorded()


def test_a_replay_is_stored_once_and_answered_the_same(client, user, setup):
    _course, module, block_id = setup
    client.force_login(user)
    payload = statement(module, block_id, extra={"timestamp": "2026-12-01T10:00:00Z"})
    first = post(client, module, block_id, payload)
    again = post(client, module, block_id, payload)
    later = post(
        client, module, block_id, {"statement": {**payload["statement"], "timestamp": "2026-12-01T11:00:00Z"}}
    )
    assert first.status_code == again.status_code == later.status_code == 200
    assert first.json() == again.json() == later.json() == {"ok": True, "completed": True}
    assert H5PStatement.objects.count() == 1
    assert ActivityCompletion.objects.filter(block_id=block_id).count() == 1


def test_a_statement_id_is_stored_once_even_with_other_content(client, user, setup):
    _course, module, block_id = setup
    client.force_login(user)
    statement_id = str(uuid.uuid4())
    wrong = statement(module, block_id, raw=0, extra={"id": statement_id})
    right = statement(module, block_id, raw=1, extra={"id": statement_id})
    # The block counts as done once answered (its rule); the replay changes nothing and says so.
    assert post(client, module, block_id, wrong).json() == {"ok": True, "completed": True}
    assert post(client, module, block_id, right).json() == {"ok": True, "completed": True}
    assert H5PStatement.objects.get().score_raw == 0
    assert H5PResult.objects.get(user=user).best_percent == 0


def test_the_same_answer_in_a_new_round_counts_again(client, user, setup):
    course, module, block_id = setup
    client.force_login(user)
    payload = statement(module, block_id)
    assert post(client, module, block_id, payload).json()["completed"] is True
    services.enrolment_restart(user=user, course=course)  # «Ta kurset på nytt»
    assert post(client, module, block_id, payload).json()["completed"] is True
    assert H5PStatement.objects.count() == 2
    assert ActivityCompletion.objects.filter(round=2, block_id=block_id).exists()


def test_a_statement_over_64_kb_is_refused_with_413(client, user, setup):
    _course, module, block_id = setup
    client.force_login(user)
    payload = statement(module, block_id, extra={"context": {"extensions": {"x": "a" * 250_000}}})
    response = post(client, module, block_id, payload)
    assert response.status_code == 413
    assert response.json() == {"error": "Utsagnet er for stort."}
    nothing_recorded()


def test_the_declared_length_is_refused_before_the_body_is_read(rf, user, setup):
    from h5p.views import xapi

    _course, module, block_id = setup
    request = rf.post(
        reverse("h5p:xapi", args=[module.pk, block_id]), data=b"{}", content_type="application/json"
    )
    request.user = user
    request.META["CONTENT_LENGTH"] = str(250 * 1024)
    request._dont_enforce_csrf_checks = True
    assert xapi(request, module.pk, block_id).status_code == 413
    assert not hasattr(request, "_body")  # never read


def test_raw_zero_with_scaled_one_is_refused_not_counted_as_full_marks(client, user, h5p_content):
    course = make_course(make_catalogue(), modules=0)
    module, block_id = module_with_h5p(course, h5p_content, rule="score", pass_percent=80)
    services.enrolment_create(user=user, course=course)
    client.force_login(user)
    forged = statement(module, block_id, raw=0, maximum=1)
    forged["statement"]["result"]["score"]["scaled"] = 1
    response = post(client, module, block_id, forged)
    assert response.status_code == 400
    assert "selvmotsigende" in response.json()["error"]
    nothing_recorded()
    honest = statement(module, block_id, raw=4, maximum=5)
    honest["statement"]["result"]["score"]["scaled"] = 0.8
    assert post(client, module, block_id, honest).json() == {"ok": True, "completed": True}
    assert H5PResult.objects.get(user=user).best_percent == 80


# D. The frame: no identity, and only its own activity


def test_the_player_never_gets_the_learners_name_or_address(client, user, setup):
    _course, module, block_id = setup
    user.first_name, user.last_name = "Kari", "Nordmann"
    user.save()
    client.force_login(user)
    response = client.get(reverse("h5p:player", args=[module.pk, block_id]))
    page = response.content.decode()
    assert user.email not in page and "Nordmann" not in page and "Kari" not in page
    options = response.context["options"]
    actor = options["actor"]
    assert set(actor) == {"objectType", "account"} and actor["account"]["homePage"] == "http://testserver/"
    assert options["player"]["user"] == {"name": actor["account"]["name"], "mail": ""}
    assert len(actor["account"]["name"]) == 32
    # The token the frame holds (readable there: signed, not encrypted) names the learner only so.
    claims = signing.loads(options["xapiToken"], salt="h5p-player-xapi")
    content = str(response.context["content"].uuid)
    assert claims == {"a": actor["account"]["name"], "m": module.pk, "b": block_id, "c": content}
    # So does the token the frame reports «rendered» or a failure with (issue 13).
    assert signing.loads(options["reportToken"], salt="h5p-player-report") == claims
    # The token in the frame's state address: content, result row and package revision, no user id.
    # The content files' token is the same for every learner: content, version and day only.
    state_token = options["player"]["ajax"]["contentUserDataUrl"].split("/")[3]
    assert set(signing.loads(state_token, salt="h5p-player-files")) == {"c", "r", "v"}
    files_token = options["player"]["h5pJsonPath"].split("/")[3]
    assert set(signing.Signer(salt="h5p-player-content").unsign_object(files_token)) == {"c", "v", "p"}
    # The same learner has the same account everywhere; another learner has another.
    again = client.get(reverse("h5p:player", args=[module.pk, block_id])).context["options"]["actor"]
    other = Client()
    other_user = type(user).objects.create_user(email="annen@test.example", password="x")
    services.enrolment_create(user=other_user, course=_course)
    other.force_login(other_user)
    theirs = other.get(reverse("h5p:player", args=[module.pk, block_id])).context["options"]["actor"]
    assert again == actor != theirs


def test_statements_are_stored_with_the_opaque_actor_only(client, user, setup):
    _course, module, block_id = setup
    client.force_login(user)
    actor = client.get(reverse("h5p:player", args=[module.pk, block_id])).context["options"]["actor"]
    payload = statement(module, block_id, extra={"actor": {**actor, "name": "Kari Nordmann"}})
    assert post(client, module, block_id, payload).status_code == 200
    stored = H5PStatement.objects.get()
    assert stored.statement["actor"] == actor and stored.result.user == user
    forged = statement(module, block_id, extra={"actor": {"account": {"homePage": "x", "name": "en-annen"}}})
    assert post(client, module, block_id, forged).status_code == 403


@pytest.fixture
def two_blocks(user, h5p_content):
    course = make_course(make_catalogue(), modules=0)
    module = make_module(course, title="To aktiviteter")
    value = {"content": h5p_content.pk, "completion_rule": "completed", "pass_percent": 80}
    module.body = [{"type": "h5p", "value": value}, {"type": "h5p", "value": value}]
    module.save_revision().publish()
    module.refresh_from_db()
    services.enrolment_create(user=user, course=course)
    return module, module.body[0].id, module.body[1].id


def test_a_statement_needs_the_token_of_a_frame_opened_for_that_block(client, user, other_user, two_blocks):
    module, first, second = two_blocks
    client.force_login(user)
    token_first = player_token(client, module, first)
    # No token, a forged one, or the token of the frame opened for the other block.
    for token in ["", "forfalsket", token_first]:
        response = post(client, module, second, statement(module, second), token=token)
        assert response.status_code == 403, token
        assert "aktiviteten" in response.json()["error"].lower()
    # The token of another learner's frame for the same block.
    services.enrolment_create(user=other_user, course=module.get_parent().specific)
    someone = Client()
    someone.force_login(other_user)
    response = post(
        client, module, second, statement(module, second), token=player_token(someone, module, second)
    )
    assert response.status_code == 403
    nothing_recorded()
    # The first frame's statement about the second block, posted with the first frame's token.
    response = post(client, module, first, statement(module, second), token=token_first)
    assert response.status_code == 400
    nothing_recorded()
    # Its own block, with its own token: accepted.
    assert post(client, module, second, statement(module, second)).json() == {"ok": True, "completed": True}
    assert list(ActivityCompletion.objects.values_list("block_id", flat=True)) == [second]
