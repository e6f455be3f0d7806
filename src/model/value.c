/* value.c — typed values from text (see value.h). */
#include "value.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../util/buf.h"
#include "vocab.h"

static int fail(char *msg, size_t size, const char *fmt, const char *arg)
{
	if (msg && size)
		snprintf(msg, size, fmt, arg);
	return -1;
}

int val_date(const char *text, ms_day *out, char *msg, size_t msgsize)
{
	int y, m, d, n = 0;
	const char *t = text;
	while (*t == ' ')
		t++;
	if (sscanf(t, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3) {
		const char *rest = t + n;
		/* a time of day (from an ISO timestamp) is dropped */
		if (*rest == 'T' || *rest == ' ')
			rest += strspn(rest, "T :0123456789.Z");
		if (!*rest) {
			ms_day day = ms_ymd_to_day(y, m, d);
			if (day != MS_NO_DAY && y >= 1900 && y <= 2200) {
				*out = day;
				return 0;
			}
		}
	}
	return fail(msg, msgsize, "'%s' is not a date: write it as YYYY-MM-DD, e.g. 2013-06-26",
	            text);
}

int val_year(const char *text, int *out, char *msg, size_t msgsize)
{
	char *end;
	long y = strtol(text, &end, 10);
	while (*end == ' ')
		end++;
	if (end == text || *end || y < 1900 || y > 2200)
		return fail(msg, msgsize, "'%s' is not a year: write four digits, e.g. 2011", text);
	*out = (int)y;
	return 0;
}

int val_period_parse(const char *text, val_period *out, char *msg, size_t msgsize)
{
	/* "2009–2012" (en dash), "2009-2012", "2009 - 2012", or one year. */
	char buf[64];
	size_t n = strlen(text);
	if (n >= sizeof buf)
		return fail(msg, msgsize, "'%s' is not a period: write 2009-2012 or one year",
		            text);
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == 0xE2 && i + 2 < n && (unsigned char)text[i + 1] == 0x80 &&
		    ((unsigned char)text[i + 2] == 0x93 || (unsigned char)text[i + 2] == 0x94)) {
			buf[w++] = '-';
			i += 2;
		} else if (c != ' ') {
			buf[w++] = (char)c;
		}
	}
	buf[w] = 0;
	int a, b, k = 0;
	if (sscanf(buf, "%4d-%4d%n", &a, &b, &k) == 2 && !buf[k] && a >= 1900 && b <= 2200 &&
	    b >= a) {
		out->y0 = a;
		out->y1 = b;
		return 0;
	}
	if (val_year(buf, &a, NULL, 0) == 0) {
		out->y0 = out->y1 = a;
		return 0;
	}
	return fail(msg, msgsize, "'%s' is not a period: write 2009-2012 or one year", text);
}

int val_bool(const char *text, int *out)
{
	char *k = ms_name_key(text);
	int r = -1;
	if (k) {
		if (!strcmp(k, "yes") || !strcmp(k, "y") || !strcmp(k, "true") || !strcmp(k, "1")) {
			*out = 1;
			r = 0;
		} else if (!strcmp(k, "no") || !strcmp(k, "n") || !strcmp(k, "false") ||
		           !strcmp(k, "0")) {
			*out = 0;
			r = 0;
		}
	}
	free(k);
	return r;
}

/* Amounts ---------------------------------------------------------------- */

static int is_group_space(const char *s, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] == ' ' || u[0] == '\'') {
		*len = 1;
		return 1;
	}
	if (u[0] == 0xC2 && u[1] == 0xA0) { /* no-break space */
		*len = 2;
		return 1;
	}
	if (u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0xAF || u[2] == 0x89)) { /* narrow, thin */
		*len = 3;
		return 1;
	}
	return 0;
}

