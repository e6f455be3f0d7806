#!/usr/bin/python3
"""Paste a picture into the Form sheet of a workbook, as a sender does in
Excel, with an alternative text: paste_picture.py IN.xlsx PHOTO ALT OUT.xlsx"""
import sys

import openpyxl
from openpyxl.drawing.image import Image

src, photo, alt, dst = sys.argv[1:5]
wb = openpyxl.load_workbook(src)
ws = wb["Form"]
img = Image(photo)
img.width, img.height = 320, 213
img.anchor = "D3"
ws.add_image(img)
wb.save(dst)
# openpyxl writes no alternative text: add it to the drawing's cNvPr
import zipfile, shutil, os
tmp = dst + ".tmp"
zin = zipfile.ZipFile(dst)
zout = zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED)
for item in zin.infolist():
    data = zin.read(item.filename)
    if item.filename.startswith("xl/drawings/drawing") and item.filename.endswith(".xml"):
        x = data.decode("utf-8")
        alt_x = alt.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        x = x.replace('descr="Picture"', 'descr="%s"' % alt_x, 1)
        data = x.encode("utf-8")
    zout.writestr(item, data)
zout.close()
zin.close()
shutil.move(tmp, dst)
