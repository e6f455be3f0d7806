/* Unit tests of img/ and util's file reading: the size query and the check
 * read a JPEG's headers and its last bytes only, and must judge every photo
 * as reading it whole does (a photo cut short, headers longer than the
 * first read, bytes after the end-of-image marker, a file that is not
 * regular or too large). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "img/img.h"
#include "t.h"
#include "util/buf.h"

#define LARGE "tests/fixtures/photos/large-2800x1800.jpg"

static void put(const char *path, const unsigned char *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(p, 1, n, f);
		fclose(f);
	}
}

/* img_load (check) and img_info on a file against img_load_mem/img_info_mem
 * on the same bytes: the same verdict, size and message */
static void same_as_whole(const char *path, const unsigned char *p, size_t n, int want_ok)
{
	ms_img a, b;
	char ea[256] = "", eb[256] = "";
	int ra = img_load(path, IMG_CHECK, &a, ea, sizeof ea);
	int rb = img_load_mem(p, n, IMG_CHECK, &b, eb, sizeof eb);
	CHECK_INT(ra, rb);
	CHECK_INT(ra, want_ok ? 0 : -1);
	CHECK_STR(ea, eb);
	CHECK_INT(a.w, b.w);
	CHECK_INT(a.h, b.h);
	CHECK_INT(a.kind, b.kind);
	img_free(&a);
	img_free(&b);
	int w1, h1, o1, w2, h2, o2;
	ra = img_info(path, &w1, &h1, &o1, ea, sizeof ea);
	rb = img_info_mem(p, n, &w2, &h2, &o2, eb, sizeof eb);
	CHECK_INT(ra, rb);
	CHECK_INT(w1, w2);
	CHECK_INT(h1, h2);
	CHECK_INT(o1, o2);
}

static void test_heads(void)
{
	char *d;
	size_t n;
	int big;
	CHECK(ms_read_file(LARGE, 1 << 24, &d, &n, &big) == 0);
	if (!d)
		return;
	const unsigned char *p = (const unsigned char *)d;
	CHECK(n > 40000);
	const char *tmp = "build/test-img.jpg";

	/* as it is: checked by its head and tail */
	put(tmp, p, n);
	same_as_whole(tmp, p, n, 1);

	/* cut short: no end-of-image marker in the tail, nor anywhere */
	put(tmp, p, n / 2);
	same_as_whole(tmp, p, n / 2, 0);
	char err[256] = "";
	ms_img m;
	CHECK(img_load(tmp, IMG_CHECK, &m, err, sizeof err) < 0);
	CHECK(strstr(err, "cut short") != NULL);

	/* 10 KB after the end-of-image marker (some cameras append data):
	 * not in the last 4 KB, found by reading the whole file */
	size_t n2 = n + 10000;
	unsigned char *q = malloc(n2 + 40000);
	if (!q) {
		free(d);
		return;
	}
	memcpy(q, p, n);
	memset(q + n, 0x55, n2 - n);
	put(tmp, q, n2);
	same_as_whole(tmp, q, n2, 1);

	/* a 30 KB APP2 segment after SOI: the headers are longer than the
	 * first read */
	size_t seg = 30000;
	q[0] = 0xFF;
	q[1] = 0xD8;
	q[2] = 0xFF;
	q[3] = 0xE2;
	q[4] = (unsigned char)((seg + 2) >> 8);
	q[5] = (unsigned char)((seg + 2) & 0xFF);
	memset(q + 6, 0x11, seg);
	memcpy(q + 6 + seg, p + 2, n - 2);
	size_t n3 = n + 4 + seg;
	put(tmp, q, n3);
	same_as_whole(tmp, q, n3, 1);
	/* and the same cut inside its headers */
	put(tmp, q, 20000);
	same_as_whole(tmp, q, 20000, 0);

	/* the end-of-image marker split across the start of the last 4 KB */
	memcpy(q, p, n);
	size_t eoi = n - 2; /* where the fixture's FF D9 is */
	CHECK(p[eoi] == 0xFF && p[eoi + 1] == 0xD9);
	size_t n4 = eoi + 1 + 4096; /* FF is the last byte before the tail */
	memset(q + eoi + 2, 0x55, n4 - eoi - 2);
	put(tmp, q, n4);
	same_as_whole(tmp, q, n4, 1);

	/* the back-end's load keeps the file's own buffer: the same bytes */
	put(tmp, p, n);
	CHECK(img_load(tmp, IMG_MAKE_CHECKED, &m, err, sizeof err) == 0);
	CHECK(m.kind == IMG_PASS_JPEG && m.len == n && m.data && !memcmp(m.data, p, n));
	img_free(&m);

	/* a folder, a missing file */
	CHECK(img_load("build", IMG_CHECK, &m, err, sizeof err) < 0);
	CHECK(strstr(err, "cannot be read") != NULL);
	int w, h, o;
	CHECK(img_info("build/no-such-photo.jpg", &w, &h, &o, err, sizeof err) < 0);
	unlink(tmp);
	free(q);
	free(d);
}

static void test_read_file(void)
{
	const char *tmp = "build/test-read.bin";
	unsigned char b[70000];
	for (size_t i = 0; i < sizeof b; i++)
		b[i] = (unsigned char)(i * 7);
	char *d;
	size_t n;
	int big;
	for (size_t len = 0; len <= sizeof b; len += len < 10 ? 1 : 9999) {
		put(tmp, b, len);
		CHECK(ms_read_file(tmp, sizeof b, &d, &n, &big) == 0);
		CHECK_INT(n, len);
		CHECK(d && d[n] == 0 && !memcmp(d, b, len));
		free(d);
	}
	put(tmp, b, 1000);
	CHECK(ms_read_file(tmp, 999, &d, &n, &big) < 0 && big == 1 && !d);
	CHECK(ms_read_file(tmp, 1000, &d, &n, &big) == 0 && big == 0 && n == 1000);
	free(d);
	/* a file whose size fstat does not know (proc files say 0) */
	CHECK(ms_read_file("/proc/self/status", 1 << 20, &d, &n, &big) == 0 && n > 0);
	CHECK(d && strstr(d, "Name:") != NULL);
	free(d);
	CHECK(ms_read_file("/proc/self/status", 10, &d, &n, &big) < 0 && big == 1);
	CHECK(ms_read_file("build", 1 << 20, &d, &n, &big) < 0 && big == 0);
	unlink(tmp);
}

int main(void)
{
	test_heads();
	test_read_file();
	return t_done("img");
}
