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

/* Objects for the catalogue's and tagging entries hpdf.h has no
 * function for (see hpdfx.c). An indirect object is registered with
 * the document's cross-reference table and may be referred to from many
 * places; a direct one is added to exactly one container. NULL on error
 * (the error is in the document's handler). */
HPDF_Dict pdfx_dict(HPDF_Doc pdf, int indirect);
HPDF_Array pdfx_array(HPDF_Doc pdf, int indirect);
/* A text string (UTF-8 given); NULL on error. */
HPDF_String pdfx_string(HPDF_Doc pdf, const char *utf8);
HPDF_STATUS pdfx_put(HPDF_Dict d, const char *key, void *obj);
HPDF_STATUS pdfx_put_name(HPDF_Dict d, const char *key, const char *name);
HPDF_STATUS pdfx_put_int(HPDF_Dict d, const char *key, int v);
HPDF_STATUS pdfx_put_bool(HPDF_Dict d, const char *key, int v);
/* A null object, indirect, appended to the array: its number (0 on error
 * or when the array is full). A placeholder for an object written after
 * the save (tags.c). */
unsigned pdfx_placeholder(HPDF_Doc pdf, HPDF_Array in);
/* An indirect object's number, 0 for a direct object. */
unsigned pdfx_id(const void *obj);
/* The document's catalogue (its root dictionary). */
HPDF_Dict pdfx_catalog(HPDF_Doc pdf);
/* A JPEG image from the file's bytes (checked by src/img), as
 * HPDF_LoadJpegImageFromMem makes it but with one copy of the bytes
 * instead of three; NULL on error (in the document's handler). */
HPDF_Image pdfx_jpeg(HPDF_Doc pdf, const void *p, size_t n);
/* An uncompressed indirect stream holding these bytes, NULL on error. */
HPDF_Dict pdfx_stream(HPDF_Doc pdf, const void *p, size_t n);

#endif
