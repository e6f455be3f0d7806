/* Unit tests of pdf/update.c: page contents and photos written as an
 * incremental update of the file libharu saved. What is checked is what a
 * reader resolves: the last cross-reference section's entry for an
 * object, the object found there, its bytes inflated; the trailer's chain
 * back to libharu's. */
#include <hpdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "img/img.h"
#include "pdf/hpdfx.h"
#include "pdf/update.h"
#include "t.h"
#include "util/buf.h"

static int put_buf(void *ctx, const void *p, size_t n)
{
	return ms_buf_add(ctx, p, n);
}

/* Where the file's last cross-reference section puts object id: its
 * offset, or -1. Only the last section (the update's) is read. */
static long long xref_offset(const ms_buf *f, unsigned id)
{
	const char *sx = NULL;
	for (size_t i = f->len - 9; i-- > 0;)
		if (!memcmp(f->s + i, "startxref", 9)) {
			sx = f->s + i;
			break;
		}
	if (!sx)
		return -1;
	long long at = atoll(sx + 10);
	const char *p = f->s + at;
	if (strncmp(p, "xref\n", 5))
		return -1;
	p += 5;
	while (*p >= '0' && *p <= '9') {
		char *e;
		unsigned first = (unsigned)strtoul(p, &e, 10);
		unsigned count = (unsigned)strtoul(e, &e, 10);
		p = e + 1;
		for (unsigned k = 0; k < count; k++, p += 20)
			if (first + k == id)
				return atoll(p);
	}
	return -1;
}

/* The trailer's value after key in the last trailer (0: none), and how
 * many times the key is there. */
static long long trailer_value(const ms_buf *f, const char *key, int *times)
{
	const char *t = NULL;
	for (size_t i = f->len - 7; i-- > 0;)
		if (!memcmp(f->s + i, "trailer", 7)) {
			t = f->s + i;
			break;
		}
	*times = 0;
	long long v = 0;
	for (const char *p = t; p && (p = strstr(p, key)); p += strlen(key)) {
		(*times)++;
		v = atoll(p + strlen(key));
	}
	return v;
}

/* The inflated bytes of the stream object at offset at (NULL if it is not
 * "id 0 obj" with a /FlateDecode stream). */
static char *inflated(const ms_buf *f, long long at, unsigned id, size_t *n)
{
	char head[32];
	snprintf(head, sizeof head, "%u 0 obj\n", id);
	const char *p = f->s + at;
	if (at < 0 || strncmp(p, head, strlen(head)))
		return NULL;
	const char *len = strstr(p, "/Length "), *s = strstr(p, "stream\n");
	if (!len || !s || !strstr(p, "/FlateDecode"))
		return NULL;
	uLongf out = 1 << 16;
	char *o = malloc(out);
	if (uncompress((Bytef *)o, &out, (const Bytef *)s + 7, (uLong)atol(len + 8)) != Z_OK) {
		free(o);
		return NULL;
	}
	*n = out;
	return o;
}

static void on_err(HPDF_STATUS e, HPDF_STATUS d, void *u)
{
}

/* A two-page document saved by libharu with its page contents left to
 * the update; the update appended; what a reader finds. */
/* Objects made as the update is written, out of order: two new ones
 * and a placeholder's new version (v[1]); v[0] gets the first free number. */
static int three_objects(void *ctx, unsigned first, pdfu_out *o)
{
	unsigned *v = ctx;
	v[0] = first;
	ms_buf_adds(pdfu_begin(o, first + 1), "[1 2 3]");
	pdfu_end(o);
	ms_buf_adds(pdfu_begin(o, first), "<</S/Document>>");
	pdfu_end(o);
	ms_buf_adds(pdfu_begin(o, v[1]), "null");
	pdfu_end(o);
	return 7;
}

