#!/usr/bin/python3
"""Deterministic generator of a synthetic inputs tree for `make bench`.

    gen_bench.py OUT --contributions N --entries M --states S --actions A \
                 --funding F [--cells ROWS]

Writes OUT/catalogue (N Contribution forms of about 700 words, one
1200x800 JPEG of about 100 KB each, names with diacritics, a Book form),
OUT/portal (M entries in a register workbook, a Digest form), OUT/progress
(S States x A actions x 2 periods of Status rows, F funding rows) and, with
--cells, OUT/register.xlsx: a ROWS x 20 workbook of strings, numbers and
dates. The contributions are English prose (function words, the field's
words, numbers, countries with diacritics), so that typo_check's figures on
the book compare with a real one's. Same arguments, same files (a fixed random seed; photos are made
once by ImageMagick and reused)."""
import argparse
import datetime
import io
import os
import random
import sys

import openpyxl

WORDS = ("cooperation assistance clearance survey victim rehabilitation stockpile "
         "destruction transparency implementation national authority community "
         "contaminated land released hectares submunitions explosive remnants "
         "training operators prosthetics livelihood education provincial capacity "
         "partnership funding regional exchange technical expertise equipment "
         "database coordination monitoring international humanitarian planning "
         "women children survivors families villages farmers schools district").split()
COUNTRIES = ["Lao PDR", "Lebanon", "Iraq", "Afghanistan", "Chad", "Croatia",
             "Bosnia and Herzegovina", "Montenegro", "Mozambique", "Sierra Leone",
             "Guinea-Bissau", "Colombia", "Chile", "Peru", "Mexico", "Spain", "Sweden",
             "Norway", "New Zealand", "Ireland", "Germany", "Switzerland", "Austria",
             "Japan", "Australia", "Netherlands", "Côte d'Ivoire", "Türkiye"]
PEOPLE = ["Björn Åkesson", "María Ramírez", "Ana GØMEZ", "Đorđe Petrović",
          "Søren Kierkegård", "Zoë Müller", "Inés Peña", "Chanthala Vongsa"]
AREAS = ["CL", "VA", "SD", "CA", "TR", "NI", "UN"]
ASSIST = ["Financial", "Technical expertise", "Equipment", "Training",
          "Information and good practices"]


def sentence(rng, n):
    w = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(w).capitalize() + "."


def paragraph(rng, words):
    out, count = [], 0
    while count < words:
        n = rng.randint(8, 22)
        out.append(sentence(rng, n))
        count += n
    return " ".join(out)



# Realistic prose for the bench catalogue: English sentences built from
# phrase patterns, so that short function words, the field's vocabulary,
# numbers and country names mix as in the contributions States send.
SUBJECTS = [
    "the national mine action authority", "our clearance teams", "the survey teams",
    "the ministry of health", "local authorities", "the implementing partner",
    "the programme", "our partners", "the project team", "community volunteers",
    "the regional centre", "the donor", "the steering committee", "two medical teams",
    "women and men in the villages", "the provincial office", "survivors and their families",
    "the national army", "the risk education team", "the database unit",
    "the coordination group", "a small team of trainers", "the victim assistance focal point",
    "the government", "the operators", "our staff", "most farmers", "the schools",
    "the interministerial commission", "the humanitarian demining battalion",
    "the Implementation Support Unit", "the rehabilitation centre",
]
VERBS = [
    "cleared", "surveyed", "released", "trained", "supported", "visited", "reached",
    "helped", "funded", "recorded", "mapped", "checked", "destroyed", "organised",
    "reviewed", "shared", "built", "improved", "extended", "marked", "returned",
    "met", "assessed", "planned", "opened", "used", "found", "reported", "updated",
]
OBJECTS = [
    "the contaminated land", "{n} hectares of farmland", "{n} villages", "the old stockpile",
    "{n} submunitions", "the survey data", "new prosthetic limbs", "a mobile clinic",
    "the national database", "a plan for the next year", "the land near the river",
    "{n} people", "the last suspected area", "their own work plan", "the schools in the district",
    "the roads to the market", "the rules for safe work", "a fund for small loans",
    "the first report", "the results of the survey", "the needs of survivors",
    "all the remaining cluster munitions", "the land that families had left",
    "a course for local nurses", "the maps of the area", "its reporting under Article 7",
    "the national implementation plan", "physical rehabilitation services",
    "international cooperation and assistance", "the non-technical survey",
    "psychological support for survivors", "a transparent information management system",
]
PLACES = [
    "in the north", "in the south of the country", "near the border", "in {c}",
    "in three provinces", "with help from {c}", "along the main road", "in the capital",
    "in rural areas", "around the old airfield", "on the hills above the town",
    "in {n} districts", "at the regional hospital", "in the camps", "in {c} and {c2}",
]
TIMES = [
    "in {y}", "by the end of {y}", "between {y} and {y2}", "over two years", "each month",
    "in less than a year", "since {y}", "before the rainy season", "last year",
    "within six months", "at the same time", "from the start", "during the dry season",
]
LINKS = [
    "so that", "because", "and", "but", "while", "after", "as", "although", "when",
    "before", "since", "which meant that", "and then",
]
OPENERS = [
    "In {y},", "At first,", "For this reason,", "As a result,", "In the end,", "Later,",
    "With the support of {c},", "In practice,", "Above all,", "Since then,", "Today,",
    "For the first time,", "In the same way,", "By {y},", "On average,", "In most cases,",
]
ADVERBS = ["", "", "", "", "quickly", "safely", "again", "also", "now", "fully",
           "jointly", "often", "slowly", "carefully"]
