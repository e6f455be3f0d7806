#!/usr/bin/python3
"""Print what a reader sees in an XLSX file, for golden tests and for
before/after comparisons: what openpyxl reads, never the file's bytes.

For the workbook: its properties and sheets. For each sheet: state, frozen
panes, autofilter, merged ranges, column widths, custom row heights, print
setup, header and footer, data validations, charts (type, title, series
ranges), then every cell that has a value or a style other than the
default, in row order: its value (text as a JSON string, numbers as
Python prints the number openpyxl read, dates in ISO form), number format,
font, fill, alignment, border and hyperlink.

Nothing here depends on how the writing library prints a number, orders
attributes or parts, numbers its styles, or stores a string (shared or
inline): a library that writes the same workbook differently gives the
same text.

Usage: xlsx_norm.py FILE.xlsx
"""
import datetime
import json
import sys

import openpyxl
from openpyxl.utils import get_column_letter


def num(v):
    """A number as the value it is: whole numbers without a point."""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


def value(v):
    if v is None:
        return "-"
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, datetime.datetime):
        if v.time() == datetime.time(0):
            return v.date().isoformat()
        return v.isoformat()
    if isinstance(v, (datetime.date, datetime.time)):
        return v.isoformat()
    return num(v)


def colour(c):
    """An RGB colour as RRGGBB, or a theme/indexed reference."""
    if c is None:
        return None
    if c.type == "rgb" and isinstance(c.rgb, str):
        return c.rgb[-6:].upper()
    if c.type == "theme":
        return "theme%s" % c.theme
    if c.type == "indexed":
        return "indexed%s" % c.indexed
    return None


def style(c):
    out = []
    if c.number_format and c.number_format != "General":
        out.append("fmt=%s" % json.dumps(c.number_format))
    f = c.font
    if f is not None:
        if f.b:
            out.append("bold")
        if f.i:
            out.append("italic")
        if f.u:
            out.append("underline")
        fc = colour(f.color)
        if fc and fc not in ("000000", "theme1"):
            out.append("color=%s" % fc)
    if c.fill is not None and c.fill.fill_type == "solid":
        out.append("fill=%s" % colour(c.fill.fgColor))
    a = c.alignment
    if a is not None:
        if a.wrap_text:
            out.append("wrap")
        if a.horizontal:
            out.append("h=%s" % a.horizontal)
        if a.vertical:
            out.append("v=%s" % a.vertical)
    b = c.border
    if b is not None:
        for side in ("left", "right", "top", "bottom"):
            s = getattr(b, side)
            if s is not None and s.style:
                out.append("border-%s=%s" % (side, s.style))
    if c.hyperlink is not None:
        out.append("link=%s" % json.dumps(c.hyperlink.target or c.hyperlink.location))
    return out


def text_of(t):
    """The plain text of a chart title (rich text runs joined)."""
    if t is None:
        return None
    try:
        runs = []
        for p in t.tx.rich.p:
            for r in p.r or []:
                runs.append(r.t)
        return "".join(runs)
    except AttributeError:
        return None


def ref(x):
    if x is None:
        return None
    for kind in ("numRef", "strRef"):
        r = getattr(x, kind, None)
        if r is not None:
            return r.f
    return None


def charts(ws):
    out = []
    for ch in getattr(ws, "_charts", []):
        out.append("chart %s title=%s" % (ch.tagname, json.dumps(text_of(ch.title))))
        for s in ch.series:
            name = ref(s.tx) if s.tx is not None else None
            out.append("  series name=%s cat=%s val=%s" % (name, ref(s.cat), ref(s.val)))
    return out


def page(ws):
    out = []
    ps = ws.page_setup
    if ps.orientation:
        out.append("orientation=%s" % ps.orientation)
    if ps.paperSize:
        out.append("paper=%s" % ps.paperSize)
    if ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage:
        # absent attributes mean 1 (ECMA-376 defaults)
        w = 1 if ps.fitToWidth is None else ps.fitToWidth
        h = 1 if ps.fitToHeight is None else ps.fitToHeight
        out.append("fit=%sx%s" % (w, h))
    if ws.print_title_rows:
        out.append("repeat-rows=%s" % ws.print_title_rows)
    if ws.print_title_cols:
        out.append("repeat-cols=%s" % ws.print_title_cols)
    for name in ("oddHeader", "oddFooter"):
        hf = getattr(ws, name)
        for part in ("left", "center", "right"):
            t = getattr(hf, part).text
            if t:
                out.append("%s.%s=%s" % (name, part, json.dumps(t, ensure_ascii=False)))
    return out


def sheet(ws):
    out = ["== sheet %s" % json.dumps(ws.title, ensure_ascii=False)]
    if ws.sheet_state != "visible":
        out.append("state: %s" % ws.sheet_state)
    if ws.freeze_panes:
        out.append("freeze: %s" % ws.freeze_panes)
    if ws.auto_filter.ref:
        out.append("autofilter: %s" % ws.auto_filter.ref)
    merged = sorted(str(r) for r in ws.merged_cells.ranges)
    if merged:
        out.append("merged: %s" % " ".join(merged))
    widths = []
    for key in sorted(ws.column_dimensions, key=lambda k: openpyxl.utils.column_index_from_string(k)):
        d = ws.column_dimensions[key]
        if d.customWidth or d.width:
            lo, hi = get_column_letter(d.min or 1), get_column_letter(d.max or d.min or 1)
            span = lo if lo == hi else "%s:%s" % (lo, hi)
            w = "%.2f" % d.width if d.width else "-"
            widths.append("%s=%s%s" % (span, w, " hidden" if d.hidden else ""))
    if widths:
        out.append("widths: %s" % " ".join(widths))
    heights = [
        "%d=%.2f" % (r, d.height)
        for r, d in sorted(ws.row_dimensions.items())
        if d.height is not None and d.customHeight
    ]
    if heights:
        out.append("heights: %s" % " ".join(heights))
    p = page(ws)
    if p:
        out.append("print: %s" % " ".join(p))
    for dv in ws.data_validations.dataValidation:
        out.append(
            "validation %s type=%s formula=%s" % (dv.sqref, dv.type, json.dumps(dv.formula1))
        )
    out.extend(charts(ws))
    for row in ws.iter_rows():
        for c in row:
            st = style(c)
            if c.value is None and not st:
                continue
            out.append(" ".join([c.coordinate, value(c.value)] + st))
    return out


def main(path):
    wb = openpyxl.load_workbook(path)
    p = wb.properties
    out = ["== workbook"]
    for k in ("title", "subject", "creator", "description", "created"):
        v = getattr(p, k)
        if v:
            out.append("%s: %s" % (k, value(v)))
    out.append("sheets: %s" % json.dumps(wb.sheetnames, ensure_ascii=False))
    out.append("active: %s" % json.dumps(wb.active.title if wb.active else None))
    for name in sorted(wb.defined_names.definedName, key=lambda n: n.name) if hasattr(
        wb.defined_names, "definedName"
    ) else []:
        out.append("name %s = %s" % (name.name, name.attr_text))
    for ws in wb.worksheets:
        out.extend(sheet(ws))
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