static void test_pages(void)
{
	HPDF_Doc pdf = HPDF_New(on_err, NULL);
	HPDF_SetCompressionMode(pdf, HPDF_COMP_IMAGE | HPDF_COMP_METADATA);
	const char *body[2] = {"0 0 1 rg 10 10 50 50 re f\n", "1 0 0 RG 0 0 m 100 100 l S\n"};
	unsigned id[2];
	pdfu *u = pdfu_new();
	for (int i = 0; i < 2; i++) {
		HPDF_Page pg = HPDF_AddPage(pdf);
		id[i] = pdfx_content_id(pg);
		CHECK(id[i] > 0);
		CHECK_INT(pdfu_stream(u, id[i], body[i], strlen(body[i])), 0);
	}
	CHECK_INT(pdfu_count(u), 2);
	CHECK(HPDF_SaveToStream(pdf) == HPDF_OK);
	HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
	ms_buf f;
	ms_buf_init(&f);
	ms_buf_reserve(&f, size);
	HPDF_UINT32 got = size;
	HPDF_ReadFromStream(pdf, (HPDF_BYTE *)f.s, &got);
	f.len = got;
	f.s[got] = 0;
	HPDF_Free(pdf);
	CHECK_INT(got, size);
	int times;
	long long base_xref = atoll(strstr(f.s + f.len - 32, "startxref") + 10);
	long long base_size = trailer_value(&f, "/Size ", &times);
	/* libharu's own page contents are empty and carry no filter */
	CHECK(strstr(f.s, "FlateDecode") == NULL);
	size_t n = f.len < 4096 ? f.len : 4096;
	char tail[4096];
	memcpy(tail, f.s + f.len - n, n);
	CHECK_INT(pdfu_append(u, tail, n, f.len, put_buf, &f), 0);
	for (int i = 0; i < 2; i++) {
		size_t k = 0;
		char *s = inflated(&f, xref_offset(&f, id[i]), id[i], &k);
		CHECK(s && k == strlen(body[i]) && !memcmp(s, body[i], k));
		free(s);
	}
	CHECK_INT(trailer_value(&f, "/Prev ", &times), base_xref);
	CHECK_INT(times, 1);
	CHECK_INT(trailer_value(&f, "/Size ", &times), base_size);
	CHECK_INT(times, 1);
	CHECK(trailer_value(&f, "/Root ", &times) > 0 && times == 1);
	CHECK(!memcmp(f.s + f.len - 6, "%%EOF\n", 6));

	/* a second update on top (as after another one's): one /Prev, the
	 * first update's cross-reference section */
	long long first_xref = atoll(strstr(f.s + f.len - 32, "startxref") + 10);
	pdfu *u2 = pdfu_new();
	CHECK_INT(pdfu_stream(u2, id[0], body[1], strlen(body[1])), 0);
	n = f.len < 4096 ? f.len : 4096;
	memcpy(tail, f.s + f.len - n, n);
	CHECK_INT(pdfu_append(u2, tail, n, f.len, put_buf, &f), 0);
	CHECK_INT(trailer_value(&f, "/Prev ", &times), first_xref);
	CHECK_INT(times, 1);
	size_t k = 0;
	char *s = inflated(&f, xref_offset(&f, id[0]), id[0], &k);
	CHECK(s && k == strlen(body[1]) && !memcmp(s, body[1], k));
	free(s);

	/* whole objects (the structure tree's): a placeholder's new version
	 * and new objects numbered from the first free number; /Size grows to
	 * one past the last */
	n = f.len < 4096 ? f.len : 4096;
	memcpy(tail, f.s + f.len - n, n);
	unsigned first = pdfu_first_free(tail, n);
	CHECK_INT(first, base_size);
	pdfu *u3 = pdfu_new();
	unsigned given[2] = {0, id[1]};
	int more_rc = 0;
	CHECK_INT(pdfu_append_with(u3, tail, n, f.len, put_buf, &f, three_objects, given, &more_rc),
	          0);
	CHECK_INT(given[0], first); /* the first free number, handed to more */
	CHECK_INT(more_rc, 7);      /* what more returned */
	char want[64];
	snprintf(want, sizeof want, "%u 0 obj\n[1 2 3]\nendobj\n", first + 1);
	long long at = xref_offset(&f, first + 1);
	CHECK(at > 0 && !strncmp(f.s + at, want, strlen(want)));
	snprintf(want, sizeof want, "%u 0 obj\n<</S/Document>>\nendobj\n", first);
	at = xref_offset(&f, first);
	CHECK(at > 0 && !strncmp(f.s + at, want, strlen(want)));
	snprintf(want, sizeof want, "%u 0 obj\nnull\nendobj\n", id[1]);
	at = xref_offset(&f, id[1]);
	CHECK(at > 0 && !strncmp(f.s + at, want, strlen(want)));
	CHECK_INT(trailer_value(&f, "/Size ", &times), first + 2);
	CHECK_INT(times, 1);
	pdfu_free(u3);
	n = f.len < 4096 ? f.len : 4096;
	memcpy(tail, f.s + f.len - n, n);
	CHECK_INT(pdfu_first_free(tail, n), first + 2);
	CHECK_INT(pdfu_first_free("%PDF-1.7\n", 9), 0);

	/* no trailer: refused, nothing written */
	size_t before = f.len;
	CHECK_INT(pdfu_append(u2, "%PDF-1.7\n", 9, 9, put_buf, &f), -1);
	CHECK_INT(f.len, before);
	pdfu_free(u2);
	pdfu_free(u);
	ms_buf_free(&f);
}

/* A document of n pages whose contents (each its own, some large) go
 * to the update: the whole file in f, each page's content id in id. */
