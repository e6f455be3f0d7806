/* t.h — the unit-test harness: CHECK macros that count, and a closing line
 * "NAME: N passed, N failed" that tests/run.sh adds up. */
#ifndef T_H
#define T_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int t_pass, t_fail;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (cond)                                                                          \
			t_pass++;                                                                  \
		else {                                                                             \
			t_fail++;                                                                  \
			fprintf(stderr, "%s:%d: FAIL: %s\n", __FILE__, __LINE__, #cond);           \
		}                                                                                  \
	} while (0)

#define CHECK_STR(a, b)                                                                            \
	do {                                                                                       \
		const char *t_a = (a), *t_b = (b);                                                 \
		if (t_a && t_b && strcmp(t_a, t_b) == 0)                                           \
			t_pass++;                                                                  \
		else {                                                                             \
			t_fail++;                                                                  \
			fprintf(stderr, "%s:%d: FAIL: %s == \"%s\", got \"%s\"\n", __FILE__,       \
			        __LINE__, #a, t_b ? t_b : "(null)", t_a ? t_a : "(null)");         \
		}                                                                                  \
	} while (0)

#define CHECK_INT(a, b)                                                                            \
	do {                                                                                       \
		long long t_a = (long long)(a), t_b = (long long)(b);                              \
		if (t_a == t_b)                                                                    \
			t_pass++;                                                                  \
		else {                                                                             \
			t_fail++;                                                                  \
			fprintf(stderr, "%s:%d: FAIL: %s == %lld, got %lld\n", __FILE__, __LINE__, \
			        #a, t_b, t_a);                                                     \
		}                                                                                  \
	} while (0)

#define CHECK_NEAR(a, b, eps) CHECK(fabs((double)(a) - (double)(b)) <= (eps))

/* MSPDOC_THREADS for a test: t_threads(1) one thread, t_threads(2) two,
 * t_threads(0) what the caller had before the first call. */
__attribute__((unused)) static void t_threads(int n)
{
	static int saved;
	static char was[16];
	static int had;
	if (!saved) {
		const char *e = getenv("MSPDOC_THREADS");
		had = e != NULL;
		snprintf(was, sizeof was, "%s", e ? e : "");
		saved = 1;
	}
	if (n)
		setenv("MSPDOC_THREADS", n == 1 ? "1" : "2", 1);
	else if (had)
		setenv("MSPDOC_THREADS", was, 1);
	else
		unsetenv("MSPDOC_THREADS");
}

static int t_done(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, t_pass, t_fail);
	return t_fail ? 1 : 0;
}

#endif
