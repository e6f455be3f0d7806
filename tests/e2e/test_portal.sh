#!/bin/sh
# End-to-end test of the portal site (mspdoc portal, build) on the sample as
# of 2026-11-24: what is published (the digest's counts), the restricted
# site holding nothing legible without the password (every file searched
# for every entry's title, sentences, reference and address, taken from the
# open site of the same entries), links that all resolve inside the folder,
# byte-identical open sites, restricted sites differing only by salt and
# IVs, hostile text escaped, and the site in a real browser (headless
# Chromium: tests/tools/portal_browser.py).
. tests/e2e/lib.sh
PY=/usr/bin/python3
printf 'open-sesame-42\n' >"$TMP/pw"
R="$TMP/restricted"
run_mspdoc portal inputs/portal -o "$R" --as-of 2026-11-24 --password-file "$TMP/pw" 2>"$TMP/e"
expect_eq "portal exit" $? 0
expect_grep "counts as the digest's" "34 entries published \(13 needs, 15 offers, 6 experiences\)" "$R.report.txt"
expect_grep "expired and future entries left out" "8 expired and 1 not yet published entries left out" "$R.report.txt"
expect_grep "encrypted" "encrypted \(AES-256-GCM" "$R.report.txt"
expect_eq "one page per published entry" "$(ls "$R/entries" | wc -l)" 34
expect_eq "entry pages named by number" "$(ls "$R/entries" | grep -cvE '^[0-9]{4}\.html$')" 0
expect_grep "PBKDF2 600,000 iterations" 'data-iter="600000"' "$R/index.html"
# the open site of the same entries
mkdir -p "$TMP/in"
cp -r inputs/portal "$TMP/in/portal"
sed -i 's/^Restricted: yes/Restricted: no/' "$TMP/in/portal/digest.md"
C="$TMP/open"
unset MSPDOC_PASSWORD
run_mspdoc portal "$TMP/in/portal" -o "$C" --as-of 2026-11-24 2>/dev/null
expect_eq "open portal exit, no password needed" $? 0
expect_eq "open site: one page per entry" "$(ls "$C/entries" | wc -l)" 34
expect_grep "open site: a page by reference" "." "$C/entries/N-2026-IRQ-0504-1.html"
expect_nogrep "expired entry not published" "CP-2013-ESP" "$C/entries.html"
if grep -rqF "returning to Bay and Bakool" "$C"; then bad "a not-yet-published entry is on the site"; else ok; fi
# nothing legible without the password; the search works on the open site
$PY tests/tools/portal_check.py leaks "$R" "$C" open-sesame-42 >"$TMP/leaks"
expect_eq "restricted site: nothing legible" "$(grep -vc 'strings in' "$TMP/leaks")" 0
[ "$(sed -n 's/ strings in.*//p' "$TMP/leaks")" -gt 100 ] && ok || bad "too few strings searched: $(tail -n 1 "$TMP/leaks")"
$PY tests/tools/portal_check.py leaks "$C" "$C" open-sesame-42 >"$TMP/leaks2"
[ "$(grep -vc 'strings in' "$TMP/leaks2")" -gt 50 ] && ok || bad "the leak search finds nothing even in the open site"
if grep -rqaF "open-sesame-42" "$R" "$R.report.txt" "$TMP/e"; then bad "the password is written"; else ok; fi
# links, landmarks, th scope, nothing from outside
for site in "$C" "$R"; do
	$PY tests/tools/portal_check.py links "$site" >"$TMP/links"
	expect_eq "links and structure of $(basename "$site")" "$(cat "$TMP/links")" "67 pages"