int val_amount_parse(const char *text, val_amount *out, char *msg, size_t msgsize)
{
	char cur[4] = "USD";
	char num[128];
	size_t nn = 0;
	double mult = 1;
	const char *p = text;
	size_t len = strlen(text);
	if (len > 100)
		return fail(msg, msgsize, "'%.40s...' is not an amount", text);
	/* currency code before or after */
	while (*p == ' ')
		p++;
	int have_cur = 0;
	if (isalpha((unsigned char)p[0]) && isalpha((unsigned char)p[1]) &&
	    isalpha((unsigned char)p[2]) && (p[3] == ' ' || isdigit((unsigned char)p[3]))) {
		memcpy(cur, p, 3);
		have_cur = 1;
		p += 3;
	}
	/* digits and separators */
	const char *q = p;
	while (*q == ' ')
		q++;
	if (*q == '-')
		return fail(msg, msgsize, "'%s' is negative: amounts are positive", text);
	while (*q && nn < sizeof num - 1) {
		size_t sl;
		if (isdigit((unsigned char)*q) || *q == ',' || *q == '.') {
			num[nn++] = *q++;
		} else if (nn && is_group_space(q, &sl) && isdigit((unsigned char)q[sl])) {
			num[nn++] = ' ';
			q += sl;
		} else {
			break;
		}
	}
	num[nn] = 0;
	while (*q == ' ')
		q++;
	/* multiplier words */
	static const struct {
		const char *w;
		double m;
	} mults[] = {{"million", 1e6}, {"millions", 1e6}, {"mn", 1e6},       {"m", 1e6},
	             {"billion", 1e9}, {"bn", 1e9},       {"thousand", 1e3}, {"k", 1e3}};
	for (size_t i = 0; i < sizeof mults / sizeof mults[0]; i++) {
		size_t wl = strlen(mults[i].w);
		if (!strncasecmp(q, mults[i].w, wl) && (q[wl] == 0 || q[wl] == ' ')) {
			mult = mults[i].m;
			q += wl;
			while (*q == ' ')
				q++;
			break;
		}
	}
	if (!have_cur && isalpha((unsigned char)q[0]) && isalpha((unsigned char)q[1]) &&
	    isalpha((unsigned char)q[2]) && (q[3] == 0 || q[3] == ' ')) {
		memcpy(cur, q, 3);
		have_cur = 1;
		q += 3;
		while (*q == ' ')
			q++;
	}
	if (*q || nn == 0 || !isdigit((unsigned char)num[0]))
		return fail(msg, msgsize,
		            "'%s' is not an amount: write a number with an optional currency code, "
		            "e.g. USD 1,250,000",
		            text);
	for (int i = 0; i < 3; i++)
		cur[i] = (char)toupper((unsigned char)cur[i]);
	if (!voc_currency_known(cur))
		return fail(
		    msg, msgsize,
		    "unknown currency in '%s': use an ISO 4217 code such as USD, EUR or CHF", text);
	/* Which separator is the decimal point? */
	char *lastc = strrchr(num, ','), *lastd = strrchr(num, '.');
	int ncomma = 0, ndot = 0;
	for (size_t i = 0; i < nn; i++) {
		ncomma += num[i] == ',';
		ndot += num[i] == '.';
	}
	char dec = 0;
	if (ncomma && ndot)
		dec = lastc > lastd ? ',' : '.';
	else if (ncomma == 1 || ndot == 1) {
		char s = ncomma ? ',' : '.';
		char *at = s == ',' ? lastc : lastd;
		size_t after = strspn(at + 1, "0123456789");
		int spaced = strchr(num, ' ') != NULL;
		/* One separator before exactly three digits: a thousands separator,
		 * since money has at most two decimals — unless the currency has
		 * three minor digits (KWD 1,250) or a multiplier follows (1.250
		 * million), where it could be either: ambiguous (rules.md 7). */
		static const char *three[] = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};
		int three_minor = 0;
		for (size_t i = 0; i < sizeof three / sizeof three[0]; i++)
			three_minor |= !strcmp(cur, three[i]);
		if (after == 3 && !spaced && !(at == num + 1 && num[0] == '0') &&
		    (three_minor || mult != 1))
			return fail(msg, msgsize,
			            "ambiguous amount '%s': write it without the separator (1250) "
			            "or with a decimal point and two decimals (1.25)",
			            text);
		dec = (after == 3 && !(at == num + 1 && num[0] == '0')) ? 0 : s;
	}
	/* Group separators must separate groups of three digits. */
	char clean[128];
	size_t cn = 0;
	int seen_dec = 0, digits_since = -1;
	for (size_t i = 0; i < nn; i++) {
		char c = num[i];
		if (isdigit((unsigned char)c)) {
			clean[cn++] = c;
			if (digits_since >= 0)
				digits_since++;
		} else if (c == dec && !seen_dec) {
			if (digits_since >= 0 && digits_since != 3)
				goto bad_groups;
			clean[cn++] = '.';
			seen_dec = 1;
			digits_since = -1;
		} else {
			if (seen_dec || (digits_since >= 0 && digits_since != 3))
				goto bad_groups;
			digits_since = 0;
		}
	}
	if (digits_since >= 0 && digits_since != 3)
		goto bad_groups;
	clean[cn] = 0;
	out->value = strtod(clean, NULL) * mult;
	memcpy(out->currency, cur, 4);
	return 0;
