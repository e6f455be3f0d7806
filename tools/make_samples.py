#!/usr/bin/python3
"""Write the spreadsheet and CSV files of the sample inputs tree (inputs/).

The Markdown forms of the sample are written by hand and live in inputs/
directly; this script writes what is awkward to keep by hand:

  inputs/catalogue/contribution-switzerland.xlsx   Form sheet + Instructions
  inputs/catalogue/contribution-bosnia.xlsx        Form sheet + Instructions
  inputs/portal/register.xlsx                      Needs, Offers, Experiences
  inputs/portal/offers-2013.csv                    ';'-delimited, Excel style
  inputs/progress/progress-data.xlsx               Actions, Status, Reports, Funding
  inputs/progress/funding-2012.csv                 UTF-8 with BOM, ','-delimited

The data are fictional but modelled on the Convention on Cluster Munitions:
real States and kinds of organisations, invented people, projects and
figures; e-mail addresses use the reserved .example domain. The portal's
dates are chosen to be meaningful around 2026-11-24 (valid, expiring, expired
and not yet published entries); the progress data cover 2011 and 2012.

The output is deterministic: workbook timestamps and zip entry dates are
fixed, so running the script again changes nothing.

Usage: /usr/bin/python3 tools/make_samples.py [INPUTS_DIR]
"""
import csv
import datetime as dt
import hashlib
import io
import os
import sys
import zipfile

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

D = dt.date
FIXED = dt.datetime(2026, 11, 24, 9, 0, 0)
HEAD_FONT = Font(bold=True, color="FFFFFF")
HEAD_FILL = PatternFill("solid", fgColor="1F4E79")
WRAP = Alignment(wrap_text=True, vertical="top")


# ---------------------------------------------------------------------------
# Writing helpers


def new_book():
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "Implementation Support Unit"
    wb.properties.lastModifiedBy = "Implementation Support Unit"
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    return wb


