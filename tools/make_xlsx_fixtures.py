#!/usr/bin/python3
"""Write the hand-made XLSX fixtures of tests/fixtures/xlsx/ and the hostile
workbooks of tests/bad/. Each is a few hundred bytes to a few KB; run from
the repository root: tools/make_xlsx_fixtures.py"""
import io
import os
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
R_STRICT = "http://purl.oclc.org/ooxml/officeDocument/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
FIX = "tests/fixtures/xlsx"
BAD = "tests/bad"
DATE = (1980, 1, 1, 0, 0, 0)


def write_zip(path, parts, compress=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compress) as z:
        for name, data in parts:
            info = zipfile.ZipInfo(name, DATE)
            info.compress_type = compress
            z.writestr(info, data)


def book(sheet_xml, ns=MAIN, rns=R, sst=None, styles=None, wbpr="", absolute=False,
         sheet_name="Data", extra_root=""):
    wb_target = "/xl/workbook.xml" if absolute else "xl/workbook.xml"
    sheet_target = "/xl/worksheets/sheet1.xml" if absolute else "worksheets/sheet1.xml"
    rtype = rns + "/officeDocument" if rns == R_STRICT else R + "/officeDocument"
    parts = [
        ("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
        ("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="%s">'
         '<Relationship Id="rId1" Type="%s" Target="%s"/></Relationships>' % (PKG, rtype, wb_target)),
        ("xl/workbook.xml", '<?xml version="1.0"?>%s<workbook xmlns="%s" xmlns:r="%s">%s<sheets>'
         '<sheet name="%s" sheetId="1" r:id="rId1"/></sheets></workbook>' % (extra_root, ns, rns, wbpr, sheet_name)),
    ]
    rels = '<Relationship Id="rId1" Type="%s/worksheet" Target="%s"/>' % (
        rns if rns == R_STRICT else R, sheet_target)
    if sst is not None:
        rels += '<Relationship Id="rId2" Type="%s/sharedStrings" Target="sharedStrings.xml"/>' % (
            rns if rns == R_STRICT else R)
        parts.append(("xl/sharedStrings.xml", '<?xml version="1.0"?><sst xmlns="%s">%s</sst>' % (ns, sst)))
    if styles is not None:
        rels += '<Relationship Id="rId3" Type="%s/styles" Target="styles.xml"/>' % (
            rns if rns == R_STRICT else R)
        parts.append(("xl/styles.xml", '<?xml version="1.0"?><styleSheet xmlns="%s">%s</styleSheet>' % (ns, styles)))
    parts.append(("xl/_rels/workbook.xml.rels",
                  '<?xml version="1.0"?><Relationships xmlns="%s">%s</Relationships>' % (PKG, rels)))
    parts.append(("xl/worksheets/sheet1.xml",
                  '<?xml version="1.0"?><worksheet xmlns="%s"><sheetData>%s</sheetData></worksheet>' % (ns, sheet_xml)))
    return parts


DATE_STYLES = ('<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
               '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/>'
               '<xf numFmtId="165"/></cellXfs>')


def main():
    os.makedirs(FIX, exist_ok=True)
    os.makedirs(BAD, exist_ok=True)
    # 1904 date system, a built-in and a custom date format
    write_zip(FIX + "/date1904.xlsx", book(
        '<row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="2"><v>40000</v></c><c r="C1"><v>40000</v></c></row>',
        styles=DATE_STYLES, wbpr='<workbookPr date1904="1"/>'))
    # 1900 system around the phantom 29 February, cells and rows without r
    write_zip(FIX + "/nor.xlsx", book(
        '<row><c s="1"><v>59</v></c><c s="1"><v>61</v></c><c><v>1.5</v></c></row>'
        '<row><c t="inlineStr"><is><t>second row</t></is></c><c r="D2"><v>4</v></c><c><v>5</v></c></row>'
        '<row r="5"><c r="B5" t="b"><v>1</v></c><c r="C5" t="e"><v>#N/A</v></c>'
        '<c r="D5" t="d"><v>2013-06-26T00:00:00</v></c><c r="E5" t="str"><f>A1</f><v>formula text</v></c></row>',
        styles=DATE_STYLES))
    # shared strings with rich-text runs, phonetic runs and _xHHHH_ escapes
    write_zip(FIX + "/richtext.xlsx", book(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>',
        sst='<si><r><t>Côte </t></r><r><rPr><b/></rPr><t xml:space="preserve">d\'Ivoire</t></r>'
            '<rPh sb="0" eb="1"><t>PHONETIC</t></rPh></si>'
            '<si><t>a_x000D_b_x005F_x0041_</t></si><si><t>Björn GØMEZ</t></si>'))
    # Strict OOXML namespaces, absolute part targets
    write_zip(FIX + "/strict.xlsx", book(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>strict</t></is></c><c r="B1"><v>42</v></c></row>',
        ns=STRICT, rns=R_STRICT, absolute=True))
    # shared strings large enough (over 256 KiB) to be read on a second thread
    # while the sheet is: 3,000 strings, string 5 empty (its cells are none)
    big = "".join("<si><t>%s</t></si>" % ("" if i == 5 else "string %d %s" % (i, "x" * 100))
                  for i in range(3000))
    rows = "".join('<row r="%d"><c r="A%d" t="s"><v>%d</v></c><c r="B%d"><v>%d</v></c></row>'
                   % (i, i, (i * 7) % 3000, i, i) for i in range(2, 2002))
    write_zip(FIX + "/big-sst.xlsx", book(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>5</v></c>'
        '<c r="C1" t="s"><v>2999</v></c></row>' + rows, sst=big))
    write_zip(BAD + "/big-sst-missing.xlsx", book(
        '<row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1" t="s"><v>3000</v></c></row>', sst=big))
    # both parts damaged: the shared strings' error is the one reported
    write_zip(BAD + "/big-sst-damaged.xlsx", book(
        '<row r="1"><c r="1A"><v>1</v></c></row>', sst=big + "<si><t>unclosed</si>"))
    # hostile files
    write_zip(BAD + "/doctype.xlsx", book(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>',
        extra_root='<!DOCTYPE workbook [<!ELEMENT workbook ANY>]>'))
    write_zip(BAD + "/xxe.xlsx", book(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>',
        extra_root='<!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'))
    lol = '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">' + "".join(
        '<!ENTITY %s "%s">' % (chr(98 + i), ("&%s;" % chr(97 + i)) * 10) for i in range(9)) + ']>'
    write_zip(BAD + "/billion-laughs.xlsx", book(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&j;</t></is></c></row>', extra_root=lol))
    # a zip bomb: one sheet that inflates to 300 MiB of blanks
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in book("")[:-1]:
            z.writestr(zipfile.ZipInfo(name, DATE), data)
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", DATE)
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0"?><worksheet xmlns="%s"><sheetData>' % MAIN.encode())
            chunk = b" " * (1 << 20)
            for _ in range(300):
                f.write(chunk)
            f.write(b"</sheetData></worksheet>")
    open(BAD + "/zip-bomb.xlsx", "wb").write(bomb.getvalue())
    good = io.BytesIO()
    with zipfile.ZipFile(good, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in book('<row r="1"><c r="A1"><v>1</v></c></row>'):
            z.writestr(zipfile.ZipInfo(name, DATE), data)
    data = good.getvalue()
    open(BAD + "/truncated.xlsx", "wb").write(data[: len(data) // 2])
    # flip a byte inside the sheet's stored data: CRC error
    stored = io.BytesIO()
    with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as z:
        for name, d in book('<row r="1"><c r="A1" t="inlineStr"><is><t>CRC CHECK TEXT</t></is></c></row>'):
            z.writestr(zipfile.ZipInfo(name, DATE), d)
    b = bytearray(stored.getvalue())
    i = b.find(b"CRC CHECK TEXT")
    b[i] = ord("X")
    open(BAD + "/bad-crc.xlsx", "wb").write(bytes(b))
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    open(BAD + "/encrypted.xlsx", "wb").write(ole)
    open(BAD + "/legacy.xls", "wb").write(ole)
    open(BAD + "/not-a-zip.xlsx", "wb").write(b"Name,Country\nA,B\n")
    # 10,000 columns in one row, and a cell past XFD
    wide = "".join('<c t="inlineStr"><is><t>c</t></is></c>' for _ in range(10000))
    write_zip(FIX + "/wide-row.xlsx", book('<row r="1">%s</row>' % wide))
    write_zip(BAD + "/past-xfd.xlsx", book('<row r="1"><c r="XFE1"><v>1</v></c></row>'))
    # a 1 MB cell (the model rejects cells over 32,767 characters)
    fields = [("Form", "Need"), ("Submitter", "Chad"), ("Submitter type", "State Party"),
              ("Title", "x" * (1 << 20)), ("Areas", "CL"), ("Assistance", "Equipment"),
              ("Contact", "x@example.org"), ("Submitted", "2026-01-01"), ("Description", "Text.")]
    rows = "".join('<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c>'
                   '<c r="B%d" t="inlineStr"><is><t>%s</t></is></c></row>' % (i + 1, i + 1, k, i + 1, v)
                   for i, (k, v) in enumerate(fields))
    write_zip(BAD + "/huge-cell.xlsx", book(rows, sheet_name="Form"))

if __name__ == "__main__":
    main()
