/* country_data.h — the generated tables behind country.h and vocab.h
 * (country_data.c, written by tools/gen_countries.py). Rows are in alpha-3
 * order; country.c sorts them by name at first use. */
#ifndef MS_COUNTRY_DATA_H
#define MS_COUNTRY_DATA_H

#include <stddef.h>

typedef struct cty_row {
	const char *name, *alpha2, *alpha3, *region, *subregion;
	const char *alt[3]; /* ISO name, official and common names ("" if none) */
} cty_row;

typedef struct cty_alias {
	const char *alias;
	int row;
} cty_alias;

extern const cty_row cty_rows[];
extern const int cty_nrows;
extern const cty_alias cty_aliases[];
extern const int cty_naliases;
extern const char *const cty_currencies[]; /* ISO 4217, sorted */
extern const int cty_ncurrencies;

#endif
