/* Unit tests of pdf/: the replacements for libharu's byte-at-a-time copies
 * and its linear cmap scan must keep libharu's contract exactly. */
#define _GNU_SOURCE /* RTLD_NEXT */
#include <dlfcn.h>
#include <hpdf.h>
#include <hpdf_encrypt.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <hpdf_utils.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "pdf/content.h"
#include "t.h"

/* libharu 2.3.0's own lookup (hpdf_fontdef_tt.c), the reference. */
static HPDF_UINT16 linear_glyphid(HPDF_FontDef fontdef, HPDF_UINT16 unicode)
{
	HPDF_TTFontDefAttr attr = (HPDF_TTFontDefAttr)fontdef->attr;
	const HPDF_TTF_CmapRange *cm = &attr->cmap;
	if (cm->format == 0)
		return cm->glyph_id_array[unicode & 0xFF];
	HPDF_UINT segs = cm->seg_count_x2 / 2, i;
	for (i = 0; i < segs; i++)
		if (unicode <= cm->end_count[i])
			break;
	if (i == segs || cm->start_count[i] > unicode)
		return 0;
	if (cm->id_range_offset[i] == 0)
		return (HPDF_UINT16)(unicode + cm->id_delta[i]);
	HPDF_UINT idx = cm->id_range_offset[i] / 2 + (unicode - cm->start_count[i]) - (segs - i);
	if (idx >= cm->glyph_id_array_count)
		return 0;
	return (HPDF_UINT16)(cm->glyph_id_array[idx] + cm->id_delta[i]);
}

static void err(HPDF_STATUS a, HPDF_STATUS b, void *d)
{
	(void)a;
	(void)b;
	(void)d;
}

static void test_glyphid(void)
{
	static const char *fonts[] = {
	    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
	    "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
	    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Italic.ttf",
	    "/usr/share/fonts/truetype/liberation2/LiberationMono-Regular.ttf",
	};
	for (size_t f = 0; f < sizeof fonts / sizeof *fonts; f++) {
		HPDF_Doc pdf = HPDF_New(err, NULL);
		const char *name = HPDF_LoadTTFontFromFile(pdf, fonts[f], HPDF_TRUE);
		CHECK(name != NULL);
		if (!name) {
			HPDF_Free(pdf);
			continue;
		}
		HPDF_FontDef def = HPDF_GetFontDef(pdf, name);
		CHECK(def != NULL);
		long same = 0, mapped = 0;
		for (unsigned u = 0; def && u <= 0xFFFF; u++) {
			HPDF_UINT16 a = HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)u);
			same += a == linear_glyphid(def, (HPDF_UINT16)u);
			mapped += a != 0;
		}
		CHECK_INT(same, 65536); /* every code point as libharu finds it */
		/* and in a scrambled order (the lookup starts from its last answer) */
		same = 0;
		for (unsigned k = 0; def && k <= 0xFFFF; k++) {
			HPDF_UINT16 u = (HPDF_UINT16)(k * 40503u); /* odd: a permutation */
			same += HPDF_TTFontDef_GetGlyphid(def, u) == linear_glyphid(def, u);
		}
		CHECK_INT(same, 65536);
		CHECK(mapped > 600); /* Latin, Greek, Cyrillic at least */
		CHECK(def && HPDF_TTFontDef_GetGlyphid(def, 'A') != 0);
		CHECK(def && HPDF_TTFontDef_GetGlyphid(def, 0x010D) != 0); /* č */
		CHECK(def && HPDF_TTFontDef_GetGlyphid(def, 0x4E00) == 0); /* no CJK */
		HPDF_Free(pdf);
	}
}

static void test_copies(void)
{
	HPDF_BYTE a[64], b[64];
	for (int i = 0; i < 64; i++)
		a[i] = (HPDF_BYTE)i;
	memset(b, 0xEE, sizeof b);
	CHECK(HPDF_MemCpy(b, a, 40) == b + 40); /* libharu returns the end */
	CHECK(memcmp(a, b, 40) == 0 && b[40] == 0xEE);
	CHECK(HPDF_MemCpy(b, a, 0) == b);
	CHECK((HPDF_BYTE *)HPDF_MemSet(b, 7, 10) == b + 10);
	CHECK(b[0] == 7 && b[9] == 7 && b[10] == 10);
	/* overlapping copies, as libharu's streams may do, stay right */
	HPDF_MemCpy(a + 1, a, 10);
	CHECK(a[1] == 0 && a[10] == 9);
}

