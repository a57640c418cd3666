"""Every file the platform keeps, on a real S3-compatible server (moto in server mode, tests/s3server.py).

Private files (H5P packages and their files, certificate PDFs, data exports) go to the private
bucket and reach people only through the platform's access-checked views; the bucket answers
nobody else. Public media (images, renditions) go to the media bucket and load from their plain
URLs. Nothing is written to the local media folders, so a second app server sees the same files.
"""

import io
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
import zipfile
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage
from pypdf import PdfReader
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Site

import core.checks
from certificates.models import Certificate, IssuerSettings
from certificates.services import certificate_render
from core.object_storage import media_origins
from core.object_storage import s3_storages as s3_storages_setting
from core.storage import private_storage
from courses import services as course_services
from h5p.models import H5PStatus
from h5p.services import h5p_content_create
from people.models import DataExport
from people.services import data_export_request
from tests.factories import complete_course, make_catalogue, make_certificate_template, make_course
from tests.h5p.packages import build, valid_files
from tests.h5p.players import module_with_h5p

pytestmark = pytest.mark.django_db


def anonymous_get(url: str) -> tuple[int, bytes]:
    """What someone without credentials gets from the S3 server (or any URL)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - local test server
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def private_object_status(s3, name: str) -> int:
    return anonymous_get(f"{s3.server.endpoint_url}/{s3.private_bucket}/{name}")[0]


def assert_nothing_written_locally(settings):
    for folder in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT):
        assert not os.path.exists(folder) or not any(files for _root, _dirs, files in os.walk(folder)), folder


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def png(width=300, height=120) -> ImageFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), "#0b5a6b").save(buffer, "PNG")
    return ImageFile(buffer, name="logo.png")


def test_h5p_package_is_extracted_into_the_private_bucket_and_played_through_the_platform(
    s3_storages, settings, user, django_user_model, django_capture_on_commit_callbacks
):
    admin = django_user_model.objects.create_superuser(email="admin@test.example", password="x")
    with django_capture_on_commit_callbacks(execute=True):
        content = h5p_content_create(data=build(valid_files()), user=admin, title="Sant eller usant")
    content.refresh_from_db()
    assert content.status == H5PStatus.READY

    stored = s3_storages.server.keys(s3_storages.private_bucket)
    content_json = f"{content.content_prefix}content.json"
    library_js = "h5p/libraries/H5P.Test-1.0/test.js"
    assert {content_json, library_js} <= set(stored)
    assert s3_storages.server.keys(s3_storages.media_bucket) == []

    course = make_course(make_catalogue(), modules=0)
    module, block_id = module_with_h5p(course, content)
    course_services.enrolment_create(user=user, course=course)
    client = Client()
    client.force_login(user)
    player = client.get(reverse("h5p:player", args=[module.pk, block_id]))
    assert player.status_code == 200
    options = player.context["options"]["player"]
    served_content = client.get(f"{options['h5pJsonPath']}/content/content.json")
    assert served_content.status_code == 200
    assert streamed(served_content) == private_storage.open(content_json).read()
    # Served from the bucket with the sandbox headers intact.
    assert "sandbox" in served_content["Content-Security-Policy"]
    assert served_content["X-Content-Type-Options"] == "nosniff"
    served_library = client.get(f"{options['librariesPath']}/H5P.Test-1.0/test.js")
    assert served_library.status_code == 200
    assert streamed(served_library) == private_storage.open(library_js).read()

    for name in (content_json, library_js):
        assert private_object_status(s3_storages, name) == 403, name
    assert_nothing_written_locally(settings)


def test_a_large_h5p_member_reaches_the_bucket_whole(
    s3_storages, settings, django_user_model, django_capture_on_commit_callbacks
):
    """Larger than the uploader's multipart threshold (8 MiB) and streamed in chunks: every part
    arrives, none is cut at a short read. The package goes through the bucket too: stored by the
    upload, read back by the extraction task."""
    settings.H5P_MAX_COMPRESSION_RATIO = 5000  # a limit that lets this dense member through
    settings.H5P_EXTRACT_INLINE_BYTES = 0
    video = bytes(range(256)) * (20 * 1024 * 1024 // 256)
    admin = django_user_model.objects.create_superuser(email="admin@test.example", password="x")
    with django_capture_on_commit_callbacks(execute=True):
        content = h5p_content_create(
            data=build(valid_files(**{"content/video.mp4": video})), user=admin, title="Video"
        )
    content.refresh_from_db()
    assert content.status == H5PStatus.READY
    assert content.package.name in s3_storages.server.keys(s3_storages.private_bucket)
    name = f"{content.content_prefix}video.mp4"
    stored = s3_storages.server.client().get_object(Bucket=s3_storages.private_bucket, Key=name)
    assert stored["ContentLength"] == len(video)
    assert stored["Body"].read() == video


def test_certificate_pdf_is_rendered_into_the_private_bucket_and_handed_only_to_its_owner(
    s3_storages, settings, user, other_user, course
):
    issuer = IssuerSettings.for_site(Site.objects.get(is_default_site=True))
    issuer.name = "Lærings- og mestringssenteret"
    issuer.logo = Image.objects.create(title="Logo", file=png())  # public media, read back for the PDF
    issuer.save()
    make_certificate_template(course)
    complete_course(user, course)
    certificate = certificate_render(certificate_id=Certificate.objects.get(user=user).pk)

    assert certificate.pdf.name in s3_storages.server.keys(s3_storages.private_bucket)
    bucket = s3_storages.server.client()
    pdf = bucket.get_object(Bucket=s3_storages.private_bucket, Key=certificate.pdf.name)["Body"].read()
    assert pdf.startswith(b"%PDF-")
    images = [image for page in PdfReader(io.BytesIO(pdf)).pages for image in page.images]
    assert len(images) >= 2  # the QR code and the issuer's logo, embedded from the media bucket

    owner = Client()
    owner.force_login(user)
    response = owner.get(reverse("certificates:pdf", args=[certificate.public_id]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert streamed(response) == pdf

    stranger = Client()
    stranger.force_login(other_user)
    assert stranger.get(reverse("certificates:pdf", args=[certificate.public_id])).status_code == 404
    assert Client().get(reverse("certificates:pdf", args=[certificate.public_id])).status_code == 302
    assert private_object_status(s3_storages, certificate.pdf.name) == 403
    assert_nothing_written_locally(settings)


def test_data_export_is_kept_in_the_private_bucket_and_downloaded_by_its_owner_only(
    s3_storages, settings, user, other_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        export, _created = data_export_request(user=user)
    export.refresh_from_db()
    assert export.status == DataExport.Status.READY
    assert export.file.name in s3_storages.server.keys(s3_storages.private_bucket)

    owner = Client()
    owner.force_login(user)
    response = owner.get(reverse("people:my_data_download", args=[export.public_id]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(streamed(response)))
    assert json.loads(archive.read("mine-data.json"))["sections"]["profil"][0]["e-post"] == user.email

    stranger = Client()
    stranger.force_login(other_user)
    assert stranger.get(reverse("people:my_data_download", args=[export.public_id])).status_code == 404
    assert private_object_status(s3_storages, export.file.name) == 403
    assert_nothing_written_locally(settings)


def test_uploaded_image_and_its_rendition_load_from_the_public_bucket(s3_storages, settings):
    image = Image.objects.create(title="Bilde", file=png(400, 200))
    rendition = image.get_rendition("fill-100x50")

    assert {image.file.name, rendition.file.name} <= set(s3_storages.server.keys(s3_storages.media_bucket))
    status, body = anonymous_get(rendition.url)
    assert status == 200
    assert PILImage.open(io.BytesIO(body)).size == (100, 50)
    assert anonymous_get(image.file.url)[0] == 200
    # The page's Content-Security-Policy lets the browser load them (config/settings/base.py).
    parts = urlsplit(rendition.url)
    origins = media_origins(
        media_bucket=s3_storages.media_bucket, endpoint_url=s3_storages.server.endpoint_url
    )
    assert f"{parts.scheme}://{parts.netloc}" in origins
    assert s3_storages.server.keys(s3_storages.private_bucket) == []
    assert_nothing_written_locally(settings)


def test_documents_are_streamed_by_wagtail_and_not_readable_from_the_bucket(s3_storages, settings):
    """Course material in a document is handed out by Wagtail's view (which checks collection
    privacy), never by a permanent bucket address anyone could pass on."""
    document = Document.objects.create(
        title="Kursplan", file=ContentFile(b"plan for kurset", name="plan.txt")
    )
    assert document.file.name in s3_storages.server.keys(s3_storages.media_bucket)
    assert anonymous_get(default_storage.url(document.file.name))[0] == 403

    response = Client().get(document.url)
    assert response.status_code == 200  # streamed, not redirected to the bucket
    assert b"".join(response.streaming_content) == b"plan for kurset"
    assert_nothing_written_locally(settings)


def test_public_media_url_is_not_signed_and_private_files_have_none(s3_storages):
    name = default_storage.save("dokumenter/plan.txt", io.BytesIO(b"plan"))
    assert "Signature" not in default_storage.url(name) and "?" not in default_storage.url(name)
    private = private_storage.save("kursbevis/x.pdf", io.BytesIO(b"%PDF-"))
    with pytest.raises(ValueError):
        private_storage.url(private)


@pytest.mark.django_db(transaction=True)
def test_readiness_checks_the_private_bucket(client, s3_storages):
    response = client.get(reverse("health_ready") + "?format=json")
    assert response.status_code == 200, response.content
    assert any("PrivateStorage" in name for name in response.json())
    # The probe file is removed again.
    assert s3_storages.server.keys(s3_storages.private_bucket) == []

    s3_storages.server.client().delete_bucket(Bucket=s3_storages.private_bucket)
    response = client.get(reverse("health_ready") + "?format=json")
    assert response.status_code == 500
    failed = [name for name, status in response.json().items() if status != "OK"]
    assert len(failed) == 1 and "PrivateStorage" in failed[0]
    assert s3_storages.private_bucket not in response.content.decode()


def test_check_refuses_one_bucket_for_private_and_public_media(s3_storages, settings):
    settings.PRIVATE_MEDIA_ROOT = None  # not needed with object storage
    assert core.checks.private_media_root() == []
    shared = s3_storages.setting()
    shared["private"]["OPTIONS"]["bucket_name"] = s3_storages.media_bucket
    settings.STORAGES = {**settings.STORAGES, **shared}
    assert [error.id for error in core.checks.private_media_root()] == ["core.E006"]


def test_settings_take_object_storage_from_the_environment():
    """The variable names the deployment (compose.yaml) and the two-server test rely on."""
    environment = {
        **{
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("AWS_", "MEDIA_", "PRIVATE_MEDIA_"))
        },
        "PRIVATE_MEDIA_BUCKET": "hp-private",
        "MEDIA_BUCKET": "hp-media",
        "AWS_S3_ENDPOINT_URL": "http://s3.internal:9000",
        "AWS_S3_REGION_NAME": "eu-north-1",
        "AWS_ACCESS_KEY_ID": "key-id",
        "AWS_SECRET_ACCESS_KEY": "key-secret",
        "MEDIA_CUSTOM_DOMAIN": "media.kurs.example.no",
    }
    script = "import json, config.settings.base as s; print(json.dumps([s.STORAGES, s.MEDIA_ORIGINS]))"
    output = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=True
    ).stdout
    storages, origins = json.loads(output)
    public, private = storages["default"]["OPTIONS"], storages["private"]["OPTIONS"]
    assert {storages["default"]["BACKEND"], storages["private"]["BACKEND"]} == {
        "storages.backends.s3.S3Storage"
    }
    assert (public["bucket_name"], private["bucket_name"]) == ("hp-media", "hp-private")
    assert public["querystring_auth"] is False and private["querystring_auth"] is True
    assert public["custom_domain"] == "media.kurs.example.no" and "custom_domain" not in private
    for options in (public, private):
        assert options["endpoint_url"] == "http://s3.internal:9000"
        assert options["region_name"] == "eu-north-1"
        assert (options["access_key"], options["secret_key"]) == ("key-id", "key-secret")
        assert options["file_overwrite"] is False
    assert origins == ["https://media.kurs.example.no"]


@pytest.mark.parametrize(
    "region, custom_domain", [(None, None), ("eu-north-1", None), ("eu-north-1", "media.kurs.example.no")]
)
def test_the_csp_admits_where_public_media_urls_point_on_aws(region, custom_domain):
    from storages.backends.s3 import S3Storage

    options = s3_storages_setting(
        media_bucket="hp-media",
        private_bucket="hp-private",
        region_name=region,
        access_key="key-id",
        secret_key="key-secret",
        media_custom_domain=custom_domain,
    )["default"]["OPTIONS"]
    parts = urlsplit(S3Storage(**options).url("bilder/logo.png"))
    origins = media_origins(media_bucket="hp-media", region_name=region, media_custom_domain=custom_domain)
    assert f"{parts.scheme}://{parts.netloc}" in origins
    assert not parts.query  # unsigned
