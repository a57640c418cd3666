"""Exports open as plain data in a spreadsheet program: text that looks like a formula stays text."""

import csv
import io

from openpyxl import load_workbook

from core.exports import csv_response, xlsx_response

ROW = ['=HYPERLINK("http://evil.example","klikk")', "+47 123", "@SUM(A1)", "Kari"]


def test_csv_defuses_formulas():
    response = csv_response(filename="x", header=["a", "b", "c", "d"], rows=[ROW])
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(text), delimiter=";"))[1]
    assert row[0].startswith("'=HYPERLINK")
    assert row[1:] == ["'+47 123", "'@SUM(A1)", "Kari"]


def test_xlsx_keeps_formulas_as_text():
    response = xlsx_response(filename="x", header=["a", "b", "c", "d"], rows=[ROW])
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cell = sheet["A2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def _workbook(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_xlsx_has_column_widths_and_freezes_the_header_row_and_the_name_column():
    from datetime import date

    long_name = "Kari Nordmann-Sørensen Bakke-Halvorsen"
    rows = [[long_name, "kari@example.no", date(2026, 5, 1), 3]] + [
        ["Ola", "o@example.no", date(2026, 5, 2), 1] for _ in range(50)
    ]
    response = xlsx_response(filename="x", header=["Navn", "E-post", "Frist", "Antall"], rows=iter(rows))
    sheet = _workbook(response).active
    assert sheet.freeze_panes == "B2"  # the header row and the first column stay in view
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCD"}
    assert widths["A"] >= len(long_name)  # from a value in the sample, not only the header
    assert widths["B"] >= len("kari@example.no")
    assert 10 <= widths["C"] < 20  # a date shows as dd.mm.yyyy
    assert 8 <= widths["D"] < widths["B"]  # short numbers get a narrow (but not tiny) column
    assert sheet.cell(row=52, column=1).value == "Ola"  # every row is still there


def test_xlsx_widths_are_capped_and_sampled_from_the_first_rows_only():
    from core.exports import XLSX_MAX_WIDTH, XLSX_WIDTH_SAMPLE_ROWS

    rows = [["a" * 500, "b"]] + [["x", "y"]] * XLSX_WIDTH_SAMPLE_ROWS + [["z", "c" * 40]]
    sheet = _workbook(xlsx_response(filename="x", header=["Navn", "B"], rows=iter(rows))).active
    assert sheet.column_dimensions["A"].width <= XLSX_MAX_WIDTH + 1
    assert sheet.column_dimensions["B"].width < 40  # the row after the sample does not count
    assert sheet.max_row == XLSX_WIDTH_SAMPLE_ROWS + 3


def test_statistics_export_is_laid_out(admin_client):
    from django.urls import reverse

    response = admin_client.get(reverse("reports_statistics"), {"group_by": "course", "eksport": "xlsx"})
    sheet = _workbook(response).active
    assert sheet.freeze_panes == "B2"
    assert sheet.column_dimensions["A"].width >= len(sheet["A1"].value)