STATEMENTS = [
    "It was not easy, but it worked.",
    "This is what we would do again.",
    "The cost was about USD {m} per hectare.",
    "Nobody was hurt during the work.",
    "We did not expect so many requests.",
    "The results are set out in the table below.",
    "Each step was checked by an independent team.",
    "That is why we kept the teams small.",
    "More than {p} per cent of the land is now in use.",
    "The work is still going on in {c}.",
    "We learned more from our mistakes than from our plans.",
    "A lot of this depends on trust.",
    "The data were shared with all the partners every week.",
    "The need is still greater than the funds.",
    "It took time to agree on the rules.",
]
QUOTES = [
    "I can work my field again and send my children to school.",
    "We know now which land is safe, and so do our neighbours.",
    "The new leg changed my life: I drive the bus again.",
    "For years we walked around that field. Now we plant rice on it.",
    "They listened to us, and they came back when they said they would.",
]


def _fill(rng, s, countries):
    y = rng.randint(2006, 2012)
    c = rng.choice(countries)
    return s.format(n="{:,}".format(rng.choice([2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 15, 20, 25, 30,
                                                  40, 48, 60, 75, 120, 250, 800, 1200, 3500, 18000])),
                    y=y, y2=y + rng.randint(1, 3), c=c,
                    c2=rng.choice([x for x in countries if x != c]),
                    m="{:,}".format(rng.randint(4, 90) * 100), p=rng.randint(20, 95))


def prose_sentence(rng, countries):
    """One English sentence of the field, about 8 to 30 words."""
    k = rng.random()
    if k < 0.12:
        return _fill(rng, rng.choice(STATEMENTS), countries)
    adv = rng.choice(ADVERBS)
    clause = "%s %s%s %s" % (rng.choice(SUBJECTS), (adv + " ") if adv else "",
                             rng.choice(VERBS), rng.choice(OBJECTS))
    if rng.random() < 0.6:
        clause += " " + rng.choice(PLACES)
    if rng.random() < 0.5:
        clause += " " + rng.choice(TIMES)
    if rng.random() < 0.45:
        clause += ", %s %s %s %s" % (rng.choice(LINKS), rng.choice(SUBJECTS),
                                     rng.choice(VERBS), rng.choice(OBJECTS))
        if rng.random() < 0.3:
            clause += " " + rng.choice(PLACES)
    if rng.random() < 0.3:
        clause = rng.choice(OPENERS) + " " + clause
    clause = _fill(rng, clause, countries)
    return clause[0].upper() + clause[1:] + "."


def prose_paragraph(rng, words, countries):
    out, count = [], 0
    while count < words:
        s = prose_sentence(rng, countries)
        out.append(s)
        count += len(s.split())
    return " ".join(out)


