/* content.h — page content streams written directly (see content.c). */
#ifndef MS_PDF_CONTENT_H
#define MS_PDF_CONTENT_H

#include <hpdf.h>
#include <stdint.h>

#include "../layout/dlist.h"
#include "../util/buf.h"

/* Text is written straight into the page's content stream. libharu's
 * TextOut clears two 512-byte buffers, re-encodes and re-measures the text
 * on every call, and gives each word its own operators; here a run of words
 * that share a line, face, size and colour is one TJ array, the gaps as
 * numbers. The codes are each character's UTF-16 value, which the font's
 * CIDToGIDMap maps to a glyph (embed.c),
 * the pen advanced by font/'s widths, which are those of the font's /W
 * array. Each character shown is noted, a bitmap a face, for the face's
 * subset (embed.c). A
 * page's bytes, images drawn among them, are in b at its end, for the
 * update (update.h). */
#define PDF_FONT_PARTS 4 /* descendant font, descriptor, subset, CIDToGIDMap */
typedef struct pdf_fonts {
	HPDF_Doc pdf;
	ft_fonts *ft;
	/* each face's Type0 font: an empty indirect dictionary in libharu's
	 * document, named in the pages' resources, which the update makes
	 * the font (embed.c); and the placeholders of its parts */
	HPDF_Font h[FT_ALL];
	unsigned part[FT_ALL][PDF_FONT_PARTS];
	unsigned to_unicode; /* the ToUnicode CMap all fonts share */
	int tried[FT_ALL];
	unsigned char *used[FT_ALL]; /* BMP bitmaps: characters shown */
	int failed;                  /* a face could not be loaded or embedded */
	const char *why;             /* why it could not be embedded */
} pdf_fonts;

/* The face's font in the document, its placeholders made at first use
 * (NULL when the face cannot be loaded). */
HPDF_Font pdf_font(pdf_fonts *pf, int face);
struct pdfu;
/* Every font used into the update: its subset of the characters shown,
 * its dictionaries and widths. 0, or -1 with pf->failed set. */
int pdf_fonts_write(pdf_fonts *pf, struct pdfu *u);
void pdf_fonts_free(pdf_fonts *pf);

/* Characters no face can show (drawn as U+FFFD, the character kept as
 * the span's /ActualText) and right-to-left text (drawn left to right,
 * unshaped): where each was first met, for the warnings. */
#define PDFC_MISSING 128
typedef struct pdfc_missing {
	uint32_t cp[PDFC_MISSING];
	int page[PDFC_MISSING];
	int elem[PDFC_MISSING]; /* the structure element it belongs to, -1: none */
	int n, more;
	uint32_t rtl_cp;
	int rtl_page; /* 0: none */
	int rtl_elem;
} pdfc_missing;

typedef struct pdfc {
	ms_buf b;
	HPDF_Page page;
	pdf_fonts *fonts;
	int in_text, in_tj, face, oom;
	int said;      /* text shown on this page and its last character no break */
	double said_y; /* the baseline of the last text shown */
	double size, lx, ly, cx, tj_y;
	unsigned color;
	int tagged; /* a tagged PDF: rules are marked as artifacts */
	int pageno; /* 1-based, for pdfc_missing */
	pdfc_missing miss;
	int mc;              /* marked content open: 1 (closed at the page's end) */
	const ly_op **rules; /* the page's lines, drawn at its end */
	size_t nrules, caprules;
} pdfc;

/* Append text: one TJ array per run of words sharing a line, face, size and
 * colour (ops in page order). */
void pdfc_text(pdfc *w, HPDF_Font font, const ly_op *o);
/* Close the text object. */
void pdfc_flush(pdfc *w);
/* Draw the image the page's resources call name, the unit square mapped
 * by the matrix m (a b c d e f). */
void pdfc_image(pdfc *w, const char *name, const double m[6]);
/* One operation of a page: text, a rectangle or a line (kept for
 * pdfc_end_page); the text is closed first before anything else.
 * Returns 0 for what it leaves to the caller: photos, links,
 * destinations. */
int pdfc_op(pdfc *w, const ly_op *o);
/* The end of a page: its lines in one path per colour and width (an
 * artifact), open marked content closed, and a flush. */
void pdfc_end_page(pdfc *w);
/* Begin marked content (tagged PDF): the text object and any open
 * marked content closed first; tag NULL: an artifact, else the structure
 * type with its MCID. */
void pdfc_mark(pdfc *w, const char *tag, int mcid);
/* A new page's contents (its font and colour not set yet). */
void pdfc_page(pdfc *w, HPDF_Page page, int pageno);
/* Free what w holds. */
void pdfc_free(pdfc *w);
/* llround(x), without a call for the usual coordinates. */
long long pdfc_round(double x);
/* A number with at most three decimals, no trailing zeros. */
void pdfc_num(ms_buf *b, double v);

#endif
