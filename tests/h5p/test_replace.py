"""Issue 13, point 7: replacing the package of H5P content with a new version.

The same content type (main library and major version): learners' results and saved state are
kept. Another type: results are kept as history, saved state is cleared, and the admin asks for a
confirmation before and says what happened after.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.storage import private_storage
from h5p.models import H5PContent, H5PResult
from h5p.replacement import h5p_content_replace
from h5p.services import H5PPackageRejected
from h5p.views import content_token
from tests.h5p.packages import H5P_JSON, LIBRARY_JSON, build, valid_files

pytestmark = pytest.mark.django_db


def same_type_package(question="Er dette fortsatt sant?") -> bytes:
    return build(valid_files(**{"content/content.json": {"question": question}}))


def other_type_package(*, machine_name="H5P.Annen", major=1) -> bytes:
    directory = f"{machine_name}-{major}.0"
    return build(
        {
            "h5p.json": {
                **H5P_JSON,
                "mainLibrary": machine_name,
                "preloadedDependencies": [
                    {"machineName": machine_name, "majorVersion": str(major), "minorVersion": "0"}
                ],
            },
            "content/content.json": {"text": "Helt nytt innhold"},
            f"{directory}/library.json": {
                **LIBRARY_JSON,
                "machineName": machine_name,
                "majorVersion": major,
                "title": "Annen",
            },
            f"{directory}/test.js": "window.H5P = window.H5P || {};",
        }
    )


@pytest.fixture
def learner_result(user, setup, h5p_content):
    _course, module, block_id = setup
    return H5PResult.objects.create(
        user=user,
        module=module,
        block_id=block_id,
        content=h5p_content,
        state='{"answer": true}',
        score_raw=1,
        score_max=1,
        best_percent=100,
    )


def edit(client, content, package: bytes | None, **extra):
    data = {"title": content.title, "description": "", "licence": "", "source": "", **extra}
    if package is not None:
        data["upload"] = SimpleUploadedFile("ny.h5p", package, content_type="application/zip")
    return client.post(reverse("wagtailsnippets_h5p_h5pcontent:edit", args=[content.pk]), data, follow=True)


def content_json(content: H5PContent) -> dict:
    with private_storage.open(f"{content.content_prefix}content.json") as handle:
        return json.load(handle)


def messages_of(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


def test_the_edit_form_says_before_what_a_replacement_keeps(client, django_user_model, h5p_content):
    client.force_login(django_user_model.objects.get(email="admin@test.example"))
    page = client.get(reverse("wagtailsnippets_h5p_h5pcontent:edit", args=[h5p_content.pk])).content.decode()
    assert "Innholdstypen nå er H5P.Test 1.x." in page
    assert "lagret tilstand slettes fordi den ikke ville passe" in page
    assert 'name="upload"' in page and "disabled" not in page.split('name="upload"')[1].split(">")[0]
    # Uploading new content asks nothing about replacing.
    assert (
        "confirm_type_change"
        not in client.get(reverse("wagtailsnippets_h5p_h5pcontent:add")).content.decode()
    )


def test_a_new_version_of_the_same_type_keeps_results_and_saved_state(
    client, django_user_model, h5p_content, learner_result, django_capture_on_commit_callbacks
):
    client.force_login(django_user_model.objects.get(email="admin@test.example"))
    old_prefix, old_token = h5p_content.content_prefix, content_token(h5p_content)
    with django_capture_on_commit_callbacks(execute=True):
        response = edit(client, h5p_content, same_type_package())
    assert response.status_code == 200
    assert "Innholdstypen er den samme (H5P.Test 1.x), så resultater og lagret tilstand er beholdt" in (
        messages_of(response)
    )
    content = H5PContent.objects.get(pk=h5p_content.pk)
    assert content.revision == 2 and content.status == "ready"
    assert content_json(content) == {"question": "Er dette fortsatt sant?"}
    assert [str(library) for library in content.libraries.all()] == ["H5P.Test 1.0.0"]
    result = H5PResult.objects.get(pk=learner_result.pk)
    assert result.state == '{"answer": true}'
    assert (result.score_raw, result.best_percent) == (1, 100)
    # The old revision's folder is gone, and its addresses with it.
    assert not private_storage.exists(f"{old_prefix}content.json")
    assert client.get(f"/h5p/innhold/{old_token}/content/content.json").status_code == 404
    served = client.get(f"/h5p/innhold/{content_token(content)}/content/content.json")
    assert json.loads(b"".join(served.streaming_content)) == {"question": "Er dette fortsatt sant?"}


def test_another_type_must_be_confirmed_then_clears_saved_state_and_keeps_results(
    client, django_user_model, h5p_content, learner_result, setup
):
    client.force_login(django_user_model.objects.get(email="admin@test.example"))
    response = edit(client, h5p_content, other_type_package())
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["confirm_type_change"] == [
        "Den nye pakken er H5P.Annen 1.x, ikke H5P.Test 1.x. Lagret tilstand for 1 deltaker slettes fordi "
        "den ikke ville passe det nye innholdet; resultatene beholdes som historikk. Innholdet brukes i "
        f"kurset «{setup[0].title}», og endringen gjelder deltakerne der. Kryss av for å "
        "bekrefte, og velg filen på nytt."
    ]
    # Nothing changed yet.
    content = H5PContent.objects.get(pk=h5p_content.pk)
    assert content.revision == 1 and content.main_library.machine_name == "H5P.Test"
    assert H5PResult.objects.get(pk=learner_result.pk).state == '{"answer": true}'

    response = edit(client, h5p_content, other_type_package(), confirm_type_change="on")
    changed = "Innholdstypen er endret fra H5P.Test 1.x til H5P.Annen 1.x: lagret tilstand for 1 deltaker"
    assert f"{changed} er slettet fordi den ikke ville passe" in messages_of(response)
    content = H5PContent.objects.get(pk=h5p_content.pk)
    assert (content.revision, content.main_library.machine_name) == (2, "H5P.Annen")
    assert [library.machine_name for library in content.libraries.all()] == ["H5P.Annen"]
    assert content_json(content) == {"text": "Helt nytt innhold"}
    result = H5PResult.objects.get(pk=learner_result.pk)
    assert result.state == ""
    assert (result.score_raw, result.score_max, result.best_percent) == (1, 1, 100)  # kept as history


def test_a_new_major_version_is_another_content_type(user, django_user_model, h5p_content, learner_result):
    admin = django_user_model.objects.get(email="admin@test.example")
    replacement = h5p_content_replace(
        content=h5p_content, user=admin, data=other_type_package(machine_name="H5P.Test", major=2)
    )
    assert (str(replacement.plan.before), str(replacement.plan.after)) == ("H5P.Test 1.x", "H5P.Test 2.x")
    assert not replacement.plan.same_type
    assert H5PResult.objects.get(pk=learner_result.pk).state == ""


def test_a_refused_package_changes_nothing(client, django_user_model, h5p_content, learner_result):
    client.force_login(django_user_model.objects.get(email="admin@test.example"))
    response = edit(client, h5p_content, b"ikke en zip-fil")
    assert response.context["form"].errors["upload"]
    content = H5PContent.objects.get(pk=h5p_content.pk)
    assert content.revision == 1 and content_json(content) == {"question": "Er dette sant?"}
    assert H5PResult.objects.get(pk=learner_result.pk).state == '{"answer": true}'
    with pytest.raises(H5PPackageRejected):
        h5p_content_replace(content=h5p_content, user=content.uploaded_by, data=b"ikke en zip-fil")
    assert H5PContent.objects.get(pk=h5p_content.pk).revision == 1


def test_saving_without_a_new_package_keeps_it(client, django_user_model, h5p_content, learner_result):
    client.force_login(django_user_model.objects.get(email="admin@test.example"))
    response = edit(client, h5p_content, None, title="Ny tittel")
    assert "erstattet" not in messages_of(response)
    content = H5PContent.objects.get(pk=h5p_content.pk)
    assert (content.title, content.revision) == ("Ny tittel", 1)
    assert H5PResult.objects.get(pk=learner_result.pk).state == '{"answer": true}'


def test_a_large_package_is_replaced_by_the_worker(
    settings, django_user_model, h5p_content, learner_result, django_capture_on_commit_callbacks
):
    settings.H5P_EXTRACT_INLINE_BYTES = 0
    admin = django_user_model.objects.get(email="admin@test.example")
    with django_capture_on_commit_callbacks(execute=True):
        replacement = h5p_content_replace(content=h5p_content, user=admin, data=same_type_package("Stor"))
    assert replacement.in_background
    content = H5PContent.objects.get(pk=h5p_content.pk)
    assert (content.status, content.revision, content.pending_revision) == ("ready", 2, None)
    assert not content.pending_package and private_storage.exists(content.package.name)
    assert not private_storage.exists(f"{content.prefix_of(1)}content.json")
    assert content_json(content) == {"question": "Stor"}
    assert [str(library) for library in content.libraries.all()] == ["H5P.Test 1.0.0"]
    assert H5PResult.objects.get(pk=learner_result.pk).state == '{"answer": true}'


def test_a_frame_opened_before_the_replacement_cannot_save_the_old_contents_state(
    client, user, setup, django_user_model, h5p_content
):
    _course, module, block_id = setup
    client.force_login(user)
    player = client.get(reverse("h5p:player", args=[module.pk, block_id]))
    old_state_url = player.context["options"]["player"]["ajax"]["contentUserDataUrl"]
    admin = django_user_model.objects.get(email="admin@test.example")
    h5p_content_replace(content=h5p_content, user=admin, data=other_type_package())

    response = client.post(old_state_url, {"data": '{"gammel": true}'})
    assert response.status_code == 409
    assert response.json()["message"] == "Innholdet er byttet ut. Last inn siden på nytt."
    assert H5PResult.objects.get(user=user, module=module).state == ""
    # After a reload the new frame saves as before.
    player = client.get(reverse("h5p:player", args=[module.pk, block_id]))
    new_state_url = player.context["options"]["player"]["ajax"]["contentUserDataUrl"]
    assert client.post(new_state_url, {"data": '{"ny": true}'}).json() == {"success": True}
    assert H5PResult.objects.get(user=user, module=module).state == '{"ny": true}'


def test_a_large_replacement_waits_beside_the_old_content_and_a_failed_worker_leaves_it_playable(
    client,
    settings,
    monkeypatch,
    django_user_model,
    h5p_content,
    learner_result,
    django_capture_on_commit_callbacks,
):
    from h5p import services

    settings.H5P_EXTRACT_INLINE_BYTES = 0
    admin = django_user_model.objects.get(email="admin@test.example")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        h5p_content_replace(content=h5p_content, user=admin, data=other_type_package())
    # Until the worker has run, learners play the current revision with their saved state.
    content = H5PContent.objects.get(pk=h5p_content.pk)
    assert (content.status, content.revision, content.pending_revision) == ("ready", 1, 2)
    assert content.attempts == 0 and content.attempted_at is not None
    pending_package = content.pending_package.name
    assert private_storage.exists(pending_package)
    assert content_json(content) == {"question": "Er dette sant?"}
    assert H5PResult.objects.get(pk=learner_result.pk).state == '{"answer": true}'

    def disk_full(*args, **kwargs):
        raise OSError("disken er full")

    monkeypatch.setattr(services, "_inflate_and_store_content", disk_full)
    with django_capture_on_commit_callbacks(execute=True):
        for callback in queued:
            callback()
    content = H5PContent.objects.get(pk=h5p_content.pk)
    assert (content.status, content.revision, content.pending_revision) == ("ready", 1, None)
    assert content.replacement_error == (
        "Den nye pakken kunne ikke pakkes ut, så innholdet er ikke erstattet: deltakerne har fortsatt "
        "den forrige versjonen. Årsak: disken er full"
    )
    assert content.main_library.machine_name == "H5P.Test"
    assert [str(library) for library in content.libraries.all()] == ["H5P.Test 1.0.0"]
    assert content_json(content) == {"question": "Er dette sant?"}
    assert H5PResult.objects.get(pk=learner_result.pk).state == '{"answer": true}'
    assert not content.pending_package and not private_storage.exists(pending_package)
    assert not private_storage.exists(f"{content.prefix_of(2)}content.json")
    # The admin says why on the item's page.
    client.force_login(admin)
    page = client.get(reverse("wagtailsnippets_h5p_h5pcontent:edit", args=[content.pk])).content.decode()
    assert "Den nye pakken kunne ikke pakkes ut, så innholdet er ikke erstattet" in page
    # Uploading again works; a successful worker switches and clears the reason.
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        h5p_content_replace(content=content, user=admin, data=other_type_package())
    content = H5PContent.objects.get(pk=h5p_content.pk)
    assert (content.status, content.revision, content.pending_revision) == ("ready", 2, None)
    assert content.replacement_error == "" and content.main_library.machine_name == "H5P.Annen"
    assert H5PResult.objects.get(pk=learner_result.pk).state == ""
