"""portal_check.py - static checks of the portal site, one per mode:

  links SITE     every href and src of every page resolves inside the folder
                 (fragments too); only <a> may point outside (http(s), mailto);
                 nothing is loaded from outside; every table has th with scope;
                 every page has lang, a title, one h1, main, nav, header,
                 footer. Prints the problems, then "N pages".
  leaks SITE CLEAR PASSWORD
                 no file of the (restricted) SITE holds an entry's title, a
                 sentence of its text, its reference, its contact address or
                 the password, taken from the CLEAR site of the same entries.
                 Prints what leaked, then "N strings in N files".
  strip SITE     the restricted site with its salt, IVs and sealed texts
                 blanked (two builds must then be the same): one line per file.
"""
import hashlib
import html
import html.parser
import os
import re
import sys
import urllib.parse


def files(site):
    for d, _, fs in os.walk(site):
        for f in sorted(fs):
            yield os.path.join(d, f)


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.ids, self.tags, self.th_noscope = [], set(), {}, 0
        self.lang = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "th" and a.get("scope") not in ("col", "row"):
            self.th_noscope += 1
        for k in ("href", "src", "action"):
            if k in a:
                self.links.append((tag, k, a[k]))


def links(site):
    problems = []
    pages = {}
    for p in files(site):
        if p.endswith(".html"):
            pg = Page()
            with open(p, encoding="utf-8") as f:
                pg.feed(f.read())
            pages[os.path.abspath(p)] = pg
    for p, pg in sorted(pages.items()):
        rel = os.path.relpath(p, site)
        for tag in ("title", "h1", "main", "nav", "header", "footer"):
            if pg.tags.get(tag, 0) != 1:
                problems.append("%s: %d <%s>" % (rel, pg.tags.get(tag, 0), tag))
        if not pg.lang:
            problems.append("%s: no lang" % rel)
        if pg.th_noscope:
            problems.append("%s: %d th without scope" % (rel, pg.th_noscope))
        if pg.tags.get("table") and not pg.tags.get("th"):
            problems.append("%s: a table without th" % rel)
        for tag, attr, url in pg.links:
            u = urllib.parse.urlsplit(url)
            if u.scheme in ("http", "https", "mailto"):
                if tag != "a":
                    problems.append("%s: <%s %s> loads %s" % (rel, tag, attr, url))
                continue
            if u.scheme == "data" and tag == "link" and url == "data:,":
                continue  # the empty icon: no request for favicon.ico
            if u.scheme or u.netloc or url.startswith("/"):
                problems.append("%s: %s leaves the folder" % (rel, url))
                continue
            target = os.path.abspath(os.path.join(os.path.dirname(p), urllib.parse.unquote(u.path))) if u.path else p
            if not target.startswith(os.path.abspath(site) + os.sep):
                problems.append("%s: %s leaves the folder" % (rel, url))
            elif not os.path.isfile(target):
                problems.append("%s: %s is missing" % (rel, url))
            elif u.fragment and target in pages and u.fragment not in pages[target].ids:
                problems.append("%s: %s: no such anchor" % (rel, url))
    for x in problems:
        print(x)
    print("%d pages" % len(pages))


def texts(clear):
    """Titles, sentences, references and addresses of the clear site's entries."""
    out = set()
    for p in files(os.path.join(clear, "entries")):
        with open(p, encoding="utf-8") as f:
            t = f.read()
        main = t[t.index("<main"):t.index("</main>")]
        out.add(html.unescape(re.search(r"<h1>(.*?)</h1>", main).group(1)))
        for m in re.finditer(r"<tr><th scope=\"row\">Reference</th><td>(.*?)</td>", main):
            out.add(html.unescape(m.group(1)))
        for m in re.finditer(r"mailto:([^\"]+)", main):
            out.add(html.unescape(m.group(1)))
        desc = main.split('id="description">', 1)
        if len(desc) == 2:
            body = html.unescape(re.sub(r"<[^>]+>", " ", desc[1].split("<h2", 1)[0]))
            for s in re.split(r"(?<=[.;:])\s+", " ".join(body.split())):
                if len(s) >= 24:
                    out.add(s[:40])
    # the countries entries name (long names only: a short one could turn
    # up by chance in the base64 of sealed pages)
    with open(os.path.join(clear, "countries.html"), encoding="utf-8") as f:
        for m in re.finditer(r'<th scope="row"><a href="countries/[^"]+">(.*?)</a>', f.read()):
            name = html.unescape(m.group(1))
            if len(name) >= 8:
                out.add(name)
    return out


def leaks(site, clear, password):
    want = texts(clear) | {password}
    found = []
    n = 0
    for p in files(site):
        n += 1
        with open(p, "rb") as f:
            data = f.read()
        low = data.lower()
        for s in want:
            for form in {s, html.escape(s, quote=True), html.escape(s, quote=False)}:
                if form.encode().lower() in low:
                    found.append("%s: %r" % (os.path.relpath(p, site), s))
                    break
    for x in sorted(set(found)):
        print(x)
    print("%d strings in %d files" % (len(want), n))


def strip(site):
    for p in files(site):
        with open(p, encoding="utf-8") as f:
            t = f.read()
        t = re.sub(r'data-salt="[^"]*"', 'data-salt=""', t)
        t = re.sub(r'(<script type="application/octet-stream" id="sealed">)[^<]*', r"\1", t)
        t = re.sub(r'^window\.MSPDOC_INDEX="[^"]*"', 'window.MSPDOC_INDEX=""', t)
        print("%s %d %s" % (os.path.relpath(p, site), len(t), hashlib.sha256(t.encode()).hexdigest()))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "links":
        links(sys.argv[2])
    elif mode == "leaks":
        leaks(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        strip(sys.argv[2])
