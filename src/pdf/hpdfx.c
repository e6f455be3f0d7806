/* hpdfx.c — every libharu function mspdoc calls that hpdf.h does not
 * declare, and why. All are declared in libharu's installed headers
 * (hpdf_objects.h, hpdf_pages.h, hpdf_streams.h) and called as they are:
 * nothing here redefines a libharu function or writes a field of its
 * structures. What hpdf.h offers is used everywhere else.
 *
 * - Page contents are written by content.c as bytes, and reach the file
 *   in an incremental update (update.h), deflated by libdeflate: libharu
 *   can neither take bytes already deflated (the flag that writes
 *   /FlateDecode is the one that deflates) nor deflate but at zlib's
 *   level 6 as it saves. The page's own content stream, its /Contents,
 *   stays libharu's object, written empty; the update gives it its bytes
 *   (pdfx_content_id, at the end of this file).
 * - Such text names its font as the page's resources do:
 *   HPDF_Page_GetLocalFontName (hpdf_pages.h) adds the font to the page
 *   and gives that name, as HPDF_Page_SetFontAndSize does inside a text
 *   object it would open itself.
 * - Fonts are not loaded into libharu (embed.c says why): each is a set
 *   of empty indirect dictionaries (pdfx_dict) the update gives their
 *   bodies, the Type0 font named in the pages' resources as above.
 * - Tagged PDF (issue 17): hpdf.h has no structure tree ("BDC — not
 *   implemented yet"), no /MarkInfo, /Lang, /StructParents, XMP metadata
 *   or /DisplayDocTitle. tags.c writes the tree and the link
 *   annotations itself, after the save, into the incremental update;
 *   what goes into libharu's own objects (a page's /StructParents and
 *   /Tabs, the catalogue's entries, and the placeholders the update
 *   replaces: an empty root dictionary, and each page's /Annots, an empty
 *   dictionary the update replaces with the array of its annotations) are
 *   plain dictionaries, names, numbers, booleans and strings:
 *   HPDF_Dict_New, HPDF_String_New, HPDF_Dict_Add, HPDF_Dict_AddName,
 *   HPDF_Dict_AddNumber, HPDF_Dict_AddBoolean (hpdf_objects.h), an
 *   indirect one registered with HPDF_Xref_Add, and
 *   the XMP packet a stream of HPDF_DictStream_New's. They need the
 *   document's memory manager, cross-reference table and catalogue, read
 *   (never written) from the document's record (hpdf_doc.h). The tree
 *   refers to pages and placeholders by their object numbers, read (never
 *   written) from the object header hpdf_objects.h documents ("the real
 *   Object-ID is obj_id & 0x00FFFFFF").
 * - A photo that passes through as JPEG bytes is not given to libharu:
 *   the update writes it (pdfx_image_name, at the end). */
#include "hpdfx.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <string.h>

#include "../util/buf.h"

const char *pdfx_font_name(HPDF_Page page, HPDF_Font font)
{
	return HPDF_Page_GetLocalFontName(page, font);
}

HPDF_Dict pdfx_dict(HPDF_Doc pdf, int indirect)
{
	HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);
	if (d && indirect && HPDF_Xref_Add(pdf->xref, d) != HPDF_OK)
		return NULL; /* HPDF_Xref_Add frees it */
	return d;
}

HPDF_String pdfx_string(HPDF_Doc pdf, const char *utf8)
{
	return HPDF_String_New(pdf->mmgr, utf8, HPDF_GetEncoder(pdf, "UTF-8"));
}

HPDF_STATUS pdfx_put(HPDF_Dict d, const char *key, void *obj)
{
	return d && obj ? HPDF_Dict_Add(d, key, obj) : HPDF_INVALID_OBJECT;
}

HPDF_STATUS pdfx_put_name(HPDF_Dict d, const char *key, const char *name)
{
	return d ? HPDF_Dict_AddName(d, key, name) : HPDF_INVALID_OBJECT;
}

HPDF_STATUS pdfx_put_int(HPDF_Dict d, const char *key, int v)
{
	return d ? HPDF_Dict_AddNumber(d, key, v) : HPDF_INVALID_OBJECT;
}

HPDF_STATUS pdfx_put_bool(HPDF_Dict d, const char *key, int v)
{
	return d ? HPDF_Dict_AddBoolean(d, key, v ? HPDF_TRUE : HPDF_FALSE) : HPDF_INVALID_OBJECT;
}

unsigned pdfx_id(const void *obj)
{
	const HPDF_Obj_Header *h = obj; /* every object's first member */
	return h && (h->obj_id & HPDF_OTYPE_INDIRECT) ? h->obj_id & 0x00FFFFFFu : 0;
}

HPDF_Dict pdfx_catalog(HPDF_Doc pdf)
{
	return pdf->catalog;
}

HPDF_Dict pdfx_stream(HPDF_Doc pdf, const void *p, size_t n)
{
	HPDF_Dict s = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
	if (!s || n > 0x7fffffff)
		return NULL;
	if (n && HPDF_Stream_Write(s->stream, p, (HPDF_UINT)n) != HPDF_OK)
		return NULL;
	return s;
}

/* Page contents (update.h): the page's content stream stays libharu's
 * object, written empty (the document's compression leaves text out), and
 * the update gives that object its bytes. Its number is read (never
 * written) from the object's header, which hpdf_objects.h documents ("the
 * real Object-ID is obj_id & 0x00FFFFFF"). Images are drawn by our bytes
 * too, named as the page's resources name them (HPDF_Page_GetXObjectName,
 * hpdf_pages.h, what HPDF_Page_DrawImage itself calls). A photo that
 * passes through as JPEG bytes is, in libharu's document, an empty
 * indirect dictionary (pdfx_dict) the update makes the image, its number
 * pdfx_id's. */
unsigned pdfx_content_id(HPDF_Page page)
{
	HPDF_Dict s = HPDF_Dict_GetItem(page, "Contents", HPDF_OCLASS_DICT);
	return s && s->stream ? pdfx_id(s) : 0;
}

const char *pdfx_image_name(HPDF_Page page, HPDF_Image img)
{
	return HPDF_Page_GetXObjectName(page, img);
}