bad_groups:
	return fail(msg, msgsize,
	            "'%s' is not an amount: thousands separators must separate groups of "
	            "three digits (1,250,000)",
	            text);
}

char *val_grouped(double value, const char *currency)
{
	char digits[320];            /* "%.0f" of the largest double: 309 digits and a sign */
	double r = nearbyint(value); /* to nearest, ties to even: as "%.0f" rounds */
	if (fabs(r) < 1e15 && !(r == 0 && signbit(value))) {
		/* whole numbers of up to 15 digits, without printf */
		char *q = digits;
		if (r < 0)
			*q++ = '-';
		q[ms_utoa(q, (unsigned long long)fabs(r))] = 0;
	} else {
		snprintf(digits, sizeof digits, "%.0f", value);
	}
	ms_buf b;
	ms_buf_init(&b);
	if (currency) {
		ms_buf_adds(&b, currency);
		ms_buf_addc(&b, ' ');
	}
	size_t n = strlen(digits);
	for (size_t i = 0; i < n; i++) {
		if (digits[i] == '-')
			ms_buf_adds(&b, "\xE2\x88\x92"); /* a true minus sign */
		else
			ms_buf_addc(&b, digits[i]);
		if ((n - i - 1) % 3 == 0 && i + 1 < n && digits[i] != '-')
			ms_buf_addc(&b, ',');
	}
	return ms_buf_take(&b);
}

char *val_share(double fraction, char *buf)
{
	double pct = 100 * fraction;
	if (pct > 0 && pct < 0.05)
		snprintf(buf, 16, "<0.1%%"); /* never "0.0%" for a share that exists */
	else if (pct >= 0 && pct <= 100)
		snprintf(buf, 16, "%.1f%%", pct);
	else
		buf[0] = 0;
	return buf;
}

char *val_count(size_t n, const char *one, const char *many)
{
	char *num = val_grouped((double)n, NULL);
	char *s = num ? ms_printf("%s %s", num, n == 1 ? one : many) : NULL;
	free(num);
	return s;
}

/* Dates ------------------------------------------------------------------ */

ms_day val_add_months(ms_day d, int months)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, dd;
	ms_day_to_ymd(d, &y, &m, &dd);
	long total = (long)y * 12 + (m - 1) + months;
	y = (int)(total / 12);
	m = (int)(total % 12) + 1;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	int last = mdays[m - 1] + (m == 2 && leap);
	if (dd > last)
		dd = last;
	return ms_ymd_to_day(y, m, dd);
}

char *val_day_iso(ms_day d, char *buf)
{
	if (d == MS_NO_DAY) {
		buf[0] = 0;
		return buf;
	}
	int y, m, dd;
	ms_day_to_ymd(d, &y, &m, &dd);
	if (y < 0 || y > 9999 || m < 1 || m > 12 || dd < 1 || dd > 31) {
		snprintf(buf, 16, "%04d-%02d-%02d", y, m, dd);
		return buf;
	}
	/* "%04d-%02d-%02d" without printf: 6,000 dates a digest */
	const int v[3] = {y, m, dd}, w[3] = {4, 2, 2};
	char *q = buf;
	for (int k = 0; k < 3; k++) {
		for (int i = w[k] - 1, x = v[k]; i >= 0; i--, x /= 10)
			q[i] = (char)('0' + x % 10);
		q += w[k];
		*q++ = k < 2 ? '-' : 0;
	}
	return buf;
}

char *val_day_long(ms_day d, char *buf)
{
	static const char *months[] = {"January",   "February", "March",    "April",
	                               "May",       "June",     "July",     "August",
	                               "September", "October",  "November", "December"};
	if (d == MS_NO_DAY) {
		buf[0] = 0;
		return buf;
	}
	int y, m, dd;
	ms_day_to_ymd(d, &y, &m, &dd);
	snprintf(buf, 24, "%d %s %d", dd, months[m - 1], y);
	return buf;
}

ms_day val_today(void)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	long long t = -1;
	if (e && *e) {
		char *end;
		t = strtoll(e, &end, 10);
		if (*end || t < 0)
			t = -1;
	}
	if (t < 0)
		t = (long long)time(NULL);
	return (ms_day)(t / 86400);
}
