/* font.h — TrueType faces: loading and measuring, for layout/ (widths) and
 * the back-ends (which file each face comes from, what it covers) alike.
 *
 * A small bounded parser of its own reads each file's `head`, `hhea`,
 * `maxp`, `hmtx` and Unicode `cmap` (format 4, the BMP): measuring needs no
 * PDF library, and every read is checked against the file's size, so a
 * damaged font is an error, never a read out of bounds. Widths are in
 * 1/1000 em with the arithmetic of a PDF's /W array (advance * 1000 /
 * unitsPerEm, truncated), so that what the layout measures is what a PDF
 * reader advances. A character the face lacks measures as its .notdef
 * glyph, as a PDF writer embedding the face would give it.
 *
 * Faces are numbered 0..FT_FACES-1 by their user (layout/'s families and
 * styles) and loaded at first use. */
#ifndef FT_FONT_H
#define FT_FONT_H

#include <stddef.h>
#include <stdint.h>

#include "../util/buf.h"

#define FT_FACES 12
/* Faces after the style's, for the characters its faces lack (issue 17),
 * each used only when its file exists: DejaVu Sans (fonts-dejavu-core:
 * symbols such as the status marks, Greek, Cyrillic, arrows, U+FFFD); AR
 * PL UMing (fonts-arphic-uming, a TrueType collection: Chinese and kana);
 * IPA Mincho (fonts-ipafont-mincho: the Japanese forms of kanji UMing
 * lacks); Nanum Myeongjo (fonts-nanum: Korean Hangul). docs/DECISIONS.md
 * says why these. A character's face is the first of (its own face, the
 * fallbacks) that has a glyph for it: measured and drawn alike. */
#define FT_FALLBACKS 4
#define FT_ALL (FT_FACES + FT_FALLBACKS)

typedef struct ft_fonts ft_fonts;

/* A set of faces from these files (copied; NULL or "" for none). Nothing
 * is read yet. NULL when out of memory. */
ft_fonts *ft_fonts_new(const char *const paths[FT_FACES]);
void ft_fonts_free(ft_fonts *f); /* NULL-safe */

/* The file a face comes from ("" when none). */
const char *ft_path(const ft_fonts *f, int face);
/* Is the face's file a TrueType collection (.ttc)? Then *index is the
 * face's index in it, which the back-end passes to its PDF library. */
int ft_collection(const ft_fonts *f, int face, unsigned *index);
/* Load a face now (it is otherwise loaded at first measure): 0, or -1 when
 * the file cannot be read or is not a TrueType font with a Unicode cmap;
 * then *why says which (a static string). */
int ft_load(ft_fonts *f, int face, const char **why);
/* A face failed to load (its characters then measure 500). */
int ft_failed(const ft_fonts *f);

/* The face that draws a character: fi when it has a glyph for it, else
 * the first fallback face that has; -1 when none has. */
int ft_cover(ft_fonts *f, int fi, uint32_t cp);
/* Advance of a BMP character in 1/1000 em, as the face that draws it
 * (ft_cover) advances; a character no face has measures as the fallback's
 * U+FFFD (the back-end draws that) or the face's .notdef. cp beyond the
 * BMP: U+FFFD. */
int ft_units(ft_fonts *f, int face, uint32_t cp);
/* The face's glyph for a character, 0 when it has none. */
unsigned ft_glyph(ft_fonts *f, int face, uint32_t cp);
/* The face's widths indexed by BMP code point, -1 where not measured yet
 * (then ft_units fills it); NULL before the face is loaded. Owned by f. */
const short *ft_width_table(ft_fonts *f, int face);
/* The width of UTF-8 text in 1/1000 em. */
long ft_text_units(ft_fonts *f, int face, const char *s, size_t len);

/* What a PDF's font descriptor says of a face (ft_subset). */
typedef struct ft_embed {
	char name[64]; /* its PostScript name, as PDF name characters ("" if none) */
	int bbox[4], ascent, descent, cap_height, x_height, stem_v, flags;
	double italic_angle;
	unsigned glyphs; /* glyph ids in the subset: 0..glyphs-1 */
} ft_embed;
/* Append to out a TrueType file of the face for embedding: the glyphs of
 * the characters in used (a BMP bitmap, bit cp of byte cp / 8), .notdef
 * and every part of a composite glyph kept, at any depth, under their own
 * glyph ids; the other glyphs empty; the tables a renderer reads (outlines,
 * metrics, hinting, a cmap of the characters kept, names) and no others.
 * *m gets the face's descriptor values. 0, or -1 with *why. */
int ft_subset(ft_fonts *f, int face, const unsigned char *used, ms_buf *out, ft_embed *m,
              const char **why);
/* The advance of glyph g in 1/1000 em, as a PDF's /W array gives it. */
int ft_glyph_units(ft_fonts *f, int face, unsigned g);

/* The next character of UTF-8 text at *i, advancing *i: ASCII without
 * decoding, characters beyond the BMP as U+FFFD (the PDF fonts' codes are
 * 16-bit; the back-end reports them). */
static inline uint32_t ft_next_char(const char *s, size_t len, size_t *i)
{
	uint32_t cp = (unsigned char)s[*i];
	if (cp < 0x80) {
		(*i)++;
		return cp;
	}
	int n = ms_utf8_decode(s + *i, len - *i, &cp);
	*i += (size_t)(n > 0 ? n : 1);
	return cp > 0xFFFF ? 0xFFFD : cp;
}

/* The width of a BMP character from the face's table wt, measured when it
 * is not there yet. */
static inline int ft_char_units(ft_fonts *f, int face, const short *wt, uint32_t cp)
{
	return wt && wt[cp] >= 0 ? wt[cp] : ft_units(f, face, cp);
}

#endif
