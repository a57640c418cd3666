"""Issue 13, point 4: the player never fails silently, and «Åpnet» means the content was shown.

The frame reports through the module page (session + CSRF) with its signed report token:
`rendered` meets the «Åpnet» rule, `failure` is counted for the content's admin page without
anything about the person, rate-limited per learner and content item.
"""

import json

import pytest
from django.test import Client
from django.urls import reverse

from core.storage import private_storage
from courses import services
from courses.models import ModuleProgress
from h5p import frame_views
from h5p.failures import detail_sanitise
from h5p.models import H5PPlayerFailure, H5PResult
from tests.factories import make_catalogue, make_course
from tests.h5p.players import module_with_h5p

pytestmark = pytest.mark.django_db


def report_token(client, module, block_id) -> str:
    response = client.get(reverse("h5p:player", args=[module.pk, block_id]))
    return response.context["options"]["reportToken"] if response.status_code == 200 else ""


def send(client, name, module, block_id, body=None, *, token=None, raw=None):
    if raw is None:
        if token is None:
            token = report_token(client, module, block_id)
        raw = json.dumps({"token": token, **(body or {})})
    return client.post(
        reverse(f"h5p:{name}", args=[module.pk, block_id]), data=raw, content_type="application/json"
    )


@pytest.fixture
def opened_rule(user, h5p_content):
    course = make_course(make_catalogue(), modules=0)
    module, block_id = module_with_h5p(course, h5p_content, rule="opened")
    services.enrolment_create(user=user, course=course)
    return course, module, block_id


def module_done(module) -> bool:
    return ModuleProgress.objects.filter(module=module, completed_at__isnull=False).exists()


def test_serving_the_player_does_not_count_as_opened_the_rendered_report_does(client, user, opened_rule):
    _course, module, block_id = opened_rule
    client.force_login(user)
    token = report_token(client, module, block_id)
    assert H5PResult.objects.filter(user=user, module=module).exists()  # the row for state and xAPI
    assert not module_done(module)  # a blank frame would have counted before
    response = send(client, "rendered", module, block_id, token=token)
    assert response.json() == {"ok": True, "completed": True}
    assert module_done(module)
    assert H5PResult.objects.get(user=user, module=module).completed_at is not None


def test_rendered_under_another_rule_completes_nothing(client, user, setup):
    _course, module, block_id = setup  # «Fullført (besvart)»
    client.force_login(user)
    assert send(client, "rendered", module, block_id).json() == {"ok": True, "completed": False}
    assert not module_done(module)


def test_a_failure_is_counted_without_the_person(client, user, opened_rule, h5p_content):
    _course, module, block_id = opened_rule
    client.force_login(user)
    token = report_token(client, module, block_id)
    detail = f"Lastet ikke: http://testserver/h5p/innhold/{token}/content/bilde.png?x=1 for {user.email}"
    for _ in range(2):
        response = send(client, "failure", module, block_id, {"kind": "load", "detail": detail}, token=token)
        assert response.json() == {"ok": True}
    failure = H5PPlayerFailure.objects.get()
    assert (failure.content, failure.kind, failure.count) == (h5p_content, "load", 2)
    assert failure.detail == "Lastet ikke: /h5p/innhold/…/content/bilde.png for [e-post]"
    assert user.email not in failure.detail and token not in failure.detail
    assert not module_done(module)  # a failed frame never reports «rendered»


@pytest.mark.parametrize(
    "raw, status",
    [
        ("ikke json", 400),
        ("[]", 400),
        (json.dumps({"kind": "load"}), 400),  # no token
        (json.dumps({"token": 5, "kind": "load"}), 400),
    ],
)
def test_malformed_reports_change_nothing(client, user, opened_rule, raw, status):
    _course, module, block_id = opened_rule
    client.force_login(user)
    for name in ("failure", "rendered"):
        response = send(client, name, module, block_id, raw=raw)
        assert response.status_code == status
        assert response.json()["error"] == "Ugyldig melding fra aktiviteten."
    assert not H5PPlayerFailure.objects.exists() and not module_done(module)


