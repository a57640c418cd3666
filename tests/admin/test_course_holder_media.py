"""Issue 11, points 1 and 2: course holders upload and choose images, documents and H5P content.

Installing a new H5P library version stays with administrators (as in H5P core): a course holder's
package that needs only installed libraries is accepted, one that brings a new library is refused
with a Norwegian message, and nothing is stored.
"""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from core.storage import private_storage
from h5p.models import H5PContent, H5PLibrary
from h5p.services import h5p_content_create
from tests.h5p.packages import H5P_JSON, LIBRARY_JSON, build, valid_files

pytestmark = pytest.mark.django_db


def png() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def stored_files() -> set[str]:
    root = private_storage.location
    return (
        {os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files}
        if os.path.isdir(root)
        else set()
    )


def test_course_holders_upload_images_and_documents_to_kursmateriell(holder_client):
    collection = Collection.objects.get(name="Kursmateriell")
    for listing in (reverse("wagtailimages:index"), reverse("wagtaildocs:index")):
        response = holder_client.get(listing)
        assert response.status_code == 200, listing  # was a redirect: «Beklager, du har ikke tilgang»

    response = holder_client.post(
        reverse("wagtailimages:add"),
        {"title": "Samtale", "file": SimpleUploadedFile("samtale.png", png()), "collection": collection.pk},
    )
    assert response.status_code == 302
    image = get_image_model().objects.get(title="Samtale")
    assert image.collection == collection

    response = holder_client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Samtaleguide",
            "file": SimpleUploadedFile("guide.txt", b"Sporsmal til samtalen"),
            "collection": collection.pk,
        },
    )
    assert response.status_code == 302
    assert get_document_model().objects.get(title="Samtaleguide").collection == collection

    # The image block's chooser lists the image and offers an upload form.
    chooser = holder_client.get(reverse("wagtailimages_chooser:choose"))
    assert chooser.status_code == 200
    html = chooser.json()["html"]
    assert "Samtale" in html
    assert reverse("wagtailimages_chooser:create") in html
    documents = holder_client.get(reverse("wagtaildocs_chooser:choose")).json()["html"]
    assert "Samtaleguide" in documents and reverse("wagtaildocs_chooser:create") in documents


def test_course_holders_have_the_h5p_menu_and_upload_content_with_installed_libraries(
    holder_client, django_user_model, django_capture_on_commit_callbacks
):
    admin = django_user_model.objects.create_superuser(email="admin@test.example", password="x")
    with django_capture_on_commit_callbacks(execute=True):
        h5p_content_create(data=build(valid_files()), user=admin, title="Installert av admin")

    home = holder_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("wagtailsnippets_h5p_h5pcontent:list") in home  # the «H5P» menu
    add = holder_client.get(reverse("wagtailsnippets_h5p_h5pcontent:add"))
    assert add.status_code == 200
    assert "må en administrator laste den opp første gang" in add.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = holder_client.post(
            reverse("wagtailsnippets_h5p_h5pcontent:add"),
            {"upload": SimpleUploadedFile("quiz.h5p", build(valid_files())), "title": "Kursholders innhold"},
        )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    content = H5PContent.objects.get(title="Kursholders innhold")
    assert content.main_library.machine_name == "H5P.Test"
    assert H5PLibrary.objects.count() == 1
    # Libraries are read-only for course holders: no editing the store.
    library = H5PLibrary.objects.get()
    assert holder_client.get(reverse("wagtailsnippets_h5p_h5plibrary:list")).status_code == 200
    assert holder_client.get(
        reverse("wagtailsnippets_h5p_h5plibrary:edit", args=[library.pk])
    ).status_code in (
        302,
        403,
    )


def test_a_course_holders_package_with_a_new_library_is_refused_and_nothing_is_stored(holder_client):
    before = stored_files()
    new_library = {**LIBRARY_JSON, "machineName": "H5P.Ny", "title": "Ny"}
    package = build(
        {
            "h5p.json": {
                **H5P_JSON,
                "mainLibrary": "H5P.Ny",
                "preloadedDependencies": [
                    {"machineName": "H5P.Ny", "majorVersion": "1", "minorVersion": "0"}
                ],
            },
            "content/content.json": {"question": "Er dette sant?"},
            "H5P.Ny-1.0/library.json": new_library,
            "H5P.Ny-1.0/test.js": "window.H5P = window.H5P || {};",
        }
    )
    response = holder_client.post(
        reverse("wagtailsnippets_h5p_h5pcontent:add"),
        {"upload": SimpleUploadedFile("ny.h5p", package), "title": "Med nytt bibliotek"},
    )
    assert response.status_code == 200
    assert "Bare administratorer kan legge til biblioteker" in response.content.decode()
    assert not H5PContent.objects.exists() and not H5PLibrary.objects.exists()
    assert stored_files() == before
