"""Compressing responses: Django's GZipMiddleware, for text only.

Django's GZipMiddleware (since Django 4.2) adds a random number of bytes to the gzip header of
every response, which with Django's masked CSRF tokens mitigates BREACH on pages carrying
secrets. Images, woff2 fonts, PDFs, XLSX workbooks and archives are already compressed:
gzip would only spend the server's CPU on them, and would turn a file download's known length
into chunked transfer, so they pass untouched. Streaming text (a CSV export, an H5P script) is
compressed chunk by chunk as it goes out.
"""

from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/ld+json",
    "application/javascript",
    "application/x-javascript",
    "application/xml",
    "application/xhtml+xml",
    "application/manifest+json",
    "image/svg+xml",
    "image/x-icon",
    "font/ttf",
    "font/otf",
    "application/vnd.ms-fontobject",
    "application/x-font-ttf",
)


def is_compressible(content_type: str) -> bool:
    return content_type.split(";", 1)[0].strip().lower().startswith(COMPRESSIBLE_TYPES)


class TextGZipMiddleware(GZipMiddleware):
    """GZipMiddleware for responses whose type compresses (COMPRESSIBLE_TYPES)."""

    def process_response(self, request, response):
        if not is_compressible(response.get("Content-Type", "")):
            return response
        return super().process_response(request, response)