def excel_like(path):
    """Rewrite an openpyxl workbook the way Excel saves one: strings in a
    shared-string table, cells holding their index. openpyxl writes every
    string inline, which doubles the sheet XML a reader must parse; the
    sample States send are Excel files."""
    import re
    import zipfile
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    table, index = [], {}

    def shared(m):
        text = m.group(2)
        if text not in index:
            index[text] = len(table)
            table.append(text)
        return b'<c%s t="s"><v>%d</v></c>' % (m.group(1), index[text])

    cell = re.compile(rb'<c([^>]*?) t="inlineStr"><is><t(?: xml:space="preserve")?>(.*?)</t></is></c>', re.S)
    for name in sorted(parts):
        if name.startswith("xl/worksheets/sheet") and name.endswith(".xml"):
            parts[name] = cell.sub(shared, parts[name])
    if not table:
        return
    sst = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    sst += b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">' % (len(table), len(table))
    sst += b"".join(b'<si><t xml:space="preserve">' + t + b"</t></si>" for t in table) + b"</sst>"
    parts["xl/sharedStrings.xml"] = sst
    rels = "xl/_rels/workbook.xml.rels"
    parts[rels] = parts[rels].replace(b"</Relationships>", b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml" Id="rIdSst"/></Relationships>')
    ct = "[Content_Types].xml"
    parts[ct] = parts[ct].replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name in parts:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, parts[name])


def photo(i):
    """A deterministic ~100 KB 1200x800 JPEG: smooth colour fields with fine
    grain, made with Pillow (python3-pil, which WeasyPrint needs anyway)."""
    from PIL import Image, ImageFilter
    rng = random.Random(i + 1)
    small = Image.frombytes("RGB", (60, 40), rng.randbytes(60 * 40 * 3))
    img = small.resize((1200, 800), Image.BICUBIC).filter(ImageFilter.GaussianBlur(6))
    grain = Image.frombytes("L", (1200, 800), rng.randbytes(1200 * 800))
    grain = grain.filter(ImageFilter.GaussianBlur(2))
    img = Image.merge("RGB", [Image.blend(c, grain, 0.05) for c in img.split()])
    b = io.BytesIO()
    img.save(b, "JPEG", quality=80)
    return b.getvalue()


def photos(out, count):
    """A few distinct ~100 KB JPEGs, copied so every chapter has its own file."""
    os.makedirs(out, exist_ok=True)
    base = [photo(i) for i in range(min(count, 6))]
    names = []
    for i in range(count):
        name = "photo%04d.jpg" % i
        with open(os.path.join(out, name), "wb") as f:
            f.write(base[i % len(base)])
        names.append(name)
    return names


def catalogue(out, n, rng):
    d = os.path.join(out, "catalogue")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "book.md"), "w") as f:
        f.write("Form: Book\nTitle: Catalogue of best practices (benchmark)\n"
                "Editors: Mexico; Spain\nDeadline: 2012-04-30\nPage limit: 10\n\n"
                "## Foreword\n\n%s\n\n## Introduction\n\n%s\n" %
                (prose_paragraph(rng, 200, COUNTRIES), prose_paragraph(rng, 300, COUNTRIES)))
    names = photos(os.path.join(d, "photos"), n)
    for i in range(n):
        c = COUNTRIES[i % len(COUNTRIES)]
        partner = COUNTRIES[(i * 7 + 3) % len(COUNTRIES)]
        area = AREAS[i % 6]
        with open(os.path.join(d, "c%04d.md" % i), "w") as f:
            f.write("Form: Contribution\nCountry: %s\nTitle: Project %d on %s\n"
                    "Role: %s\nScope: Bilateral\nAreas: %s; CA\nPartners: %s; UNDP\n"
                    "Period: 2009-2012\nBudget: USD %d\nAuthor: %s\n"
                    "Contact: %s <contact%d@example.org>\nReceived: 2012-04-%02d\n"
                    "Rights: cleared\n\n" %
                    (c, i, rng.choice(WORDS), rng.choice(["Donor", "Recipient", "Both"]),
                     area, partner, rng.randint(10, 900) * 1000, PEOPLE[i % len(PEOPLE)],
                     PEOPLE[(i + 1) % len(PEOPLE)], i, 1 + i % 28))
            p = [c, partner, "Lao PDR", "Côte d'Ivoire", "Türkiye", "Bosnia and Herzegovina"]
            f.write("## Summary\n\n%s\n\n%s\n\n" % (prose_paragraph(rng, 180, p),
                                                     prose_paragraph(rng, 140, p)))
            f.write("## Results\n\n%s\n\n" % prose_paragraph(rng, 150, p))
            f.write("## Lessons learned\n\n%s\n\n- %s\n- %s\n\n" %
                    (prose_paragraph(rng, 120, p), prose_sentence(rng, p), prose_sentence(rng, p)))
            f.write("## Testimonials\n\n> %s %s\n>\n> — %s, survivor, %s\n\n" %
                    (rng.choice(QUOTES), prose_paragraph(rng, 45, p), PEOPLE[(i + 2) % len(PEOPLE)], c))
            f.write('## Photographs\n\n![%s](photos/%s "Credit: %s")\n' %
                    (_fill(rng, "Survey team at work %s, {y}." % rng.choice(PLACES), p), names[i],
                     PEOPLE[(i + 3) % len(PEOPLE)]))


