#!/usr/bin/python3
"""Check the structure of the XLSX templates with openpyxl, an independent
reader: hidden Lists sheet, list validations pointing at it, date
validations, examples only on the Instructions sheet, empty Form values."""
import os
import sys

import openpyxl

errors = []


def need(cond, msg):
    if not cond:
        errors.append(msg)


def main():
    d = sys.argv[1]
    for name in sorted(os.listdir(d)):
        if not name.endswith(".xlsx"):
            continue
        wb = openpyxl.load_workbook(os.path.join(d, name))
        need(wb.sheetnames[0] == "Instructions", "%s: Instructions is not the first sheet" % name)
        need(wb["Lists"].sheet_state == "hidden", "%s: Lists sheet not hidden" % name)
        ins = wb["Instructions"]
        exs = [r[5] for r in ins.iter_rows(min_row=2, values_only=True) if r[5]]
        need(len(exs) >= 3, "%s: Instructions has no examples" % name)
        lists = dates = 0
        for ws in wb.worksheets:
            for dv in ws.data_validations.dataValidation:
                if dv.type == "list":
                    need(dv.formula1.startswith("Lists!"), "%s: list not from Lists: %s" % (name, dv.formula1))
                    lists += 1
                if dv.type == "date":
                    dates += 1
        need(lists >= 1 or name in ("book.xlsx", "digest.xlsx", "recipients.xlsx"), "%s: no drop-down list" % name)
        need(dates >= 1 or name in ("digest.xlsx", "recipients.xlsx"), "%s: no date validation" % name)
        if "Form" in wb.sheetnames:
            ws = wb["Form"]
            need(ws.freeze_panes == "A2", "%s: Form header not frozen" % name)
            vals = [r[1] for r in ws.iter_rows(min_row=3, values_only=True)]
            need(all(v is None for v in vals), "%s: Form sheet has values" % name)
        else:
            for ws in wb.worksheets[1:]:
                if ws.title != "Lists":
                    need(ws.max_row == 1, "%s: %s holds rows besides the header" % (name, ws.title))
    for e in errors:
        print(e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
