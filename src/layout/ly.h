/* ly.h — private to layout/: styles, measuring, the line breaker. What it
 * hands to a back-end is the display list (dlist.h). */
#ifndef LY_LY_H
#define LY_LY_H

#include <stddef.h>

#include "../font/font.h"
#include "../util/arena.h"
#include "../util/buf.h"
#include "dlist.h"
#include "layout.h"

/* Faces: family x (bold, italic). */
enum { FAM_SERIF, FAM_SANS, FAM_MONO, FAM_COUNT };
#define FACE(fam, bold, italic) ((fam)*4 + ((bold) ? 1 : 0) + ((italic) ? 2 : 0))
#define FACE_COUNT FT_FACES

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

/* The line breaker's costs (styles/README.md, "Line breaking"). */
typedef struct ly_breaking {
	double hyphen_penalty;  /* a break at a hyphenation point */
	double double_hyphen;   /* demerits: two hyphenated lines in a row */
	double fitness;         /* demerits: a tight line next to a loose one */
	double pretolerance;    /* first pass, no hyphenation: badness limit (< 0 skips it) */
	double tolerance;       /* the pass with hyphenation */
	double stretch, shrink; /* a space's, as a share of its width */
	double protrusion;      /* hanging punctuation: share of ly_hang's amounts (0: none) */
} ly_breaking;

/* The breaker's costs when a style sets none. */
#define LY_BREAKING_DEFAULT                                                                        \
	{                                                                                          \
		50, 3000, 3000, -1, 200, 0.6, 0.3, 1                                               \
	}

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
	ly_breaking brk;
	char file[256];
};

/* Look a paragraph style up by name; falls back to "body". Never NULL. */
const ly_pstyle *ly_pstyle_get(const ly_style *st, const char *name);

/* Fonts and measuring (font/font.h) ------------------------------------- */

/* The faces of a style, loaded at first use. NULL with an MS_ENV
 * diagnostic when a font file is missing. */
ft_fonts *ly_fonts_new(const ly_style *st, ms_diags *d);
/* Width of UTF-8 text in points, its "fi" and "fl" as ligatures. */
double ly_width(ft_fonts *f, int face, double size, const char *s, size_t len);
/* Ligatures: what setting "fi" and "fl" as the face's ligatures (U+FB01,
 * U+FB02) saves of the text's width, in 1/1000 em; 0 in a monospaced face
 * or one without them. A back-end draws a TEXT op with `lig` the same way:
 * left to right, "f" then "i" or "l" is one glyph when the face has it. */
long ly_lig_saving(ft_fonts *f, int face, const char *s, size_t len);
/* Whether a break between bytes i-1 and i of s would split a ligature. */
int ly_lig_at(ft_fonts *f, int face, const char *s, size_t i);
/* A width in 1/1000 em, in points at a size (the same arithmetic as
 * ly_width: a width kept in units gives the same points). */
static inline double ly_points(long units, double size)
{
	return (double)units * size / 1000.0;
}
/* An MS_ENV diagnostic for each face that failed to load. */
void ly_fonts_report(ft_fonts *f, const ly_style *st, ms_diags *d);

/* Hyphenation: odd entries of `points` (len+1 bytes) mark a break after
 * byte i. Returns the number of break points (0 when none or no dict). */
typedef struct ly_hyph ly_hyph;
ly_hyph *ly_hyph_new(const char *dict_path);
void ly_hyph_free(ly_hyph *h);
int ly_hyphenate(ly_hyph *h, const char *word, size_t len, char *points);

/* Hanging punctuation (optical margin alignment, as microtype's defaults):
 * the share of its last character's width by which a word may end past the
 * right edge of a justified line (full stop, comma, hyphen, closing quote),
 * and the share of its first character's width by which it may start
 * before the left edge (opening quotes). *nbytes: that character's length
 * in bytes. 0 when the character does not hang. */
double ly_hang_right(const char *s, size_t len, size_t *nbytes);
double ly_hang_left(const char *s, size_t len, size_t *nbytes);

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
/* The same with a style's costs (NULL: LY_BREAKING_DEFAULT). Passes: the
 * pretolerance one without hyphenation points, then tolerance with them,
 * then looser ones; but in the loosest, never three hyphenated lines in a
 * row. */
int ly_break_with(const ly_breaking *bp, const ly_item *items, size_t n, double first_width,
                  double width, int *breaks, size_t maxbreaks, double *ratios);
/* The same with hanging punctuation: hang[i] (points) is how far item i
 * may reach into the right margin when it ends a line (a box before the
 * break, or a flagged penalty's hyphen), lhang[i] how far a box may reach
 * into the left one when it starts a line; the ratios count them in. Either
 * may be NULL. */
int ly_break_hung(const ly_breaking *bp, const ly_item *items, const float *hang,
                  const float *lhang, size_t n, double first_width, double width, int *breaks,
                  size_t maxbreaks, double *ratios);

#endif
