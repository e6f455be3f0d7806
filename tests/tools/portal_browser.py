"""portal_browser.py RESTRICTED_SITE CLEAR_SITE PASSWORD - the portal in a
real browser (headless Chromium through cdp.py): a wrong password refused,
the right one opening an entry, the key kept for the tab's session only,
filters and search, keyboard use, and nothing fetched from outside the
folder; from file:// and from a server on 127.0.0.1. The clear site, built
from the same entries, says what the pages must show. Prints one line per
failed check and "N passed, N failed"."""
import base64
import functools
import html.parser
import http.server
import os
import re
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdp  # noqa: E402

restricted, clear, password = sys.argv[1], sys.argv[2], sys.argv[3]
shots = os.environ.get("PORTAL_SHOTS")
passed = failed = 0


T0 = time.time()


def check(name, cond, detail=""):
    global passed, failed
    if os.environ.get("PORTAL_DEBUG"):
        print("%6.1f s %s" % (time.time() - T0, name))
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL: %s %s" % (name, detail))


class Rows(html.parser.HTMLParser):
    """entries.html of the clear site: each row's title and filter keys."""

    def __init__(self):
        super().__init__()
        self.rows, self.cur, self.in_th = [], None, False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr" and "data-f" in a:
            self.cur = {"keys": a["data-f"].split(), "title": ""}
            self.rows.append(self.cur)
        elif tag == "th" and self.cur is not None and not self.cur["title"]:
            self.in_th = True

    def handle_endtag(self, tag):
        if tag == "th":
            self.in_th = False
        elif tag == "tr":
            self.cur = None

    def handle_data(self, d):
        if self.in_th and self.cur is not None:
            self.cur["title"] += d


def page_text(path):
    with open(path, encoding="utf-8") as f:
        t = f.read()
    main = t[t.index("<main"):t.index("</main>")]
    return html.unescape(re.sub(r"<[^>]+>", " ", main))


rows_parser = Rows()
with open(os.path.join(clear, "entries.html"), encoding="utf-8") as f:
    rows_parser.feed(f.read())
rows = rows_parser.rows
first = rows[0]["title"].strip()
# the first paragraph of the first entry's description, on its clear page
clear_pages = sorted(os.listdir(os.path.join(clear, "entries")))
desc = ""
for name in clear_pages:
    path = os.path.join(clear, "entries", name)
    with open(path, encoding="utf-8") as f:
        h1 = re.search(r"<h1>(.*?)</h1>", f.read())
    t = page_text(path)
    if h1 and html.unescape(h1.group(1)) == first and "Description" in t:
        desc = " ".join(t.split("Description", 1)[1].split())[:60]
        break
check("the clear site has the first entry's description", desc, first)


def shot(tab, name):
    if shots:
        data = tab.send("Page.captureScreenshot", format="png")["data"]
        with open(os.path.join(shots, name + ".png"), "wb") as f:
            f.write(base64.b64decode(data))


def outside(tab, allowed):
    return [u for u in tab.requests if not u.startswith(allowed) and not u.startswith("data:")]


def locked_then_opened(browser, base, allowed, label):
    tab = browser.tab()
    tab.goto(base + "/entries/0001.html")
    body = tab.js("document.body.innerText")
    check(label + ": locked page shows the password box", tab.js("!!document.getElementById('password')"))
    check(label + ": locked page shows no entry text", first not in body and desc not in body)
    # keyboard: the first Tab reaches the skip link
    tab.key("Tab", "Tab", 9)
    check(label + ": Tab reaches the skip link first",
          tab.js("document.activeElement && document.activeElement.className") == "skip")
    # a wrong password
    tab.js("document.getElementById('password').focus()")
    tab.type("not-" + password)
    tab.key("Enter", "Enter", 13, "\r")
    msg = tab.until("document.getElementById('unlock-msg').textContent.indexOf('Wrong password') >= 0 && document.getElementById('unlock-msg').textContent")
    check(label + ": a wrong password is refused and said so", msg and "Wrong password" in msg, repr(msg))
    check(label + ": nothing opened with a wrong password", first not in tab.js("document.body.innerText"))
    shot(tab, label + "-wrong")
    # the right one
    tab.js("document.getElementById('password').focus()")
    tab.type(password)
    tab.key("Enter", "Enter", 13, "\r")
    h1 = tab.until("(document.querySelector('main h1') || {}).textContent === %r && document.querySelector('main h1').textContent" % first)
    check(label + ": the password opens the entry", h1 == first, repr(h1))
    text = tab.js("document.querySelector('main').innerText")
    check(label + ": the entry's description is readable", desc and desc in " ".join(text.split()), desc)
    check(label + ": the page's title is the entry's", tab.js("document.title").startswith(first))
    check(label + ": a contact link", tab.js("!!document.querySelector('main a[href^=\"mailto:\"]')"))
    store = tab.js("JSON.stringify(Object.keys(sessionStorage).map(function(k){return sessionStorage.getItem(k)}))")
    check(label + ": the password is not kept", password not in store and tab.js("localStorage.length") == 0)
    shot(tab, label + "-entry")
    return tab