done
expect_nogrep "no web fonts or imports" "@import|@font-face|url\(" "$C/site.css"
# determinism
run_mspdoc portal "$TMP/in/portal" -o "$TMP/open2" --as-of 2026-11-24 2>/dev/null
if diff -r "$C" "$TMP/open2" >/dev/null; then ok; else bad "two open sites differ"; fi
run_mspdoc portal inputs/portal -o "$TMP/r2" --as-of 2026-11-24 --password-file "$TMP/pw" 2>/dev/null
$PY tests/tools/portal_check.py strip "$R" >"$TMP/s1"
$PY tests/tools/portal_check.py strip "$TMP/r2" >"$TMP/s2"
expect_eq "two restricted sites differ only by salt and IVs" "$(diff "$TMP/s1" "$TMP/s2" | head -3)" ""
# the key derived on the one thread (MSPDOC_THREADS=1): the same site
MSPDOC_THREADS=1 run_mspdoc portal inputs/portal -o "$TMP/r3" --as-of 2026-11-24 --password-file "$TMP/pw" 2>/dev/null
$PY tests/tools/portal_check.py strip "$TMP/r3" >"$TMP/s3"
expect_eq "the key on one thread: the same site" "$(diff "$TMP/s1" "$TMP/s3" | head -3)" ""
s1=$(grep -o 'data-salt="[^"]*"' "$R/index.html")
s2=$(grep -o 'data-salt="[^"]*"' "$TMP/r2/index.html")
[ "$s1" != "$s2" ] && ok || bad "the salt is the same in two builds"
# rebuilding replaces the site: a page no longer published disappears
run_mspdoc portal "$TMP/in/portal" -o "$C" --as-of 2027-06-30 2>/dev/null
[ ! -e "$C/entries/N-2026-GNB-0622-1.html" ] && ok || bad "an expired entry's page stays after a rebuild"
run_mspdoc portal "$TMP/in/portal" -o "$C/" --as-of 2026-11-24 2>/dev/null
expect_eq "a folder given with a trailing slash" $? 0
[ -f "$C/entries/N-2026-GNB-0622-1.html" ] && ok || bad "the site with -o DIR/ is not in DIR"
[ ! -e "$C/.report.txt" ] && ok || bad "the report of -o DIR/ is written into the site"
ls -d "$TMP"/open.new-* "$TMP"/open.old-* >/dev/null 2>&1 && bad "temporary folders left: $(ls -d "$TMP"/open.*)" || ok
# the site before the one replaced is kept as the spare, its owner's alone,
# and the next build writes over its files: the same bytes as a new folder
S="$TMP/.open.mspdoc-spare"
expect_eq "the spare, mode 700" "$(stat -c %a "$S" 2>&1)" 700
if diff -r "$C" "$TMP/open2" >/dev/null; then ok; else bad "a site written over the spare differs from a new one"; fi
# written over a spare of more pages (2026 after 2027 after 2026): the
# pages no longer published go, and the site is the one built anew
run_mspdoc portal "$TMP/in/portal" -o "$C" --as-of 2027-06-30 2>/dev/null
run_mspdoc portal "$TMP/in/portal" -o "$C" --as-of 2027-06-30 2>/dev/null
run_mspdoc portal "$TMP/in/portal" -o "$TMP/new27" --as-of 2027-06-30 2>/dev/null
if diff -r "$C" "$TMP/new27" >/dev/null; then ok; else bad "pages left from the spare: $(diff -rq "$C" "$TMP/new27" | head -3)"; fi
# a page hard-linked by a backup keeps its content; a link planted in the
# spare is not followed; a spare of someone else's is left alone
cp "$C/index.html" "$TMP/index.copy"
ln "$C/index.html" "$TMP/index.backup"
run_mspdoc portal "$TMP/in/portal" -o "$C" --as-of 2026-11-24 2>/dev/null
echo keep >"$TMP/victim"
rm -f "$S/entries.html" && ln -s "$TMP/victim" "$S/entries.html"
run_mspdoc portal "$TMP/in/portal" -o "$C" --as-of 2026-11-24 2>/dev/null
expect_eq "rebuilt over a spare with links" $? 0
if cmp -s "$TMP/index.copy" "$TMP/index.backup"; then ok; else bad "a hard-linked backup of a page was written over"; fi
expect_eq "a link in the spare not followed" "$(cat "$TMP/victim")" keep
[ -f "$C/entries.html" ] && [ ! -L "$C/entries.html" ] && ok || bad "the page is not a file of its own"
if diff -r "$C" "$TMP/open2" >/dev/null; then ok; else bad "the site written over a spare with links differs"; fi
mkdir -p "$TMP/.theirs.mspdoc-spare" && echo keep >"$TMP/.theirs.mspdoc-spare/notes.txt"
run_mspdoc portal "$TMP/in/portal" -o "$TMP/theirs" --as-of 2026-11-24 2>/dev/null
run_mspdoc portal "$TMP/in/portal" -o "$TMP/theirs" --as-of 2026-11-24 2>/dev/null
expect_eq "someone else's spare-named folder untouched" "$(ls -A "$TMP/.theirs.mspdoc-spare")" notes.txt
[ -f "$TMP/theirs/index.html" ] && ! ls -d "$TMP"/theirs.new-* "$TMP"/theirs.old-* >/dev/null 2>&1 && ok || bad "rebuilt beside someone else's folder: $(ls -A "$TMP")"
# a folder of other files is never replaced
mkdir -p "$TMP/mine" && echo keep >"$TMP/mine/notes.txt"
run_mspdoc portal "$TMP/in/portal" -o "$TMP/mine" --as-of 2026-11-24 2>"$TMP/e3"
expect_eq "a folder of other files: exit 3" $? 3
expect_grep "says why" "did not write: the site replaces" "$TMP/e3"
expect_eq "the other files stay" "$(cat "$TMP/mine/notes.txt")" keep
# restricted without a password: exit 2, nothing written
run_mspdoc portal inputs/portal -o "$TMP/nopw" --as-of 2026-11-24 2>"$TMP/e4"
expect_eq "restricted site without password" $? 2
expect_grep "names the portal" "the portal is restricted" "$TMP/e4"
[ -e "$TMP/nopw" ] && bad "wrote a site without a password" || ok
# hostile text: markup and scripts in every field come out as text
mkdir -p "$TMP/hostile"
cat >"$TMP/hostile/digest.md" <<'EOF'
Form: Digest
Title: Portal <script>alert(1)</script> & "friends"
Restricted: no
EOF
cat >"$TMP/hostile/need.md" <<'EOF'
Form: Need
Submitter: Lao PDR
Submitter type: State Party
Title: <img src=x onerror=alert(1)> "clearance" & <b>survey</b>
Areas: CL
Assistance: Training
Amount: USD 1000
Contact: Unit "<script>" <a@b.example>
Submitted: 2026-10-01

