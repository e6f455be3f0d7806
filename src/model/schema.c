/* schema.c — the field tables of forms.md §5 (see schema.h). */
#include "schema.h"

#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "vocab.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const sch_field contribution_f[] = {
    {"Country", SCH_COUNTRIES, 0, 1,
     "The contributing State; for a joint contribution several, separated by ';', the first "
     "leading",
     "Lao PDR"},
    {"Title", SCH_TEXT, 0, 1, "The cooperation project's name",
     "Triangular cooperation on victim assistance"},
    {"Role", SCH_VOCAB, VOC_ROLE, 1, "Your State's role in the project", "Recipient"},
    {"Scope", SCH_VOCAB, VOC_SCOPE, 1, "Bilateral, Regional or Multilateral", "Bilateral"},
    {"Partnership", SCH_VOCABS, VOC_PARTNERSHIP, 0, "Who took part, several separated by ';'",
     "Inter-governmental; Civil society"},
    {"Modality", SCH_VOCABS, VOC_MODALITY, 0, "North-South, South-South or Triangular (optional)",
     "Triangular"},
    {"Areas", SCH_VOCABS, VOC_AREA, 1,
     "Thematic areas, the primary one first (code, name or 'Article N')", "VA; CA"},
    {"Partners", SCH_PARTIES, 0, 0, "Partner countries or organisations, separated by ';'",
     "Mexico; Handicap International"},
    {"Period", SCH_PERIOD, 0, 0, "Years of the project: 2009-2012 or one year", "2010-2012"},
    {"Location", SCH_TEXT, 0, 0, "Where the project took place", "Xieng Khouang province"},
    {"Budget", SCH_AMOUNT, 0, 0, "Amount with its currency code", "USD 1,250,000"},
    {"Author", SCH_TEXT, 0, 1, "Who wrote this text (all material is attributed)",
     "María Ramírez, Ministry of Labour and Social Welfare"},
    {"Contact", SCH_TEXT, 0, 1, "Name and e-mail of the contact person",
     "María Ramírez <m.ramirez@example.org>"},
    {"Received", SCH_DATE, 0, 0, "Date the contribution was received (YYYY-MM-DD)", "2012-04-20"},
    {"Rights", SCH_TEXT, 0, 1,
     "'cleared' when the material carries no copyright or other IP restriction", "cleared"},
};
static const sch_section contribution_s[] = {
    {"Summary", 1, "What the project did, for whom, with whom"},
    {"Results", 0, "What changed, with figures where you have them"},
    {"Lessons learned", 0, "What worked, what did not, what you would advise others"},
    {"Testimonials", 0, "Quotations as block quotes, the last line '— Name, role, place'"},
    {"Photographs", 0, "Images: ![Caption](photos/file.jpg \"Credit: Name\")"},
};

static const sch_field book_f[] = {
    {"Title", SCH_TEXT, 0, 1, "The book's title",
     "Catalogue of best practices and lessons learned"},
    {"Subtitle", SCH_TEXT, 0, 0, "A subtitle", "Cooperation and assistance under the Convention"},
    {"Editors", SCH_PARTIES, 0, 1, "Editors, e.g. the coordinators, separated by ';'",
     "Mexico; Spain"},
    {"Date", SCH_DATE, 0, 0, "Publication date (YYYY-MM-DD)", "2012-06-30"},
    {"Deadline", SCH_DATE, 0, 0, "Deadline for contributions (YYYY-MM-DD)", "2012-04-30"},
    {"Page limit", SCH_INT, 0, 0, "Most pages one contribution may take (default 10)", "10"},
    {"Meeting", SCH_TEXT, 0, 0, "The meeting the book is a contribution to",
     "Third Meeting of the States Parties"},
};
static const sch_section book_s[] = {
    {"Foreword", 0, "The editors' foreword"},
    {"Introduction", 0, "How the catalogue was compiled and how to read it"},
};

