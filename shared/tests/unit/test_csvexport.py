"""Exports open in a spreadsheet: text that would start a formula arrives as text, numbers as
numbers, missing values as empty cells, and every page of a long export is written once."""

import csv
import io

from berdaya_shared.api.csvexport import csv_chunks


def read(chunks) -> list[list[str]]:
    return list(csv.reader(io.StringIO("".join(chunks))))


def test_a_typed_formula_is_written_as_text():
    rows = read(csv_chunks(["full_name", "income_change", "notes"], [[
        ["=HYPERLINK(\"http://x\",\"klik\")", -250000, None],
        ["@SUM(A1:A9)", 0, "+62 812"],
        ["Siti Aminah", 1500000, "-"]]]))
    assert rows == [["full_name", "income_change", "notes"],
                    ["'=HYPERLINK(\"http://x\",\"klik\")", "-250000", ""],
                    ["'@SUM(A1:A9)", "0", "'+62 812"],
                    ["Siti Aminah", "1500000", "'-"]]


def test_pages_stream_in_order_after_one_header():
    chunks = list(csv_chunks(["n"], ([[i]] for i in range(3))))
    assert len(chunks) == 3
    assert read(chunks) == [["n"], ["0"], ["1"], ["2"]]