@pytest.mark.parametrize(
    "body", [{"kind": "annet"}, {"kind": ""}, {"kind": "load", "detail": ["liste"]}, {"detail": "x"}]
)
def test_an_unknown_kind_or_a_detail_that_is_not_text_is_refused(client, user, opened_rule, body):
    _course, module, block_id = opened_rule
    client.force_login(user)
    response = send(client, "failure", module, block_id, body)
    assert response.status_code == 400
    assert response.json()["error"] == "Ukjent type feil."
    assert not H5PPlayerFailure.objects.exists()


def test_a_report_larger_than_the_limit_is_refused(client, user, opened_rule):
    _course, module, block_id = opened_rule
    client.force_login(user)
    body = {"kind": "start", "detail": "x" * frame_views.MAX_REPORT_BYTES}
    response = send(client, "failure", module, block_id, body)
    assert response.status_code == 413
    assert not H5PPlayerFailure.objects.exists()


def test_the_token_must_be_this_learners_for_this_block(client, user, other_user, opened_rule):
    _course, module, block_id = opened_rule
    client.force_login(user)
    for token in ["", "forfalsket"]:
        for name, body in (("rendered", {}), ("failure", {"kind": "start"})):
            response = send(client, name, module, block_id, body, token=token)
            assert response.status_code == 403, (name, token)
            assert "Last inn siden på nytt" in response.json()["error"]
    # Another learner's frame token for the same block, posted with this learner's session.
    services.enrolment_create(user=other_user, course=module.get_parent().specific)
    someone = Client()
    someone.force_login(other_user)
    theirs = report_token(someone, module, block_id)
    for name, body in (("rendered", {}), ("failure", {"kind": "start"})):
        response = send(client, name, module, block_id, body, token=theirs)
        assert response.status_code == 403
        assert response.json()["error"] == "Meldingen hører ikke til aktiviteten som ble åpnet."
    assert not H5PPlayerFailure.objects.exists() and not module_done(module)


def test_someone_not_enrolled_cannot_report(client, user, other_user, opened_rule):
    _course, module, block_id = opened_rule
    client.force_login(user)
    token = report_token(client, module, block_id)
    outsider = Client()
    outsider.force_login(other_user)
    assert send(outsider, "failure", module, block_id, {"kind": "load"}, token=token).status_code == 404
    assert send(outsider, "rendered", module, block_id, token=token).status_code == 404
    assert send(Client(), "failure", module, block_id, {"kind": "load"}, token=token).status_code == 302
    assert not H5PPlayerFailure.objects.exists() and not module_done(module)


def test_failures_are_rate_limited_per_learner_and_content(client, user, opened_rule):
    _course, module, block_id = opened_rule
    client.force_login(user)
    token = report_token(client, module, block_id)
    answers = [
        send(client, "failure", module, block_id, {"kind": "start", "detail": f"feil {n}"}, token=token)
        for n in range(frame_views.FAILURES_PER_MINUTE + 2)
    ]
    assert [r.status_code for r in answers] == [200] * frame_views.FAILURES_PER_MINUTE + [429, 429]
    assert answers[-1].json()["error"] == "For mange feilmeldinger. Prøv igjen om litt."
    assert H5PPlayerFailure.objects.count() == frame_views.FAILURES_PER_MINUTE


def test_an_editor_previewing_may_report_a_failure_but_is_never_counted_as_opened(
    client, django_user_model, opened_rule
):
    _course, module, block_id = opened_rule
    admin = django_user_model.objects.get(email="admin@test.example")
    client.force_login(admin)
    token = report_token(client, module, block_id)
    assert send(client, "failure", module, block_id, {"kind": "start"}, token=token).status_code == 200
    response = send(client, "rendered", module, block_id, token=token)
    assert response.status_code == 403
    assert not H5PResult.objects.filter(user=admin).exists()