static const sch_field entry_f[] = {
    {"Type", SCH_VOCAB, VOC_ENTRY_TYPE, 0, "Need, Offer or Experience (only in an Entries sheet)",
     "Need"},
    {"Submitter", SCH_PARTY, 0, 1, "The State or organisation submitting the entry", "Lao PDR"},
    {"Submitter type", SCH_VOCAB, VOC_SUBMITTER, 1,
     "State Party, Signatory, Other State, International organization, Non-governmental "
     "organization or Other",
     "State Party"},
    {"Title", SCH_TEXT, 0, 1, "A short title", "Mechanical clearance equipment for Savannakhet"},
    {"Areas", SCH_VOCABS, VOC_AREA, 1, "Thematic areas, the first is the main one", "CL"},
    {"Assistance", SCH_VOCABS, VOC_ASSISTANCE, 1, "Kinds of assistance, separated by ';'",
     "Equipment; Training"},
    {"Countries", SCH_COUNTRIES_ANY, 0, 0,
     "Countries concerned (needs) or eligible (offers: 'Any' for all)", "Lao PDR"},
    {"Amount", SCH_AMOUNT, 0, 0,
     "Needs: estimated cost; offers: resources available; with currency code", "USD 450,000"},
    {"Contact", SCH_TEXT, 0, 1, "Name and e-mail",
     "National Regulatory Authority <nra@example.org>"},
    {"Submitted", SCH_DATE, 0, 1, "Date submitted (YYYY-MM-DD)", "2026-03-02"},
    {"Valid until", SCH_DATE, 0, 0,
     "Last day the entry is valid (default: submitted + the portal's lifespan)", "2027-03-01"},
    {"Renewed", SCH_DATE, 0, 0, "Date the entry was last renewed", ""},
    {"Reference", SCH_TEXT, 0, 0, "Leave empty: the ISU assigns one", ""},
};
static const sch_section entry_s[] = {
    {"Description", 1, "What is needed or offered, where, for whom"},
    {"How to apply", 0, "Offers: requirements to submit projects, how to access support"},
};

static const sch_field digest_f[] = {
    {"Title", SCH_TEXT, 0, 1, "The digest's title", "Cooperation Portal: needs and offers"},
    {"Lifespan", SCH_INT, 0, 0, "Months an entry stays valid unless renewed (default 12)", "12"},
    {"Warning", SCH_INT, 0, 0, "Days before expiry to flag an entry (default 30)", "30"},
    {"Restricted", SCH_BOOL, 0, 0, "yes: the PDF is encrypted; give the password at build time",
     "yes"},
    {"Issued by", SCH_TEXT, 0, 0, "Who issues the digest", "Implementation Support Unit"},
    {"Previous edition", SCH_DATE, 0, 0,
     "Date of the last edition: the portal site lists what is new since then (YYYY-MM-DD)",
     "2026-05-15"},
};
static const sch_section digest_s[] = {
    {"Introduction", 0, "A few words for the readers of the digest"},
};

