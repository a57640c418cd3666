"""«Mine data»: the learner orders a copy, follows it, gets an e-mail with a link (never the data),
and downloads a ZIP with their own data only; nobody else can; double submits make one export;
expired copies are deleted."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.mail import absolute_url
from people.models import DataExport
from people.services import data_export_build, data_export_request, data_exports_delete_expired
from tests.people.privacy_data import leave_trace

pytestmark = pytest.mark.django_db

PAGE = reverse("people:my_data")
STATUS = reverse("people:my_data_status")


@pytest.fixture
def traces(course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        learner = leave_trace(
            course,
            first_name="Ingrid",
            last_name="Eksportsen",
            email="ingrid.e@test.example",
            words="Fjelltroll",
        )
        other = leave_trace(
            course, first_name="Bjarne", last_name="Andresen", email="bjarne.a@test.example", words="Havfrue"
        )
    return learner, other


def _download(client, export):
    response = client.get(reverse("people:my_data_download", args=[export.public_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_learner_orders_follows_and_downloads_their_own_data(
    client, traces, mailoutbox, django_capture_on_commit_callbacks
):
    learner, other = traces
    client.force_login(learner.user)
    profile = client.get(reverse("people:profile")).content.decode()
    assert f'href="{PAGE}"' in profile

    page = client.get(PAGE).content.decode()
    assert "Lag en kopi av dataene mine" in page and 'src="/static/js/data-export.js"' in page
    assert "<script>" not in page  # no inline script

    with django_capture_on_commit_callbacks(execute=True):  # the task runs eagerly on commit
        response = client.post(PAGE)
    assert response.status_code == 302
    export = DataExport.objects.get(user=learner.user)
    assert export.status == "ready" and export.progress == 100 and export.expires_at > timezone.now()

    state = client.get(STATUS).json()
    assert state["status"] == "ready" and state["download_url"].endswith("/last-ned/")
    assert "Last ned kopien" in client.get(PAGE).content.decode()

    (mail,) = [m for m in mailoutbox if "Dataene dine" in m.subject]
    assert mail.to == [learner.user.email]
    assert absolute_url(PAGE) in mail.body
    assert "Fjelltroll" not in mail.body and "Hva lærte du" not in mail.body  # a link, never the data

    archive = _download(client, export)
    assert set(archive.namelist()) == {"mine-data.json", "mine-data.html"}
    data = json.loads(archive.read("mine-data.json"))["sections"]
    assert data["profil"][0]["e-post"] == "ingrid.e@test.example"
    assert data["profil"][0]["fornavn"] == "Ingrid"
    assert data["medlemskap"][0]["enhet"] == f"Enhet {learner.user.pk}"
    assert data["pameldinger"][0]["fullfort"] and data["fullforinger"]
    assert data["kunnskapstester"][0]["svar"][0]["ditt_svar"] == ["Riktig"]
    assert "correct" not in json.dumps(data["kunnskapstester"])  # the answer key stays out
    assert "Fjelltroll refleksjon" in data["refleksjoner"][0]["ditt_svar"]
    assert data["refleksjoner"][0]["tilbakemeldinger"][0]["tekst"] == "Svar til Ingrid: Fjelltroll"
    assert data["egenvurderinger"][0]["vurderinger"][0]["vurdering"] == 4
    assert data["h5p"][0]["xapi_utsagn"][0]["utsagn"]["result"]["response"] == "Fjelltroll xapi"
    (certificate,) = data["kursbevis"]
    assert (
        certificate["verifiseringslenke"].startswith("http")
        and "/verifiser/" in certificate["verifiseringslenke"]
    )
    assert data["sletteforesporsler"][0]["status"] == "Ikke behandlet"
    sign_in = {row["type"]: row for row in data["innlogging"]}
    assert sign_in["e-postadresse"]["adresse"] == "ingrid.e@test.example"
    assert sign_in["passord"] == {"type": "passord", "har_passord": True}
    assert "pbkdf2" not in archive.read("mine-data.json").decode()  # no password hash
    html = archive.read("mine-data.html").decode()
    assert '<html lang="nb">' in html and "Fjelltroll refleksjon" in html and "Kursbevis" in html
    # Nobody else's data.
    everything = archive.read("mine-data.json").decode() + html
    for needle in other.needles:
        assert needle not in everything


def test_another_user_cannot_download_it_or_see_it(client, traces, django_capture_on_commit_callbacks):
    learner, other = traces
    with django_capture_on_commit_callbacks(execute=True):
        export, _ = data_export_request(user=learner.user)
    export.refresh_from_db()
    url = reverse("people:my_data_download", args=[export.public_id])
    client.force_login(other.user)
    assert client.get(url).status_code == 404
    assert client.get(STATUS).json()["status"] is None
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_double_submit_starts_one_export(client, user, django_capture_on_commit_callbacks):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(PAGE)
        response = client.post(PAGE, follow=True)
    assert DataExport.objects.filter(user=user).count() == 1 and len(callbacks) == 1
    assert "lages fortsatt" in response.content.decode()
    page = client.get(PAGE).content.decode()
    assert "<progress" in page and "Oppdater siden" in page  # works without JavaScript
    assert client.get(STATUS).json() == {
        "status": "pending",
        "status_display": "I kø",
        "progress": 0,
        "download_url": None,
    }


def test_the_task_reports_progress_and_is_safe_to_run_twice(
    user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        export, created = data_export_request(user=user)
    assert created
    seen = []
    from people import services

    original = services.build_export_archive

    def watching(person, on_progress=None):
        def record(percent):
            on_progress(percent)
            seen.append(DataExport.objects.get(pk=export.pk).progress)

        return original(person, on_progress=record)

    services.build_export_archive = watching
    try:
        data_export_build(export_id=export.pk)
    finally:
        services.build_export_archive = original
    assert seen == sorted(seen) and len(seen) >= 5 and 0 < seen[0] < 100
    export.refresh_from_db()
    assert export.status == "ready"
    data_export_build(export_id=export.pk)  # a second delivery of the same task
    assert len(mailoutbox) == 1 and DataExport.objects.filter(user=user).count() == 1


def test_expired_copies_are_deleted_with_their_file(client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export, _ = data_export_request(user=user)
    export.refresh_from_db()
    path = export.file.path
    client.force_login(user)
    later = export.expires_at + timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert data_exports_delete_expired(now=later - timedelta(days=1)) == 0
        assert data_exports_delete_expired(now=later) == 1
    assert not DataExport.objects.exists()
    import os

    assert not os.path.exists(path)
    assert client.get(reverse("people:my_data_download", args=[export.public_id])).status_code == 404


def test_an_expired_copy_is_not_handed_out_before_the_sweep(client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export, _ = data_export_request(user=user)
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    client.force_login(user)
    assert client.get(reverse("people:my_data_download", args=[export.public_id])).status_code == 404


def test_a_new_copy_replaces_the_old_one(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first, _ = data_export_request(user=user)
    with django_capture_on_commit_callbacks(execute=True):
        second, created = data_export_request(user=user)
    assert created and list(DataExport.objects.filter(user=user)) == [second]


def test_the_status_endpoint_needs_a_login(client):
    assert client.get(STATUS).status_code == 302


def test_second_factors_and_linked_accounts_are_listed_without_secrets(user):
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken

    from people.services import build_export_archive

    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "HEMMELIGTOTP"})
    app = SocialApp.objects.create(provider="openid_connect", provider_id="helse", name="Helse ID")
    account = SocialAccount.objects.create(
        user=user, provider="helse", uid="sub-4242", extra_data={"name": "Fra Leverandøren"}
    )
    SocialToken.objects.create(app=app, account=account, token="HEMMELIGTOKEN", token_secret="X")
    archive = zipfile.ZipFile(io.BytesIO(build_export_archive(user)))
    text = archive.read("mine-data.json").decode()
    sign_in = {row["type"]: row for row in json.loads(text)["sections"]["innlogging"]}
    assert sign_in["totrinnsinnlogging"]["metode"] == "TOTP-autentiserer"
    assert sign_in["koblet konto"]["id_hos_leverandor"] == "sub-4242"
    assert sign_in["koblet konto"]["opplysninger_fra_leverandor"] == {"name": "Fra Leverandøren"}
    assert "HEMMELIGTOTP" not in text and "HEMMELIGTOKEN" not in text


def test_an_export_whose_task_was_lost_is_cleared_so_a_new_one_can_be_ordered(user):
    from people.services import STUCK_EXPORT_AFTER

    with pytest.MonkeyPatch.context() as patch:
        from people import services

        patch.setattr(services, "_queue_export", lambda export_id: None)  # the broker lost it
        export, _ = data_export_request(user=user)
    assert data_exports_delete_expired(now=export.requested_at + STUCK_EXPORT_AFTER / 2) == 0
    assert data_exports_delete_expired(now=export.requested_at + STUCK_EXPORT_AFTER) == 1
    assert data_export_request(user=user)[1] is True
