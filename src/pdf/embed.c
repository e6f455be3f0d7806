/* embed.c — the document's fonts, written by mspdoc into the update
 * (update.h) from font/'s subsets, not loaded into libharu.
 *
 * libharu 2.3.0 builds a UTF-8 font's CIDToGIDMap by looking up every one
 * of the 65,536 codes in the face's cmap with a linear scan of its
 * segments, at HPDF_GetFont, and deflates that 128 KB map, the face's
 * subset (with its whole cmap, hmtx, loca and glyph names) and its
 * ToUnicode at zlib's level 6 as it saves: for a book's five faces, a
 * third of the run. font/ already parses each face with bounds checked
 * (the layout measures with it); its subsetter keeps the glyphs the
 * pages show, and the parts of composite glyphs at any depth (which
 * libharu 2.3.0 drops). In libharu's document each font is a set of empty
 * indirect dictionaries, as a photo is: the Type0 font is named in each
 * page's resources (HPDF_Page_GetLocalFontName, as for photos
 * HPDF_Page_GetXObjectName), and the update gives each placeholder its
 * body: the Type0 font, its CIDFontType2, font descriptor, the subset
 * (/FontFile2) and the CIDToGIDMap, and one identity ToUnicode CMap that
 * every font shares.
 *
 * The codes stay what they were: each character's UTF-16 value (content.c),
 * mapped to its glyph by the CIDToGIDMap; the /W widths are font/'s, which
 * the layout measured with. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"
#include "hpdfx.h"
#include "update.h"

HPDF_Font pdf_font(pdf_fonts *pf, int face)
{
	if (face < 0 || face >= FT_ALL)
		face = 0;
	if (!pf->tried[face]) {
		pf->tried[face] = 1;
		const char *why = NULL;
		int ok = ft_load(pf->ft, face, &why) == 0;
		if (ok && !pf->to_unicode)
			pf->to_unicode = pdfx_id(pdfx_dict(pf->pdf, 1));
		HPDF_Dict font = ok ? pdfx_dict(pf->pdf, 1) : NULL;
		for (int k = 0; k < PDF_FONT_PARTS && font; k++)
			if (!(pf->part[face][k] = pdfx_id(pdfx_dict(pf->pdf, 1))))
				font = NULL;
		pf->used[face] = calloc(0x10000 / 8, 1);
		if (!font || !pf->used[face] || !pf->to_unicode) {
			pf->h[face] = NULL;
			pf->failed = 1;
			HPDF_ResetError(pf->pdf);
		} else {
			pf->h[face] = font;
		}
	}
	return pf->h[face];
}

void pdf_fonts_free(pdf_fonts *pf)
{
	for (int i = 0; i < FT_ALL; i++)
		free(pf->used[i]);
	memset(pf->used, 0, sizeof pf->used);
}

/* The ToUnicode CMap of every font: our 2-byte codes are the characters'
 * own code points (Identity-H with a CIDToGIDMap), so the right ToUnicode
 * is the identity on the BMP: one bfrange per high byte, surrogates left
 * out, at most 100 ranges a block (PDF 32000-1 9.10.3 and Adobe TN 5411). */
