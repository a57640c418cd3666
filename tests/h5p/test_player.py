"""Playing H5P in a module: access, the sandboxed frame, xAPI results and completion."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from courses import services
from courses.models import Enrolment, ModuleProgress
from h5p.models import H5PResult, H5PStatement
from tests.factories import make_catalogue, make_course
from tests.h5p.players import VIDEO_PLAYER_DIRECTIVES, csp_directives, module_with_h5p, post, statement

pytestmark = pytest.mark.django_db


def test_module_page_embeds_a_sandboxed_player(client, user, setup):
    _course, module, block_id = setup
    client.force_login(user)
    page = client.get(module.url).content.decode()
    assert 'sandbox="allow-scripts allow-downloads"' in page
    assert reverse("h5p:player", args=[module.pk, block_id]) in page
    assert "Marker modulen som fullført" not in page  # the activity completes the module


def test_player_page_is_sandboxed_by_its_csp(client, user, setup):
    _course, module, block_id = setup
    client.force_login(user)
    response = client.get(reverse("h5p:player", args=[module.pk, block_id]))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "sandbox allow-scripts" in csp and "allow-same-origin" not in csp
    assert "frame-ancestors 'self'" in csp
    assert H5PResult.objects.filter(user=user, module=module).exists()  # opened


def test_player_and_files_are_404_for_someone_not_enrolled(client, other_user, user, setup):
    _course, module, block_id = setup
    client.force_login(user)
    player = client.get(reverse("h5p:player", args=[module.pk, block_id]))
    files_url = player.context["options"]["player"]["h5pJsonPath"]
    outsider = Client()
    outsider.force_login(other_user)
    assert outsider.get(reverse("h5p:player", args=[module.pk, block_id])).status_code == 404
    assert outsider.get(reverse("h5p:player", args=[module.pk, "finnes-ikke"])).status_code in (302, 404)
    anonymous = Client()
    assert anonymous.get(reverse("h5p:player", args=[module.pk, block_id])).status_code == 302
    # Content files need a valid token: a forged or altered one gets 404.
    assert client.get(f"{files_url}/h5p.json").status_code == 200
    assert client.get(f"{files_url}x/h5p.json").status_code == 404
    assert client.get("/h5p/innhold/ikke-et-token/h5p.json").status_code == 404


def test_content_files_are_served_with_nosniff_and_no_traversal(client, user, setup):
    _course, module, block_id = setup
    client.force_login(user)
    options = client.get(reverse("h5p:player", args=[module.pk, block_id])).context["options"]["player"]
    base, libraries = options["h5pJsonPath"], options["librariesPath"]
    for url in (f"{base}/content/content.json", f"{libraries}/H5P.Test-1.0/test.js"):
        response = client.get(url)
        assert response.status_code == 200
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
    for bad in ["content/../h5p.json", "content/", "libraries/H5P.Test-1.0/test.js", "annet/fil.json"]:
        assert client.get(f"{base}/{bad}").status_code == 404, bad
    for bad in [
        "../../etc/passwd",
        "H5P.Test-1.0/../../../h5p/content/x/content.json",
        "H5P.Test-1.0//test.js",
        "H5P.Test-1.0/",
        "Ukjent-1.0/x.js",
        "H5P.Test-x/test.js",
    ]:
        assert client.get(f"{libraries}/{bad}").status_code == 404, bad


def test_answered_statement_completes_the_activity_and_the_module(client, user, setup):
    course, module, block_id = setup
    client.force_login(user)
    response = post(client, module, block_id, statement(module, block_id, raw=1, maximum=1, email=user.email))
    assert response.json() == {"ok": True, "completed": True}
    result = H5PResult.objects.get(user=user)
    assert (result.score_raw, result.score_max, result.best_percent) == (1, 1, 100)
    assert ModuleProgress.objects.get(module=module).completed_at is not None
    assert Enrolment.objects.get(user=user, course=course).completed_at is not None  # the only module


def test_scaled_is_derived_from_raw_and_max_and_the_score_rule_applies(client, user, h5p_content):
    course = make_course(make_catalogue(), modules=0)
    module, block_id = module_with_h5p(course, h5p_content, rule="score", pass_percent=75)
    services.enrolment_create(user=user, course=course)
    client.force_login(user)
    assert (
        post(client, module, block_id, statement(module, block_id, raw=2, maximum=4)).json()["completed"]
        is False
    )
    assert H5PResult.objects.get(user=user).best_percent == 50
    assert (
        post(client, module, block_id, statement(module, block_id, raw=3, maximum=4)).json()["completed"]
        is True
    )


def test_opened_rule_completes_when_the_frame_reports_the_content_shown(client, user, h5p_content):
    """Issue 13: serving the player page is not opening it (the frame may stay blank); the
    frame's «rendered» report is (tests/h5p/test_player_failures.py has the rest)."""
    course = make_course(make_catalogue(), modules=0)
    module, block_id = module_with_h5p(course, h5p_content, rule="opened")
    services.enrolment_create(user=user, course=course)
    client.force_login(user)
    player = client.get(reverse("h5p:player", args=[module.pk, block_id]))
    assert not ModuleProgress.objects.filter(module=module, completed_at__isnull=False).exists()
    response = client.post(
        reverse("h5p:rendered", args=[module.pk, block_id]),
        data=json.dumps({"token": player.context["options"]["reportToken"]}),
        content_type="application/json",
    )
    assert response.json() == {"ok": True, "completed": True}
    assert ModuleProgress.objects.get(module=module).completed_at is not None


