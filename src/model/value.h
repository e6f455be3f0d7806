/* value.h — parsing of typed values from text: dates, years, periods,
 * amounts, yes/no. Each parser returns 0 on success, -1 with an English
 * message (static or written into msg) on failure; none prints. */
#ifndef MS_VALUE_H
#define MS_VALUE_H

#include <stddef.h>

#include "../read/sheet.h"

/* A date as people type it (forms.md 7): ISO YYYY-MM-DD (also YYYY-M-D),
 * 22.07.2013, 22/07/2013 or 07/22/2013 when only one reading is a date,
 * 22 July 2013, July 22, 2013, 22-Jul-2013 (English, French and Spanish
 * month names). 02/03/2013 is refused naming both readings: -2 (other
 * failures -1). */
int val_date(const char *text, ms_day *out, char *msg, size_t msgsize);
/* A year 1900..2200. */
int val_year(const char *text, int *out, char *msg, size_t msgsize);

/* A period "2009–2012", "2009-2012" or a single year; y1 >= y0. */
typedef struct val_period {
	int y0, y1;
} val_period;
int val_period_parse(const char *text, val_period *out, char *msg, size_t msgsize);

/* An amount with an optional ISO 4217 code before or after (default USD).
 * Accepts 1,250,000 / 1 250 000 / 1.250.000 / 1250000.50 / USD 1.2 million,
 * and the signs $, US$, € and £ before or after ($95,000, 95 000 €);
 * ambiguous forms (1,250 vs 1.250 with a single group) are errors
 * (rules.md 7). */
typedef struct val_amount {
	double value;
	char currency[4];
	int currency_given; /* 0: a bare number, USD assumed (the caller warns) */
} val_amount;
int val_amount_parse(const char *text, val_amount *out, char *msg, size_t msgsize);

/* "1,250,000" (whole units, comma-grouped; a negative one with a true minus
 * sign, U+2212), prefixed by `currency` and a space when it is not NULL
 * ("USD 1,250,000"). Owned by the caller. */
char *val_grouped(double value, const char *currency);
/* A share as a percentage with one decimal into buf (>= 16 bytes):
 * "12.5%", and "<0.1%" for a share that rounds to 0.0% but is not zero. */
char *val_share(double fraction, char *buf);
/* "1 need", "20,000 needs": a count, grouped, with the noun in the number
 * it takes. Owned by the caller. */
char *val_count(size_t n, const char *one, const char *many);

/* yes/no/true/false/1/0 -> 1/0. */
int val_bool(const char *text, int *out);

/* Calendar arithmetic (rules.md 18): add months, clamping the day. */
ms_day val_add_months(ms_day d, int months);
/* "2013-06-26" into buf (>= 11 bytes). */
char *val_day_iso(ms_day d, char *buf);
/* "26 June 2013" into buf (>= 20 bytes). */
char *val_day_long(ms_day d, char *buf);
/* Today from SOURCE_DATE_EPOCH when set, else the clock (UTC). */
ms_day val_today(void);

#endif
