#!/usr/bin/python3
"""Fill in the templates written by `mspdoc templates` the way a State would,
with the examples of their own Instructions sheets, into another folder:
fill_templates.py TEMPLATES OUT. The test then runs `mspdoc check OUT`."""
import os
import re
import shutil
import sys

import openpyxl

TEXT = "A paragraph of text written by the submitting State."
SECTIONS = {"Summary", "Results", "Lessons learned", "Testimonials", "Photographs", "Foreword",
            "Introduction", "Description", "How to apply"}


def examples(wb):
    """{(sheet, field): example} from the Instructions sheet."""
    ex = {}
    ws = wb["Instructions"]
    head = [c.value for c in ws[1]]
    si, fi, ei = head.index("Sheet"), head.index("Field"), head.index("Example")
    for row in ws.iter_rows(min_row=2, values_only=True):
        ex[(row[si], row[fi])] = row[ei]
    return ex


def fill_xlsx(src, dst):
    wb = openpyxl.load_workbook(src)
    ex = examples(wb)
    for ws in wb.worksheets:
        if ws.title == "Form":
            for row in ws.iter_rows(min_row=3):
                name = row[0].value
                if name is None:
                    continue
                val = ex.get(("Form", name))
                row[1].value = TEXT if name in SECTIONS else (val or None)
        elif ws.title not in ("Instructions", "Lists"):
            head = [c.value for c in ws[1]]
            ws.append([TEXT if h in SECTIONS else (ex.get((ws.title, h)) or None) for h in head])
    wb.save(dst)


def fill_md(src, dst):
    text = open(src, encoding="utf-8").read()
    ex = dict(re.findall(r"^([A-Z][A-Za-z ]+) \((?:required|optional)\):.*? Example: (.*)$", text, re.M))
    out = []
    for line in text.split("\n"):
        m = re.match(r"^([A-Z][A-Za-z ]+): $", line)
        if m and m.group(1) in ex:
            line = "%s: %s" % (m.group(1), ex[m.group(1)])
        out.append(line)
        if line.startswith("## "):
            out.append("")
            out.append(TEXT)
    open(dst, "w", encoding="utf-8").write("\n".join(out))


def main():
    src, dst = sys.argv[1], sys.argv[2]
    os.makedirs(dst, exist_ok=True)
    # Markdown and XLSX forms of one kind go to separate folders: a catalogue
    # has one Book form and a portal one Digest form.
    for sub in ("md", "xlsx"):
        os.makedirs(os.path.join(dst, sub), exist_ok=True)
    for name in sorted(os.listdir(src)):
        s = os.path.join(src, name)
        d = os.path.join(dst, "xlsx" if name.endswith(".xlsx") else "md", name)
        if name.endswith(".xlsx"):
            fill_xlsx(s, d)
        elif name.endswith(".md"):
            fill_md(s, d)
        elif name.endswith(".docx"):
            continue  # the Word templates: tests/tools/fill_word_templates.py
        else:
            shutil.copy(s, d)


if __name__ == "__main__":
    main()
