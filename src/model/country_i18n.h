/* country_i18n.h — the generated tables of country_i18n.c
 * (tools/gen_country_names.py): names in French, Spanish, Russian, Arabic
 * and Chinese by alpha-3 code, and short forms naming several countries. */
#ifndef MS_COUNTRY_I18N_H
#define MS_COUNTRY_I18N_H

typedef struct cty_i18n {
	const char *name;
	const char *alpha3;
} cty_i18n;

typedef struct cty_short {
	const char *name;
	const char *alpha3[3]; /* "" when unused */
} cty_short;

extern const cty_i18n cty_i18n_names[];
extern const int cty_i18n_nnames;
extern const cty_short cty_short_forms[];
extern const int cty_nshort;

#endif