static const sch_field action_f[] = {
    {"Plan", SCH_TEXT, 0, 1, "The action plan", "Vientiane Action Plan"},
    {"Action", SCH_ACTION_ID, 0, 1, "The action's number", "#63"},
    {"Area", SCH_VOCAB, VOC_AREA, 1, "The action's thematic area", "NI"},
    {"Text", SCH_TEXT, 0, 1, "Short wording of the action",
     "Adopt national legislation to implement the Convention"},
    {"Statuses", SCH_LIST, 0, 0,
     "Allowed status values, best first, separated by ';' (default: Completed; In progress; Not "
     "started; No information)",
     ""},
};
static const sch_field status_f[] = {
    {"Plan", SCH_TEXT, 0, 0,
     "The action plan (needed when an action number exists in several plans)", ""},
    {"Country", SCH_COUNTRY, 0, 1, "The State", "New Zealand"},
    {"Period", SCH_PERIOD_KEY, 0, 1, "Year or date of the progress report", "2012"},
    {"Action", SCH_ACTION_ID, 0, 1, "The action's number", "#63"},
    {"Status", SCH_TEXT, 0, 1, "One of the action's statuses", "Completed"},
    {"Note", SCH_TEXT, 0, 0, "A short note", ""},
    {"Source", SCH_TEXT, 0, 0, "Where the information comes from", "Article 7 report 2012"},
};
static const sch_field report_f[] = {
    {"Country", SCH_COUNTRY, 0, 1, "The State", "Chile"},
    {"Report", SCH_TEXT, 0, 1, "'Initial' or 'Annual YYYY'", "Annual 2012"},
    {"Due", SCH_DATE, 0, 1, "Due date (YYYY-MM-DD)", "2012-04-30"},
    {"Submitted", SCH_DATE, 0, 0, "Date submitted (empty when not yet)", "2012-05-14"},
};
static const sch_field funding_f[] = {
    {"Donor", SCH_PARTY, 0, 1, "The donor State or organisation", "Norway"},
    {"Recipient", SCH_PARTY, 0, 1, "The recipient country, or 'Global'", "Lao PDR"},
    {"Year", SCH_YEAR, 0, 1, "Year", "2011"},
    {"Area", SCH_VOCAB, VOC_AREA, 1, "Thematic area", "CL"},
    {"Amount", SCH_AMOUNT, 0, 1, "Amount in US dollars", "1250000"},
};
static const sch_field paper_f[] = {
    {"Convention", SCH_TEXT, 0, 0,
     "The line above the symbol (default: Convention on Cluster Munitions)",
     "Convention on Cluster Munitions"},
    {"Symbol", SCH_TEXT, 0, 1, "Document symbol", "CCM/MSP/2013/WP.4"},
    {"Date", SCH_DATE, 0, 1, "Date of the paper (YYYY-MM-DD)", "2013-06-26"},
    {"Original", SCH_TEXT, 0, 0, "Original language", "English"},
    {"Distribution", SCH_TEXT, 0, 0, "Distribution", "General"},
    {"Meeting", SCH_TEXT, 0, 1, "The meeting", "Fourth Meeting of the States Parties"},
    {"Venue", SCH_TEXT, 0, 1, "Place and dates", "Lusaka, 10–13 September 2013"},
    {"Item", SCH_TEXT, 0, 0, "Agenda item", "10 (g)"},
    {"Item title", SCH_TEXT, 0, 0, "Title of the agenda item", "Cooperation and assistance"},
    {"Title", SCH_TEXT, 0, 1, "Title of the paper", "Cooperation and assistance"},
    {"Submitted by", SCH_TEXT, 0, 1, "Who submits the paper", "Mexico and Sweden"},
};

static const sch_field letter_f[] = {
    {"Senders", SCH_PARTIES, 0, 1,
     "The one or two States or bodies that send the letter, separated by ';'", "Mexico; Sweden"},
    {"Place", SCH_TEXT, 0, 1, "Where the letter is written", "Geneva"},
    {"Date", SCH_DATE, 0, 1, "Date of the letter (YYYY-MM-DD)", "2013-04-03"},
    {"Reference", SCH_TEXT, 0, 0, "The senders' file reference, if any", ""},
    {"Addressee", SCH_TEXT, 0, 1,
     "To whom the letter goes (a recipients list replaces it with each mission's address)",
     "To the Permanent Representatives of the States Parties to the Convention on Cluster "
     "Munitions, Geneva"},
    {"Salutation", SCH_TEXT, 0, 1, "The greeting (a recipients list may give each its own)",
     "Dear Excellency,"},
    {"Closing", SCH_TEXT, 0, 1, "The closing formula",
     "We avail ourselves of this opportunity to renew the assurances of our highest "
     "consideration."},
    {"Signatory", SCH_TEXT, 0, 1, "Name; title; post (the family name as it is written)",
     "Juan José GÓMEZ CAMACHO; Ambassador; Permanent Representative of Mexico"},
    {"Signatory 2", SCH_TEXT, 0, 0, "The second signatory, if two sign: name; title; post",
     "Jan KNUTSSON; Ambassador; Permanent Representative of Sweden"},
    {"Letterhead", SCH_TEXT, 0, 0,
     "Optional images, one per sender, separated by ';' (JPEG or PNG next to the form)", ""},
};
static const sch_field recipient_f[] = {
    {"Mission", SCH_TEXT, 0, 1, "The Permanent Mission the letter goes to",
     "Permanent Mission of Chile"},
    {"Address", SCH_TEXT, 0, 1, "The address block, several lines allowed",
     "Permanent Mission of Chile to the United Nations Office at Geneva"},
    {"Salutation", SCH_TEXT, 0, 0, "The greeting for this mission (default: the letter's)",
     "Excellency,"},
    {"E-mail", SCH_TEXT, 0, 0, "Where the letter is sent", "mission.chile@example.org"},
};