## Description

A [link](javascript:alert(1)) and <script>alert(2)</script> raw HTML, a
<img src="http://tracker.example/x.png"> and a [site](https://example.org/"onmouseover="x).
EOF
run_mspdoc portal "$TMP/hostile" -o "$TMP/hs" --as-of 2026-11-24 2>/dev/null
expect_eq "hostile inputs build" $? 0
cat "$TMP/hs"/*.html "$TMP/hs"/*/*.html >"$TMP/hs.all"
expect_nogrep "no script element from an input" "<script>alert|<img|<[^>]* on[a-z]+=" "$TMP/hs.all"
expect_nogrep "no javascript: link" "href=\"javascript" "$TMP/hs.all"
# raw HTML is kept as escaped text (issue 16): the address may be read, never loaded
expect_nogrep "no remote image" "<[^>]*(src|href)=\"?[^\" >]*tracker\.example" "$TMP/hs.all"
expect_grep "the title escaped" "&lt;img src=x onerror=alert\(1\)&gt; \"clearance\" &amp; &lt;b&gt;survey&lt;/b&gt;" "$TMP/hs.all"
expect_grep "the site's name escaped" "<title>All entries — Portal &lt;script&gt;alert\(1\)&lt;/script&gt; &amp; \"friends\"</title>" "$TMP/hs/entries.html"
expect_nogrep "search index: no raw markup" "<|>" "$TMP/hs/search-index.js"
$PY tests/tools/portal_check.py links "$TMP/hs" >"$TMP/links"
expect_eq "hostile site's links" "$(tail -n 1 "$TMP/links")" "6 pages"
expect_eq "hostile site: no broken link" "$(grep -vc pages "$TMP/links")" 0
# build writes out/portal beside the digest
MSPDOC_PASSWORD=open-sesame-42 run_mspdoc build -i inputs -o "$TMP/out" --as-of 2026-11-24 >/dev/null 2>&1
[ -f "$TMP/out/portal/index.html" ] && [ -f "$TMP/out/digest.pdf" ] && ok || bad "build: no portal/ beside the digest"
expect_grep "build's report names the site" "^Portal site: portal/, 67 pages" "$TMP/out/report.txt"
# the browser
if command -v chromium >/dev/null && $PY -c "import websocket" 2>/dev/null; then
	timeout 300 $PY tests/tools/portal_browser.py "$R" "$TMP/open2" open-sesame-42 >"$TMP/browser" 2>&1
	cat "$TMP/browser" | grep FAIL
	line=$(grep -E '^browser: [0-9]+ passed, [0-9]+ failed' "$TMP/browser")
	if [ -z "$line" ]; then
		bad "the browser test gave no result: $(tail -5 "$TMP/browser")"
	else
		PASS=$((PASS + $(echo "$line" | sed -E 's/browser: ([0-9]+) passed.*/\1/')))
		FAIL=$((FAIL + $(echo "$line" | sed -E 's/.* ([0-9]+) failed/\1/')))
	fi
else
	bad "chromium or python3-websocket missing: run make check (tools/deps.sh installs them)"
fi
finish test_portal
