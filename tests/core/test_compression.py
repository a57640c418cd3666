"""HTML and other text are sent gzip-compressed, with Django's BREACH padding; files that are
already compressed, and downloads, pass untouched (core/compression.py)."""

import gzip
import io

import pytest
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from core.compression import TextGZipMiddleware
from tests.factories import make_catalogue, make_course

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _middleware(response):
    return TextGZipMiddleware(lambda request: response)


def _ask(response, accept="gzip, deflate, br"):
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING=accept)
    return _middleware(response)(request)


@pytest.mark.django_db
def test_a_learner_page_is_compressed_when_the_browser_accepts_gzip(client, user):
    course = make_course(make_catalogue(), title="Kommunikasjon i praksis")
    client.force_login(user)
    plain = client.get(course.url)
    assert plain.status_code == 200 and not plain.has_header("Content-Encoding")
    compressed = client.get(course.url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert "Kommunikasjon i praksis" in gzip.decompress(compressed.content).decode()
    assert len(compressed.content) < len(plain.content) / 2
    # Django's mitigation of BREACH: a file name field of random length in the gzip header.
    assert compressed.content[3] & 0x08


def test_streaming_text_is_compressed_as_it_goes():
    rows = (f"rad {n};{'x' * 50}\n".encode() for n in range(1000))
    response = _ask(StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8"))
    assert response["Content-Encoding"] == "gzip" and not response.has_header("Content-Length")
    text = gzip.decompress(b"".join(response.streaming_content)).decode()
    assert text.startswith("rad 0;") and text.count("\n") == 1000


@pytest.mark.parametrize(
    "content_type",
    ["application/pdf", XLSX, "image/png", "font/woff2", "application/zip"],
)
def test_files_already_compressed_pass_untouched(content_type):
    payload = bytes(range(256)) * 40
    response = _ask(FileResponse(io.BytesIO(payload), content_type=content_type))
    assert not response.has_header("Content-Encoding")
    assert response["Content-Length"] == str(len(payload))
    assert b"".join(response.streaming_content) == payload


def test_nothing_is_compressed_for_a_client_without_gzip():
    html = "<p>" + "tekst " * 200 + "</p>"
    response = _ask(HttpResponse(html), accept="identity")
    assert not response.has_header("Content-Encoding") and response.content.decode() == html