def portal(out, m, rng):
    d = os.path.join(out, "portal")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "digest.md"), "w") as f:
        f.write("Form: Digest\nTitle: Cooperation Portal (benchmark)\nLifespan: 12\n"
                "Warning: 30\nIssued by: Implementation Support Unit\n\n"
                "## Introduction\n\n%s\n" % paragraph(rng, 80))
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    head = ["Submitter", "Submitter type", "Title", "Areas", "Assistance", "Countries",
            "Amount", "Contact", "Submitted", "Valid until", "Description"]
    sheets = {k: wb.create_sheet(k) for k in ("Needs", "Offers", "Experiences")}
    for ws in sheets.values():
        ws.append(head)
    for i in range(m):
        kind = ("Needs", "Offers", "Experiences")[0 if i % 5 < 2 else (1 if i % 5 < 4 else 2)]
        c = COUNTRIES[i % len(COUNTRIES)]
        sub = datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randint(0, 320))
        areas = "; ".join(rng.sample(AREAS[:6], rng.randint(1, 2)))
        assist = "; ".join(rng.sample(ASSIST, rng.randint(1, 3)))
        countries = c if kind == "Needs" else rng.choice(["Any", c + "; " + COUNTRIES[(i + 5) % len(COUNTRIES)]])
        sheets[kind].append([c, "State Party", "Entry %d %s" % (i, rng.choice(WORDS)), areas, assist,
                             countries, "USD %d" % (rng.randint(5, 500) * 1000),
                             "Focal point <fp%d@example.org>" % i, sub, None,
                             paragraph(rng, 60)])
    wb.save(os.path.join(d, "register.xlsx"))
    excel_like(os.path.join(d, "register.xlsx"))


def progress(out, s, a, fnd, rng):
    d = os.path.join(out, "progress")
    os.makedirs(d, exist_ok=True)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    acts = wb.create_sheet("Actions")
    acts.append(["Plan", "Action", "Area", "Text"])
    for j in range(a):
        acts.append(["Benchmark Action Plan", "#%d" % (j + 1), AREAS[j % 7], sentence(rng, 10)])
    st = wb.create_sheet("Status")
    st.append(["Country", "Period", "Action", "Status"])
    scale = ["Completed", "In progress", "Not started", "No information"]
    # Synthetic State names are countries from the M49 list when S is small;
    # beyond that, the generator cycles and the duplicate rows are skipped.
    import itertools
    states = list(itertools.islice(itertools.cycle(ALL_STATES), s))
    seen = set()
    for st_name in states:
        if st_name in seen:
            continue
        seen.add(st_name)
        for period in ("2011", "2012"):
            for j in range(a):
                st.append([st_name, period, "#%d" % (j + 1), rng.choice(scale)])
    rep = wb.create_sheet("Reports")
    rep.append(["Country", "Report", "Due", "Submitted"])
    for st_name in sorted(seen):
        due = datetime.date(2012, 4, 30)
        sub = due + datetime.timedelta(days=rng.randint(-20, 60))
        rep.append([st_name, "Annual 2012", due, sub if rng.random() < 0.8 else None])
    fu = wb.create_sheet("Funding")
    fu.append(["Donor", "Recipient", "Year", "Area", "Amount"])
    for k in range(fnd):
        fu.append([rng.choice(COUNTRIES[15:]), rng.choice(COUNTRIES[:12] + ["Global"]),
                   rng.choice([2010, 2011, 2012]), rng.choice(AREAS[:6]),
                   rng.randint(10, 5000) * 100])
    wb.save(os.path.join(d, "progress-data.xlsx"))
    excel_like(os.path.join(d, "progress-data.xlsx"))