static void identity_cmap(ms_buf *b)
{
	ms_buf_adds(b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
	               "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 "
	               ">> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
	               "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	int hi[256], n = 0;
	for (int h = 0; h < 256; h++)
		if ((h < 0xD8 || h > 0xDF) && h != 0xFB)
			hi[n++] = h;
	/* the layout draws "fi" and "fl" as ligatures (dlist.h): copied text
	 * and screen readers get the two letters back */
	ms_buf_adds(b, "2 beginbfrange\n<FB00> <FB00> <FB00>\n<FB03> <FBFF> <FB03>\nendbfrange\n"
	               "2 beginbfchar\n<FB01> <00660069>\n<FB02> <0066006C>\nendbfchar\n");
	for (int i = 0; i < n; i += 100) {
		int k = n - i < 100 ? n - i : 100;
		ms_buf_printf(b, "%d beginbfrange\n", k);
		for (int j = i; j < i + k; j++)
			ms_buf_printf(b, "<%02X00> <%02XFF> <%02X00>\n", hi[j], hi[j], hi[j]);
		ms_buf_adds(b, "endbfrange\n");
	}
	ms_buf_adds(b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
}

static int is_used(const unsigned char *u, uint32_t cp)
{
	return (u[cp >> 3] >> (cp & 7)) & 1;
}

/* One face's objects into the update: 0, or -1 (out of memory, or the
 * face's file could not be read again: *why). */
static int write_face(pdf_fonts *pf, int face, pdfu *u, ms_buf *b, const char **why)
{
	const unsigned char *used = pf->used[face];
	const unsigned *id = pf->part[face];
	ft_embed m;
	ms_buf_clear(b);
	if (ft_subset(pf->ft, face, used, b, &m, why) < 0)
		return -1;
	char dict[64];
	snprintf(dict, sizeof dict, "/Length1 %zu", b->len);
	if (pdfu_stream_dict(u, id[2], dict, b->s, b->len) < 0)
		return -1;
	/* a subset's tag (PDF 32000-1 9.6.4): six capitals from what it holds */
	uint32_t hsh = 2166136261u ^ (uint32_t)face;
	for (size_t i = 0; i < 0x10000 / 8; i++)
		hsh = ms_fnv_byte(hsh, used[i]);
	char name[80];
	int k = 0;
	for (; k < 6; k++, hsh /= 26)
		name[k] = (char)('A' + hsh % 26);
	snprintf(name + 6, sizeof name - 6, "+%s", m.name[0] ? m.name : "Font");
	/* the CIDToGIDMap, up to the last code shown */
	uint32_t last = 0;
	for (uint32_t cp = 0; cp < 0x10000; cp++)
		if (!used[cp >> 3])
			cp |= 7; /* none of these eight */
		else if (is_used(used, cp))
			last = cp;
	ms_buf_clear(b);
	if (ms_buf_reserve(b, 2 * ((size_t)last + 1)) < 0)
		return -1;
	memset(b->s, 0, 2 * ((size_t)last + 1));
	for (uint32_t cp = 0; cp <= last; cp++)
		if (!used[cp >> 3])
			cp |= 7;
		else if (is_used(used, cp)) {
			unsigned g = ft_glyph(pf->ft, face, cp);
			b->s[2 * cp] = (char)(g >> 8);
			b->s[2 * cp + 1] = (char)(g & 255);
		}
	b->len = 2 * ((size_t)last + 1);
	if (pdfu_stream(u, id[3], b->s, b->len) < 0)
		return -1;
	/* the descriptor */
	ms_buf_clear(b);
	ms_buf_printf(b,
	              "<</Type/FontDescriptor/FontName/%s/Flags %d/FontBBox[%d %d %d %d]"
	              "/ItalicAngle %.4g/Ascent %d/Descent %d/CapHeight %d/XHeight %d"
	              "/StemV %d/FontFile2 %u 0 R>>",
	              name, m.flags, m.bbox[0], m.bbox[1], m.bbox[2], m.bbox[3], m.italic_angle,
	              m.ascent, m.descent, m.cap_height, m.x_height, m.stem_v, id[2]);
	if (b->oom || pdfu_object(u, id[1], b->s, b->len) < 0)
		return -1;
	/* the descendant font: the widths of the codes shown, a run of
	 * consecutive codes an array */
	ms_buf_clear(b);
	ms_buf_printf(b,
	              "<</Type/Font/Subtype/CIDFontType2/BaseFont/%s/CIDSystemInfo<</Registry"
	              "(Adobe)/Ordering(Identity)/Supplement 0>>/FontDescriptor %u 0 R"
	              "/CIDToGIDMap %u 0 R/W[",
	              name, id[1], id[3]);
	for (uint32_t cp = 0; cp <= last; cp++) {
		if (!used[cp >> 3]) {
			cp |= 7;
			continue;
		}
		if (!is_used(used, cp))
			continue;
		ms_buf_printf(b, "%u[", (unsigned)cp);
		for (int first = 1; cp <= last && is_used(used, cp); cp++, first = 0)
			ms_buf_printf(b, first ? "%d" : " %d",
			              ft_glyph_units(pf->ft, face, ft_glyph(pf->ft, face, cp)));
		ms_buf_adds(b, "]");
	}
	ms_buf_adds(b, "]>>");
	if (b->oom || pdfu_object(u, id[0], b->s, b->len) < 0)
		return -1;
	ms_buf_clear(b);
	ms_buf_printf(b,
	              "<</Type/Font/Subtype/Type0/BaseFont/%s/Encoding/Identity-H"
	              "/DescendantFonts[%u 0 R]/ToUnicode %u 0 R>>",
	              name, id[0], pf->to_unicode);
	if (b->oom || pdfu_object(u, pdfx_id(pf->h[face]), b->s, b->len) < 0)
		return -1;
	return 0;
}

int pdf_fonts_write(pdf_fonts *pf, pdfu *u)
{
	ms_buf b;
	ms_buf_init(&b);
	int rc = 0;
	if (pf->to_unicode) {
		identity_cmap(&b);
		if (b.oom || pdfu_stream(u, pf->to_unicode, b.s, b.len) < 0)
			rc = -1;
	}
	for (int face = 0; face < FT_ALL && rc == 0; face++) {
		if (!pf->h[face])
			continue;
		const char *why = "out of memory";
		if (write_face(pf, face, u, &b, &why) < 0) {
			pf->failed = 1;
			pf->why = why;
			rc = -1;
		}
	}
	ms_buf_free(&b);
	return rc;
}
