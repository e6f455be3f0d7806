/* tree.h — the document tree: the one data type the layout engine reads.
 *
 * Builders (catalogue, digest, progress, paper) turn records into a tree of
 * blocks holding styled inline runs; the layout engine (layout/) turns the
 * tree into pages. Builders never call libharu; the layout never sees records.
 *
 * Memory: a dt_doc owns an arena; every node, run and string made through
 * these functions lives until dt_doc_free. Strings passed in are copied.
 *
 * Shape:
 *   DOC ─ SECTION* ─ blocks
 *   blocks: HEADING PARA LIST(ITEM*) QUOTE CODE RULE TABLE(ROW(CELL*)*)
 *           IMAGE BOX TOC INDEX CHART SPACE PAGEBREAK
 *   ITEM, QUOTE, BOX, CELL hold blocks; HEADING, PARA hold runs.
 */
#ifndef DT_TREE_H
#define DT_TREE_H

#include <stddef.h>

#include "../util/day.h"
#include "../util/diag.h"

typedef enum {
	DT_DOC,
	DT_SECTION,  /* starts a new page; carries page set-up (below) */
	DT_HEADING,  /* level 1..4; runs */
	DT_PARA,     /* runs */
	DT_LIST,     /* children ITEM; ordered or bullets */
	DT_ITEM,     /* children blocks */
	DT_QUOTE,    /* children blocks: a quotation / testimonial, set apart */
	DT_CODE,     /* text in the mono face, lines kept */
	DT_RULE,     /* thematic break */
	DT_TABLE,    /* children ROW */
	DT_ROW,      /* children CELL; header rows repeat across pages */
	DT_CELL,     /* children blocks (usually one PARA) */
	DT_IMAGE,    /* a photo: path, caption runs, credit */
	DT_BOX,      /* framed/shaded box (a fact box), children blocks */
	DT_TOC,      /* contents placeholder: filled from headings with toc=1 */
	DT_INDEX,    /* index placeholder: terms with anchor ids */
	DT_CHART,    /* a bar chart drawn as vectors */
	DT_SPACE,    /* vertical space (points) */
	DT_PAGEBREAK /* force a new page within a section */
} dt_type;

/* Inline style bits. */
enum {
	DT_B = 1,      /* bold */
	DT_I = 2,      /* italic */
	DT_MONO = 4,   /* code */
	DT_SUP = 8,    /* superscript (footnote marks) */
	DT_BR = 16,    /* a hard line break (text ignored) */
	DT_SMALL = 32, /* smaller size */
	DT_NOHYPH = 64 /* no break inside a word: not hyphenated, nor at its own hyphens (codes) */
};

typedef struct dt_node dt_node;

typedef struct dt_run {
	char *text; /* UTF-8 */
	unsigned style;
	char *link;    /* "https://..." URI, "mailto:", or "#anchor"; NULL */
	dt_node *note; /* a footnote: its content (a PARA or blocks under an
	                  ITEM-like container); the run's text is the mark */
	struct dt_run *next;
} dt_run;

typedef enum { DT_LEFT, DT_JUSTIFY, DT_CENTER, DT_RIGHT } dt_align;

/* Page set-up of a SECTION. */
typedef struct dt_pagesetup {
	char label;         /* page label style: 'r' roman, 'D' decimal, 0 none */
	int label_start;    /* first number of this section, 0 = continue */
	int show_folio;     /* print the page number */
	char *head_left;    /* running head on even pages (NULL = none) */
	char *head_right;   /* running head on odd pages */
	int head_level;     /* >0: the right head is the text of the latest
	                       heading of this level on or before the page */
	int head_first;     /* also on the section's first page */
	int recto;          /* start on an odd page (book parts) */
	int no_first_folio; /* no page number on the section's first page (letters) */
} dt_pagesetup;

typedef struct dt_chart_series {
	char *name;
	char *color;    /* "#RRGGBB" */
	double *values; /* one per category */
} dt_chart_series;

typedef struct dt_index_entry {
	char *term;
	char *sub;  /* a sub-heading (e.g. "partner"), may be NULL */
	char **ids; /* anchors whose pages are listed */
	size_t nids;
} dt_index_entry;

/* A node: the fields every type may use, then those of one type only, in
 * a union (C11 anonymous members, so they read as n->path, n->page...).
 * Read a union field only on a node of its type: the layout and the
 * builders switch on n->type first. A digest of 2,000 entries has about
 * 90,000 nodes (a fact table is 50): at 168 bytes instead of 328, its tree
 * takes 23 MB instead of 37, each page of which costs a page fault. */
struct dt_node {
	dt_type type;
	dt_align align;
	int level;          /* HEADING 1..4 (CODE: its source line); LIST nesting is implicit */
	unsigned char toc;  /* HEADING: listed in contents and outline */
	unsigned char keep; /* keep with next block (headings always keep; a PARA
	                       with keep is not left at the foot of a page without
	                       the start of the block that follows it); both bytes,
	                       so that src below costs no size */
	dt_node *parent, *first, *last, *next;