def save(wb, path):
    """Save, then rewrite the zip with fixed entry dates (deterministic)."""
    raw = io.BytesIO()
    wb.save(raw)
    src = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            zi = zipfile.ZipInfo(info.filename, date_time=(2026, 11, 24, 9, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            out.writestr(zi, data)


def table_sheet(wb, name, header, rows, widths=None, date_fmt="yyyy-mm-dd"):
    ws = wb.create_sheet(name)
    ws.append(header)
    for c in ws[1]:
        c.font = HEAD_FONT
        c.fill = HEAD_FILL
    for r in rows:
        ws.append(list(r))
    for row in ws.iter_rows(min_row=2):
        for c in row:
            if isinstance(c.value, (dt.date, dt.datetime)):
                c.number_format = date_fmt
            if isinstance(c.value, str) and len(c.value) > 60:
                c.alignment = WRAP
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for i, w in enumerate(widths or []):
        ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width = w
    return ws


def instructions_sheet(wb, title, lines):
    ws = wb.create_sheet("Instructions")
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    for i, line in enumerate(lines, start=3):
        ws.cell(row=i, column=1, value=line).alignment = WRAP
    ws.column_dimensions["A"].width = 110
    return ws


def write_csv(path, header, rows, delimiter=",", bom=False):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    with open(path, "wb") as f:
        f.write((b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode("utf-8"))


# ---------------------------------------------------------------------------
# Catalogue: two contributions sent as XLSX Form sheets

CONTRIBUTION_HELP = [
    "How to fill in this form",
    "Write one field per row in the sheet 'Form': the field name in column A, your answer in column B.",
    "Required: Country, Title, Role, Scope, Areas, Author, Contact, Rights.",
    "Role: Donor, Recipient or Both. Scope: Bilateral, Regional or Multilateral.",
    "Partnership (several): Inter-governmental; International organizations; Civil society.",
    "Modality (several, optional): North-South; South-South; Triangular.",
    "Areas: the primary area first: UN, SD, CL, VA, CA, TR, NI (or their names, or 'Article N').",
    "Long fields (Summary, Results, Lessons learned, Testimonials, Photographs) take Markdown: "
    "blank lines between paragraphs, '- ' for list items, '> ' for quotations.",
    "Send photographs as separate JPEG files and name them in the Photographs field.",
    "Rights: write 'cleared' only when no copyright or other intellectual property right restricts the material.",
    "Texts and testimonials in English, not more than 10 pages. Deadline: 30 April 2012.",
]

SWISS_SUMMARY = """\
Poorly stored ammunition is a humanitarian risk long before it is used. In
West Africa, several depot explosions in the past decade killed and injured
civilians living near military sites. When Guinea-Bissau and Côte d'Ivoire
declared that their armed forces held cluster munitions, mostly old
air-dropped bombs and rockets kept alongside conventional ammunition, the
first question was not how to destroy them but how to keep them safe until
they could be destroyed.

Switzerland financed, from 2011, a regional project implemented by the United
Nations Mine Action Service (UNMAS) with the two Governments. It combined
three kinds of work:

1. **Assessment.** Joint teams of national and UNMAS ammunition technicians
   visited the main depots, recorded every lot and classified items by
   condition: safe to store, safe to move, or to be destroyed in place.
2. **Safe storage.** The most dangerous depots near populated areas were
   emptied; a small number of storage buildings were rehabilitated with
   lightning protection, ventilation and fencing, and storekeepers were
   trained in accounting and inspection.
3. **Destruction.** Cluster munitions and other unserviceable ammunition were
   destroyed, by open detonation at military ranges, by national teams under
   UNMAS supervision.

Switzerland's contribution was financial and technical: besides the funds,
two Swiss ammunition experts took part in the assessments and in the
training of national staff.
"""

SWISS_RESULTS = """\
- In Guinea-Bissau the declared stockpile of cluster munitions was destroyed
  in full by the end of 2011, together with some 40 tonnes of other
  unserviceable ammunition.
- In Côte d'Ivoire, the assessment covered 11 depots; cluster munitions
  found in two of them were moved to a single secured site pending
  destruction, which started in March 2012.
- 64 national storekeepers and technicians were trained; 23 of them are
  now certified to supervise destruction by open detonation.
- Both Governments reported the results in their Article 7 reports, and
  Côte d'Ivoire cited the project when it deposited its instrument of
  ratification in March 2012.
"""

SWISS_LESSONS = """\
Treating cluster munitions as part of the wider ammunition stockpile was the
right choice. A project limited to cluster munitions would have left the
most dangerous depots as they were, and national authorities were more
willing to open all their depots to an assessment that served their own
safety.

Destruction capacity must stay in the country. By training national teams
to do the work, rather than bringing in contractors, the project left skills
that are already being used for other unserviceable ammunition.

Regional approaches need national ownership. The two countries' situations
differed; joint training sessions were useful, but each national plan was
drafted and approved separately.
"""

SWISS_TESTIMONIALS = """\
> Before the assessment, our depot was a place we avoided. Now every lot has
> a card, every card has a date, and I know what is inside each building.
>
> — Storekeeper, armed forces depot, Bissau

> Switzerland did not only pay. Their experts stood next to ours at the range
> and checked every charge. That is how trust is built.
>
> — Lt. Col. Koffi N'GUESSAN, Ammunition Technical Officer, Abidjan
"""

SWISS_PHOTOS = """\
![Destruction of unserviceable munitions by open detonation at a military range](photos/open-detonation-range.jpg "Credit: Laurence Bühler / Swiss FDFA")
"""

BIH_SUMMARY = """\
Bosnia and Herzegovina was struck by cluster munitions during the conflict of
1992–1995 and again in the years that followed, when the remnants were
rarely recorded separately from other explosive ordnance. When the country
ratified the Convention in 2010, nobody could say with confidence how much
land was contaminated by cluster munitions, where exactly, or by which types.
Without that baseline neither the clearance deadline of Article 4 nor the
Article 7 reports could be taken seriously.

From 2010 to 2011 the Bosnia and Herzegovina Mine Action Centre (BHMAC) and
Norwegian People's Aid (NPA) carried out a nationwide non-technical survey of
cluster munition contamination, financed by Norway with a contribution from
the United Kingdom. Survey teams:

- searched the archives of the former armies and of earlier clearance
  projects for strike records;
- visited every municipality reported as affected and interviewed local
  authorities, police, hunters, farmers and foresters;
- walked the sites, recorded evidence of strikes (fragments, tail units,
  craters, unexploded submunitions) and drew the boundaries of confirmed
  hazardous areas on the national mine action database.
"""

BIH_RESULTS = """\
The survey confirmed contamination in 53 municipalities and cancelled a large
part of the land that had been suspected without evidence.

| Entity | Municipalities visited | Strike sites confirmed | Confirmed hazardous area (km²) | Suspected area cancelled (km²) |
|---|---:|---:|---:|---:|
| Federation of Bosnia and Herzegovina | 61 | 214 | 8.9 | 21.4 |
| Republika Srpska | 44 | 117 | 4.6 | 12.8 |
| Brčko District | 1 | 3 | 0.2 | 0.5 |
| **Total** | **106** | **334** | **13.7** | **34.7** |

For the first time, the Article 7 report submitted in 2012 gave figures for
cluster munition contamination separately from mines. The survey data are
now the basis of the national clearance plan, which prioritises the 41 strike
sites closest to houses, schools and roads.
"""

BIH_LESSONS = """\
Survey is cheaper than clearance, and tells you where not to clear. Every
square kilometre cancelled on the basis of evidence saved months of work for
clearance teams.

People remember strikes for decades. The most valuable sources were not
military archives but foresters, hunters and older residents who had seen the
strikes or found submunitions.

A joint team is stronger than either partner alone. BHMAC brought authority
and access to records; NPA brought a survey methodology tested in other
countries and the capacity to field teams quickly.

Record cluster munitions separately from the start. For fifteen years
submunitions found during mine clearance were entered in the database as
"other explosive ordnance". Re-reading those records took a third of the
survey's office time; a separate category, introduced in 2010, now avoids the
problem.

What we would do differently: involve the entity civil protection services
earlier. They hold records of every item reported by the public since the
war, and when they joined the survey in its second year the number of
confirmed strike sites rose noticeably.
"""

BIH_TESTIMONIALS = """\
> Our team walked more than two thousand kilometres in eighteen months. What
> made it worthwhile was the day a farmer in Stolac was given back a field
> his family had not touched since the war, because we could show there was
> nothing there.
>
> — Jasmin HODŽIĆ, survey team leader, Norwegian People's Aid

> We knew about the bombs on the hill since 1995. Nobody asked us before. Now
> there are signs, and the school bus takes the other road until it is
> cleared.
>
> — Resident, Stolac municipality
"""

BIH_PHOTOS = """\
![A survey team follows a taped lane while recording a strike site in Herzegovina](photos/survey-lane-herzegovina.jpg "Credit: Saša Marjanović / BHMAC")
"""


def contribution_workbook(path, fields):
    wb = new_book()
    instructions_sheet(wb, "Catalogue of best practices: contribution form", CONTRIBUTION_HELP)
    ws = wb.create_sheet("Form")
    ws.append(["Field", "Value"])
    for c in ws[1]:
        c.font = HEAD_FONT
        c.fill = HEAD_FILL
    for k, v in fields:
        ws.append([k, v])
    for row in ws.iter_rows(min_row=2):
        row[1].alignment = WRAP
        if isinstance(row[1].value, dt.date):
            row[1].number_format = "d mmmm yyyy"
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 100
    wb.active = 1
    save(wb, path)


def catalogue(root):
    d = os.path.join(root, "catalogue")
    contribution_workbook(os.path.join(d, "contribution-switzerland.xlsx"), [
        ("Form", "Contribution"),
        ("Country", "Switzerland"),
        ("Title", "Safe storage before destruction: ammunition safety and cluster munitions in West Africa"),
        ("Role", "Donor"),
        ("Scope", "Regional"),
        ("Partnership", "International organizations; Inter-governmental"),
        ("Modality", "North-South"),
        ("Areas", "SD; CA"),
        ("Partners", "Guinea-Bissau; Ivory Coast; UNMAS"),
        ("Period", "2011-2012"),
        ("Location", "Bissau and Bafatá (Guinea-Bissau); Abidjan and Bouaké (Côte d'Ivoire)"),
        ("Budget", "CHF 1,150,000"),
        ("Author", "Laurence BÜHLER, Programme Officer, Human Security Division, Federal Department of Foreign Affairs"),
        ("Contact", "Laurence Bühler <laurence.buehler@eda.example>"),
        ("Received", D(2012, 4, 25)),
        ("Rights", "cleared"),
        ("Summary", SWISS_SUMMARY),
        ("Results", SWISS_RESULTS),
        ("Lessons learned", SWISS_LESSONS),
        ("Testimonials", SWISS_TESTIMONIALS),
        ("Photographs", SWISS_PHOTOS),
    ])
    contribution_workbook(os.path.join(d, "contribution-bosnia.xlsx"), [
        ("Form", "Contribution"),
        ("Country", "Bosnia and Herzegovina"),
        ("Title", "Finding the footprints: a national survey of cluster munition contamination"),
        ("Role", "Recipient"),
        ("Scope", "Bilateral"),
        ("Partnership", "Civil society; Inter-governmental"),
        ("Modality", "North-South"),
        ("Areas", "Clearance and risk reduction education; Transparency measures"),
        ("Partners", "Norwegian People's Aid; Norway; UK"),
        ("Period", "2010–2011"),
        ("Location", "Federation of Bosnia and Herzegovina, Republika Srpska and Brčko District"),
        ("Budget", "BAM 1,900,000"),
        ("Author", "Saša MARJANOVIĆ, Head of Survey Department, Bosnia and Herzegovina Mine Action Centre"),
        ("Contact", "Saša Marjanović <s.marjanovic@bhmac.example>"),
        ("Received", "2012-04-16"),
        ("Rights", "cleared"),
        ("Summary", BIH_SUMMARY),
        ("Results", BIH_RESULTS),
        ("Lessons learned", BIH_LESSONS),
        ("Testimonials", BIH_TESTIMONIALS),
        ("Photographs", BIH_PHOTOS),
    ])


# ---------------------------------------------------------------------------
# Portal: the ISU's register of needs, offers and experiences
#
# As of 2026-11-24 with a 12-month lifespan and a 30-day warning: "valid"
# ends after 2026-12-24, "expiring" ends 2026-11-24..2026-12-24, "expired"
# ends before 2026-11-24, "future" is submitted after 2026-11-24. The last
# element of each tuple is that expectation, used only by the summary below.

ENTRY_HEADER = ["Submitter", "Submitter type", "Title", "Areas", "Assistance", "Countries",
                "Amount", "Contact", "Submitted", "Valid until", "Renewed", "Reference",
                "Description", "How to apply"]

NEEDS = [
    ("Lao PDR", "State Party",
     "Mechanical ground preparation for the clearance of farmland in Xieng Khouang and Savannakhet",
     "CL; CA", "Equipment; Financial", "Lao PDR", "USD 1,450,000",
     "National Regulatory Authority <nra.planning@nra.example>", D(2026, 2, 16), None, None, "",
     "Much of the contaminated farmland in Xieng Khouang and Savannakhet is covered by dense "
     "scrub that slows manual clearance teams to a few hundred square metres a day. Four "
     "medium ground-preparation machines with spare parts and two low-loader trucks would "
     "let the national operator and its partners prepare ground ahead of the teams and "
     "roughly double the land released each season. Operators and mechanics are available; "
     "training by the supplier should be included.", None, "valid"),
    ("Lebanon", "State Party",
     "Vocational training and small grants for survivors in South Lebanon",
     "VA", "Training; Financial", "Lebanon", "USD 380,000",
     "Lebanon Mine Action Centre, Victim Assistance Section <va@lmac.example>", "2026-03-09", None, None,
     "CP-2026-007",
     "About 400 survivors of cluster munition and other explosive ordnance accidents in the "
     "Nabatieh and South governorates are of working age and without a regular income. The "
     "Lebanon Mine Action Centre seeks support for a two-year programme of vocational courses "
     "(agriculture, mechanics, information technology, tailoring) and small grants for "
     "income-generating activities, delivered with national NGOs and the peer support "
     "network.", None, "valid"),
    ("Chad", "State Party",
     "Survey of remaining cluster munition remnants in Ennedi",
     "CL", "Technical expertise; Financial", "Chad", "USD 650,000",
     "Haut Commissariat National au Déminage <hcnd@hcnd.example>", D(2025, 11, 3), None, None, "",
     "Chad reported cluster munition remnants in the Ennedi region, where access is difficult "
     "and population movements are seasonal. A non-technical and technical survey is needed to "
     "confirm the remaining hazardous areas before clearance can be planned. Chad seeks an "
     "experienced partner to field a survey team with national staff for one dry season.",
     None, "expired"),
    ("Guinea-Bissau", "State Party",
     "Safe storage and destruction of residual munitions found in military depots",
     "SD; CA", "Technical expertise; Equipment", "Guinea-Bissau", "USD 95,000",
     "Ministry of Defence, Directorate of Logistics <logistica@mdef.example>", D(2026, 6, 22),
     D(2026, 12, 10), None, "",
     "During an inventory of two depots in 2026, a small quantity of submunitions and "
     "unserviceable ammunition was found that had not been declared in earlier reports. "
     "Guinea-Bissau needs an ammunition technical adviser for about six weeks and explosives, "
     "accessories and protective equipment to destroy the items and close the depots safely. "
     "The destruction will be reported under Article 7.", None, "expiring"),
    ("Colombia", "State Party",
     "Psychosocial support and peer networks for survivors in rural municipalities",
     "VA", "Information and good practices; Technical expertise", "Colombia", "USD 240,000",
     "Descontamina Colombia, Victim Assistance Team <asistencia@descontamina.example>",
     "2026-08-17", None, None, "",
     "Colombia seeks exchanges with States and organisations that have set up peer support "
     "networks of survivors, and technical advice to adapt such a model to rural "
     "municipalities where state services are thin. A study visit for six officials and "
     "survivors' representatives, and a technical adviser for three months, are foreseen.",
     None, "valid"),
    ("Bosnia and Herzegovina", "State Party",
     "Completion of cluster munition clearance in Herzegovina",
     "CL", "Financial; Equipment", "Bosnia and Herzegovina", "EUR 1,200,000",
     "Bosnia and Herzegovina Mine Action Centre <planning@bhmac.example>", D(2025, 4, 10), None,
     D(2026, 4, 2), "CP-2025-019",
     "The remaining confirmed cluster munition hazardous areas are concentrated in "
     "Herzegovina, on karst terrain where mechanical support is essential. Funding for two "
     "clearance teams for eighteen months and a remote-controlled ground-preparation machine "
     "would allow the remaining strike sites near settlements to be released before the "
     "extended Article 4 deadline.", None, "valid"),
    ("Montenegro", "State Party",
     "Clearance of cluster munition remnants around Golubovci",
     "CL", "Technical expertise; Financial", "Montenegro", "EUR 640,000",
     "Directorate for Emergency Situations <des@mup.example>", "2026-01-20", "2026-12-15", None, "",
     "The last known cluster munition contaminated areas in Montenegro lie in farmland and "
     "wetland near Golubovci, south of Podgorica. Montenegro has national deminers but needs "
     "an experienced partner for technical survey in wet ground and funding for one season of "
     "clearance. Completion would allow Montenegro to declare compliance with Article 4.",
     None, "expiring"),
    ("Sierra Leone", "State Party",
     "Drafting national legislation to implement the Convention",
     "NI", "Technical expertise; Information and good practices", "Sierra Leone", None,
     "Ministry of Foreign Affairs and International Cooperation, Legal Division <legal@mfa-sl.example>",
     D(2026, 9, 1), None, None, "",
     "Sierra Leone intends to adopt a law making the prohibitions of the Convention offences "
     "under national law. The Law Officers' Department would welcome model legislation, "
     "examples from other common-law States and the support of a legal adviser during "
     "drafting and parliamentary review.", None, "valid"),
    ("Lao PDR", "State Party",
     "Equipment for provincial rehabilitation centres",
     "VA", "Equipment; Training", "Lao PDR", "USD 720,000",
     "Ministry of Health, Rehabilitation Department <rehab@moh.example>", D(2024, 10, 5), None, None, "",
     "Three provincial rehabilitation centres in the most contaminated provinces need "
     "physiotherapy equipment, prosthetic components and training for their technicians, so "
     "that survivors no longer travel to Vientiane for fitting and repairs.", None, "expired"),
    ("Somalia", "State Party",
     "Explosive ordnance risk education for families returning to Bay and Bakool",
     "CL", "Training; Financial", "Somalia", "USD 310,000",
     "Somali Explosive Management Authority <sema@sema.example>", "2026-12-01", None, None, "",
     "Families displaced by drought and conflict are returning to villages in Bay and Bakool "
     "where cluster munition remnants and other explosive ordnance have been reported. "
     "Somalia seeks support to train community volunteers and run risk education sessions "
     "before and during the return season.", None, "future"),
    ("Peru", "State Party",
     "Information management system for Article 7 reporting",
     "TR", "Equipment; Financial", "Peru", "USD 60,000",
     "Centro Peruano de Acción contra las Minas Antipersonal <contumaz@contraminas.example>",
     D(2026, 7, 7), None, None, "",
     "Peru would like to replace spreadsheets with a small database for the information it "
     "reports each year under Article 7 and under other instruments: servers, software "
     "licences and the costs of migrating historical data.", None, "valid"),
    ("Iraq", "State Party",
     "Prosthetic and orthotic services in Basrah",
     "VA", "Equipment; Technical expertise", "Iraq", "USD 540,000",
     "Directorate of Mine Action, Victim Assistance Unit <va@dma.example>", D(2025, 9, 15), None,
     D(2026, 9, 10), "",
     "The prosthetic and orthotic workshop in Basrah serves survivors from three southern "
     "governorates with equipment more than fifteen years old. Iraq needs machines and "
     "components and a technical adviser for one year to modernise production and train "
     "eight technicians.", None, "valid"),
    ("Vietnam", "Other State",
     "Survey and clearance of cluster munition remnants in Quang Tri province",
     "CL", "Technical expertise; Equipment", "Viet Nam", "USD 1,800,000",
     "Viet Nam National Mine Action Centre <vnmac@vnmac.example>", D(2026, 4, 14), None, None, "",
     "Although not a party to the Convention, Viet Nam shares information on its cluster "
     "munition contamination. Quang Tri province remains among the most affected areas in "
     "the world; the provincial programme seeks survey equipment, detectors and technical "
     "advice on evidence-based survey of cluster munition strikes.", None, "valid"),
    ("DR Congo", "Signatory",
     "Clearance of cluster munition remnants in Équateur and Tshopo provinces",
     "CL", "Financial; Training", "Democratic Republic of the Congo", "USD 900,000",
     "Centre Congolais de Lutte Antimines <ccla@ccla.example>", "2026-10-02", None, None, "",
     "Cluster munition remnants have been found near former front lines along the Congo "
     "river. The Democratic Republic of the Congo, a signatory, seeks funding and training "
     "for two national clearance teams, including women deminers, for one year.", None, "valid"),
]

OFFERS = [
    ("Norway", "State Party",
     "Humanitarian disarmament funding: clearance, victim assistance and stockpile destruction",
     "CL; VA; SD", "Financial", "Any", "NOK 120 million",
     "Ministry of Foreign Affairs, Section for Humanitarian Affairs <humanitarian-disarmament@mfa.example>",
     D(2026, 1, 15), None, None, "",
     "Norway funds clearance, risk education, victim assistance and stockpile destruction "
     "through multi-year agreements with national authorities, the United Nations and "
     "humanitarian organisations. Priority goes to States Parties with obligations under "
     "Articles 3, 4 and 5 and clear national plans.",
     "Send a concept note (three pages at most) with the national plan it supports to the "
     "section above. Proposals received by 1 March are considered for the following year.",
     "valid"),
    ("Switzerland", "State Party",
     "Expertise in ammunition safety and stockpile destruction",
     "SD; CL", "Technical expertise; Training", "Any", "CHF 1,500,000",
     "Federal Department of Foreign Affairs, Peace and Human Rights Division <pdhr-ma@eda.example>",
     "2026-03-02", None, None, "",
     "Switzerland can second ammunition technical officers and explosive ordnance disposal "
     "experts for short missions (two to eight weeks) to assess stockpiles, plan destruction "
     "and train national staff, and co-finance the related costs.",
     "A written request from the national authority, describing the stockpile and the "
     "intended destruction method, through the Swiss embassy or the Permanent Mission in "
     "Geneva.", "valid"),
    ("Japan", "State Party",
     "Grant assistance for clearance equipment and vehicles",
     "CL; VA", "Equipment; Financial", "Lao PDR; Cambodia; Iraq; Lebanon; Colombia", "JPY 950,000,000",
     "Ministry of Foreign Affairs, Conventional Arms Division <ca-division@mofa.example>",
     D(2026, 4, 20), None, None, "",
     "Japan provides grant aid for equipment — detectors, machines, vehicles, rehabilitation "
     "equipment — to national mine action programmes, often combined with training by "
     "partners in the region.",
     "Requests are made through the Embassy of Japan in the requesting country, normally by "
     "the end of the Japanese fiscal year (31 March) for the following year.", "valid"),
    ("Australia", "State Party",
     "Victim assistance and disability inclusion in South-East Asia and the Pacific",
     "VA; CL", "Financial; Technical expertise", "Lao PDR; Viet Nam; Cambodia; Timor-Leste",
     "AUD 10,000,000", "Department of Foreign Affairs and Trade, Mine Action Section <mineaction@dfat.example>",
     D(2025, 7, 1), None, "2026-06-30", "",
     "Australia supports survivors and persons with disabilities through health, "
     "rehabilitation and livelihood programmes integrated in broader development programmes, "
     "and funds survey and clearance in the region.",
     "Contact the Australian embassy in the country concerned; proposals are assessed against "
     "the country development programme.", "valid"),
    ("Ireland", "State Party",
     "Support for survivors and disability-inclusive development",
     "VA", "Financial; Information and good practices", "Lebanon; Lao PDR; Colombia; Iraq",
     "EUR 2,000,000", "Department of Foreign Affairs, Disarmament and Non-Proliferation <dnp@dfa.example>",
     D(2026, 2, 3), None, None, "CP-2026-003",
     "Ireland funds victim assistance that reaches survivors, their families and affected "
     "communities within national disability frameworks, and shares its experience of "
     "including victim assistance in development cooperation.",
     "Submit a proposal of up to five pages with a budget; proposals that involve survivors' "
     "organisations in their design are preferred.", "valid"),
    ("Germany", "State Party",
     "Humanitarian mine and cluster munition action funding",
     "CL; VA", "Financial", "Iraq; Lebanon; Bosnia and Herzegovina; Colombia; Lao PDR; Chad",
     "EUR 5,000,000", "Federal Foreign Office, Division S05 <s05-hma@diplo.example>",
     D(2025, 11, 10), None, None, "",
     "Germany funds survey, clearance, risk education and victim assistance projects "
     "implemented by experienced organisations in partner countries.",
     "Project proposals by implementing organisations, agreed with the national mine action "
     "authority, by 30 September for the following year.", "expired"),
    ("ITF Enhancing Human Security", "Other",
     "Trust fund channel for clearance and rehabilitation projects",
     "CL; VA", "Financial; Technical expertise",
     "Bosnia and Herzegovina; Montenegro; Albania; Lebanon; Ukraine", "EUR 3,000,000",
     "ITF Enhancing Human Security, Ig, Slovenia <info@itf.example>", D(2026, 6, 1), D(2026, 12, 20),
     None, "",
     "The Slovenian trust fund receives contributions from several donors and manages "
     "clearance and rehabilitation projects on their behalf, including tendering, quality "
     "assurance and reporting. Small donors can support a project without their own "
     "procurement system.",
     "Beneficiary States send a request through their national authority; donors contact "
     "the fund to earmark a contribution.", "expiring"),
    ("UNDP", "International organization",
     "Capacity development for national mine action authorities",
     "CL; CA; TR", "Technical expertise; Training", "Any", None,
     "UNDP, Crisis Bureau, Mine Action <mineaction@undp.example>", D(2026, 3, 30), None, None, "",
     "UNDP helps national authorities set up and run mine action programmes: strategic "
     "planning, national standards, information management, resource mobilisation and the "
     "link between clearance and development.",
     "Requests from the national authority to the UNDP country office.", "valid"),
    ("UNMAS", "International organization",
     "Explosive ordnance risk education and survey capacity",
     "CL", "Training; Technical expertise", "Iraq; Somalia; Lebanon; Colombia; DR Congo",
     "USD 1,100,000", "United Nations Mine Action Service <unmas-programmes@un.example>",
     "2026-07-14", None, None, "",
     "UNMAS can train and mentor national risk education and survey teams where it has a "
     "programme, and mobilise funds from the Voluntary Trust Fund for Assistance in Mine "
     "Action.", "Through the UNMAS programme manager in the country.", "valid"),
    ("Humanity & Inclusion", "Non-governmental organization",
     "Rehabilitation, psychosocial support and inclusion of survivors",
     "VA", "Technical expertise; Training; Information and good practices", "Any", None,
     "Humanity & Inclusion, Armed Violence Reduction Unit <avr@hi.example>", D(2026, 5, 26),
     None, None, "",
     "HI offers technical support to ministries and rehabilitation services: physical "
     "rehabilitation, peer support, psychosocial support and economic inclusion, with "
     "training materials in English, French, Spanish and Arabic.",
     "Contact the unit above with a short description of the need.", "valid"),
    ("GICHD", "Other",
     "Information management and standards for clearance and reporting",
     "TR; CL", "Technical expertise; Training; Information and good practices", "Any", None,
     "Geneva International Centre for Humanitarian Demining <im@gichd.example>", "2026-02-25",
     None, None, "",
     "The Centre advises national authorities on information management systems, national "
     "standards, land release and the preparation of Article 7 reports, and trains their "
     "staff in Geneva and in the region.",
     "Requests from national authorities, by e-mail; most services are free of charge.", "valid"),
    ("Mines Advisory Group", "Non-governmental organization",
     "Survey and clearance teams for cluster munition contamination",
     "CL; VA", "Technical expertise; Training", "Lao PDR; Iraq; Lebanon; Chad; Viet Nam", None,
     "MAG, Programmes Directorate <programmes@mag.example>", D(2026, 9, 14), None, None, "",
     "MAG deploys survey, clearance and community liaison teams and trains national staff "
     "to international standards, with particular experience of cluster munition "
     "contamination in South-East Asia and the Middle East.",
     "Contact the directorate; MAG works at the request and under the coordination of the "
     "national authority.", "valid"),
    ("Netherlands", "State Party",
     "Multi-year humanitarian mine action programme: call for proposals",
     "CL; VA", "Financial", "Any", "EUR 45,000,000",
     "Ministry of Foreign Affairs, Stabilisation and Humanitarian Aid <dsh-ma@minbuza.example>",
     D(2024, 3, 1), D(2025, 12, 31), None, "CP-2024-002",
     "A call for proposals from humanitarian organisations for integrated mine action "
     "programmes in selected countries for 2025–2028.",
     "Closed: proposals had to be submitted by the deadline stated in the call.", "expired"),
    ("Mexico", "State Party",
     "South-South exchange on Article 7 reporting and victim assistance",
     "TR; VA", "Information and good practices; Training", "Any", None,
     "Secretariat of Foreign Affairs, Directorate-General for the United Nations <dgonu-desarme@sre.example>",
     D(2026, 10, 20), None, None, "",
     "Mexico offers workshops and peer exchanges for officials of Latin American and "
     "Caribbean States on preparing Article 7 reports and on national victim assistance "
     "frameworks, in Spanish and English.",
     "A letter from the Ministry of Foreign Affairs of the interested State to the "
     "Permanent Mission of Mexico in Geneva.", "valid"),
]

EXPERIENCES = [
    ("Croatia", "State Party",
     "Land release through non-technical survey: completing cluster munition clearance",
     "CL", "Information and good practices", "Croatia", None,
     "Civil Protection Directorate, Mine Action Sector <mineaction@civzast.example>",
     D(2026, 3, 18), None, None, "",
     "Croatia released most of its cluster munition contaminated land through survey rather "
     "than clearance. The experience covers the evidence required to cancel land, the role "
     "of municipalities and the handover of released land to owners.", None, "valid"),
    ("Spain", "State Party",
     "Early destruction of a cluster munition stockpile",
     "SD", "Information and good practices", None, None,
     "Ministry of Defence, Directorate-General for Armament and Material <dgam@mde.example>",
     "2026-01-28", None, None, "",
     "Spain destroyed its stockpile within months of signing the Convention, by contract "
     "with national industry and with full recycling of materials. The paper describes the "
     "contracting, environmental controls and verification arrangements.", None, "valid"),
    ("Mozambique", "State Party",
     "From contamination to a completion declaration",
     "CL; TR", "Information and good practices", "Mozambique", None,
     "Instituto Nacional de Desminagem <ind@ind.example>", D(2025, 5, 6), None, None, "",
     "How Mozambique organised the final survey of residual hazards, the last clearance "
     "tasks and the evidence presented to support its declaration of completion.",
     None, "expired"),
    ("Cluster Munition Coalition", "Non-governmental organization",
     "Civil society monitoring in support of transparency reporting",
     "TR; UN", "Information and good practices", "Any", None,
     "Cluster Munition Coalition <info@cmc.example>", D(2026, 6, 9), None, None, "",
     "The Coalition and its Monitor research team explain how independent monitoring and "
     "national campaigners can help States prepare complete Article 7 reports, and how the "
     "reports are used to encourage States not yet party to join.", None, "valid"),
    ("Austria", "State Party",
     "Victim assistance focal points in national disability coordination",
     "VA", "Information and good practices; Technical expertise", None, None,
     "Federal Ministry for European and International Affairs <abtii8@bmeia.example>",
     D(2024, 11, 14), None, None, "",
     "Austria shares how a victim assistance focal point can work inside the national "
     "disability coordination mechanism rather than beside it.", None, "expired"),
    ("Germany", "State Party",
     "Clearing former military training areas of submunitions",
     "CL", "Information and good practices", "Germany", None,
     "Federal Foreign Office, Division OR10 <or10@diplo.example>", D(2026, 11, 2), D(2026, 12, 5),
     None, "",
     "Germany's remaining cluster munition contamination lies on a former military training "
     "area used until the early 1990s. The experience covers clearance under heavy vegetation "
     "and forest fire risk, and the environmental permits involved.", None, "expiring"),
    ("International Committee of the Red Cross", "International organization",
     "National IHL committees and the implementation of weapons treaties",
     "NI", "Information and good practices; Technical expertise", "Any", None,
     "ICRC Advisory Service on International Humanitarian Law <advisoryservice@icrc.example>",
     "2026-08-25", None, None, "",
     "How national committees on international humanitarian law have helped States review "
     "their legislation and adopt the measures required by Article 9, with model laws for "
     "common-law and civil-law systems.", None, "valid"),
]

# The 2013 offers exported from the ISU's first register, kept as a CSV the
# way Excel writes it in a European locale (';' delimiter, ISO dates as text).
OFFERS_2013 = [
    ("Austria", "State Party", "Support to survivors' networks", "VA", "Financial", "Any",
     "EUR 500 000", "Federal Ministry for European and International Affairs <abtii8@bmeia.example>",
     "2013-03-12", "", "", "",
     "Funding for survivors' networks and peer support in affected States Parties.",
     "Proposals through the Austrian Development Agency.", "expired"),
    ("Norwegian People's Aid", "Non-governmental organization",
     "Technical advice on stockpile destruction", "SD; CL", "Technical expertise; Training", "Any",
     "", "Norwegian People's Aid, Humanitarian Disarmament <hd@npaid.example>", "2013-05-21",
     "", "2026-05-12", "CP-2013-011",
     "Advice and training for the planning and safe destruction of cluster munition stockpiles, "
     "from inventory to verification; renewed in 2026 with updated contacts.",
     "Write to the department above.", "valid"),
    ("Spain", "State Party", "Courses at the International Demining Centre", "CL", "Training",
     "Colombia; Peru; Ecuador; Lebanon; Mauritania", "",
     "Ministry of Defence, International Demining Centre <cid@mde.example>", "2013-09-30", "",
     "2025-09-01", "",
     "Courses in Spanish, English and French for deminers and explosive ordnance disposal "
     "specialists at the Centre near Madrid; travel and board covered for participants.",
     "Nominations through the Spanish embassy.", "expired"),
    ("Chile", "State Party", "Sharing experience in stockpile destruction", "SD",
     "Information and good practices; Technical expertise", "Any", "",
     "Ministry of Foreign Affairs, Directorate of Security <disecom@minrel.example>",
     "2013-07-04", "", "2026-11-05", "",
     "Chile destroyed its stockpile with national military industry and offers to share its "
     "destruction plan, environmental measures and reporting practice.",
     "A note verbale to the Permanent Mission of Chile in Geneva.", "valid"),
]


def entry_rows(entries, with_type=None):
    for e in entries:
        row = [None if v == "" else v for v in e[:14]]  # '' would be an empty string cell
        yield ([with_type] if with_type else []) + row


def portal(root):
    d = os.path.join(root, "portal")
    wb = new_book()
    widths = [24, 20, 48, 12, 30, 28, 18, 40, 12, 12, 12, 16, 80, 60]
    table_sheet(wb, "Needs", ENTRY_HEADER, entry_rows(NEEDS), widths, "d mmm yyyy")
    # The Offers sheet keeps the optional Type column (rules.md 20).
    table_sheet(wb, "Offers", ["Type"] + ENTRY_HEADER, entry_rows(OFFERS, "Offer"), [8] + widths)
    table_sheet(wb, "Experiences", ENTRY_HEADER, entry_rows(EXPERIENCES), widths, "dd/mm/yyyy")
    lists = wb.create_sheet("Lists")
    vocab = {
        "Areas": ["UN", "SD", "CL", "VA", "CA", "TR", "NI"],
        "Assistance": ["Financial", "Technical expertise", "Equipment", "Training",
                       "Information and good practices"],
        "Submitter type": ["State Party", "Signatory", "Other State", "International organization",
                           "Non-governmental organization", "Other"],
    }
    for col, (name, values) in enumerate(vocab.items(), start=1):
        lists.cell(row=1, column=col, value=name).font = Font(bold=True)
        for i, v in enumerate(values, start=2):
            lists.cell(row=i, column=col, value=v)
    dv = DataValidation(type="list", formula1="=Lists!$C$2:$C$7", allow_blank=False)
    for name in ("Needs", "Experiences"):
        ws = wb[name]
        v = DataValidation(type="list", formula1="=Lists!$C$2:$C$7")
        ws.add_data_validation(v)
        v.add("B2:B200")
    wb["Offers"].add_data_validation(dv)
    dv.add("C2:C200")
    save(wb, os.path.join(d, "register.xlsx"))
    write_csv(os.path.join(d, "offers-2013.csv"), ENTRY_HEADER,
              (e[:14] for e in OFFERS_2013), delimiter=";")


# ---------------------------------------------------------------------------
# Progress: Vientiane Action Plan actions, States' status in 2011 and 2012,
# Article 7 reports and recorded international funding.

PLAN = "Vientiane Action Plan"
SCALES = {
    "10": "No stockpile; Destruction completed; Destruction under way; Not started; No information",
    "29": "Focal point designated; Designation under way; No focal point; No information",
    "54": "Submitted on time; Submitted late; Not submitted; No information",
    "63": "Legislation adopted; Existing law deemed sufficient; Draft before parliament; "
          "Under review; Not started; No information",
}
ACTIONS = [
    ("#1", "UN", "Promote adherence to the Convention by every State not yet party, at every opportunity"),
    ("#3", "UN", "Encourage signatories to ratify without delay and offer them practical help to do so"),
    ("#10", "SD", "Destroy all stockpiled cluster munitions as soon as possible, within eight years at the latest"),
    ("#13", "SD", "Report on stockpiles, destruction plans and progress, including methods and sites"),
    ("#18", "CL", "Survey contaminated areas to establish their location, extent and priority"),
    ("#24", "CL", "Provide risk reduction education to communities at risk, adapted to age and gender"),
    ("#29", "VA", "Designate a government focal point to coordinate victim assistance"),
    ("#31", "VA", "Adopt a national plan and budget for victim assistance within wider disability frameworks"),
    ("#42", "CA", "Treat cooperation as more than money: technical help, equipment, information, good practices"),
    ("#43", "CA", "Put in place a framework to identify needs and mobilise resources to meet them"),
    ("#45", "CA", "Promote cooperation among all States Parties, including South-South and triangular"),
    ("#54", "TR", "Submit the annual Article 7 transparency report by 30 April"),
    ("#63", "NI", "Review national law and adopt the legislation needed to implement the Convention"),
    ("#64", "NI", "Make the prohibited activities offences with penal sanctions, including for nationals abroad"),
    ("#65", "NI", "Share information on national implementation measures and ask for help where needed"),
]

# Status codes per scale; the defaults are Completed / In progress / Not started.
CODES = {
    None: {"C": "Completed", "P": "In progress", "N": "Not started"},
    "10": {"S": "No stockpile", "C": "Destruction completed", "U": "Destruction under way", "N": "Not started"},
    "29": {"F": "Focal point designated", "D": "Designation under way", "X": "No focal point"},
    "54": {"O": "Submitted on time", "L": "Submitted late", "X": "Not submitted"},
    "63": {"A": "Legislation adopted", "E": "Existing law deemed sufficient", "D": "Draft before parliament",
           "R": "Under review", "N": "Not started"},
}

# "ACTION:XY" = status X in 2011 and Y in 2012; "-" = no row (counts as No
# information), "I" = an explicit "No information" row.
STATUS = {
    "Afghanistan": "1:-N 3:-N 18:-P 24:-C 29:-F 31:-P 43:-P 54:-I 63:-R 64:-N 65:-N",
    "Albania": "1:PP 3:NP 10:SS 18:CC 24:CC 29:FF 31:PC 43:PP 45:PC 54:OO 63:RD 64:PP 65:NP",
    "Austria": "1:PC 3:PP 10:CC 13:CC 42:CC 43:PP 45:PP 54:OO 63:AA 64:CC 65:PC",
    "Belgium": "1:PP 3:PP 10:CC 13:CC 42:CP 45:PP 54:OL 63:AA 64:CC 65:PP",
    "Bosnia and Herzegovina": "1:NN 10:UU 13:PP 18:PP 24:PP 29:DF 31:NP 43:PP 45:NN 54:LO 63:RR 64:NP 65:-N",
    "Burkina Faso": "1:P- 10:S- 54:L- 63:R- 64:N- 65:N-",
    "Chile": "1:PP 3:PC 10:UC 13:PC 18:PP 29:XD 54:OO 63:DR 64:PP 65:PP",
    "Côte d'Ivoire": "1:-N 10:-I 54:-I 63:-N 64:-N",
    "Croatia": "1:PP 10:UU 13:PP 18:PC 24:CC 29:FF 31:PP 43:CC 45:PC 54:OO 63:EE 64:CC 65:PC",
    "Denmark": "1:PP 10:UU 13:PP 42:CC 43:PP 45:PP 54:OO 63:AA 64:CC 65:PP",
    "Ecuador": "1:PP 10:SS 54:LX 63:RR 64:NN 65:NP",
    "France": "1:CC 3:PC 10:UU 13:PP 42:CC 45:PP 54:OO 63:AA 64:CC 65:PC",
    "Germany": "1:PP 3:PP 10:UU 13:PP 18:PP 24:CC 42:CC 43:PC 45:PP 54:OO 63:AA 64:CC 65:PP",
    "Guinea-Bissau": "1:NN 10:NU 13:NP 18:NP 29:XX 54:XL 63:NR 64:NN 65:-N",
    "Ireland": "1:CC 3:PP 10:SS 42:CC 43:PC 45:PP 54:OO 63:AA 64:CC 65:CC",
    "Italy": "1:PP 10:UU 13:PP 42:PC 63:AA 64:CC 65:NP",
    "Japan": "1:PP 10:UU 13:PP 42:CC 43:PP 45:PC 54:OO 63:AA 64:CC 65:PP",
    "Lao PDR": "1:PP 3:PP 10:SS 18:PP 24:CC 29:FF 31:PC 43:PC 45:PP 54:OO 63:RR 64:NP 65:PP",
    "Lebanon": "1:PP 10:SS 18:PP 24:CC 29:FF 31:CP 43:PP 45:PP 54:OL 63:RD 64:PP 65:NP",
    "Mexico": "1:CC 3:PC 10:SS 42:PC 45:CC 54:OO 63:EE 64:CC 65:CC",
    "Moldova": "1:NP 10:CC 13:CC 54:LO 63:RR 64:NN 65:-N",
    "Montenegro": "1:PP 10:UU 13:PC 18:NP 24:NP 29:DF 43:PP 54:OO 63:RE 64:PP 65:NN",
    "Mozambique": "1:PP 10:CC 18:PC 24:PC 29:FF 31:NP 43:CC 54:-L 63:NR 64:NN 65:NN",
    "Netherlands": "1:PP 10:UU 13:PP 42:CC 43:PP 45:PP 54:-O 63:DA 64:PC 65:NP",
    "New Zealand": "1:CC 3:CC 10:SS 42:CC 43:PC 45:CC 54:OO 63:AA 64:CC 65:CC",
    "Norway": "1:CC 3:CC 10:CC 13:CC 42:CC 43:CC 45:CC 54:OO 63:AA 64:CC 65:CC",
    "Sierra Leone": "1:PP 10:SS 18:PC 29:XX 54:XX 63:NR 64:NN 65:NN",
    "Spain": "1:CC 3:PP 10:CC 13:CC 42:CC 45:CC 54:OO 63:AA 64:CC 65:PC",
    "Switzerland": "1:-P 10:-U 13:-P 42:-C 43:-P 45:-P 54:-I 63:-A 64:-C 65:-P",
    "United Kingdom": "1:PC 10:UU 13:PP 18:PP 42:CC 45:PP 54:OO 63:AA 64:CC 65:PP",
    "Zambia": "1:PC 10:CC 18:CC 29:FF 54:OO 63:RD 64:NP 65:NN",
}
# How a few States are spelled in the rows, as compilers do (rules.md 9).
SPELLING_2012 = {"United Kingdom": "UK", "Lao PDR": "Laos", "Côte d'Ivoire": "Ivory Coast"}

NOTES = {
    ("Belgium", "42", "2012"): "Technical cooperation reduced while the development budget was reorganised",
    ("Chile", "63", "2012"): "Bill withdrawn from Congress for redrafting with the penal code reform",
    ("Ecuador", "54", "2012"): "Report announced but not received by the Implementation Support Unit",
    ("Lebanon", "54", "2012"): "Submitted 11 days after the deadline",
    ("Lebanon", "31", "2012"): "The 2011 plan expired; a new plan and budget are being prepared",
    ("Montenegro", "63", "2012"): "Criminal Code amended in 2011; the Government considers it sufficient",
    ("Netherlands", "63", "2012"): "Act entered into force in 2012",
    ("Chile", "10", "2012"): "Destruction completed in 2011, reported in 2012",
    ("Guinea-Bissau", "10", "2012"): "Destruction started with international support",
    ("Switzerland", "63", "2012"): "War Materiel Act amended before ratification",
    ("Bosnia and Herzegovina", "29", "2012"): "Focal point in the Ministry of Human Rights and Refugees",
}

# Entry into force for each State (first day of the sixth month after
# ratification); the initial report is due 180 days later, an annual report
# every 30 April for the previous year once the State was party on 1 January.
EIF = {
    "Afghanistan": D(2012, 3, 1), "Albania": D(2010, 8, 1), "Austria": D(2010, 8, 1),
    "Belgium": D(2010, 8, 1), "Bosnia and Herzegovina": D(2011, 3, 1), "Burkina Faso": D(2010, 8, 1),
    "Chile": D(2011, 6, 1), "Côte d'Ivoire": D(2012, 9, 1), "Croatia": D(2010, 8, 1),
    "Denmark": D(2010, 8, 1), "Ecuador": D(2010, 11, 1), "France": D(2010, 8, 1),
    "Germany": D(2010, 8, 1), "Guinea-Bissau": D(2011, 5, 1), "Ireland": D(2010, 8, 1),
    "Italy": D(2012, 3, 1), "Japan": D(2010, 8, 1), "Lao PDR": D(2010, 8, 1),
    "Lebanon": D(2011, 5, 1), "Mexico": D(2010, 8, 1), "Moldova": D(2010, 8, 1),
    "Montenegro": D(2010, 8, 1), "Mozambique": D(2011, 9, 1), "Netherlands": D(2011, 8, 1),
    "New Zealand": D(2010, 8, 1), "Norway": D(2010, 8, 1), "Sierra Leone": D(2010, 8, 1),
    "Spain": D(2010, 8, 1), "Switzerland": D(2013, 1, 1), "United Kingdom": D(2010, 11, 1),
    "Zambia": D(2010, 8, 1),
}
# Initial reports: days after (+) or before (-) the due date; None = not submitted.
INITIAL = {
    "Afghanistan": -10, "Albania": -5, "Austria": -27, "Belgium": 12, "Bosnia and Herzegovina": 41,
    "Burkina Faso": 203, "Chile": -3, "Côte d'Ivoire": None, "Croatia": -20, "Denmark": -6,
    "Ecuador": 88, "France": -14, "Germany": -9, "Guinea-Bissau": 150, "Ireland": -30,
    "Italy": 7, "Japan": -2, "Lao PDR": -1, "Lebanon": 19, "Mexico": -11, "Moldova": 64,
    "Montenegro": -4, "Mozambique": 35, "Netherlands": -8, "New Zealand": -25, "Norway": -28,
    "Sierra Leone": None, "Spain": -16, "Switzerland": -6, "United Kingdom": 3, "Zambia": -7,
}
# Annual reports when #54 gives no answer for that year: same convention.
ANNUAL_EXTRA = {("Burkina Faso", 2012): None}
# Days late where a Status note states it.
LATE_DAYS = {("Lebanon", 2012): 11}


def stable(text, n):
    """A small deterministic number from a text (no random module)."""
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) % n


def status_rows():
    rows = []
    for period_i, period in enumerate(("2011", "2012")):
        for state in sorted(STATUS):
            for item in STATUS[state].split():
                act, codes = item.split(":")
                code = codes[period_i]
                if code == "-":
                    continue
                scale = act if act in CODES else None
                status = "No information" if code == "I" else CODES[scale][code]
                name = SPELLING_2012.get(state, state) if period == "2012" else state
                source = {"2011": "Beirut Progress Report (2MSP)", "2012": "Article 7 report 2012"}[period]
                if code == "I":
                    source = "Implementation Support Unit"
                elif stable(state + act + period, 7) == 0:
                    source = "Statement at the intersessional meetings, April " + period
                # The Action column mixes '#63' and numeric cells (63), as compilers do.
                action = "#" + act if stable(state + period, 3) else int(act)
                rows.append((name, int(period) if period_i else period, action, status,
                             NOTES.get((state, act, period), None), source))
    return rows


def report_rows():
    rows = []
    for state in sorted(EIF):
        eif = EIF[state]
        due = eif + dt.timedelta(days=180)
        off = INITIAL[state]
        rows.append((state, "Initial", due, None if off is None else due + dt.timedelta(days=off)))
        codes = dict(i.split(":") for i in STATUS[state].split())
        for i, year in enumerate((2011, 2012)):
            if eif >= D(year, 1, 1):
                continue
            due = D(year, 4, 30)
            code = codes.get("54", "--")[i]
            if code == "O":
                sub = due - dt.timedelta(days=1 + stable(state + str(year), 40))
            elif code == "L":
                late = LATE_DAYS.get((state, year), 3 + stable(state + str(year), 90))
                sub = due + dt.timedelta(days=late)
            elif code == "X":
                sub = None
            elif (state, year) in ANNUAL_EXTRA:
                sub = ANNUAL_EXTRA[(state, year)]
            else:
                sub = due - dt.timedelta(days=stable(state + str(year), 20))
            rows.append((state, f"Annual {year}", due, sub))
    return rows


# Recorded international funding (USD). 2010 and 2011 in the workbook, 2012
# in a CSV. Victim assistance and stockpile destruction together get about a
# tenth of the 2011 total, as the coordinators noted at the time.
FUNDING_2010 = [
    ("Norway", "Lao PDR", "CL", 2800000), ("Norway", "Lebanon", "CL", 2300000),
    ("Norway", "Moldova", "SD", 420000), ("Germany", "Afghanistan", "CL", 2100000),
    ("Japan", "Lao PDR", "CL", 3900000), ("Japan", "Cambodia", "CL", 4600000),
    ("United Kingdom", "Lebanon", "CL", 1500000), ("Netherlands", "Lebanon", "CL", 1200000),
    ("Australia", "Lao PDR", "CL", 2400000), ("Ireland", "Lao PDR", "VA", 500000),
    ("Austria", "Lebanon", "VA", 380000), ("Sweden", "Global", "CA", 600000),
    ("United States of America", "Lao PDR", "CL", 5100000),
]
FUNDING_2011 = [
    ("Norway", "Lao PDR", "CL", 3200000), ("Norway", "Lebanon", "CL", 2600000),
    ("Norway", "Bosnia and Herzegovina", "CL", 1400000), ("Norway", "Montenegro", "SD", 1150000),
    ("Norway", "Global", "CA", 900000), ("Norway", "Lao PDR", "VA", 900000), ("Germany", "Lao PDR", "CL", 1900000),
    ("Germany", "Lebanon", "CL", 2100000), ("Germany", "Iraq", "CL", 1700000),
    ("Germany", "Afghanistan", "CL", 2400000), ("Japan", "Lao PDR", "CL", 4300000),
    ("Japan", "Cambodia", "CL", 5100000), ("Japan", "Afghanistan", "CL", 6800000),
    ("Japan", "Lebanon", "VA", 800000), ("Netherlands", "Lebanon", "CL", 1500000),
    ("Netherlands", "Lao PDR", "CL", 1200000), ("UK", "Lao PDR", "CL", 1600000),
    ("UK", "Lebanon", "CL", 1300000), ("UK", "Viet Nam", "CL", 900000),
    ("United States of America", "Lao PDR", "CL", 5000000), ("United States of America", "Viet Nam", "CL", 3000000),
    ("Australia", "Lao PDR", "CL", 2700000), ("Australia", "Lao PDR", "VA", 1100000),
    ("Ireland", "Lao PDR", "CL", 800000), ("Ireland", "Lebanon", "VA", 350000),
    ("New Zealand", "Lao PDR", "CL", 1000000), ("Switzerland", "Bosnia and Herzegovina", "SD", 400000),
    ("Switzerland", "Global", "CL", 1500000), ("Austria", "Lebanon", "VA", 450000),
    ("Belgium", "Lao PDR", "VA", 250000), ("Sweden", "Global", "CA", 700000),
    ("Spain", "Lebanon", "CL", 600000), ("Denmark", "Iraq", "CL", 1300000),
    ("European Union", "Lao PDR", "CL", 2000000), ("European Union", "Montenegro", "SD", 500000),
    ("Switzerland", "Guinea-Bissau", "SD", 310000), ("ITF Enhancing Human Security", "Albania", "VA", 290000),
]
FUNDING_2012 = [
    ("Norway", "Lao PDR", "CL", 3400000), ("Norway", "Lebanon", "CL", 2200000),
    ("Norway", "Montenegro", "SD", 700000), ("Norway", "Bosnia and Herzegovina", "CL", 1600000),
    ("Norway", "Global", "CA", 950000), ("Germany", "Lebanon", "CL", 1900000),
    ("Germany", "Iraq", "CL", 2000000), ("Germany", "Lao PDR", "VA", 450000),
    ("Japan", "Lao PDR", "CL", 4100000), ("Japan", "Afghanistan", "CL", 6200000),
    ("Japan", "Cambodia", "CL", 4800000), ("Australia", "Lao PDR", "VA", 900000),
    ("Australia", "Lao PDR", "CL", 2900000), ("Ireland", "Lebanon", "VA", 400000),
    ("New Zealand", "Lao PDR", "CL", 1100000), ("Switzerland", "Côte d'Ivoire", "SD", 450000),
    ("Switzerland", "Global", "CL", 1600000), ("Netherlands", "Lebanon", "CL", 1400000),
    ("UK", "Lao PDR", "CL", 1500000), ("Austria", "Albania", "VA", 300000),
    ("Italy", "Lebanon", "VA", 520000), ("Mexico", "Global", "TR", 85000),
    ("New Zealand", "Samoa", "NI", 60000), ("United States of America", "Lao PDR", "CL", 9000000),
]


def share(rows, areas):
    total = sum(r[3] for r in rows)
    return sum(r[3] for r in rows if r[2] in areas) / total


def progress(root):
    d = os.path.join(root, "progress")
    wb = new_book()
    readme = wb.create_sheet("Read me")
    for i, line in enumerate([
            "Progress data for the Oslo Progress Report (3MSP, 2012)",
            "",
            "Actions: the Vientiane Action Plan actions followed in this report, with their status scales.",
            "Status: one row per State, period and action, compiled from Article 7 reports, "
            "statements and the previous progress report.",
            "Reports: Article 7 initial and annual reports, due and received dates.",
            "Funding: international funding recorded for 2010 and 2011 (USD); 2012 is in funding-2012.csv.",
    ], start=1):
        readme.cell(row=i, column=1, value=line)
    readme["A1"].font = Font(bold=True, size=13)
    readme.column_dimensions["A"].width = 110
    table_sheet(wb, "Actions", ["Plan", "Action", "Area", "Text", "Statuses"],
                ((PLAN, a, area, text, SCALES.get(a[1:])) for a, area, text in ACTIONS),
                [22, 8, 6, 90, 70])
    table_sheet(wb, "Status", ["Country", "Period", "Action", "Status", "Note", "Source"],
                status_rows(), [24, 8, 8, 30, 60, 40])
    table_sheet(wb, "Reports", ["Country", "Report", "Due", "Submitted"], report_rows(),
                [24, 14, 12, 12])
    table_sheet(wb, "Funding", ["Donor", "Recipient", "Year", "Area", "Amount"],
                ((dn, rc, y, ar, amt) for y, rows in ((2010, FUNDING_2010), (2011, FUNDING_2011))
                 for dn, rc, ar, amt in rows), [30, 24, 8, 6, 14])
    for c in wb["Funding"]["E"][1:]:
        c.number_format = "#,##0"
    wb.active = 1
    save(wb, os.path.join(d, "progress-data.xlsx"))
    write_csv(os.path.join(d, "funding-2012.csv"), ["Donor", "Recipient", "Year", "Area", "Amount"],
              ((dn, rc, 2012, ar, amt) for dn, rc, ar, amt in FUNDING_2012), bom=True)


# ---------------------------------------------------------------------------


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "inputs")
    for sub in ("catalogue", "portal", "progress"):
        os.makedirs(os.path.join(root, sub), exist_ok=True)
    catalogue(root)
    portal(root)
    progress(root)
    expect = {}
    for kind, rows in (("need", NEEDS), ("offer", OFFERS + OFFERS_2013), ("experience", EXPERIENCES)):
        for r in rows:
            expect.setdefault((kind, r[-1]), 0)
            expect[(kind, r[-1])] += 1
    print("portal entries in register.xlsx and offers-2013.csv, by expected state on 2026-11-24:")
    for k in sorted(expect):
        print(f"  {k[0]:10} {k[1]:8} {expect[k]}")
    print(f"status rows {len(status_rows())}, States {len(STATUS)}, actions {len(ACTIONS)}, "
          f"reports {len(report_rows())}")
    print(f"funding rows {len(FUNDING_2010) + len(FUNDING_2011) + len(FUNDING_2012)}; "
          f"VA+SD share of 2011: {share(FUNDING_2011, ('VA', 'SD')):.1%}")


if __name__ == "__main__":
    main()
