/* Unit tests of util/: buffers, UTF-8, folding, diagnostics, arena, jobs,
 * the heap and big mappings. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "t.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/hugemap.h"
#include "util/job.h"

static void test_fold(void)
{
	char *f = ms_fold("Côte d’Ivoire");
	CHECK_STR(f, "cote d'ivoire");
	free(f);
	f = ms_fold("GØMEZ Björn Ramírez Straße Œuvre");
	CHECK_STR(f, "gomez bjorn ramirez strasse oeuvre");
	free(f);
	f = ms_name_key("Valid_until");
	CHECK_STR(f, "validuntil");
	free(f);
	f = ms_name_key(""); /* fuzz finding: an empty name was unterminated */
	CHECK_STR(f, "");
	free(f);
	f = ms_name_key("valid - Until");
	CHECK_STR(f, "validuntil");
	free(f);
	/* rules.md 10: Côte d'Ivoire between Costa Rica and Croatia */
	CHECK(ms_sort_cmp("Costa Rica", "Côte d'Ivoire") < 0);
	CHECK(ms_sort_cmp("Côte d'Ivoire", "Croatia") < 0);
	CHECK(ms_sort_cmp("a", "A") != 0);
}

static void test_utf8(void)
{
	size_t off = 99;
	CHECK(ms_utf8_valid("Ramírez", 8, NULL));
	CHECK(!ms_utf8_valid("ab\xC3(", 4, &off));
	CHECK_INT(off, 2);
	CHECK(!ms_utf8_valid("\xED\xA0\x80", 3, NULL)); /* surrogate */
	CHECK(!ms_utf8_valid("\xC0\xAF", 2, NULL));     /* overlong */
	CHECK_INT(ms_utf8_len("Björn", 6), 5);
	ms_buf b;
	ms_buf_init(&b);
	ms_buf_add_utf8(&b, 0x20AC);
	CHECK_STR(b.s, "\xE2\x82\xAC");
	ms_buf_free(&b);
}

/* The reference: one byte at a time. */
static size_t control_ref(const char *s, size_t len, int nl)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\t' && c != '\r' && (c != '\n' || !nl)) || c == 0x7F)
			return i;
	}
	return len;
}

/* ms_find_control (eight bytes at a time) and ms_utf8_valid's fast path
 * agree with a byte-at-a-time scan wherever the character falls. */
static void test_find_control(void)
{
	static const unsigned char probes[] = {0x00, 0x01, 0x09, 0x0A, 0x0D, 0x1B, 0x1F,
	                                       0x20, 0x7E, 0x7F, 0x80, 0xC3, 0xFF};
	static const char prose[] = "Cluster munitions \xC3\xA9 survey";
	char buf[40];
	int agree = 0, total = 0;
	for (size_t len = 1; len <= sizeof buf; len++)
		for (size_t at = 0; at < len; at++)
			for (size_t p = 0; p < sizeof probes; p++)
				for (int nl = 0; nl < 2; nl++) {
					memset(buf, 'a', sizeof buf);
					memcpy(buf, prose,
					       len < sizeof prose - 1 ? len : sizeof prose - 1);
					buf[at] = (char)probes[p];
					agree += ms_find_control(buf, len, nl) ==
					         control_ref(buf, len, nl);
					total++;
				}
	CHECK_INT(agree, total);
	CHECK_INT((int)ms_find_control("tab\there\r\nand on", 16, 1), 16);
	CHECK_INT((int)ms_find_control("tab\there\r\nand on", 16, 0), 9);
	CHECK_INT((int)ms_find_control("abcdefgh\x7F", 9, 1), 8);
	size_t off = 0;
	CHECK(!ms_utf8_valid("abcdefghijklmnop\xC3(", 18, &off));
	CHECK_INT((int)off, 16);
	CHECK(ms_utf8_valid("abcdefghijklmnop\xC3\xA9rs", 20, NULL));
}

static void test_concat(void)
{
	char *s = ms_concat("O-2026-ESP-c730", " (", "Spain", ")", NULL);
	CHECK_STR(s, "O-2026-ESP-c730 (Spain)");
	free(s);
	s = ms_concat("", NULL);
	CHECK_STR(s, "");
	free(s);
	s = ms_concat("Côte d’Ivoire", "; ", "", "Lao People's Democratic Republic", NULL);
	CHECK_STR(s, "Côte d’Ivoire; Lao People's Democratic Republic");
	free(s);
}

/* Appends, formatted or not, whether or not the text fits the room left:
 * the bytes are the same, the buffer stays a C string. */