def test_the_admin_page_shows_the_recent_failures(client, django_user_model, opened_rule, h5p_content, user):
    _course, module, block_id = opened_rule
    client.force_login(user)
    send(
        client,
        "failure",
        module,
        block_id,
        {"kind": "load", "detail": "Mangler i biblioteket: H5P.Test-1.0/test.js"},
    )
    admin = django_user_model.objects.get(email="admin@test.example")
    client.force_login(admin)
    for view in ("edit", "inspect"):
        page = client.get(reverse(f"wagtailsnippets_h5p_h5pcontent:{view}", args=[h5p_content.pk]))
        assert page.status_code == 200
        html = page.content.decode()
        assert "Et skript eller stilark ble ikke lastet" in html, view
        assert "Mangler i biblioteket: H5P.Test-1.0/test.js" in html, view


def test_a_joined_script_missing_a_file_says_so_first(client, user, setup, h5p_content):
    _course, module, block_id = setup
    client.force_login(user)
    library_files = client.get(reverse("h5p:player", args=[module.pk, block_id])).context["options"][
        "player"
    ]["librariesPath"]
    private_storage.delete("h5p/libraries/H5P.Test-1.0/test.js")
    response = client.get(f"{library_files}/samlet/{h5p_content.uuid}.js")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.decode().startswith(
        '(self.H5PMissingFiles = self.H5PMissingFiles || []).push("H5P.Test-1.0/test.js");'
    )
    assert response["Cache-Control"] == "no-store"


def test_details_are_short_single_lines_without_addresses_or_ids():
    assert detail_sanitise("a\nb\tc") == "a b c"
    assert detail_sanitise("https://x.example/h5p/spill/12/abc/?t=hemmelig#x") == "/h5p/spill/12/abc/"
    assert detail_sanitise("bruker 1234567 feilet") == "bruker … feilet"
    assert len(detail_sanitise("x" * 1000)) == 200


def test_distinct_failures_are_capped_per_content_and_the_rest_counted_as_other(h5p_content):
    from h5p.failures import MAX_DISTINCT, OTHER, failure_record

    for number in range(MAX_DISTINCT + 5):
        failure_record(content=h5p_content, kind="start", detail=f"TypeError nummer {number}")
    failure_record(content=h5p_content, kind="start", detail="TypeError nummer 0")  # a known one counts
    failure_record(content=h5p_content, kind="load", detail="ny.js")
    rows = H5PPlayerFailure.objects.filter(content=h5p_content)
    assert rows.exclude(detail=OTHER).count() == MAX_DISTINCT
    assert rows.get(detail="TypeError nummer 0").count == 2
    assert rows.get(kind="start", detail=OTHER).count == 5
    assert rows.get(kind="load", detail=OTHER).count == 1


def test_replacing_the_package_clears_the_old_packages_failures(
    settings, django_user_model, h5p_content, django_capture_on_commit_callbacks
):
    from h5p.failures import failure_record
    from h5p.replacement import h5p_content_replace
    from tests.h5p.test_replace import same_type_package

    admin = django_user_model.objects.get(email="admin@test.example")
    failure_record(content=h5p_content, kind="load", detail="mangler.js")
    h5p_content_replace(content=h5p_content, user=admin, data=same_type_package())
    assert not H5PPlayerFailure.objects.filter(content=h5p_content).exists()

    # In the background: kept while the old package still plays, cleared once the new one does.
    failure_record(content=h5p_content, kind="load", detail="mangler.js")
    settings.H5P_EXTRACT_INLINE_BYTES = 0
    with django_capture_on_commit_callbacks(execute=False) as queued:
        h5p_content_replace(content=h5p_content, user=admin, data=same_type_package("Stor"))
    assert H5PPlayerFailure.objects.filter(content=h5p_content).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        for callback in queued:
            callback()
    assert not H5PPlayerFailure.objects.filter(content=h5p_content).exists()
