/* dlist.h — the display list: what the layout (layout/) hands to a
 * back-end (pdf/), and the only thing they share.
 *
 * Pages of positioned operations in PDF coordinates (points, origin at the
 * bottom left of the page): text runs with their face (a font.h face
 * number), size, colour and UTF-8 text; rules; fills; images by file path;
 * link areas and link targets (anchors); the outline; the document's info.
 * Each operation says whether it is page furniture (running heads, folios:
 * an artifact to a reader of tagged PDF) and to which element of the
 * document's structure it belongs (a heading of some level, a paragraph, a
 * list item, a table cell and whether it heads its column, a figure and
 * its alternative text, a note, a link...), for a back-end that tags what
 * it writes. Nothing here knows of paragraphs' breaking or of any PDF
 * library. */
#ifndef LY_DLIST_H
#define LY_DLIST_H

#include <stddef.h>

#include "../font/font.h"
#include "../util/arena.h"
#include "../util/day.h"
#include "../util/diag.h"

/* OP_PAGEREF is the printed page number of an anchor (text: its id), set
 * right-aligned to x: the layout turns it into an OP_TEXT once every page
 * is numbered, so a back-end never sees one. */
typedef enum { OP_TEXT, OP_RECT, OP_LINE, OP_IMAGE, OP_LINK, OP_DEST, OP_PAGEREF } ly_opkind;

/* One drawing operation. A book has a few hundred thousand (one a word), so
 * the fields are packed: floats keep a thousandth of a point on an A4 page. */
typedef struct ly_op {
	struct ly_op *next;
	const char *text; /* TEXT: UTF-8; LINK: "#id" or URI; DEST, PAGEREF: id; IMAGE: path */
	float x, y, w, h; /* PDF coordinates (origin bottom-left) */
	float size, line_w;
	unsigned color;
	unsigned len;
	int elem;               /* its structure element (index into ly_dlist.elems), -1: none */
	unsigned char kind;     /* ly_opkind */
	unsigned char face;     /* TEXT: a font.h face */
	unsigned char fill;     /* RECT: fill (else stroke) */
	unsigned char orient;   /* IMAGE: EXIF orientation 1..8 */
	unsigned char measured; /* TEXT: every character measured already */
	unsigned char artifact; /* page furniture: running head, folio, their rules */
	unsigned char lig;      /* TEXT: read left to right, "f" then "i" or "l" is
	                           drawn as the face's ligature (U+FB01, U+FB02)
	                           where it has one: the layout measured it so */
} ly_op;

typedef struct ly_page {
	ly_op *ops, *last;
	ms_arena *arena;      /* owns the operations; a back-end may free it once written */
	double width, height; /* the paper, in points */
	char label[16];       /* printed page number ("iv", "12") */
	char label_style;     /* 'r', 'D' or 0 */
	int number;           /* the page's number in its style */
} ly_page;

typedef struct ly_outline {
	char *title;
	int level, page; /* page: 1-based */
	double y;
} ly_outline;

/* Structure roles: what an element of the document is, after PDF 32000-1
 * 14.8.4's standard structure types. */
typedef enum {
	LE_SECT,  /* a section of the document */
	LE_H,     /* heading; level 1..6 */
	LE_P,     /* paragraph */
	LE_L,     /* list */
	LE_LI,    /* list item (label and body) */
	LE_QUOTE, /* block quotation */
	LE_CODE,  /* code block */
	LE_TABLE,
	LE_TR,
	LE_TH, /* a header cell: scope is its column */
	LE_TD,
	LE_CAPTION, /* a table's or figure's caption */
	LE_FIGURE,  /* image or chart: alt holds its alternative text */
	LE_NOTE,    /* footnote */
	LE_LINK,    /* the words of a link */
	LE_TOC,
	LE_TOCI, /* an entry of the contents */
	LE_INDEX,
	LE_DIV,   /* any other grouping (a shaded box) */
	LE_LBL,   /* a list item's label (bullet, number) */
	LE_LBODY, /* a list item's body */
	LE_THEAD, /* a table's header rows (tables that have them) */
	LE_TBODY  /* and its other rows */
} ly_role;

typedef struct ly_elem {
	int parent;         /* index of the parent element, -1: the document */
	unsigned char role; /* ly_role */
	unsigned char level;
	const char *alt; /* FIGURE: alternative text (NULL: none); LINK: its target */
	const char *id;  /* the document tree's anchor id, or NULL */
	/* where its text was written (the document tree's node's src), or
	   NULL: inherit the parent's; for a back-end's warnings */
	const ms_pos *src;
} ly_elem;

/* A whole document's display list. Strings point into the layout's arenas
 * or the document tree, valid until ly_dlist_free (the tree's until the
 * tree is freed). */
typedef struct ly_dlist {
	ly_page *pages;
	int npages;
	ly_outline *outl;
	size_t noutl;
	ly_elem *elems;
	size_t nelems;
	ft_fonts *fonts; /* the faces the text ops name */
	/* the document's info (any may be NULL) */
	const char *title, *author, *subject, *keywords, *lang;
	ms_day created; /* MS_NO_DAY: none */
	void *priv;     /* the layout's */
} ly_dlist;

#endif