/* not in libharu's installed headers; defined in pdf/zq.c */
HPDF_STATUS HPDF_Stream_WriteToStreamWithDeflate(HPDF_Stream src, HPDF_Stream dst, HPDF_Encrypt e);

/* The deflating replacement: a zlib stream that inflates to the input, for
 * empty input, less than, exactly and more than its 64 KiB buffer. */
static void test_deflate(void)
{
	static const size_t sizes[] = {0, 1, 4095, 65536, 65537, 300000};
	HPDF_Doc pdf = HPDF_New(err, NULL);
	for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
		size_t n = sizes[k];
		unsigned char *data = malloc(n + 1);
		for (size_t i = 0; i < n; i++) /* text-like, compressible */
			data[i] =
			    (unsigned char)("BT /F1 10 Tf (word) Tj ET\n"[i % 26] ^ (i % 97 == 0));
		HPDF_Stream src = HPDF_MemStream_New(pdf->mmgr, 4096),
		            dst = HPDF_MemStream_New(pdf->mmgr, 4096);
		CHECK(HPDF_Stream_Write(src, data, (HPDF_UINT)n) == HPDF_OK);
		CHECK(HPDF_Stream_WriteToStreamWithDeflate(src, dst, NULL) == HPDF_OK);
		HPDF_UINT32 zn = HPDF_Stream_Size(dst);
		unsigned char *z = malloc(zn + 1), *back = malloc(n + 1);
		HPDF_UINT got = zn;
		HPDF_Stream_Seek(dst, 0, HPDF_SEEK_SET);
		HPDF_Stream_Read(dst, z, &got);
		uLongf bn = (uLongf)n;
		CHECK(got == zn && zn > 0);
		CHECK(uncompress(back, &bn, z, zn) == Z_OK && bn == n && !memcmp(back, data, n));
		CHECK(n < 1000 || zn < n / 4); /* it did compress */
		HPDF_Stream_Free(src);
		HPDF_Stream_Free(dst);
		free(data);
		free(z);
		free(back);
	}
	HPDF_Free(pdf);
}

/* Numbers of the content stream: three decimals at most, no trailing zeros,
 * no "-0". */
static void test_numbers(void)
{
	static const struct {
		double v;
		const char *want;
	} cases[] = {{0, "0"},
	             {1, "1"},
	             {-1, "-1"},
	             {0.5, "0.5"},
	             {12.345, "12.345"},
	             {12.3456, "12.346"},
	             {-0.0004, "0"},
	             {-0.25, "-0.25"},
	             {532.91339, "532.913"},
	             {1000000, "1000000"},
	             {-283.5704, "-283.57"}};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		ms_buf b;
		ms_buf_init(&b);
		pdfc_num(&b, cases[i].v);
		CHECK_STR(b.s, cases[i].want);
		ms_buf_free(&b);
	}
}

