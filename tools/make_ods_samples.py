#!/usr/bin/python3
"""Make the LibreOffice (.ods) workbooks of inputs/ and tests/fixtures/ods/.

- inputs/catalogue/contribution-zambia.ods: a contribution typed in a Form
  sheet the way a sender fills it in (a real date cell, a Photographs cell
  listing `file; caption; credit` one photo a line), written with openpyxl
  and saved as .ods by LibreOffice;
- tests/fixtures/ods/: LibreOffice's .ods copies of the sample workbooks of
  inputs/ (register, progress data, a contribution), which the tests read
  against the .xlsx originals: the same records must come out.

The .ods files are committed; LibreOffice is not a build dependency.
Usage: /usr/bin/python3 tools/make_ods_samples.py
"""
import datetime
import os
import shutil
import subprocess
import tempfile

import openpyxl

FIELDS = [
    ("Form", "Contribution"),
    ("Country", "Zambia"),
    ("Title", "Keeping survivors on the register: a district health worker network"),
    ("Role", "Recipient"),
    ("Scope", "Bilateral"),
    ("Partnership", "Inter-governmental"),
    ("Modality", "North-South"),
    ("Areas", "Victim assistance"),
    ("Partners", "Ireland"),
    ("Period", "2010-2011"),
    ("Location", "Western and North-Western provinces"),
    ("Budget", "USD 140,000"),
    ("Author", "Ms. Mwaka BANDA, Ministry of Community Development"),
    ("Contact", "Mwaka Banda, survivors@mcd-zm.example"),
    ("Received", datetime.datetime(2012, 4, 11)),
    ("Rights", "cleared"),
    ("Summary",
     "Zambia knows of few survivors of cluster munitions, most of them in the\n"
     "west of the country, far from the capital. Without a way to find them\n"
     "again, each survey started from nothing.\n\n"
     "With support from Ireland, the ministry asked the district health workers\n"
     "who already visit every village to keep a short record of each survivor\n"
     "they meet and of what the person needs."),
    ("Results",
     "Two years later the register holds 31 survivors, each with a named health\n"
     "worker. Twelve have received a prosthesis or a wheelchair, and nine have\n"
     "joined a savings group."),
    ("Lessons learned",
     "- Use workers who are already there: a new network would not have lasted.\n"
     "- Keep the record short; one page is filled in, five are not."),
    ("Photographs",
     "photos/prosthesis-fitting-ljubljana.jpg; A survivor is fitted with a new "
     "prosthesis; Ministry of Community Development\n"
     "photos/peer-support-nabatieh.jpg; District health workers meet to update the "
     "register; Ministry of Community Development"),
]


def soffice_to_ods(src, outdir):
    subprocess.run(["soffice", "--headless", "--convert-to", "ods", "--outdir", outdir, src],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main():
    tmp = tempfile.mkdtemp()
    try:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Form"
        ws.append(["Field", "Value"])
        for k, v in FIELDS:
            ws.append([k, v])
        ws.column_dimensions["B"].width = 80
        ws["B16"].number_format = "yyyy-mm-dd"
        src = os.path.join(tmp, "contribution-zambia.xlsx")
        wb.save(src)
        soffice_to_ods(src, tmp)
        shutil.copy(os.path.join(tmp, "contribution-zambia.ods"), "inputs/catalogue/")
        os.makedirs("tests/fixtures/ods", exist_ok=True)
        for x in ("inputs/portal/register.xlsx", "inputs/progress/progress-data.xlsx",
                  "inputs/catalogue/contribution-bosnia.xlsx"):
            soffice_to_ods(x, "tests/fixtures/ods")
    finally:
        shutil.rmtree(tmp)


main()
