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

/* Month names as people type them: English, French and Spanish, whole or
 * cut to three letters ("Jul", "juil."), matched on the folded text. */
static int month_of(const char *w, size_t n)
{
	static const char *names[] = {
	    "january", "february", "march",      "april",   "may",       "june",
	    "july",    "august",   "september",  "october", "november",  "december",
	    "janvier", "fevrier",  "mars",       "avril",   "mai",       "juin",
	    "juillet", "aout",     "septembre",  "octobre", "novembre",  "decembre",
	    "enero",   "febrero",  "marzo",      "abril",   "mayo",      "junio",
	    "julio",   "agosto",   "septiembre", "octubre", "noviembre", "diciembre"};
	if (n && w[n - 1] == '.')
		n--;
	if (n < 3)
		return 0;
	char buf[16];
	if (n >= sizeof buf)
		return 0;
	memcpy(buf, w, n);
	buf[n] = 0;
	char *f = ms_fold(buf);
	if (!f)
		return 0;
	int m = 0;
	size_t fl = strlen(f);
	for (size_t i = 0; i < sizeof names / sizeof names[0] && !m; i++)
		if (!strcmp(f, names[i]) || (fl >= 3 && fl < strlen(names[i]) &&
		                             !strncmp(f, names[i], fl) && (fl == 3 || fl == 4)))
			m = (int)(i % 12) + 1;
	if (!strcmp(f, "sept"))
		m = 9;
	free(f);
	return m;
}

static int day_ok(int y, int m, int d, ms_day *out)
{
	if (y < 1900 || y > 2200)
		return 0;
	ms_day day = ms_ymd_to_day(y, m, d);
	if (day == MS_NO_DAY)
		return 0;
	*out = day;
	return 1;
}

/* The words of a date typed with a month name: "22 July 2013",
 * "July 22, 2013", "22-Jul-2013", "22nd July 2013". */
static int named_date(const char *t, ms_day *out)
{
	const char *w[4];
	size_t wl[4];
	int nw = 0;
	const char *p = t;
	while (*p) {
		while (*p == ' ' || *p == ',' || *p == '-' || *p == '/')
			p++;
		if (!*p)
			break;
		if (nw == 4)
			return 0;
		w[nw] = p;
		while (*p && *p != ' ' && *p != ',' && *p != '-' && *p != '/')
			p++;
		wl[nw] = (size_t)(p - w[nw]);
		nw++;
	}
	if (nw != 3)
		return 0;
	int day = -1, month = 0, year = -1;
	for (int i = 0; i < 3; i++) {
		size_t digits = 0;
		while (digits < wl[i] && isdigit((unsigned char)w[i][digits]))
			digits++;
		if (digits == 4 && wl[i] == 4 && year < 0) {
			year = atoi(w[i]);
		} else if (digits && digits <= 2 && day < 0) {
			/* "22", "22nd", "1st", "3rd", "4th", "1er" */
			const char *suf = w[i] + digits;
			size_t sl = wl[i] - digits;
			if (sl && !(sl == 2 &&
			            (!strncasecmp(suf, "st", 2) || !strncasecmp(suf, "nd", 2) ||
			             !strncasecmp(suf, "rd", 2) || !strncasecmp(suf, "th", 2) ||
			             !strncasecmp(suf, "er", 2))))
				return 0;
			day = atoi(w[i]);
		} else if (!digits && !month) {
			month = month_of(w[i], wl[i]);
			if (!month)
				return 0;
		} else {
			return 0;
		}
	}
	return day > 0 && month && year > 0 && day_ok(year, month, day, out);
}

int val_date(const char *text, ms_day *out, char *msg, size_t msgsize)
{
	int y, m, d, n = 0;
	const char *t = text;
	while (*t == ' ')
		t++;
	if (sscanf(t, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && n >= 8 && t[4] == '-') {
		const char *rest = t + n;
		/* a time of day (from an ISO timestamp) is dropped */
		if (*rest == 'T' || *rest == ' ')
			rest += strspn(rest, "T :0123456789.Z");
		if (!*rest && day_ok(y, m, d, out))
			return 0;
	}
	/* Numbers with separators: 22.07.2013 (dots: day first, as in every
	 * country that writes them), 22/07/2013 and 22-07-2013 (either order:
	 * refused when both readings are dates and differ), 2013/07/22. */
	int a, b, c, k = 0;
	char s1, s2;
	size_t len = strlen(t);
	while (len && t[len - 1] == ' ')
		len--;
	if (sscanf(t, "%4d%c%2d%c%4d%n", &a, &s1, &b, &s2, &c, &k) == 5 && (size_t)k == len &&
	    s1 == s2 && (s1 == '.' || s1 == '/' || s1 == '-')) {
		size_t first = strspn(t, "0123456789");
		if (first == 4) { /* 2013/07/22 */
			if (day_ok(a, b, c, out))
				return 0;
		} else if (c >= 1900 && c <= 2200) {
			ms_day dmy = MS_NO_DAY, mdy = MS_NO_DAY;
			int ok_dmy = day_ok(c, b, a, &dmy);
			int ok_mdy = s1 != '.' && day_ok(c, a, b, &mdy);
			if (ok_dmy && ok_mdy && dmy != mdy) {
				if (msg && msgsize) {
					char l1[24], l2[24], iso[16];
					snprintf(msg, msgsize,
					         "'%s' could be %s or %s: write it as YYYY-MM-DD "
					         "or with the "
					         "month's name, e.g. %s or %s",
					         text, val_day_long(dmy, l1), val_day_long(mdy, l2),
					         val_day_iso(dmy, iso), l1);
				}
				return -2;
			}
			if (ok_dmy || ok_mdy) {
				*out = ok_dmy ? dmy : mdy;
				return 0;
			}
		}
	}
	if (len < 40 && named_date(t, out))
		return 0;
	return fail(msg, msgsize,
	            "'%s' is not a date: write it as YYYY-MM-DD (2013-06-26) or with the month's "
	            "name (26 June 2013)",
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
	/* Currency signs as people type them ($95,000, 95 000 €, US$ 5,000):
	 * the sign becomes its code. ¥ and kr are left out: each names several
	 * currencies. */
	static const struct {
		const char *sign, *code;
	} signs[] = {{"US$", "USD"}, {"$", "USD"}, {"\xe2\x82\xac", "EUR"}, {"\xc2\xa3", "GBP"}};
	char signed_buf[128];
	int have_cur = 0;
	for (size_t i = 0; i < sizeof signs / sizeof signs[0] && !have_cur; i++) {
		size_t sl = strlen(signs[i].sign);
		const char *b = p;
		while (*b == ' ')
			b++;
		const char *at = NULL;
		if (!strncmp(b, signs[i].sign, sl)) {
			at = b;
		} else {
			size_t tl = strlen(b);
			while (tl && b[tl - 1] == ' ')
				tl--;
			if (tl >= sl && !strncmp(b + tl - sl, signs[i].sign, sl))
				at = b + tl - sl;
		}
		if (!at)
			continue;
		size_t before = (size_t)(at - p);
		snprintf(signed_buf, sizeof signed_buf, "%.*s %s", (int)before, p, at + sl);
		p = signed_buf;
		memcpy(cur, signs[i].code, 4);
		have_cur = 1;
	}
	/* currency code before or after */
	while (*p == ' ')
		p++;
	if (!have_cur && isalpha((unsigned char)p[0]) && isalpha((unsigned char)p[1]) &&
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
	out->currency_given = have_cur;
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
