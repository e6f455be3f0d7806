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
 * - libharu's ToUnicode CMap for its UTF-8 fonts is an encoding CMap
 *   ("begincidrange"), which poppler rejects and other readers may ignore:
 *   copying text out of the PDF then depends on each reader's guesswork.
 *   Our 2-byte codes are the characters' own code points (Identity-H with
 *   a CIDToGIDMap), so the right ToUnicode is the identity on the BMP: one
 *   bfrange per high byte, surrogates left out, at most 100 ranges a block
 *   (PDF 32000-1 9.10.3 and Adobe TN 5411). The stream's bytes are
 *   replaced with HPDF_MemStream_FreeData and HPDF_Stream_Write, and its
 *   dictionary's entries with HPDF_Dict_AddName and
 *   HPDF_Dict_RemoveElement (hpdf_objects.h).
 * - Tagged PDF (issue 17): hpdf.h has no structure tree ("BDC — not
 *   implemented yet"), no /MarkInfo, /Lang, /StructParents, XMP metadata
 *   or /DisplayDocTitle. tags.c writes the tree and the link
 *   annotations itself, after the save, into the incremental update;
 *   what goes into libharu's own objects (a page's /StructParents, /Tabs
 *   and /Annots, the catalogue's entries, and the placeholders the update
 *   replaces: an empty root dictionary and a null for each annotation)
 *   are plain dictionaries, arrays, nulls, names, numbers, booleans and
 *   strings: HPDF_Dict_New, HPDF_Array_New, HPDF_Null_New,
 *   HPDF_String_New, HPDF_Dict_Add, HPDF_Dict_AddName,
 *   HPDF_Dict_AddNumber, HPDF_Dict_AddBoolean, HPDF_Array_Add
 *   (hpdf_objects.h), an indirect one registered with HPDF_Xref_Add, and
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
#include <pthread.h>
#include <string.h>

#include "../util/buf.h"

const char *pdfx_font_name(HPDF_Page page, HPDF_Font font)
{
	return HPDF_Page_GetLocalFontName(page, font);
}

static ms_buf identity_cmap; /* the same for every font: made once */
static pthread_once_t identity_once = PTHREAD_ONCE_INIT;

static void make_identity_cmap(void)
{
	ms_buf b;
	ms_buf_init(&b);
	ms_buf_adds(&b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
	                "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 "
	                ">> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
	                "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	int hi[256], n = 0;
	for (int h = 0; h < 256; h++)
		if ((h < 0xD8 || h > 0xDF) && h != 0xFB)
			hi[n++] = h;
	/* the layout draws "fi" and "fl" as ligatures (dlist.h): copied text
	 * and screen readers get the two letters back */
	ms_buf_adds(&b, "2 beginbfrange\n<FB00> <FB00> <FB00>\n<FB03> <FBFF> <FB03>\nendbfrange\n"
	                "2 beginbfchar\n<FB01> <00660069>\n<FB02> <0066006C>\nendbfchar\n");
	for (int i = 0; i < n; i += 100) {
		int k = n - i < 100 ? n - i : 100;
		ms_buf_printf(&b, "%d beginbfrange\n", k);
		for (int j = i; j < i + k; j++)
			ms_buf_printf(&b, "<%02X00> <%02XFF> <%02X00>\n", hi[j], hi[j], hi[j]);
		ms_buf_adds(&b, "endbfrange\n");
	}
	ms_buf_adds(&b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
	identity_cmap = b; /* kept to the end of the run (NULL when out of memory) */
}

void pdfx_identity_to_unicode(HPDF_Font font)
{
	HPDF_Dict cmap = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
	if (!cmap || !cmap->stream)
		return;
	pthread_once(&identity_once, make_identity_cmap);
	const ms_buf *b = &identity_cmap;
	if (b->s && !b->oom) {
		HPDF_MemStream_FreeData(cmap->stream);
		HPDF_Stream_Write(cmap->stream, (const HPDF_BYTE *)b->s, (HPDF_UINT)b->len);
		HPDF_Dict_AddName(cmap, "CMapName", "Adobe-Identity-UCS");
		HPDF_Dict_RemoveElement(cmap, "CIDSystemInfo");
		HPDF_Dict_RemoveElement(cmap, "WMode");
		HPDF_Dict_RemoveElement(cmap, "Type");
	}
}

HPDF_Dict pdfx_dict(HPDF_Doc pdf, int indirect)
{
	HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);
	if (d && indirect && HPDF_Xref_Add(pdf->xref, d) != HPDF_OK)
		return NULL; /* HPDF_Xref_Add frees it */
	return d;
}

HPDF_Array pdfx_array(HPDF_Doc pdf)
{
	return HPDF_Array_New(pdf->mmgr);
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

unsigned pdfx_placeholder(HPDF_Doc pdf, HPDF_Array in)
{
	/* libharu frees an object it refuses for a full array, so a full
	 * array is refused here first */
	if (!in || HPDF_Array_Items(in) >= HPDF_LIMIT_MAX_ARRAY)
		return 0;
	HPDF_Null n = HPDF_Null_New(pdf->mmgr);
	if (!n || HPDF_Xref_Add(pdf->xref, n) != HPDF_OK) /* which frees it on error */
		return 0;
	return HPDF_Array_Add(in, n) == HPDF_OK ? pdfx_id(n) : 0;
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