/* The file reader and writer that replace libharu's (pdf/haru.c). */
static void test_files(void)
{
	const char *path = "build/test-reader.bin";
	FILE *fp = fopen(path, "wb");
	CHECK(fp != NULL);
	if (!fp)
		return;
	fwrite("0123456789", 1, 10, fp);
	fclose(fp);
	HPDF_Doc pdf = HPDF_New(NULL, NULL);
	HPDF_Stream r = HPDF_FileReader_New(pdf->mmgr, path);
	CHECK(r != NULL);
	if (r) {
		HPDF_BYTE b[16];
		HPDF_UINT n = 4;
		CHECK_INT(HPDF_Stream_Read(r, b, &n), HPDF_OK); /* exactly what is asked */
		CHECK(n == 4 && !memcmp(b, "0123", 4));
		CHECK_INT(HPDF_Stream_Tell(r), 4);
		n = 8;
		CHECK_INT(HPDF_Stream_Read(r, b, &n), HPDF_STREAM_EOF); /* short: EOF */
		CHECK(n == 6 && !memcmp(b, "456789", 6));
		CHECK_INT(HPDF_Stream_Size(r), 10);
		CHECK_INT(HPDF_Stream_Seek(r, -3, HPDF_SEEK_END), HPDF_OK);
		n = 3;
		CHECK_INT(HPDF_Stream_Read(r, b, &n), HPDF_OK); /* the last bytes, not yet EOF */
		CHECK(n == 3 && !memcmp(b, "789", 3));
		n = 1;
		CHECK_INT(HPDF_Stream_Read(r, b, &n), HPDF_STREAM_EOF);
		CHECK_INT((int)n, 0);
		CHECK(HPDF_Stream_Seek(r, -11, HPDF_SEEK_END) != HPDF_OK); /* before the start */
		HPDF_ResetError(pdf);
		HPDF_Stream_Free(r);
	}
	CHECK(HPDF_FileReader_New(pdf->mmgr, "build/no-such-file") == NULL);
	HPDF_ResetError(pdf);
	/* a save whose every byte is still buffered when the disk turns out to
	 * be full: the last write fails, and so does the save */
	HPDF_AddPage(pdf);
	CHECK(HPDF_SaveToFile(pdf, "/dev/full") != HPDF_OK);
	HPDF_ResetError(pdf);
	CHECK_INT(HPDF_SaveToFile(pdf, "build/test-writer.pdf"), HPDF_OK);
	char head[8] = {0};
	fp = fopen("build/test-writer.pdf", "rb");
	CHECK(fp && fread(head, 1, 8, fp) == 8 && !memcmp(head, "%PDF-1.", 7));
	if (fp)
		fclose(fp);
	HPDF_Free(pdf);
}

/* A pooled document is released whole by pdf_doc_free, without HPDF_Free:
 * its font file's reader, pages and streams with it (the valgrind run of
 * the tests sees nothing left). A second document meanwhile is a plain
 * one, freed by HPDF_Free, and once the first is gone the pool serves the
 * next. */
static void test_pool(void)
{
	const char *ttf = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf";
	ly_herr e1 = {0, 0}, e2 = {0, 0};
	HPDF_Doc a = pdf_doc_new(&e1), b = pdf_doc_new(&e2);
	CHECK(a && b);
	if (!a || !b)
		return;
	HPDF_Alloc_Func pooled = a->mmgr->alloc_fn;
	CHECK(pooled != b->mmgr->alloc_fn);
	HPDF_UseUTFEncodings(a);
	const char *name = HPDF_LoadTTFontFromFile(a, ttf, HPDF_TRUE);
	HPDF_Font font = name ? HPDF_GetFont(a, name, "UTF-8") : NULL;
	HPDF_Page page = HPDF_AddPage(a);
	CHECK(font && page);
	HPDF_Page_BeginText(page);
	HPDF_Page_SetFontAndSize(page, font, 12);
	HPDF_Page_TextOut(page, 72, 720, "Cooperation and assistance");
	HPDF_Page_EndText(page);
	CHECK(HPDF_SaveToStream(a) == HPDF_OK && HPDF_GetStreamSize(a) > 1000);
	CHECK(HPDF_LoadTTFontFromFile(b, ttf, HPDF_TRUE) != NULL); /* b's own reader */
	pdf_doc_free(a);
	pdf_doc_free(b);
	HPDF_Doc c = pdf_doc_new(&e1);
	CHECK(c && c->mmgr->alloc_fn == pooled);
	pdf_doc_free(c);
	pdf_doc_free(NULL);
	CHECK_INT((int)e1.code, 0);
}

/* The bytes of a memory stream, NUL-terminated (caller frees). */
static char *stream_bytes(HPDF_Stream st)
{
	HPDF_UINT32 n = HPDF_Stream_Size(st);
	char *out = calloc(1, n + 1);
	HPDF_UINT got = n;
	if (out && (HPDF_Stream_Seek(st, 0, HPDF_SEEK_SET) != HPDF_OK ||
	            (n && HPDF_Stream_Read(st, (HPDF_BYTE *)out, &got) != HPDF_OK) || got != n)) {
		free(out);
		return NULL;
	}
	return out;
}

typedef HPDF_STATUS (*dict_write_fn)(HPDF_Dict, HPDF_Stream, HPDF_Encrypt);

/* haru.c writes plain dictionaries and arrays in one piece: the bytes are
 * libharu's (its own HPDF_Dict_Write, found with RTLD_NEXT, as reference),
 * a link annotation's exactly as libharu writes it; a dictionary with a
 * stream still goes to libharu's. */
