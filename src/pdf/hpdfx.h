/* hpdfx.h — the few libharu functions mspdoc needs that hpdf.h does not
 * declare, each wrapped once (see hpdfx.c for why each is needed). Only
 * src/pdf/ includes this. */
#ifndef PDF_HPDFX_H
#define PDF_HPDFX_H

#include <hpdf.h>
#include <stddef.h>

/* The name a page's resources give a font (F1, F2...), the font added to
 * them if it is not there yet; NULL on error. */
const char *pdfx_font_name(HPDF_Page page, HPDF_Font font);

/* Objects for the catalogue's and tagging entries hpdf.h has no
 * function for (see hpdfx.c). An indirect object is registered with
 * the document's cross-reference table and may be referred to from many
 * places; a direct one is added to exactly one container. NULL on error
 * (the error is in the document's handler). */
HPDF_Dict pdfx_dict(HPDF_Doc pdf, int indirect);
/* A text string (UTF-8 given); NULL on error. */
HPDF_String pdfx_string(HPDF_Doc pdf, const char *utf8);
HPDF_STATUS pdfx_put(HPDF_Dict d, const char *key, void *obj);
HPDF_STATUS pdfx_put_name(HPDF_Dict d, const char *key, const char *name);
HPDF_STATUS pdfx_put_int(HPDF_Dict d, const char *key, int v);
HPDF_STATUS pdfx_put_bool(HPDF_Dict d, const char *key, int v);
/* An indirect object's number, 0 for a direct object. */
unsigned pdfx_id(const void *obj);
/* The document's catalogue (its root dictionary). */
HPDF_Dict pdfx_catalog(HPDF_Doc pdf);
/* An uncompressed indirect stream holding these bytes, NULL on error. */
HPDF_Dict pdfx_stream(HPDF_Doc pdf, const void *p, size_t n);

/* The object number of the page's content stream, which libharu writes
 * empty and the update (update.h) gives its bytes; 0 on error. */
unsigned pdfx_content_id(HPDF_Page page);
/* The name the page's resources give an image (X1, X2...), the image
 * added to them if it is not there yet; NULL on error. */
const char *pdfx_image_name(HPDF_Page page, HPDF_Image img);

#endif