static void test_buf_print(void)
{
	char big[700];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = 0;
	ms_buf b;
	ms_buf_init(&b);
	CHECK_INT(ms_buf_printf(&b, "%s-%d", "MCID", 7), 0);
	CHECK_STR(b.s, "MCID-7");
	/* more than the buffer holds: formatted again after growing */
	CHECK_INT(ms_buf_printf(&b, "[%s]", big), 0);
	CHECK_INT((int)b.len, 6 + 2 + 699);
	CHECK(b.s[6] == '[' && b.s[b.len - 1] == ']' && b.s[b.len] == 0);
	size_t was = b.len;
	for (int i = 0; i < 1000; i++) /* many short ones across growths */
		ms_buf_printf(&b, "%d,", i % 10);
	CHECK_INT((int)(b.len - was), 2000);
	CHECK(!memcmp(b.s + b.len - 4, "8,9,", 4) && b.s[b.len] == 0);
	ms_buf_clear(&b);
	for (int i = 0; i < 300; i++) {
		ms_buf_addc(&b, 'a');
		ms_buf_adds(&b, "bc");
		ms_buf_add(&b, "de", 2);
	}
	CHECK_INT((int)b.len, 1500);
	CHECK(!memcmp(b.s, "abcdeabcde", 10) && b.s[1500] == 0);
	CHECK_INT(ms_buf_reserve(&b, 100000), 0);
	CHECK(b.cap - b.len > 100000);
	CHECK_INT(ms_buf_reserve(&b, (size_t)-1), -1); /* no room can be had */
	CHECK(b.oom);
	CHECK_INT(ms_buf_addc(&b, 'z'), -1); /* and nothing more is added */
	ms_buf_free(&b);
	char *s = ms_printf("%s|%s", big, "end");
	CHECK(s && strlen(s) == 703 && !strcmp(s + 699, "|end"));
	free(s);
}

/* ms_utoa against printf's "%llu", at every length. */
static void test_utoa(void)
{
	unsigned long long v[] = {0,
	                          7,
	                          9,
	                          10,
	                          42,
	                          99,
	                          100,
	                          101,
	                          999,
	                          1000,
	                          12345,
	                          80735,
	                          4294967295ULL,
	                          10000000000000000000ULL,
	                          ~0ULL};
	int same = 0;
	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		char a[24], b[24];
		a[ms_utoa(a, v[i])] = 0;
		snprintf(b, sizeof b, "%llu", v[i]);
		same += !strcmp(a, b);
	}
	CHECK_INT(same, (int)(sizeof v / sizeof *v));
}

/* ms_write_all and ms_read_file round trip; a full disk is an error. */
static void test_write_all(void)
{
	char path[] = "/tmp/mspdoc-wa-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	static char big[300000];
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (char)('a' + i % 26);
	CHECK_INT(ms_write_all(fd, big, sizeof big), 0);
	close(fd);
	char *back = NULL;
	size_t n = 0;
	int too_big = 0;
	CHECK(ms_read_file(path, sizeof big, &back, &n, &too_big) == 0 && n == sizeof big &&
	      !memcmp(back, big, n));
	free(back);
	unlink(path);
	fd = open("/dev/full", O_WRONLY);
	CHECK(fd < 0 || ms_write_all(fd, big, 10) == -1);
	if (fd >= 0)
		close(fd);
}

static void test_split_number(void)
{
	char **v;
	size_t n = ms_split_semi(" VA; CA ;; Article 6 ", &v);
	CHECK_INT(n, 3);
	if (n == 3) {
		CHECK_STR(v[0], "VA");
		CHECK_STR(v[2], "Article 6");
	}
	ms_strv_free(v, n);
	char buf[32];
	ms_fmt_number(1.1, buf, sizeof buf);
	CHECK_STR(buf, "1.1");
	ms_fmt_number(2011, buf, sizeof buf);
	CHECK_STR(buf, "2011");
	ms_fmt_number(4.1, buf, sizeof buf);
	CHECK_STR(buf, "4.1");
	ms_fmt_number(1e20, buf, sizeof buf);
	CHECK_STR(buf, "1e+20");
	/* whole numbers, written by hand: as %lld writes them */
	const double whole[] = {0, -0.0, 7, -45, 1250000, -999999999999999, 999999999999999};
	for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++) {
		char want[32];
		snprintf(want, sizeof want, "%lld", (long long)whole[i]);
		ms_fmt_number(whole[i], buf, sizeof buf);
		CHECK_STR(buf, want);
	}
	char small[4];
	ms_fmt_number(-1234, small, sizeof small); /* truncated as snprintf would */
	CHECK_STR(small, "-12");
}

