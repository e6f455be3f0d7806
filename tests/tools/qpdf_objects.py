"""qpdf_objects.py — the objects of a PDF as qpdf's JSON gives them (the
latest version of each, streams decoded and inline), for the test tools
that read PDFs independently of the program's writer."""
import json, subprocess


def load(path, password=None):
    """qpdf's JSON of the PDF: ["pages"], and ["qpdf"][1] the objects,
    keyed "obj:N 0 R"."""
    cmd = ["qpdf", "--json", "--json-stream-data=inline", "--decode-level=generalized"]
    if password:
        cmd.append("--password=" + password)
    cmd.append(path)
    return json.loads(subprocess.run(cmd, capture_output=True, check=True).stdout)
