/* Unit tests of pdf/: the numbers of the content streams (content.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pdf/content.h"
#include "t.h"

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
	test_numbers();
	return t_done("pdf");
}
