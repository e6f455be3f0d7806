/* content.h — page content streams written directly (see content.c). */
#ifndef MS_PDF_CONTENT_H
#define MS_PDF_CONTENT_H

#include <hpdf.h>

#include "../layout/ly.h"
#include "../util/buf.h"

/* Text is written straight into the page's content stream. libharu's
 * TextOut clears two 512-byte buffers, re-encodes and re-measures the text
 * on every call, and gives each word its own operators; here a run of words
 * that share a line, face, size and colour is one TJ array, the gaps as
 * numbers. The codes are what libharu's UTF-8 CMap encoder writes (the
 * UTF-16 value of each character, which its CIDToGIDMap maps to a glyph),
 * and every character is measured through ly_units, which keeps its glyph in
 * the font subset and gives the same widths as the font's /W array. The
 * bytes go to the page's content stream through hpdfx.h. */
typedef struct pdfc {
	ms_buf b;
	HPDF_Page page;
	HPDF_Dict stream; /* the page's content stream (hpdfx.h) */
	ly_fonts *fonts;
	int in_text, in_tj, face, oom;
	double size, lx, ly, cx, tj_y;
	unsigned color;
	const ly_op **rules; /* the page's lines, drawn at its end */
	size_t nrules, caprules;
} pdfc;

/* Append text: one TJ array per run of words sharing a line, face, size and
 * colour (ops in page order). */
void pdfc_text(pdfc *w, HPDF_Font font, const ly_op *o);
/* Close the text object and hand the buffer to the page's stream. */
void pdfc_flush(pdfc *w);
/* One operation of a page: text, a rectangle or a line (kept for
 * pdfc_end_page); the text is closed first before anything else.
 * Returns 0 for what it leaves to the caller: photos, links,
 * destinations. */
int pdfc_op(pdfc *w, const ly_op *o);
/* The end of a page: its lines in one path per colour and width, and a
 * flush. */
void pdfc_end_page(pdfc *w);
/* Free what w holds. */
void pdfc_free(pdfc *w);
/* llround(x), without a call for the usual coordinates. */
long long pdfc_round(double x);
/* A number with at most three decimals, no trailing zeros. */
void pdfc_num(ms_buf *b, double v);

#endif