static void test_object_writer(void)
{
	HPDF_Doc pdf = HPDF_New(NULL, NULL);
	CHECK(pdf != NULL);
	if (!pdf)
		return;
	HPDF_MMgr mm = pdf->mmgr;
	HPDF_Dict d = HPDF_Dict_New(mm);
	HPDF_Array rect = HPDF_Array_New(mm), border = HPDF_Array_New(mm);
	const float r[4] = {62.36221f, 715.04755f, 126.4372f, 728.04755f};
	for (int i = 0; i < 4; i++)
		HPDF_Array_AddReal(rect, r[i]);
	for (int i = 0; i < 3; i++)
		HPDF_Array_AddNumber(border, 0);
	HPDF_Dict target = HPDF_Dict_New(mm);
	HPDF_Xref_Add(pdf->xref, target); /* indirect: the entry is a reference */
	HPDF_Dict_Add(d, "Rect", rect);
	HPDF_Dict_AddName(d, "Type", "Annot");
	HPDF_Dict_AddName(d, "Subtype", "Link");
	HPDF_Dict_Add(d, "Dest", target);
	HPDF_Dict_Add(d, "Border", border);
	HPDF_Stream s1 = HPDF_MemStream_New(mm, 64), s2 = HPDF_MemStream_New(mm, 64);
	CHECK(HPDF_Dict_Write(d, s1, NULL) == HPDF_OK);
	char *ours = stream_bytes(s1);
	char want[160];
	snprintf(want, sizeof want,
	         "<<\n/Rect [ 62.36221 715.04755 126.4372 728.04755 ]\n/Type /Annot\n/Subtype "
	         "/Link\n/Dest %u 0 R\n/Border [ 0 0 0 ]\n>>",
	         (unsigned)(target->header.obj_id & 0xFFFFFF));
	CHECK_STR(ours, want);
	void *sym = dlsym(RTLD_NEXT, "HPDF_Dict_Write");
	dict_write_fn real;
	memcpy(&real, &sym, sizeof sym);
	CHECK(sym != NULL);
	/* every kind of value, escapes, clamps, a hidden entry, nesting */
	HPDF_Dict all = HPDF_Dict_New(mm), inner = HPDF_Dict_New(mm);
	HPDF_Array nums = HPDF_Array_New(mm), nest = HPDF_Array_New(mm);
	const float reals[] = {0,     -0.5f,  1.23456f,  595.276f,  1e-7f,
	                       32767, -32767, 0.000004f, 99.999999f};
	for (size_t i = 0; i < sizeof reals / sizeof *reals; i++)
		HPDF_Array_AddReal(nums, reals[i]);
	const int ints[] = {0, -17, 2147483647, -2147483647, 9};
	for (size_t i = 0; i < sizeof ints / sizeof *ints; i++)
		HPDF_Array_AddNumber(nums, ints[i]);
	HPDF_Array_AddName(nest, "FitH");
	HPDF_Array_Add(nums, nest);
	HPDF_Dict_AddName(inner, "S", "URI");
	HPDF_Dict_AddBoolean(inner, "Yes", HPDF_TRUE);
	HPDF_Dict_AddBoolean(inner, "No", HPDF_FALSE);
	HPDF_Dict_Add(inner, "Nothing", HPDF_Null_New(mm));
	HPDF_Dict_Add(all, "Numbers", nums);
	HPDF_Dict_Add(all, "A", inner);
	HPDF_Dict_AddName(all, "Odd#Key", "a b/c(d)%[e]{f}<g>\x01\xC3\xA9");
	HPDF_Number hidden = HPDF_Number_New(mm, 5);
	hidden->header.obj_id |= HPDF_OTYPE_HIDDEN;
	HPDF_Dict_Add(all, "Hidden", hidden);
	HPDF_Dict_Add(all, "Dest", target);
	CHECK_INT((int)HPDF_GetError(pdf), 0);
	HPDF_Stream s3 = HPDF_MemStream_New(mm, 64), s4 = HPDF_MemStream_New(mm, 64);
	CHECK(HPDF_Dict_Write(all, s3, NULL) == HPDF_OK);
	CHECK(real && real(all, s4, NULL) == HPDF_OK);
	char *a3 = stream_bytes(s3), *a4 = stream_bytes(s4);
	CHECK(a3 && a4 && strstr(a3, "/Odd#23Key /a") && !strstr(a3, "Hidden"));
	CHECK_STR(a3, a4);
	/* numbers, written by libharu's own HPDF_FToA and HPDF_IToA in its
	 * writer (as direct entries: its arrays come back to ours) */
	HPDF_Dict nd = HPDF_Dict_New(mm);
	unsigned long long x = 2463534242ULL;
	for (int i = 0; i < 3000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		char key[16];
		snprintf(key, sizeof key, "N%d", i);
		if (i % 3 == 2) {
			HPDF_Dict_AddNumber(nd, key, (HPDF_INT32)(int32_t)(uint32_t)x);
		} else {
			/* within libharu's limits, a thousandth apart, and raw bits */
			double v = i % 3 ? ((double)(x % 65534000) - 32767000) / 1000.0
			                 : ((double)(x % 2000001) - 1000000) / 99999.0;
			HPDF_Dict_AddReal(nd, key, (HPDF_REAL)v);
		}
	}
	const float edges[] = {0.000004f,   0.000005f, 0.0000049f, 0.99999f,
	                       0.999996f,   9.999996f, -0.000001f, 32766.99999f,
	                       -32766.999f, 1.00001f,  0.1f,       0.7f};
	for (size_t i = 0; i < sizeof edges / sizeof *edges; i++) {
		char key[16];
		snprintf(key, sizeof key, "E%zu", i);
		HPDF_Dict_AddReal(nd, key, edges[i]);
	}
	HPDF_Dict_AddNumber(nd, "MinInt", -2147483647);
	HPDF_Dict_AddNumber(nd, "Zero", 0);
	CHECK_INT((int)HPDF_GetError(pdf), 0);
	HPDF_Stream s7 = HPDF_MemStream_New(mm, 4096), s8 = HPDF_MemStream_New(mm, 4096);
	CHECK(HPDF_Dict_Write(nd, s7, NULL) == HPDF_OK && real && real(nd, s8, NULL) == HPDF_OK);
	char *a7 = stream_bytes(s7), *a8 = stream_bytes(s8);
	CHECK(a7 && a8 && strlen(a7) > 30000);
	CHECK_STR(a7, a8);
	free(a7);
	free(a8);
	HPDF_Stream_Free(s7);
	HPDF_Stream_Free(s8);
	HPDF_Dict_Free(nd);
	/* a stream's dictionary: libharu's own writes it, the same way */
	HPDF_Dict sd = HPDF_DictStream_New(mm, pdf->xref);
	HPDF_Stream_WriteStr(sd->stream, "BT ET");
	HPDF_Stream s5 = HPDF_MemStream_New(mm, 64), s6 = HPDF_MemStream_New(mm, 64);
	CHECK(HPDF_Dict_Write(sd, s5, NULL) == HPDF_OK && real && real(sd, s6, NULL) == HPDF_OK);
	char *a5 = stream_bytes(s5), *a6 = stream_bytes(s6);
	CHECK(a5 && strstr(a5, "stream\r\nBT ET"));
	CHECK_STR(a5, a6);
	free(ours);
	free(a3);
	free(a4);
	free(a5);
	free(a6);
	HPDF_Stream_Free(s1);
	HPDF_Stream_Free(s2);
	HPDF_Stream_Free(s3);
	HPDF_Stream_Free(s4);
	HPDF_Stream_Free(s5);
	HPDF_Stream_Free(s6);
	HPDF_Dict_Free(d);
	HPDF_Dict_Free(all);
	HPDF_Free(pdf);
}