static void test_diag(void)
{
	ms_diags d;
	ms_diags_init(&d);
	ms_pos p = ms_pos_cell("in/r.xlsx", "Needs", 7, 4);
	ms_diag_add(&d, MS_ERROR, &p, "bad %s", "date");
	p = ms_pos_cell("in/r.xlsx", "Sheet one", 12, 28);
	ms_diag_add(&d, MS_WARNING, &p, "odd");
	p = ms_pos_line("a.md", 3);
	ms_diag_add(&d, MS_WARNING, &p, "x");
	ms_diag_add(&d, MS_USAGE, NULL, "no password");
	CHECK_INT(d.n, 4);
	char *l = ms_diag_line(&d.v[0]);
	CHECK_STR(l, "in/r.xlsx:Needs!D7: error: bad date");
	free(l);
	l = ms_diag_line(&d.v[1]);
	CHECK_STR(l, "in/r.xlsx:'Sheet one'!AB12: warning: odd");
	free(l);
	CHECK_STR(d.v[2].where, "a.md:3");
	CHECK_STR(d.v[3].where, "mspdoc");
	CHECK_INT(ms_diags_worst(&d), MS_USAGE);
	ms_diags_free(&d);
	ms_diags_free(NULL);
}

static void test_arena(void)
{
	ms_arena *a = ms_arena_new();
	char *s = NULL;
	for (int i = 0; i < 100000; i++)
		s = ms_arena_strdup(a, "hello");
	CHECK_STR(s, "hello");
	void *big = ms_arena_alloc(a, 1 << 20);
	CHECK(big != NULL);
	CHECK(!ms_arena_oom(a));
	/* zeroed and aligned, from the inline path and from a new chunk */
	unsigned char *p = ms_arena_alloc(a, 40), *q = ms_arena_alloc(a, 100000);
	int zero = 1;
	for (int i = 0; p && i < 40; i++)
		zero &= p[i] == 0;
	for (int i = 0; q && i < 100000; i++)
		zero &= q[i] == 0;
	CHECK(p && q && zero && ((size_t)p % 16) == 0 && ((size_t)q % 16) == 0);
	CHECK(ms_arena_alloc(NULL, 8) == NULL);
	/* a size that would wrap when rounded up fails, it is not made small */
	CHECK(ms_arena_alloc(a, (size_t)-1) == NULL);
	CHECK(ms_arena_oom(a));
	CHECK(ms_arena_alloc(a, 8) == NULL); /* and the arena stays failed */
	ms_arena_free(a);
	ms_arena_free(NULL);
}

/* A job's diagnostics join the caller's after its own, counts included. */
static void test_diags_move(void)
{
	ms_diags a, b;
	ms_diags_init(&a);
	ms_diags_init(&b);
	ms_pos p = ms_pos_file("x.xlsx");
	ms_diag_add(&a, MS_WARNING, &p, "first");
	for (int i = 0; i < 40; i++) /* past the 16-entry first allocation */
		ms_diag_add(&b, i == 39 ? MS_ENV : MS_NOTE, &p, "job %d", i);
	ms_diags_move(&a, &b);
	CHECK_INT((int)a.n, 41);
	CHECK_STR(a.v[0].msg, "first");
	CHECK_STR(a.v[1].msg, "job 0");
	CHECK_STR(a.v[40].msg, "job 39");
	CHECK_INT((int)a.count[MS_NOTE], 39);
	CHECK_INT((int)a.count[MS_ENV], 1);
	CHECK_INT(ms_diags_worst(&a), MS_ENV);
	CHECK_INT((int)b.n, 0);
	CHECK_INT(ms_diags_worst(&b), MS_NOTE);
	ms_diags_move(&a, &b); /* moving an empty list changes nothing */
	CHECK_INT((int)a.n, 41);
	ms_diags_free(&a);
	ms_diags_free(&b);
}

/* A job runs once, on a thread or in the caller, and gives its result. */
static int job_fn(void *p)
{
	int *n = p;
	return ++*n * 10;
}

static void test_job(void)
{
	for (int serial = 0; serial < 2; serial++) {
		t_threads(serial ? 1 : 2);
		int n = 0;
		ms_job j;
		ms_job_start(&j, job_fn, &n);
		CHECK_INT(j.threaded, !serial);
		CHECK_INT(ms_job_join(&j), 10);
		CHECK_INT(n, 1);
		CHECK_INT(j.threaded, 0);
	}
	t_threads(0);
}

