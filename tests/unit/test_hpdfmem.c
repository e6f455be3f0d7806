/* Unit tests of pdf/hpdfmem: the memory a libharu document gets through
 * HPDF_NewEx. Blocks keep what is written to them, are aligned as malloc's,
 * are reused after a free, adopted blocks are carved, page arenas' chunks
 * go back to their pool, and a document made in it saves the same bytes as
 * one made through malloc. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf/hpdfmem.h"

/* under AddressSanitizer and ThreadSanitizer both allocators step aside
 * for malloc */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define T_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define T_ASAN 1
#endif
#endif
#ifndef T_ASAN
#define T_ASAN 0
#endif
#include "t.h"
#include "util/arena.h"
#include "util/buf.h"

static void test_blocks(void)
{
	pdfmem *m = pdfmem_begin();
	CHECK(T_ASAN ? m == NULL : m != NULL);
	enum { N = 3000 };
	static unsigned char *p[N];
	static size_t len[N];
	int aligned = 1, kept = 1, got = 1;
	for (int i = 0; i < N; i++) {
		/* small objects, 4 KB stream buffers and a few large ones */
		len[i] = i % 97 == 0 ? 70000 : i % 7 == 0 ? 4096 : (size_t)(1 + i % 300);
		p[i] = pdfmem_alloc((HPDF_UINT)len[i]);
		got &= p[i] != NULL;
		if (!p[i])
			break;
		aligned &= ((uintptr_t)p[i] & 15) == 0;
		memset(p[i], i & 0xFF, len[i]);
	}
	for (int i = 0; i < N; i += 2)
		pdfmem_free(p[i]);
	/* a display list page handed over, then more blocks */
	ms_arena *a = ms_arena_new_fixed(16384);
	for (int i = 0; i < 100; i++)
		got &= ms_arena_alloc(a, 300) != NULL;
	ms_arena_free_to(a, pdfmem_adopt);
	for (int i = 0; i < N; i += 2) {
		p[i] = pdfmem_alloc((HPDF_UINT)len[i]);
		got &= p[i] != NULL;
		if (!p[i])
			break;
		aligned &= ((uintptr_t)p[i] & 15) == 0;
		memset(p[i], i & 0xFF, len[i]);
	}
	CHECK(got);
	if (!got)
		return;
	for (int i = 0; i < N; i++)
		for (size_t k = 0; k < len[i]; k++)
			if (p[i][k] != (i & 0xFF)) {
				kept = 0;
				break;
			}
	CHECK(aligned);
	CHECK(kept);
	for (int i = 0; i < N; i++)
		pdfmem_free(p[i]);
	pdfmem_free(NULL);
	pdfmem_end(m);
	/* without a document's memory: malloc, and adopt frees */
	void *q = pdfmem_alloc(100);
	CHECK(q != NULL);
	pdfmem_free(q);
	pdfmem_adopt(malloc(4096), 4096);
}

/* page arenas' chunks come from a pool and go back to it */
static void test_pool(void)
{
	ms_arena *a = ms_arena_new_fixed(16384);
	unsigned char *pa = ms_arena_alloc(a, 100);
	CHECK(pa != NULL && ((uintptr_t)pa & 15) == 0);
	ms_arena_free(a);
	ms_arena *b = ms_arena_new_fixed(16384);
	unsigned char *pb = ms_arena_alloc(b, 100);
	CHECK(pb != NULL);
	if (!T_ASAN)
		CHECK(pb == pa); /* the same chunk, given back and taken again */
	/* a page's worth of small operations, a big one-off block, contents kept */
	int ok = 1;
	unsigned char *q[200];
	for (int i = 0; i < 200; i++) {
		q[i] = ms_arena_alloc(b, 200);
		ok &= q[i] != NULL;
		if (q[i])
			memset(q[i], i, 200);
	}
	unsigned char *big = ms_arena_alloc(b, 100000);
	ok &= big != NULL;
	if (big)
		memset(big, 7, 100000);
	for (int i = 0; i < 200 && ok; i++)
		for (int k = 0; k < 200; k++)
			ok &= q[i][k] == (unsigned char)i;
	CHECK(ok);
	ms_arena_free(b);
	/* released memory of another size goes to free() */
	ms_arena_chunk_release(malloc(5000), 5000);
	ms_arena_chunk_release(NULL, 16384);
}

static void on_err(HPDF_STATUS e, HPDF_STATUS d, void *u)
{
	(void)e;
	(void)d;
	*(int *)u = 1;
}

/* a small document through libharu: its saved bytes */
static int make_doc(int own, ms_buf *out)
{
	int err = 0;
	pdfmem *m = own ? pdfmem_begin() : NULL;
	HPDF_Doc pdf =
	    m ? HPDF_NewEx(on_err, pdfmem_alloc, pdfmem_free, 0, &err) : HPDF_New(on_err, &err);
	if (!pdf) {
		pdfmem_end(m);
		return -1;
	}
	HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
	HPDF_Font f = HPDF_GetFont(pdf, "Helvetica", NULL);
	for (int i = 0; i < 40; i++) {
		HPDF_Page pg = HPDF_AddPage(pdf);
		HPDF_Page_BeginText(pg);
		HPDF_Page_SetFontAndSize(pg, f, 11);
		for (int l = 0; l < 50; l++) {
			char line[80];
			snprintf(line, sizeof line,
			         "Page %d, line %d: clearance of contaminated land", i, l);
			HPDF_Page_TextOut(pg, 50, 780 - 14 * (float)l, line);
		}
		HPDF_Page_EndText(pg);
		HPDF_Destination d = HPDF_Page_CreateDestination(pg);
		HPDF_Outline o = HPDF_CreateOutline(pdf, NULL, "Page", NULL);
		HPDF_Outline_SetDestination(o, d);
	}
	int rc = HPDF_SaveToStream(pdf) == HPDF_OK && !err ? 0 : -1;
	for (;;) {
		HPDF_BYTE b[4096];
		HPDF_UINT32 n = sizeof b;
		HPDF_STATUS s = HPDF_ReadFromStream(pdf, b, &n);
		ms_buf_add(out, b, n);
		if (s != HPDF_OK || n == 0)
			break;
	}
	HPDF_Free(pdf);
	pdfmem_end(m);
	return rc;
}

static void test_doc(void)
{
	ms_buf a, b;
	ms_buf_init(&a);
	ms_buf_init(&b);
	CHECK(make_doc(0, &a) == 0);
	CHECK(make_doc(1, &b) == 0);
	CHECK(a.len > 1000 && a.len == b.len && !memcmp(a.s, b.s, a.len));
	ms_buf_free(&a);
	ms_buf_free(&b);
}

int main(void)
{
	test_blocks();
	test_pool();
	test_doc();
	return t_done("hpdfmem");
}