/* pdfc_round is llround for coordinates: halves away from zero, the
 * largest double below a half, negatives, large values, and many more. */
/* A document of three pages whose links on page 1 go to pages 2 and 3,
 * made by libharu's HPDF_Page_CreateLinkAnnot + HPDF_LinkAnnot_SetBorderStyle
 * or by pdf_link, saved to memory (caller frees); *n its length. */
static char *links_doc(int ours, size_t *n)
{
	ly_herr e = {0, 0};
	HPDF_Doc pdf = pdf_doc_new(&e);
	if (!pdf)
		return NULL;
	HPDF_Page p[3];
	for (int i = 0; i < 3; i++)
		p[i] = HPDF_AddPage(pdf);
	HPDF_Destination d1 = HPDF_Page_CreateDestination(p[1]);
	HPDF_Destination d2 = HPDF_Page_CreateDestination(p[2]);
	HPDF_Destination_SetFitH(d1, 700.25f);
	HPDF_Destination_SetFitH(d2, 12);
	/* the second rectangle upside down: its top and bottom are swapped */
	const HPDF_Rect r[3] = {{62.36221f, 704.54364f, 112.4232f, 717.54364f},
	                        {504.06146f, 717.5f, 526.40948f, 704.0f},
	                        {0, 0, 595.276f, 841.89f}};
	HPDF_Destination to[3] = {d1, d2, d1};
	for (int i = 0; i < 3; i++) {
		int page = i == 2 ? 2 : 0; /* the last on page 3, back to page 2 */
		if (ours) {
			if (pdf_link(p[page], r[i], to[i]) != 0)
				e.code = 1;
		} else {
			HPDF_Annotation a = HPDF_Page_CreateLinkAnnot(p[page], r[i], to[i]);
			if (!a || HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0) != HPDF_OK)
				e.code = 1;
		}
	}
	char *out = NULL;
	if (!e.code && HPDF_SaveToStream(pdf) == HPDF_OK) {
		HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
		out = malloc(size + 1);
		if (out && HPDF_ReadFromStream(pdf, (HPDF_BYTE *)out, &size) != HPDF_OK && !size) {
			free(out);
			out = NULL;
		}
		*n = size;
	}
	pdf_doc_free(pdf);
	return out;
}