static void many_pages(ms_buf *f, unsigned *id, int n)
{
	HPDF_Doc pdf = HPDF_New(on_err, NULL);
	HPDF_SetCompressionMode(pdf, HPDF_COMP_IMAGE | HPDF_COMP_METADATA);
	pdfu *u = pdfu_new();
	ms_buf body;
	ms_buf_init(&body);
	int given = 0;
	for (int i = 0; i < n; i++) {
		HPDF_Page pg = HPDF_AddPage(pdf);
		id[i] = pdfx_content_id(pg);
		ms_buf_clear(&body);
		for (int k = 0; k < (i % 7 == 0 ? 2000 : 20); k++)
			ms_buf_printf(&body, "%d %d m %d %d l S\n", i, k, k * 3 % 500, i + k);
		given += pdfu_stream(u, id[i], body.s, body.len) == 0;
	}
	CHECK_INT(given, n);
	CHECK(HPDF_SaveToStream(pdf) == HPDF_OK);
	HPDF_UINT32 got = HPDF_GetStreamSize(pdf);
	ms_buf_init(f);
	ms_buf_reserve(f, got);
	HPDF_ReadFromStream(pdf, (HPDF_BYTE *)f->s, &got);
	f->len = got;
	HPDF_Free(pdf);
	size_t k = f->len < 4096 ? f->len : 4096;
	char tail[4096];
	memcpy(tail, f->s + f->len - k, k);
	CHECK_INT(pdfu_append(u, tail, k, f->len, put_buf, f), 0);
	pdfu_free(u);
	ms_buf_free(&body);
}

/* The streams deflated on two cores (update.c's deflater) and on one: the
 * same file, byte for byte, each page's content where the
 * cross-reference section says. */
static void test_two_cores(void)
{
	enum { N = 300 };
	static unsigned id[2][N];
	ms_buf f[2];
	for (int k = 0; k < 2; k++) {
		t_threads(k ? 1 : 2);
		many_pages(&f[k], id[k], N);
	}
	t_threads(0);
	CHECK(f[0].len == f[1].len && !memcmp(f[0].s, f[1].s, f[0].len));
	int right = 0;
	for (int i = 0; i < N; i++) {
		size_t n = 0;
		char *s = inflated(&f[0], xref_offset(&f[0], id[0][i]), id[0][i], &n);
		char want[64];
		int w = snprintf(want, sizeof want, "%d 0 m 0 %d l S\n", i, i);
		right += s && n >= (size_t)w && !memcmp(s, want, (size_t)w);
		free(s);
	}
	CHECK_INT(right, N);
	ms_buf_free(&f[0]);
	ms_buf_free(&f[1]);
}

/* A photo read when the update is written: as judged, it is written as
 * it is; changed in between, the update fails and names it. */
static void test_photo(void)
{
	char path[] = "/tmp/test_update_XXXXXX";
	int fd = mkstemp(path);
	ms_buf jpg;
	ms_buf_init(&jpg);
	FILE *in = fopen("tests/bad/photos/good-baseline.jpg", "rb");
	CHECK(in != NULL && fd >= 0);
	if (!in || fd < 0)
		return;
	char b[4096];
	size_t k;
	while ((k = fread(b, 1, sizeof b, in)) > 0)
		ms_buf_add(&jpg, b, k);
	fclose(in);
	CHECK(write(fd, jpg.s, jpg.len) == (ssize_t)jpg.len);
	close(fd);
	ms_img m;
	CHECK_INT(img_pass_head(path, &m), 1);
	CHECK_INT(m.len, jpg.len);
	CHECK(m.data == NULL);
	const char *trailer = "xref\n0 1\n0000000000 65535 f\r\ntrailer\n<<\n/Root 1 0 R\n/Size "
	                      "9\n>>\nstartxref\n0\n%%EOF\n";
	ms_buf f;
	ms_buf_init(&f);
	ms_buf_adds(&f, trailer);
	pdfu *u = pdfu_new();
	CHECK_INT(pdfu_jpeg_file(u, 7, path, &m), 0);
	CHECK_INT(pdfu_append(u, trailer, strlen(trailer), f.len, put_buf, &f), 0);
	long long at = xref_offset(&f, 7);
	CHECK(at > 0 && strstr(f.s + at, "/Filter/DCTDecode") != NULL);
	const char *data = at > 0 ? strstr(f.s + at, "stream\n") : NULL;
	CHECK(data && !memcmp(data + 7, jpg.s, jpg.len));
	CHECK(pdfu_changed(u) == NULL);
	pdfu_free(u);

	/* the same file, a byte longer when it is written */
	FILE *o = fopen(path, "ab");
	if (o) {
		fputc(0, o);
		fclose(o);
	}
	u = pdfu_new();
	CHECK_INT(pdfu_jpeg_file(u, 7, path, &m), 0);
	CHECK_INT(pdfu_append(u, trailer, strlen(trailer), 100, put_buf, &f), -1);
	CHECK_STR(pdfu_changed(u), path);
	pdfu_free(u);
	unlink(path);
	ms_buf_free(&f);
	ms_buf_free(&jpg);
}

int main(void)
{
	test_pages();
	test_two_cores();
	test_photo();
	return t_done("update");
}
