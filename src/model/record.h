/* record.h — validated records of every form kind, with source positions.
 *
 * The model turns reader output (mdform.h fields and sections, sheet.h cells)
 * into typed records. All validation and diagnostics of forms.md and rules.md
 * live here. A record that has an error is kept with `rejected = 1` and its
 * first error as `reason` (the report and the registers list it); builders
 * skip rejected records.
 *
 * Ownership: a rec_set owns every record, string and cmark node in it;
 * everything is freed by rec_set_free.
 */
#ifndef MS_RECORD_H
#define MS_RECORD_H

#include <cmark-gfm.h>
#include <stddef.h>

#include "../read/sheet.h"
#include "../util/diag.h"
#include "value.h"
#include "vocab.h"

typedef enum {
	K_CONTRIBUTION,
	K_BOOK,
	K_NEED,
	K_OFFER,
	K_EXPERIENCE,
	K_DIGEST,
	K_ACTION,
	K_STATUS,
	K_REPORT,
	K_FUNDING,
	K_PAPER,
	K_LETTER,    /* a co-chairs' or President's letter (Markdown only) */
	K_RECIPIENT, /* a recipients list's row, for mail merge */
	K_COUNT
} rec_kind;

const char *rec_kind_name(rec_kind k); /* "Contribution", "Need", ... */
/* Kind from a Form: value or a sheet/CSV name, singular or plural,
 * case-insensitive ("Needs", "entries" -> K_COUNT+1 for the Entries sheet).
 * Returns -1 when unknown. */
#define REC_ENTRIES_SHEET 100
int rec_kind_lookup(const char *name);

/* Which inputs/ folder a kind belongs to ("catalogue", "portal",
 * "progress", "papers"). */
const char *rec_kind_folder(rec_kind k);

/* A country or an organisation (rules.md 11). */
typedef struct rec_party {
	int country; /* country id (country.h), or -1 for an organisation */
	char *name;  /* canonical country name, or the organisation as written */
} rec_party;

typedef struct rec_parties {
	rec_party *v;
	size_t n;
} rec_parties;

/* Areas in the order given; the first is the primary one. */
typedef struct rec_areas {
	unsigned char v[AREA_COUNT];
	int n;
} rec_areas;

/* Every record starts with this. */
typedef struct rec_base {
	rec_kind kind;
	ms_pos pos;   /* where the record starts; strings owned by the set */
	int rejected; /* 1: left out of documents, listed in the report */
	char *reason; /* first error, when rejected */
	char *file;   /* the source file (== pos.file) */
	size_t seq;   /* order of reading (stable tie-breaker) */
} rec_base;

typedef struct rec_contribution {
	rec_base b;
	rec_parties countries; /* >= 1, all countries; the first leads */
	char *title;
	int role, scope;      /* vocab indices */
	unsigned partnership; /* bit i = VOC_PARTNERSHIP value i */
	unsigned modality;    /* bit i = VOC_MODALITY value i */
	rec_areas areas;      /* >= 1 */
	rec_parties partners; /* countries or organisations */
	val_period period;    /* y0 == 0: not given */
	char *location;       /* NULL: not given */
	val_amount budget;    /* currency[0] == 0: not given */
	char *author, *contact;
	ms_day received; /* MS_NO_DAY: not given */
	int rights_cleared;
	/* Sections, each an owned CMARK_NODE_DOCUMENT or NULL. Image URLs are
	 * rewritten to paths that open from the current directory. */
	cmark_node *summary, *results, *lessons, *testimonials, *photographs;
} rec_contribution;

typedef struct rec_book {
	rec_base b;
	char *title, *subtitle, *meeting;
	rec_parties editors;
	ms_day date, deadline; /* MS_NO_DAY when not given */
	int page_limit;        /* default 10 */
	cmark_node *foreword, *introduction;
} rec_book;

/* Need, Offer and Experience share one record (b.kind tells which). */
typedef struct rec_entry {
	rec_base b;
	rec_party submitter;
	int submitter_type; /* VOC_SUBMITTER index */
	char *title;
	rec_areas areas;
	unsigned assistance; /* bit i = VOC_ASSISTANCE value i */
	int *countries;      /* country ids */
	size_t ncountries;
	int any_country;   /* Countries: Any (offers, experiences) */
	val_amount amount; /* currency[0] == 0: not given */
	char *contact;
	ms_day submitted, valid_until, renewed; /* MS_NO_DAY when not given */
	char *reference;                        /* given, or generated (rules.md 21) */
	int reference_generated;
	cmark_node *description, *how_to_apply;
} rec_entry;

typedef struct rec_digest {
	rec_base b;
	char *title, *issued_by;
	int lifespan_months; /* default 12 */
	int warning_days;    /* default 30 */
	int restricted;
	ms_day previous_edition; /* MS_NO_DAY when not given */
	cmark_node *introduction;
} rec_digest;

typedef struct rec_action {
	rec_base b;
	char *plan;
	char *action; /* normalised id: no leading '#', no spaces ("63", "4.1") */
	char *label;  /* as written ("#63") */
	int area;
	char *text;
	char **statuses; /* best first; always ends with "No information" */
	size_t nstatuses;
} rec_action;

