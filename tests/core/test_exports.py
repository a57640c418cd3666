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
