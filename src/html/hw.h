/* hw.h — the static website back-end: pages given as document trees
 * (doc/tree.h) written as one self-contained folder of HTML, with a search
 * index built here, and every page's content encrypted when a password is
 * given (AES-256-GCM under a PBKDF2-HMAC-SHA256 key, OpenSSL's libcrypto;
 * the page's script decrypts it with the browser's WebCrypto).
 *
 * The back-end sees only what is handed to it: the site's settings, its
 * pages and the search documents. It never reads records.
 *
 * What the trees may hold, and how it is written:
 *   HEADING (level 1..4 -> h2..h5: the page's title is its h1), PARA, LIST,
 *   ITEM, QUOTE, CODE, RULE, TABLE/ROW/CELL (a header ROW's cells are th
 *   scope="col"; a body cell whose first PARA has style "th" is th
 *   scope="row"; a TABLE's caption is its caption), BOX (an aside). Runs:
 *   bold, italic, mono; links are http(s), mailto, "#anchor", or a path
 *   relative to the site's root ("entries/x.html?area=2"), written relative
 *   to the page; anything else is written as plain text.
 *   A body ROW's `style`, when set, is its filter keys: tokens separated by
 *   spaces, written as data-f; a page's filters (below) show only the rows
 *   holding, for each filter set, the filter's key followed by its value,
 *   or the key followed by '*' (a row for every value: "country*").
 *   The filters' form goes before the page's first table.
 *   A node's id becomes the element's id; a PARA style "lead" or "note"
 *   becomes its class.
 */
#ifndef HW_HW_H
#define HW_HW_H

#include <stddef.h>

#include "../doc/tree.h"
#include "../util/diag.h"

/* A select box over a page's table rows. */
typedef struct hw_filter {
	const char *key;     /* token prefix, letters only: "area" matches "area3" */
	const char *label;   /* "Area" */
	const char **values; /* token suffixes */
	const char **labels; /* what the reader sees, one per value */
	size_t nvalues;
} hw_filter;

typedef struct hw_page {
	const char *path;  /* relative to the site: "index.html", "entries/x.html" */
	const char *title; /* the h1 and the <title> */
	const dt_node *body;
	int nav; /* index of the navigation item this page is under, or -1 */
	const hw_filter *filters;
	size_t nfilters;
	int search; /* 1: the search page (the box and its results) */
} hw_page;

typedef struct hw_link {
	const char *label, *path;
} hw_link;

/* One entry of the search index. */
typedef struct hw_doc {
	const char *path, *title, *meta; /* meta: one line under the title */
	const char *text;                /* the words to find it by */
} hw_doc;

typedef struct hw_site {
	const char *lang;   /* "en" */
	const char *name;   /* the banner and every <title> */
	const char *footer; /* one line at the foot of every page */
	const char *locked; /* restricted: the paragraph above the password box */
	const hw_link *nav;
	size_t nnav;
	const char *css, *js; /* the stylesheet and the script, copied in */
	/* NULL: the site is written in the clear. Else every page's content,
	 * the title, and the search index are encrypted; the password is used
	 * for the key and never written. */
	const char *password;
	unsigned iterations; /* PBKDF2 iterations (>= 600,000 when restricted) */
} hw_site;

typedef struct hw_stats {
	size_t pages, files, bytes;
	int encrypted;
} hw_stats;

/* A site being written, page by page: the caller may free each page's tree
 * once hw_add returns. */
typedef struct hw_writer hw_writer;

/* Starts a site for dir: a new folder beside it is filled, and put in its
 * place by hw_close, so a reader never sees half a site and pages no longer
 * published disappear. The key (when restricted) is derived meanwhile.
 * site and its strings must live until hw_close. NULL with an MS_ENV
 * diagnostic on failure. */
hw_writer *hw_open(const hw_site *site, const char *dir, ms_diags *d);
/* Writes a page (or keeps its content until the key is there). 0, or -1
 * with a diagnostic; after a failure hw_close only cleans up. */
int hw_add(hw_writer *w, const hw_page *page);
/* Adds an entry to the search index (the strings are copied). */
int hw_add_doc(hw_writer *w, const hw_doc *doc);
/* Writes the search index, the stylesheet and the script, and puts the
 * folder in dir's place. An existing dir is replaced only when it is a
 * site this back-end wrote (it holds .mspdoc-site); else an error says to
 * choose another folder. ok 0: the caller failed, only clean up. Frees w.
 * Returns 0, or -1 with an MS_ENV diagnostic. */
int hw_close(hw_writer *w, int ok, hw_stats *stats);

#endif
