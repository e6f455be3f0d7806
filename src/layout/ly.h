/* ly.h — private to layout/ and pdf/: styles, fonts, the line breaker and
 * the display list the layout hands to the PDF back-end. */
#ifndef LY_LY_H
#define LY_LY_H

#include <hpdf.h>
#include <stddef.h>

#include "../util/arena.h"
#include "../util/buf.h"
#include "layout.h"

/* Faces: family x (bold, italic). */
enum { FAM_SERIF, FAM_SANS, FAM_MONO, FAM_COUNT };
#define FACE(fam, bold, italic) ((fam)*4 + ((bold) ? 1 : 0) + ((italic) ? 2 : 0))
#define FACE_COUNT 12

/* A paragraph style. */
typedef struct ly_pstyle {
	char name[24];
	int family, bold, italic;
	double size, leading; /* points */
	double before, after; /* space, points */
	double indent, first; /* left indent, first-line indent */
	double right;         /* right indent */
	int align;            /* dt_align */
	unsigned color;       /* 0xRRGGBB */
	int hyphenate;
} ly_pstyle;

#define LY_MAX_STYLES 64

struct ly_style {
	double page_w, page_h;
	double m_top, m_bottom, m_inner, m_outer;
	char font_path[FACE_COUNT][256];
	char hyph_path[256];
	ly_pstyle st[LY_MAX_STYLES];
	int nst;
	unsigned char slot[128]; /* by name's hash: index + 1, 0 empty (ly_pstyle_get) */
	double folio_size, head_size;
	unsigned rule_color, box_fill, table_rule, head_fill;
	int widows, orphans;
	char file[256];
};

/* Look a paragraph style up by name; falls back to "body". Never NULL. */
const ly_pstyle *ly_pstyle_get(const ly_style *st, const char *name);

/* Fonts and measuring ------------------------------------------------------ */

typedef struct ly_fonts ly_fonts;

/* Open the fonts of a style inside a libharu document (faces are loaded at
 * first use). NULL with an MS_ENV diagnostic when a font file is missing. */
ly_fonts *ly_fonts_new(HPDF_Doc pdf, const ly_style *st, ms_diags *d);
void ly_fonts_free(ly_fonts *f);
/* Width of UTF-8 text in points. */
double ly_width(ly_fonts *f, int face, double size, const char *s, size_t len);
/* Its width in 1/1000 em, and that width in points at a size (the same
 * arithmetic as ly_width: a width kept in units gives the same points). */
long ly_text_units(ly_fonts *f, int face, const char *s, size_t len);
static inline double ly_points(long units, double size)
{
	return (double)units * size / 1000.0;
}
/* Advance of one character in 1/1000 em, the unit of the PDF's width
 * array; measuring a character also keeps its glyph in the font subset. */
int ly_units(ly_fonts *f, int face, uint32_t cp);
/* The face's cache of those widths, indexed by BMP code point, -1 where not
 * measured yet (then call ly_units, which also marks the glyph); NULL when
 * the face has not been loaded. Owned by f. */
const short *ly_width_table(ly_fonts *f, int face);

/* The next character of UTF-8 text at *i, advancing *i: ASCII without
 * decoding, characters beyond the BMP as '?' (the fonts' codes are 16-bit). */
static inline uint32_t ly_next_char(const char *s, size_t len, size_t *i)
{
	uint32_t cp = (unsigned char)s[*i];
	if (cp < 0x80) {
		(*i)++;
		return cp;
	}
	int n = ms_utf8_decode(s + *i, len - *i, &cp);
	*i += (size_t)(n > 0 ? n : 1);
	return cp > 0xFFFF ? '?' : cp;
}

/* The width of a BMP character from the face's table wt, measured (and its
 * glyph kept for the subset) when it is not there yet. */
static inline int ly_char_units(ly_fonts *f, int face, const short *wt, uint32_t cp)
{
	return wt && wt[cp] >= 0 ? wt[cp] : ly_units(f, face, cp);
}
HPDF_Font ly_font(ly_fonts *f, int face); /* NULL when it failed to load */
/* The face's font if it is loaded already; never loads it. */
HPDF_Font ly_font_loaded(const ly_fonts *f, int face);
int ly_fonts_failed(const ly_fonts *f); /* a face could not load */

/* Hyphenation: odd entries of `points` (len+1 bytes) mark a break after
 * byte i. Returns the number of break points (0 when none or no dict). */
typedef struct ly_hyph ly_hyph;
ly_hyph *ly_hyph_new(const char *dict_path);
void ly_hyph_free(ly_hyph *h);
int ly_hyphenate(ly_hyph *h, const char *word, size_t len, char *points);

/* Line breaking ------------------------------------------------------------ */

/* An item of Knuth & Plass: a box (a word or part of one), glue (a space)
 * or a penalty (a possible hyphen). */
typedef struct ly_item {
	char kind;    /* 'b' box, 'g' glue, 'p' penalty */
	double width; /* natural width */
	double stretch, shrink;
	int penalty;      /* penalties: cost; >= 10000 never break, <= -10000 force */
	int flagged;      /* a hyphen: consecutive ones cost extra */
	int run;          /* index of the run (font, style, link) for boxes */
	const char *text; /* boxes: UTF-8 bytes */
	size_t len;
} ly_item;

/* Break items into lines of width `width` (the first line `first_width`).
 * Writes break indices (each a glue or penalty index, the last the final
 * item) into *breaks; returns the number of lines, or -1 on OOM. Never
 * produces an overfull line when any break sequence avoids one; an item
 * wider than the line is the caller's to split beforehand. */
int ly_break(const ly_item *items, size_t n, double first_width, double width, int *breaks,
             size_t maxbreaks, double *ratios);

/* The display list ---------------------------------------------------------- */

/* OP_PAGEREF is the printed page number of an anchor (text: its id), set
 * right-aligned to x: the layout turns it into an OP_TEXT once every page
 * is numbered, so the writer never sees one. */
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
	unsigned char kind; /* ly_opkind */
	unsigned char face;
	unsigned char fill;     /* RECT: fill (else stroke) */
	unsigned char orient;   /* IMAGE: EXIF orientation 1..8 */
	unsigned char measured; /* TEXT: every character measured already (a
	                           paragraph's words) */
} ly_op;

typedef struct ly_page {
	ly_op *ops, *last;
	ms_arena *arena;      /* owns the operations; pdf_write frees it once written */
	double width, height; /* the paper, in points */
	char label[16];       /* printed page number ("iv", "12") */
	char label_style;     /* 'r', 'D' or 0 */
	int number;           /* the page's number in its style */
} ly_page;

typedef struct ly_outline {
	char *title;
	int level, page;
	double y;
} ly_outline;

/* libharu's errors are sticky: this handler (given to HPDF_New with a
 * ly_herr as user data) records the first one. */
typedef struct ly_herr {
	HPDF_STATUS code, detail;
} ly_herr;
void ly_on_error(HPDF_STATUS code, HPDF_STATUS detail, void *data);

/* Write pages to a PDF file (temporary file renamed into place), encrypting
 * with AES-256 when password is given. Consumes the pages' operations: each page's arena is freed
 * once the page is written (ops set to NULL). */
int pdf_write(HPDF_Doc pdf, ly_herr *err, ly_fonts *fonts, const dt_doc *doc, ly_page *pages,
              int npages, const ly_outline *outl, size_t noutl, const char *out_path,
              const char *password, ms_diags *d);

/* JPEG/PNG size and EXIF orientation, read from the header only. */
int ly_image_info(const char *path, int *w, int *h, int *orient, int *is_png);

#endif