	char *style;              /* paragraph style name in styles/ ("body", "caption"...) */
	char *id;                 /* anchor id (links "#id", index, page lookups), or NULL */
	char *number;             /* PARA: paragraph number shown in the margin ("12.");
	                             LIST ITEM: its label; NULL = none */
	dt_run *runs, *runs_last; /* HEADING, PARA, IMAGE caption */
	char *caption;            /* TABLE: "Table 1. ..." shown above, "(continued)" after;
	                             CODE: the fence's info string */
	char *fill;               /* CELL, BOX: "#RRGGBB" background, or NULL */
	const ms_pos *src;        /* where its text was written (dt_src), or NULL:
	                             the back-ends' warnings name it */

	union {
		struct { /* LIST */
			int ordered, start, tight;
		};
		struct {                     /* TABLE */
			double *col_weights; /* optional relative widths, ncols */
			int ncols;
			int grid; /* a layout grid (a letterhead, blocks side by side),
			             not data: tagged as Div, not Table */
		};
		int header;               /* ROW */
		int colspan;              /* CELL */
		struct {                  /* IMAGE */
			char *path;       /* JPEG or PNG file */
			char *credit;     /* "Credit: ..." line, or NULL */
			double max_width; /* fraction of the text width (0 = 1.0) */
		};
		char *text;        /* CODE */
		double points;     /* SPACE */
		dt_pagesetup page; /* SECTION */
		int toc_depth;     /* TOC */
		struct {           /* INDEX */
			dt_index_entry *entries;
			size_t nentries;
			char *pages_before; /* between a term and its pages; NULL: ", " */
		};
		struct { /* CHART */
			char *title;
			char **categories;
			size_t ncategories;
			dt_chart_series *series;
			size_t nseries;
			int stacked;    /* stacked bars */
			int horizontal; /* bars run left to right, one per category */
			char *unit;     /* value suffix in labels ("%", " USD") */
		};
	};
};

typedef struct dt_doc {
	dt_node *root; /* DT_DOC */
	/* document info */
	char *title, *author, *subject, *keywords;
	ms_day created; /* MS_NO_DAY: none written */
	void *arena;    /* private */
	/* private: the position dt_add stamps on new nodes (dt_src), and the
	   last file name copied for it */
	const ms_pos *src;
	const char *src_from, *src_file;
} dt_doc;

dt_doc *dt_doc_new(void);      /* NULL on out of memory */
void dt_doc_free(dt_doc *doc); /* NULL-safe */
/* Did any allocation fail? (calls never crash; they return NULL and set
 * this flag, and the builder reports MS_ENV once at the end). */
int dt_doc_oom(const dt_doc *doc);

char *dt_strdup(dt_doc *doc, const char *s);
char *dt_printf(dt_doc *doc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void *dt_alloc(dt_doc *doc, size_t n); /* zeroed */

/* The source of the nodes made from now on (dt_add stamps it on each):
 * a record's position, copied into the tree; NULL: none. A builder sets
 * it as it starts each record, so that a back-end's warning about a node's
 * text (a character no font has) names the form's FILE:LINE or cell. */
void dt_src(dt_doc *doc, const ms_pos *pos);
/* The same file, another line (Markdown blocks: md2tree); nothing when the
 * current source is none or a spreadsheet cell. */
void dt_src_line(dt_doc *doc, int line);

/* Make a node and append it to parent (parent may be NULL: detached). */
dt_node *dt_add(dt_doc *doc, dt_node *parent, dt_type type);
/* Shorthands. */
dt_node *dt_section(dt_doc *doc);
dt_node *dt_heading(dt_doc *doc, dt_node *parent, int level, const char *text, const char *id,
                    int toc);
dt_node *dt_para(dt_doc *doc, dt_node *parent, const char *style, const char *text);
/* Append a run to a HEADING/PARA/IMAGE (caption). Returns the run. */
dt_run *dt_run_add(dt_doc *doc, dt_node *node, const char *text, unsigned style, const char *link);
/* Append text as a reader sees it (typo.h): straight quotes made curly,
 * no-break spaces in "30 April", "USD 95,000", "p. 14", e-mail and web
 * addresses made links (mailto:, https:) that are never hyphenated. Code,
 * references (DT_NOHYPH) and marks are added as they are. Splits the text
 * into several runs where it holds an address; returns the last run. The
 * builders add every text through this, or through dt_para, dt_heading and
 * dt_cell, which call it. */
dt_run *dt_text(dt_doc *doc, dt_node *node, const char *text, unsigned style, const char *link);
/* The same rules for a string the layout draws itself (a table's caption,
 * a chart's title and categories, an index term): a copy in the arena. */
char *dt_typo(dt_doc *doc, const char *s);
/* Append a footnote mark run whose note is a new PARA (returned) with the
 * footnote text; the layout numbers marks per page or document. */
dt_node *dt_footnote(dt_doc *doc, dt_node *para, const char *mark);

/* Tables: a table of ncols, rows appended with dt_row, cells with dt_cell. */
dt_node *dt_table(dt_doc *doc, dt_node *parent, int ncols);
dt_node *dt_row(dt_doc *doc, dt_node *table, int header);
/* A cell holding one PARA with the text, aligned. Returns the cell. */
dt_node *dt_cell(dt_doc *doc, dt_node *row, const char *text, dt_align align);

/* Write the tree as indented text (mspdoc --dump-tree, golden tests). */
struct ms_buf;
void dt_dump(const dt_doc *doc, struct ms_buf *out);

#endif