/* pdf_link's links are libharu's, byte for byte, in a whole file. */
static void test_links(void)
{
	size_t na = 0, nb = 0;
	char *a = links_doc(0, &na), *b = links_doc(1, &nb);
	CHECK(a && b);
	if (a && b) {
		CHECK_INT((int)na, (int)nb);
		CHECK(na == nb && memcmp(a, b, na) == 0);
		a[na] = 0;
		CHECK(strstr(a, "/Rect [ 504.06146 704 526.40948 717.5 ]") != NULL);
		CHECK(strstr(a, "/Annots [ ") != NULL);
	}
	free(a);
	free(b);
	/* a destination of another document is refused, as libharu refuses it */
	ly_herr e = {0, 0};
	HPDF_Doc x = pdf_doc_new(&e);
	HPDF_Page px = x ? HPDF_AddPage(x) : NULL;
	CHECK(px != NULL);
	if (px) {
		HPDF_Rect r = {0, 0, 10, 10};
		CHECK(pdf_link(px, r, NULL) == -1);
	}
	pdf_doc_free(x);
}

/* A one-page document with text in Liberation Serif, saved to memory
 * (caller frees). ahead: its font subset made by pdf_subset_start once
 * "Cooperation" is measured; late: a character measured afterwards, after
 * pdf_subset_cancel as ly_units does. */
static char *subset_doc(int ahead, int late, size_t *n)
{
	const char *ttf = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf";
	ly_herr e = {0, 0};
	HPDF_Doc pdf = pdf_doc_new(&e);
	if (!pdf)
		return NULL;
	HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(pdf);
	const char *name = HPDF_LoadTTFontFromFile(pdf, ttf, HPDF_TRUE);
	HPDF_Font font = name ? HPDF_GetFont(pdf, name, "UTF-8") : NULL;
	HPDF_Page page = HPDF_AddPage(pdf);
	char *out = NULL;
	if (font && page) {
		const char *word = "Cooperation";
		for (const char *c = word; *c; c++)
			HPDF_Font_GetUnicodeWidth(font, (HPDF_UNICODE)*c);
		if (ahead)
			pdf_subset_start(pdf, &font, 1);
		if (late) {
			if (ahead)
				pdf_subset_cancel(pdf);
			HPDF_Font_GetUnicodeWidth(font, 0x0174); /* W with circumflex */
		}
		HPDF_Page_BeginText(page);
		HPDF_Page_SetFontAndSize(page, font, 12);
		HPDF_Page_TextOut(page, 72, 720, late ? "Cooperation \xC5\xB4" : word);
		HPDF_Page_EndText(page);
		if (HPDF_SaveToStream(pdf) == HPDF_OK) {
			HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
			out = malloc(size + 1);
			if (out && HPDF_ReadFromStream(pdf, (HPDF_BYTE *)out, &size) != HPDF_OK &&
			    !size) {
				free(out);
				out = NULL;
			}
			*n = size;
		}
	}
	pdf_doc_free(pdf);
	return out;
}