/* ms_replace puts the new file in place of the old, which is released by
 * a job, with or without threads; a failed rename says why. */
static void test_replace(void)
{
	char dir[] = "/tmp/mspdoc-replace-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *path = ms_printf("%s/out.txt", dir), *tmp = ms_printf("%s/out.tmp", dir);
	for (int serial = 0; serial < 2; serial++) {
		t_threads(serial ? 1 : 2);
		for (int round = 0; round < 3; round++) { /* the first has nothing to replace */
			char text[32];
			snprintf(text, sizeof text, "version %d.%d", serial, round);
			FILE *f = fopen(tmp, "w");
			CHECK(f && fputs(text, f) >= 0 && fclose(f) == 0);
			CHECK_INT(ms_replace(tmp, path), 0);
			char *got = NULL;
			size_t n = 0;
			int big = 0;
			CHECK(ms_read_file(path, 1 << 10, &got, &n, &big) == 0);
			CHECK_STR(got ? got : "", text);
			free(got);
		}
	}
	t_threads(0);
	errno = 0;
	CHECK_INT(ms_replace(tmp, path), -1); /* tmp is gone: renamed */
	CHECK_INT(errno, ENOENT);
	unlink(path);
	rmdir(dir);
	free(path);
	free(tmp);
}

/* The mapping that holds p, from /proc/self/smaps: its first line (with
 * its name, "[heap]" for malloc's main heap) in head and its VmFlags line
 * in flags. 0, or -1 when unknown. */
static int vma_of(const void *p, char *head, size_t nhead, char *flags, size_t nflags)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	if (!f)
		return -1;
	char line[512];
	int in = 0, r = -1;
	while (fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, ' ') - line > 8) {
			in = (unsigned long)p >= lo && (unsigned long)p < hi;
			if (in)
				snprintf(head, nhead, "%s", line);
		} else if (in && !strncmp(line, "VmFlags:", 8)) {
			snprintf(flags, nflags, "%s", line);
			r = 0;
			break;
		}
	}
	fclose(f);
	return r;
}

/* 1 when the mapping that holds p has the flag (two letters of smaps'
 * VmFlags, "hg": advised MADV_HUGEPAGE); 0 when not; -1 when unknown. */
static int vma_flag(const void *p, const char *flag)
{
	char head[512], flags[512], want[8];
	if (vma_of(p, head, sizeof head, flags, sizeof flags) < 0)
		return -1;
	snprintf(want, sizeof want, " %s", flag);
	return strstr(flags, want) != NULL;
}

/* 1 when p lies in malloc's main heap (the program break's "[heap]"). */
static int in_heap(const void *p)
{
	char head[512], flags[512];
	if (vma_of(p, head, sizeof head, flags, sizeof flags) < 0)
		return -1;
	return strstr(head, "[heap]") != NULL;
}

/* Called first, as main.c does: a block of a few MB then comes from the
 * heap (not from a mapping of its own), which is not advised for huge
 * pages; the reader's blocks (ms_map_huge) are, the pools' (ms_map) not. */
static void test_heap_setup(void)
{
	ms_heap_setup();
	char *big = malloc((size_t)4 << 20);
	CHECK(big != NULL);
	size_t len = 0, len2 = 0;
	char *m = ms_map_huge(3u << 20, &len), *p = ms_map(1, &len2);
	CHECK(m && len == (4u << 20) && ((uintptr_t)m & (MS_HUGE_PAGE - 1)) == 0);
	CHECK(p && len2 == MS_HUGE_PAGE && p[0] == 0 && p[len2 - 1] == 0);
#ifdef __GLIBC__
	const char *pre = getenv("LD_PRELOAD"); /* valgrind's malloc replaces glibc's */
	int thp = access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK) == 0;
	if (big && !MS_SANITIZED && thp && !(pre && strstr(pre, "vgpreload"))) {
		CHECK(vma_flag(big + ((size_t)3 << 20), "hg") == 0);
		CHECK(in_heap(big) == 1); /* not a mapping of its own */
	}
	if (m && thp)
		CHECK(vma_flag(m, "hg") == 1);
	if (p && thp)
		CHECK(vma_flag(p, "hg") == 0);
#endif
	ms_unmap(m, len);
	ms_unmap(p, len2);
	free(big);
}

int main(void)
{
	test_heap_setup();
	test_fold();
	test_utf8();
	test_find_control();
	test_concat();
	test_buf_print();
	test_utoa();
	test_write_all();
	test_split_number();
	test_diag();
	test_arena();
	test_diags_move();
	test_job();
	test_replace();
	return t_done("util");
}