typedef struct rec_status {
	rec_base b;
	int country;
	char *period;          /* as written ("2012", "2013-06-30") */
	ms_day period_day;     /* sort key: a year orders as its 31 December */
	char *plan;            /* NULL when the row has no Plan */
	char *action;          /* normalised like rec_action.action */
	char *status;          /* as written; matched against the scale at link time */
	int status_index;      /* index in the action's scale after rec_set_link */
	const rec_action *act; /* resolved at link time */
	char *note, *source;
} rec_status;

typedef struct rec_report {
	rec_base b;
	int country;
	char *report;          /* "Initial" or "Annual 2012" */
	ms_day due, submitted; /* submitted MS_NO_DAY when not yet */
} rec_report;

typedef struct rec_funding {
	rec_base b;
	rec_party donor;
	rec_party recipient; /* country, or organisation-like "Global" */
	int year;
	int area;
	double amount; /* USD */
} rec_funding;

typedef struct rec_paper {
	rec_base b;
	char *name; /* the file's base name without .md (out/papers/NAME.pdf) */
	char *convention, *symbol, *original, *distribution, *meeting, *venue;
	char *item, *item_title, *title, *submitted_by;
	ms_day date;
	cmark_node *body;
} rec_paper;

/* A signature block: "name; title; post" as written. */
typedef struct rec_signatory {
	char *name, *title, *post; /* title and post may be NULL */
} rec_signatory;

typedef struct rec_letter {
	rec_base b;
	char *name;          /* the file's base name without .md (letters/NAME.pdf) */
	rec_parties senders; /* one or two */
	char *place, *reference, *addressee, *salutation, *closing;
	ms_day date;
	rec_signatory sig[2];
	int nsig;            /* 1 or 2 */
	char *letterhead[2]; /* resolved image paths, or NULL: a name block */
	cmark_node *body;
} rec_letter;

/* One mission of a recipients list (mail merge). */
typedef struct rec_recipient {
	rec_base b;
	char *mission, *address; /* address: lines separated by '\n' */
	char *salutation;        /* NULL: the letter's */
	char *email;             /* NULL when not given (a warning) */
} rec_recipient;

/* One input file and what became of it (the report: nothing unaccounted). */
typedef enum { FILE_READ, FILE_ASSET, FILE_SKIPPED, FILE_NOT_READ, FILE_FAILED } rec_file_state;

typedef struct rec_file {
	char *path;
	rec_file_state state;
	char *note;               /* why skipped / not read / failed, or NULL */
	size_t nrecords[K_COUNT]; /* records read from it, per kind */
	size_t nrejected;
	char **skipped_sheets; /* sheets skipped (instructions, lists) */
	size_t nskipped_sheets;
} rec_file;

typedef struct rec_set {
	rec_contribution **contributions;
	size_t ncontributions;
	rec_book **books;
	size_t nbooks;
	rec_entry **entries; /* needs, offers and experiences together */
	size_t nentries;
	rec_digest **digests;
	size_t ndigests;
	rec_action **actions;
	size_t nactions;
	rec_status **statuses;
	size_t nstatuses;
	rec_report **reports;
	size_t nreports;
	rec_funding **fundings;
	size_t nfundings;
	rec_paper **papers;
	size_t npapers;
	rec_letter **letters;
	size_t nletters;
	rec_recipient **recipients;
	size_t nrecipients;
	rec_file *files;
	size_t nfiles;
	void *pool; /* private */
} rec_set;

rec_set *rec_set_new(void);
void rec_set_free(rec_set *s); /* NULL-safe */

/* Read a file or a folder (recursively, in name order) into the set.
 * `root` is the inputs tree: image paths must resolve inside it (rules.md
 * 31). `expect` is the folder name the records must belong to ("catalogue",
 * "portal", "progress", "papers"), or NULL to accept every kind; a record of
 * another kind is an error saying where it belongs. Returns 0, or -1 only
 * when the environment failed (out of memory): input errors are diagnostics. */
int rec_load(rec_set *s, const char *path, const char *root, const char *expect, ms_diags *d);

/* Read the recipients list of a mail merge given on the command line,
 * whatever its file or sheet is called (see record.c). 0, or -1 when the
 * environment failed. */
int rec_load_recipients(rec_set *s, const char *path, const char *root, ms_diags *d);

/* Account for a file or folder that is not read as input (cli.md: nothing
 * read is unaccounted for). */
void rec_note_file(rec_set *s, const char *path, rec_file_state state, const char *note);

/* Cross-record validation after loading: duplicate portal references and
 * generated ones (rules.md 21), Status rows against Actions (rules.md 5,
 * 25, 26), one Book / one Digest. */
void rec_set_link(rec_set *s, ms_diags *d);

/* Reject a record: sets rejected/reason (first reason wins) and adds an
 * MS_ERROR diagnostic at pos. */
void rec_reject(rec_set *s, rec_base *r, ms_diags *d, const ms_pos *pos, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Write the "inputs" part of the report: every file, its state, records per
 * kind, rejected records with reasons. Appends to buf (util/buf.h). */
struct ms_buf;
void rec_set_report(const rec_set *s, struct ms_buf *out);

#endif