/* A subset made ahead on a second core is the one libharu makes at
 * saving, byte for byte; cancelled for a late glyph, libharu's is used,
 * with the glyph. */
static void test_subsets(void)
{
	for (int late = 0; late < 2; late++) {
		size_t na = 0, nb = 0;
		char *a = subset_doc(0, late, &na), *b = subset_doc(1, late, &nb);
		CHECK(a && b && na > 1000);
		CHECK(a && b && na == nb && !memcmp(a, b, na));
		free(a);
		free(b);
	}
	size_t n1 = 0, n2 = 0;
	char *early = subset_doc(1, 0, &n1), *late = subset_doc(1, 1, &n2);
	CHECK(early && late && n2 > n1); /* the late glyph is in the font */
	free(early);
	free(late);
	pdf_subset_start(NULL, NULL, 0); /* nothing to do */
	pdf_subset_cancel(NULL);
}

typedef HPDF_STATUS (*xref_write_fn)(HPDF_Xref, HPDF_Stream, HPDF_Encrypt);

/* haru.c's HPDF_Xref_WriteToStream writes what libharu's does: every
 * object, the table with its offsets, the trailer. */
static void test_xref(void)
{
	ly_herr e = {0, 0};
	HPDF_Doc pdf = pdf_doc_new(&e);
	CHECK(pdf != NULL);
	if (!pdf)
		return;
	HPDF_Page p[3];
	for (int i = 0; i < 3; i++)
		p[i] = HPDF_AddPage(pdf);
	HPDF_Destination d = HPDF_Page_CreateDestination(p[2]);
	HPDF_Rect r = {10, 20, 30, 40};
	CHECK(pdf_link(p[0], r, d) == 0);
	HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, "Cooperation (digest) \\ 2026");
	void *sym = dlsym(RTLD_NEXT, "HPDF_Xref_WriteToStream");
	xref_write_fn real;
	memcpy(&real, &sym, sizeof sym);
	CHECK(sym != NULL);
	HPDF_Stream a = HPDF_MemStream_New(pdf->mmgr, 64), b = HPDF_MemStream_New(pdf->mmgr, 64);
	HPDF_Stream_WriteStr(a, "%PDF-1.7\n");
	HPDF_Stream_WriteStr(b, "%PDF-1.7\n");
	CHECK(HPDF_Xref_WriteToStream(pdf->xref, a, NULL) == HPDF_OK);
	CHECK(sym && real(pdf->xref, b, NULL) == HPDF_OK);
	char *x = stream_bytes(a), *y = stream_bytes(b);
	CHECK(x && y && strlen(x) > 500);
	CHECK(x && y && !strcmp(x, y));
	CHECK(x && strstr(x, "xref\n0 ") && strstr(x, " 65535 f\r\n") && strstr(x, "%%EOF\n"));
	free(x);
	free(y);
	pdf_doc_free(pdf);
}

static void test_round(void)
{
	static const double v[] = {0,
	                           0.5,
	                           -0.5,
	                           1.5,
	                           -1.5,
	                           2.5,
	                           -2.5,
	                           0.49999999999999994,
	                           -0.49999999999999994,
	                           1e15 + 0.5,
	                           -1e15 - 0.5,
	                           4503599627370495.5,
	                           123456.4999,
	                           -0.0,
	                           72.0004 * 1000,
	                           595.276 * 1000,
	                           5e18,
	                           -5e18};
	int same = 0, all = 0;
	for (size_t i = 0; i < sizeof v / sizeof *v; i++, all++)
		same += pdfc_round(v[i]) == llround(v[i]);
	unsigned long long x = 88172645463325252ULL; /* xorshift: values to 2^40 */
	for (int i = 0; i < 200000; i++, all++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		double d = ((double)(x % 2000000000000ULL) - 1e12) / 1024.0;
		same += pdfc_round(d) == llround(d);
	}
	CHECK_INT(same, all);
}

int main(void)
{
	test_round();
	test_object_writer();
	test_links();
	test_subsets();
	test_xref();
	test_pool();
	test_glyphid();
	test_copies();
	test_deflate();
	test_numbers();
	test_files();
	return t_done("pdf");
}
