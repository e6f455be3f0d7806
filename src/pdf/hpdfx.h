/* hpdfx.h — the few libharu functions mspdoc needs that hpdf.h does not
 * declare, each wrapped once (see hpdfx.c for why each is needed). Only
 * src/pdf/ includes this. */
#ifndef PDF_HPDFX_H
#define PDF_HPDFX_H

#include <hpdf.h>
#include <stddef.h>

/* The page's content stream, filled with pdfx_write; NULL on error. The
 * page's own drawing functions (images) write to the same stream. */
HPDF_Dict pdfx_content(HPDF_Page page);
/* Append bytes to a stream made by pdfx_content: HPDF_OK or an error. */
HPDF_STATUS pdfx_write(HPDF_Dict stream, const void *p, size_t n);
/* The name a page's resources give a font (F1, F2...), the font added to
 * them if it is not there yet; NULL on error. */
const char *pdfx_font_name(HPDF_Page page, HPDF_Font font);
/* Give a UTF-8 font loaded by libharu an identity ToUnicode CMap. */
void pdfx_identity_to_unicode(HPDF_Font font);

#endif