static const sch_form forms[K_COUNT] = {
    [K_CONTRIBUTION] = {K_CONTRIBUTION, "Contribution", "contribution", 0, contribution_f,
                        N(contribution_f), contribution_s, N(contribution_s)},
    [K_BOOK] = {K_BOOK, "Book", "book", 0, book_f, N(book_f), book_s, N(book_s)},
    [K_NEED] = {K_NEED, "Need", "need", 0, entry_f, N(entry_f), entry_s, N(entry_s)},
    [K_OFFER] = {K_OFFER, "Offer", "offer", 0, entry_f, N(entry_f), entry_s, N(entry_s)},
    [K_EXPERIENCE] = {K_EXPERIENCE, "Experience", "experience", 0, entry_f, N(entry_f), entry_s,
                      N(entry_s)},
    [K_DIGEST] = {K_DIGEST, "Digest", "digest", 0, digest_f, N(digest_f), digest_s, N(digest_s)},
    [K_ACTION] = {K_ACTION, "Actions", "actions", 1, action_f, N(action_f), NULL, 0},
    [K_STATUS] = {K_STATUS, "Status", "status", 1, status_f, N(status_f), NULL, 0},
    [K_REPORT] = {K_REPORT, "Reports", "reports", 1, report_f, N(report_f), NULL, 0},
    [K_FUNDING] = {K_FUNDING, "Funding", "funding", 1, funding_f, N(funding_f), NULL, 0},
    [K_PAPER] = {K_PAPER, "Paper", "paper", 0, paper_f, N(paper_f), NULL, 0},
    [K_LETTER] = {K_LETTER, "Letter", "letter", 0, letter_f, N(letter_f), NULL, 0},
    [K_RECIPIENT] = {K_RECIPIENT, "Recipients", "recipients", 1, recipient_f, N(recipient_f), NULL,
                     0},
};

const sch_form *sch_form_get(rec_kind k)
{
	return (unsigned)k < K_COUNT ? &forms[k] : NULL;
}

/* Name keys of every field and section, folded once (ms_name_key). */
#define MAX_KEYS 32 /* fields (or sections) of a form, at most */
static char *keys[K_COUNT][2][MAX_KEYS];

static const char *key_of(rec_kind k, int sec, size_t i, const char *name)
{
	if (i >= MAX_KEYS)
		return NULL;
	if (!keys[k][sec][i])
		keys[k][sec][i] = ms_name_key(name);
	return keys[k][sec][i];
}

static int find_name(const sch_form *f, int sec, const char *name)
{
	char buf[64], *heap = NULL;
	const char *key = ms_name_key_ascii(name, buf, sizeof buf);
	if (!key)
		key = heap = ms_name_key(name);
	int found = -1;
	size_t n = sec ? f->nsections : f->nfields;
	for (size_t i = 0; key && i < n && found < 0; i++) {
		const char *ck =
		    key_of(f->kind, sec, i, sec ? f->sections[i].name : f->fields[i].name);
		if (ck && strcmp(ck, key) == 0)
			found = (int)i;
	}
	free(heap);
	return found;
}

int sch_field_find(const sch_form *f, const char *name)
{
	return f ? find_name(f, 0, name) : -1;
}

int sch_section_find(const sch_form *f, const char *name)
{
	return f ? find_name(f, 1, name) : -1;
}
