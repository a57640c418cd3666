"""CSV and XLSX downloads that stream: rows go out as they are read; a large report never sits in memory."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime

import xlsxwriter
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

CSV_LINES_PER_CHUNK = 500
# XLSX column widths (in characters) come from the header and the first rows: enough to size a
# column well without holding the report in memory.
XLSX_WIDTH_SAMPLE_ROWS = 200
XLSX_MIN_WIDTH = 8
XLSX_MAX_WIDTH = 50


class _Echo:
    """csv.writer writes each row to this, which hands the text straight back to the response."""

    def write(self, value):
        return value


# A cell starting with one of these is a formula to a spreadsheet program: "=HYPERLINK(…)" typed as a
# name at sign-up must arrive as text (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _xlsx_cell(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones
    return value


def _display_width(value) -> int:
    """Roughly how many characters a cell shows."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return len("31.12.2026 23:59")
    if isinstance(value, date):
        return len("31.12.2026")
    return max((len(line) for line in str(value).splitlines()), default=0)


def csv_response(*, filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    # Semicolons and a byte-order mark: what Excel in Norway opens correctly with a double click.
    writer = csv.writer(_Echo(), delimiter=";")

    def chunks():
        # A few hundred lines per chunk: one chunk per line would spend more time in the response than in csv.
        batch = ["\ufeff" + writer.writerow(header)]
        for row in rows:
            batch.append(writer.writerow([_csv_cell(value) for value in row]))
            if len(batch) >= CSV_LINES_PER_CHUNK:
                yield "".join(batch)
                batch = []
        yield "".join(batch)

    response = StreamingHttpResponse(chunks(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_write(handle, *, header: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Write an XLSX workbook to the open binary file `handle`; returns the number of rows written.

    XlsxWriter in constant-memory mode flushes each row to a temporary file as it goes. Column
    widths follow the header and the first XLSX_WIDTH_SAMPLE_ROWS rows; the header row and the
    first column are frozen."""
    workbook = xlsxwriter.Workbook(
        handle,
        {
            "constant_memory": True,
            "in_memory": False,
            # Text stays text: no formulas or links made from what people typed.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "default_date_format": "dd.mm.yyyy",
        },
    )
    sheet = workbook.add_worksheet("Rapport")
    bold = workbook.add_format({"bold": True})
    sheet.write_row(0, 0, list(header), bold)
    widths = [_display_width(title) for title in header]
    index = 0
    for index, row in enumerate(rows, start=1):
        sheet.write_row(index, 0, [_xlsx_cell(value) for value in row])
        if index <= XLSX_WIDTH_SAMPLE_ROWS:
            for column, value in enumerate(row[: len(widths)]):
                widths[column] = max(widths[column], _display_width(value))
    # Columns and panes are written when the workbook closes, so they may be set after the rows.
    for column, width in enumerate(widths):
        sheet.set_column(column, column, min(max(width + 2, XLSX_MIN_WIDTH), XLSX_MAX_WIDTH))
    # The header row and the first column (the name) stay in view while scrolling.
    sheet.freeze_panes(1, 1)
    workbook.close()
    return index


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(*, filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> FileResponse:
    """The workbook written to a temporary file (xlsx_write), then sent: a zip archive cannot be
    sent before it is finished, so large reports are better built by a task."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    xlsx_write(handle, header=header, rows=rows)
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_CONTENT_TYPE
    )


class BuiltFileMixin:
    """For a model whose file a task builds and its owner downloads until it expires («Mine data»,
    large report exports). The model has a Status with READY, ACTIVE (the statuses before it is
    built), a `file` and an `expires_at`."""

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def is_downloadable(self) -> bool:
        return (
            self.status == self.Status.READY
            and bool(self.file)
            and (self.expires_at is None or self.expires_at > timezone.now())
        )
