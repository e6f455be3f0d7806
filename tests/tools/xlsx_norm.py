#!/usr/bin/python3
"""Print an XLSX file's XML in a normal form, for golden tests.

Every part but the theme (libxlsxwriter's fixed boilerplate), in name
order, canonicalised (C14N 2.0, then empty elements as <x/>) with one
element a line. Shared strings
are put back into their cells as inline strings, and the optional row
`spans` dropped, so the text says what the workbook holds rather than how
its strings were stored: a change of one string changes one line.

Usage: xlsx_norm.py FILE.xlsx
"""
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

SKIP = {"xl/theme/theme1.xml"}


def shared_strings(z):
    """The inner XML of each <si>, in order."""
    if "xl/sharedStrings.xml" not in z.namelist():
        return []
    xml = z.read("xl/sharedStrings.xml").decode("utf-8")
    return re.findall(r"<si>(.*?)</si>", xml, re.S)


def inline(xml, sst):
    """Shared-string cells as the inline-string cells they stand for."""

    def cell(m):
        attrs, index = m.group(1), int(m.group(2))
        attrs = attrs.replace(' t="s"', ' t="inlineStr"')
        return "<c%s><is>%s</is></c>" % (attrs, sst[index])

    xml = re.sub(r'<c([^>]* t="s"[^>]*)><v>(\d+)</v></c>', cell, xml)
    return re.sub(r' spans="[^"]*"', "", xml)


def main(path):
    z = zipfile.ZipFile(path)
    sst = shared_strings(z)
    out = []
    for name in sorted(z.namelist()):
        if name in SKIP or name == "xl/sharedStrings.xml":
            continue
        data = z.read(name).decode("utf-8")
        if name.endswith(".rels") or name.endswith(".xml"):
            if name.startswith("xl/worksheets/sheet"):
                data = inline(data, sst)
            data = ET.canonicalize(xml_data=data)
            data = re.sub(r"<([^\s>/]+)([^>]*)></\1>", r"<\1\2/>", data)
            data = data.replace("><", ">\n<")
        out.append("== %s\n%s\n" % (name, data))
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
