#!/usr/bin/python3
"""Fill in the Word templates written by `mspdoc templates` the way a
sender would in Word, with the examples of the Markdown templates:
fill_word_templates.py TEMPLATES OUT. The test then runs `mspdoc check OUT`."""
import os
import re
import sys
import zipfile

TEXT = "A paragraph of text written by the submitting State."


def main():
    src, dst = sys.argv[1], sys.argv[2]
    os.makedirs(dst, exist_ok=True)
    for name in sorted(os.listdir(src)):
        if not name.endswith(".docx") or name == "paper.docx":
            continue
        md = open(os.path.join(src, name[:-5] + ".md"), encoding="utf-8").read()
        ex = dict(re.findall(r"^([A-Z][A-Za-z ]+) \((?:required|optional)\):.*? Example: (.*)$",
                             md, re.M))
        zin = zipfile.ZipFile(os.path.join(src, name))
        zout = zipfile.ZipFile(os.path.join(dst, name), "w", zipfile.ZIP_DEFLATED)
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                xml = data.decode("utf-8")
                for k, v in ex.items():
                    v = v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                    xml = xml.replace('<w:t xml:space="preserve">%s: </w:t>' % k,
                                      '<w:t xml:space="preserve">%s: %s</w:t>' % (k, v))
                # a paragraph of text after each section heading
                xml = re.sub(r'(<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr>.*?</w:p>)',
                             r'\1<w:p><w:r><w:t>%s</w:t></w:r></w:p>' % TEXT, xml)
                data = xml.encode("utf-8")
            zout.writestr(item, data)
        zout.close()


main()
