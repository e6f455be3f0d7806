#!/usr/bin/python3
"""Made the hostile workbooks of tests/bad/books/ from inputs/portal/register.xlsx
(kept for the record: python3 tests/tools/mkbadbooks.py OUTDIR)."""
import re
import struct
import sys
import zipfile

SRC = 'inputs/portal/register.xlsx'
out = sys.argv[1]
src = zipfile.ZipFile(SRC)
parts = [(i.filename, src.read(i.filename)) for i in src.infolist()]


def small(fn, data, tag):
    """Rows 1-3 of each sheet, references of this file's own (CP-x -> tag-x)."""
    if not fn.startswith('xl/worksheets/'):
        return data
    s = data.decode()
    s = re.sub(r'<row r="([0-9]+)".*?</row>', lambda m: m.group(0) if int(m.group(1)) <= 3 else '', s)
    return s.replace('CP-20', tag + '-20').encode()


def write(name, edit=None, drop=(), extra=()):
    tag = ''.join(w[0] for w in name[:-5].split('-')).upper()
    with zipfile.ZipFile(f'{out}/{name}', 'w', zipfile.ZIP_DEFLATED) as z:
        for fn, data in parts:
            if fn in drop:
                continue
            data = small(fn, data, tag)
            if edit and fn in edit:
                data = edit[fn](data.decode()).encode()
            z.writestr(fn, data)
        for fn, data in extra:
            z.writestr(fn, data)


S1 = 'xl/worksheets/sheet1.xml'
# two rows numbered 3
write('duplicate-row.xlsx', {S1: lambda s: s.replace(
    re.search(r'<row r="3".*?</row>', s).group(0),
    re.search(r'<row r="3".*?</row>', s).group(0) * 2)})
# a second 'Title' column (K1 was 'Renewed')
write('duplicate-column.xlsx', {S1: lambda s: s.replace('<t>Renewed</t>', '<t>Title</t>')})
# a formula's error as a title
write('error-cell.xlsx', {S1: lambda s: re.sub(r'<c r="C2".*?</c>',
                                               '<c r="C2" t="e"><f>1/0</f><v>#DIV/0!</v></c>', s)})
# date serials out of range: 1e300 and NaN, in a date-formatted cell
write('date-range.xlsx', {S1: lambda s: s.replace('<c r="I2" s="3" t="n"><v>46069</v></c>',
                                                  '<c r="I2" s="3" t="n"><v>1e300</v></c>')
                          .replace('<c r="I3" t="inlineStr"><is><t>2026-03-09</t></is></c>',
                                   '<c r="I3" s="3" t="n"><v>NaN</v></c>')})
# the Offers sheet's part is gone; its relationship still points at it
write('missing-part.xlsx', drop=('xl/worksheets/sheet2.xml',))
# the Offers sheet names a relationship that does not exist
write('missing-relationship.xlsx', {'xl/workbook.xml': lambda s: s.replace('r:id="rId2"', 'r:id="rId99"')})
# two entries named xl/worksheets/sheet1.xml
with zipfile.ZipFile(f'{out}/duplicate-entry.xlsx', 'w', zipfile.ZIP_DEFLATED) as z:
    import warnings
    warnings.simplefilter('ignore')
    for fn, data in parts:
        z.writestr(fn, small(fn, data, 'DE'))
    z.writestr(S1, dict(parts)[S1].decode().replace('Lao PDR', 'Atlantis').encode())
# four parts declaring 250 MB each (the central directory lies; nothing is inflated)
extra = [(f'xl/media/part{i}.xml', b'<x/>' * 64) for i in range(4)]
write('declared-bomb.xlsx', extra=extra)
p = f'{out}/declared-bomb.xlsx'
b = bytearray(open(p, 'rb').read())
i = 0
while True:
    i = b.find(b'PK\x01\x02', i)
    if i < 0:
        break
    nl = struct.unpack_from('<H', b, i + 28)[0]
    if b[i + 46:i + 46 + nl].startswith(b'xl/media/part'):
        struct.pack_into('<I', b, i + 24, 250 << 20)
    i += 4
open(p, 'wb').write(b)