@pytest.mark.parametrize(
    "kwargs, status",
    [
        ({"raw": 5, "maximum": 1}, 400),  # above the maximum
        ({"raw": -1, "maximum": 1}, 400),  # below the minimum
        ({"object_id": "http://testserver/h5p/spill/999/annet/"}, 400),  # another activity
        ({"email": "noen.andre@test.example"}, 403),  # another user
    ],
)
def test_forged_statements_change_nothing(client, user, setup, kwargs, status):
    _course, module, block_id = setup
    client.force_login(user)
    response = post(client, module, block_id, statement(module, block_id, **kwargs))
    assert response.status_code == status
    assert not H5PStatement.objects.exists()
    assert not ModuleProgress.objects.filter(completed_at__isnull=False).exists()


def test_sub_content_statements_are_kept_but_not_scored(client, user, setup):
    _course, module, block_id = setup
    client.force_login(user)
    sub = statement(module, block_id, extra={"context": {"contextActivities": {"parent": [{"id": "x"}]}}})
    assert post(client, module, block_id, sub).json()["completed"] is False
    assert H5PStatement.objects.count() == 1
    assert H5PResult.objects.get(user=user).best_percent is None


def test_statements_need_enrolment_login_and_csrf(client, user, other_user, setup):
    _course, module, block_id = setup
    payload = statement(module, block_id)
    assert post(client, module, block_id, payload).status_code == 302  # anonymous → login
    client.force_login(other_user)
    assert post(client, module, block_id, payload).status_code == 404  # not in the course
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert post(strict, module, block_id, payload).status_code == 403
    assert not H5PStatement.objects.exists()


def test_malformed_statements_are_rejected(client, user, setup):
    _course, module, block_id = setup
    client.force_login(user)
    url = reverse("h5p:xapi", args=[module.pk, block_id])
    assert client.post(url, data="ikke json", content_type="application/json").status_code == 400
    assert (
        client.post(url, data=json.dumps({"statement": {}}), content_type="application/json").status_code
        == 400
    )


def test_state_is_saved_and_restored(client, user, setup):
    _course, module, block_id = setup
    client.force_login(user)
    options = client.get(reverse("h5p:player", args=[module.pk, block_id])).context["options"]["player"]
    state_url = options["ajax"]["contentUserDataUrl"]
    anonymous = Client()  # the sandboxed frame sends no cookies; the token is enough
    assert anonymous.post(state_url, {"data": '{"answer": true}', "preload": "1"}).status_code == 200
    assert H5PResult.objects.get(user=user).state == '{"answer": true}'
    options = client.get(reverse("h5p:player", args=[module.pk, block_id])).context["options"]["player"]
    assert options["contentUserData"] == [{"state": '{"answer": true}'}]
    assert anonymous.post("/h5p/filer/forfalsket/tilstand/", {"data": "x"}).status_code == 404


def test_marking_an_activity_module_done_by_hand_is_refused(client, user, setup):
    _course, module, _block_id = setup
    client.force_login(user)
    assert client.post(reverse("courses:complete_module", args=[module.pk])).status_code == 403
    assert not ModuleProgress.objects.filter(completed_at__isnull=False).exists()


def test_the_player_csp_lets_youtube_and_vimeo_play_and_nothing_else_in(client, user, setup):
    _course, module, block_id = setup
    client.force_login(user)
    response = client.get(reverse("h5p:player", args=[module.pk, block_id]))
    directives = csp_directives(response["Content-Security-Policy"])
    assert directives == {
        **VIDEO_PLAYER_DIRECTIVES,
        "frame-ancestors": ["'self'"],
        "sandbox": ["allow-scripts", "allow-downloads"],
    }