ALL_STATES = COUNTRIES + [
    "Albania", "Andorra", "Antigua and Barbuda", "Belgium", "Belize", "Benin", "Bolivia",
    "Botswana", "Bulgaria", "Burkina Faso", "Burundi", "Cabo Verde", "Cameroon", "Canada",
    "Comoros", "Congo", "Cook Islands", "Costa Rica", "Cuba", "Cyprus", "Czechia", "Denmark",
    "Dominica", "Dominican Republic", "Ecuador", "El Salvador", "Eswatini", "Fiji", "France",
    "Gambia", "Ghana", "Grenada", "Guatemala", "Guinea", "Guyana", "Haiti", "Holy See",
    "Honduras", "Hungary", "Iceland", "Italy", "Jamaica", "Liechtenstein", "Lithuania",
    "Luxembourg", "Madagascar", "Malawi", "Mali", "Malta", "Mauritania", "Mauritius",
    "Moldova", "Monaco", "Namibia", "Nauru", "Nicaragua", "Niger", "Nigeria", "Niue",
    "North Macedonia", "Palau", "Panama", "Paraguay", "Philippines", "Portugal", "Rwanda",
    "Saint Kitts and Nevis", "Saint Lucia", "Saint Vincent and the Grenadines", "Samoa",
    "San Marino", "Senegal", "Seychelles", "Slovakia", "Slovenia", "Somalia", "South Africa",
    "Sri Lanka", "State of Palestine", "Togo", "Trinidad and Tobago", "Tunisia", "Uganda",
    "UK", "Uruguay", "Zambia", "Angola", "Argentina", "Bahamas", "Bangladesh", "Barbados",
    "Bhutan", "Brazil", "Brunei", "Cambodia", "Central African Republic", "Djibouti",
    "Egypt", "Equatorial Guinea", "Eritrea", "Estonia", "Ethiopia", "Finland", "Gabon",
    "Georgia", "Greece", "Indonesia", "Jordan", "Kazakhstan", "Kenya", "Kiribati",
    "Kuwait", "Kyrgyzstan", "Latvia", "Lesotho", "Liberia", "Libya", "Malaysia",
    "Maldives", "Marshall Islands", "Micronesia", "Mongolia", "Morocco", "Nepal", "Oman",
    "Papua New Guinea", "Qatar", "Romania", "Solomon Islands", "Sudan", "Suriname",
    "Tajikistan", "Thailand", "Timor-Leste", "Tonga", "Tuvalu", "Vanuatu", "Yemen",
    "Zimbabwe"]


def cells(out, rows, rng):
    """A Needs register of ROWS x 20 cells: the 14 entry columns (strings,
    amounts, real dates) and 6 working columns an ISU would add."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Needs"
    head = ["Submitter", "Submitter type", "Title", "Areas", "Assistance", "Countries", "Amount",
            "Contact", "Submitted", "Valid until", "Renewed", "Reference", "Description",
            "How to apply", "Notes", "Focal point", "Phone", "Priority", "Follow-up", "Score"]
    ws.append(head)
    base = datetime.date(2025, 1, 1)
    for r in range(rows - 1):
        c = COUNTRIES[r % len(COUNTRIES)]
        sub = base + datetime.timedelta(days=r % 600)
        ws.append([c, "State Party", "Need %d: %s %s" % (r, rng.choice(WORDS), rng.choice(WORDS)),
                   rng.choice(AREAS[:6]), rng.choice(ASSIST), c,
                   "USD %d,000" % rng.randint(5, 900), "%s <fp%d@example.org>" % (rng.choice(PEOPLE), r),
                   sub, sub + datetime.timedelta(days=365), sub + datetime.timedelta(days=30),
                   "B-%06d" % r, sentence(rng, 20), sentence(rng, 12), sentence(rng, 6),
                   rng.choice(PEOPLE), "+41 22 %07d" % r, rng.randint(1, 5),
                   base + datetime.timedelta(days=r % 900), rng.random() * 100])
    wb.save(os.path.join(out, "register.xlsx"))
    excel_like(os.path.join(out, "register.xlsx"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--contributions", type=int, default=0)
    ap.add_argument("--entries", type=int, default=0)
    ap.add_argument("--states", type=int, default=0)
    ap.add_argument("--actions", type=int, default=0)
    ap.add_argument("--funding", type=int, default=0)
    ap.add_argument("--cells", type=int, default=0, help="rows of a 20-column workbook")
    a = ap.parse_args()
    rng = random.Random(20121111)
    os.makedirs(a.out, exist_ok=True)
    if a.contributions:
        catalogue(a.out, a.contributions, rng)
    if a.entries:
        portal(a.out, a.entries, rng)
    if a.states and a.actions:
        progress(a.out, a.states, a.actions, a.funding, rng)
    if a.cells:
        cells(a.out, a.cells, rng)
    return 0


if __name__ == "__main__":
    sys.exit(main())