def filters_and_search(tab, base, label, sealed):
    tab.goto(base + "/entries.html")
    n = tab.until("document.querySelectorAll('tr[data-f]').length")
    check(label + ": the list opens" + (" with the kept key" if sealed else ""), n == len(rows), "%s rows" % n)
    # the area of the most entries but not all of them
    counts = {}
    for r in rows:
        for k in r["keys"]:
            if k.startswith("area"):
                counts[k[4:]] = counts.get(k[4:], 0) + 1
    area = max(sorted(counts), key=lambda a: counts[a])
    tab.js("var s = document.getElementById('f-area'); s.value = %r; s.dispatchEvent(new Event('change', {bubbles: true})); 1" % area)
    shown = tab.js("Array.prototype.filter.call(document.querySelectorAll('tr[data-f]'), function (r) { return !r.hidden; }).length")
    check(label + ": the area filter", shown == counts[area], "%s shown, %s expected" % (shown, counts[area]))
    status = tab.js("document.getElementById('filter-status').textContent")
    check(label + ": the filter says how many", status == "Showing %d of %d entries." % (counts[area], len(rows)), status)
    # kind and country together: offers open to a country include those open to Any
    country = next(k[7:] for r in rows for k in r["keys"] if k.startswith("country") and k != "country*")
    want = sum(1 for r in rows if "kindoffer" in r["keys"] and ("country" + country in r["keys"] or "country*" in r["keys"]))
    tab.goto(base + "/entries.html?kind=offer&country=" + country)
    tab.until("document.getElementById('filter-status') && document.getElementById('filter-status').textContent")
    shown = tab.js("Array.prototype.filter.call(document.querySelectorAll('tr[data-f]'), function (r) { return !r.hidden; }).length")
    check(label + ": filters from the address (kind and country)", shown == want, "%s shown, %s expected" % (shown, want))
    shot(tab, label + "-filtered")
    # search: a word of the first entry's title, typed in the box
    word = max(re.findall(r"\w+", first), key=len)
    tab.goto(base + "/search.html")
    tab.until("!!document.getElementById('search-q')")
    tab.js("document.getElementById('search-q').focus()")
    tab.type(word[:-1].upper())  # a prefix, in other case
    tab.key("Enter", "Enter", 13, "\r")
    found = tab.until("document.querySelectorAll('#search-results li').length && Array.prototype.map.call(document.querySelectorAll('#search-results a'), function (a) { return a.textContent; })")
    check(label + ": the search finds the entry", bool(found) and first in found, "%r: %r" % (word, found))
    check(label + ": every result is an entry", bool(found) and len(found) <= len(rows))
    tab.goto(base + "/search.html?q=zzzqqq")
    st = tab.until("document.getElementById('search-status') && /found/.test(document.getElementById('search-status').textContent) && document.getElementById('search-status').textContent")
    check(label + ": a search for nothing says so", st == "No entry found.", repr(st))
    shot(tab, label + "-search")


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass


browser = cdp.Browser()
try:
    # restricted, from a file share
    base = "file://" + os.path.abspath(restricted)
    tab = locked_then_opened(browser, base, "file://", "file")
    filters_and_search(tab, base, "file", True)
    check("file: nothing fetched from outside the folder", not outside(tab, base), outside(tab, base))
    # "Lock the portal" forgets the key: the page asks again
    tab.goto(base + "/entries/0001.html")
    tab.until("!document.getElementById('lock').hidden")
    tab.events.clear()
    tab.js("document.getElementById('lock').click(); 1")
    tab.wait_event("Page.loadEventFired")
    locked = tab.until("!!document.getElementById('password') && sessionStorage.length === 0")
    check("file: Lock the portal forgets the key", locked and first not in tab.js("document.body.innerText"))
    tab.close()
    # another tab, its own session: locked again
    other = browser.tab()
    other.goto(base + "/entries/0001.html")
    check("a new tab asks for the password again",
          other.js("!!document.getElementById('password') && document.body.innerText.indexOf(%r) < 0" % first))
    other.close()
    # restricted, from a web server on 127.0.0.1
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=restricted))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:%d" % srv.server_address[1]
    tab = locked_then_opened(browser, base, base, "http")
    filters_and_search(tab, base, "http", True)
    check("http: nothing fetched from elsewhere", not outside(tab, base), outside(tab, base))
    tab.close()
    srv.shutdown()
    # the open site
    base = "file://" + os.path.abspath(clear)
    tab = browser.tab()
    tab.goto(base + "/index.html")
    check("open site: the home page in the clear", tab.js("document.querySelector('main h1').textContent") != "")
    shot(tab, "open-home")
    filters_and_search(tab, base, "open", False)
    check("open: nothing fetched from outside the folder", not outside(tab, base), outside(tab, base))
    tab.close()
except Exception as e:  # a browser that does not answer is a failure, not a crash
    check("the browser session", False, repr(e))
finally:
    browser.close()
print("browser: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
