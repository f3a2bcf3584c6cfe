#!/usr/bin/python3
"""Checks budget_impact.xlsx against the CSVs it copies (issue #6), with the standard library only.

usage: xlsx_check.py OUT_DIR

Reads the workbook's sheets (an .xlsx is a zip of XML parts), and checks that
- the sheets are budget_impact, budget_annotation and annotation_layout, in that order;
- sheets budget_impact and budget_annotation hold exactly the rows of budget_impact.csv and
  budget_annotation.csv: text cells equal, money and year cells numeric (not text) and equal to
  the CSV's number;
- annotation_layout has one block per reform, each with the twelve rows of the annotation.
Prints one line per problem and exits 1 on any; prints "ok" and exits 0 otherwise.
"""
import csv
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def col_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def read_workbook(path):
    """Returns [(sheet name, [row: {col: (kind, value)}])]; kind is 'n' or 's'."""
    z = zipfile.ZipFile(path)
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            shared.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
    rels = {}
    for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels")):
        rels[r.get("Id")] = r.get("Target")
    sheets = []
    for s in ET.fromstring(z.read("xl/workbook.xml")).find("m:sheets", NS):
        target = rels[s.get(REL)]
        root = ET.fromstring(z.read("xl/" + target.lstrip("/").replace("xl/", "", 1)))
        rows = []
        for row in root.find("m:sheetData", NS).findall("m:row", NS):
            r = int(row.get("r")) - 1
            while len(rows) <= r:
                rows.append({})
            for c in row.findall("m:c", NS):
                v = c.find("m:v", NS)
                if v is None:
                    continue
                if c.get("t") == "s":
                    rows[r][col_index(c.get("r"))] = ("s", shared[int(v.text)])
                elif c.get("t") in (None, "n"):
                    rows[r][col_index(c.get("r"))] = ("n", float(v.text))
                else:
                    rows[r][col_index(c.get("r"))] = (c.get("t"), v.text)
        sheets.append((s.get("name"), rows))
    return sheets


def compare_sheet(name, rows, csv_path, numeric_cols, problems):
    with open(csv_path, newline="") as f:
        want = list(csv.reader(f))
    if len(rows) != len(want):
        problems.append("%s: %d rows, %s has %d" % (name, len(rows), csv_path, len(want)))
        return
    for i, (got, exp) in enumerate(zip(rows, want)):
        for j, text in enumerate(exp):
            cell = got.get(j)
            if cell is None:
                problems.append("%s row %d col %d: empty, CSV has %r" % (name, i + 1, j + 1, text))
                continue
            numeric = i > 0 and j in numeric_cols and re.fullmatch(r"-?[0-9.]+", text)
            if numeric:
                if cell[0] != "n" or cell[1] != float(text):
                    problems.append("%s row %d col %d: %r, CSV has the number %s"
                                    % (name, i + 1, j + 1, cell, text))
            elif cell != ("s", text):
                problems.append("%s row %d col %d: %r, CSV has %r" % (name, i + 1, j + 1, cell, text))
        if len(got) != len(exp):
            problems.append("%s row %d: %d cells, CSV has %d" % (name, i + 1, len(got), len(exp)))


def main():
    out = sys.argv[1]
    problems = []
    sheets = read_workbook(out + "/budget_impact.xlsx")
    names = [s[0] for s in sheets]
    if names != ["budget_impact", "budget_annotation", "annotation_layout"]:
        problems.append("sheets are %s" % names)
    else:
        compare_sheet("budget_impact", sheets[0][1], out + "/budget_impact.csv",
                      {1, 4, 5, 6, 7}, problems)
        compare_sheet("budget_annotation", sheets[1][1], out + "/budget_annotation.csv",
                      {3, 4, 5, 6}, problems)
        with open(out + "/budget_impact.csv", newline="") as f:
            reforms = sorted({r[0] for r in list(csv.reader(f))[1:]})
        layout = sheets[2][1]
        titles = [r[0][1] for r in layout if r.get(0) and r[0][1] in reforms]
        if sorted(titles) != reforms:
            problems.append("annotation_layout blocks %s, reforms %s" % (titles, reforms))
        impact_rows = [r for r in layout if r.get(0) and r[0][1] == "3. Financial impact"]
        if len(impact_rows) != len(reforms) or any(r.get(1, ("", 0))[0] != "n" for r in impact_rows):
            problems.append("annotation_layout: %d numeric financial-impact rows for %d reforms"
                            % (len(impact_rows), len(reforms)))
    for p in problems[:20]:
        print(p)
    if problems:
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
