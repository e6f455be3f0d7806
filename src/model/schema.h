/* schema.h — the form kinds of forms.md §5 as data: fields, their types,
 * which are required, their vocabularies, and the Markdown sections. The
 * records model validates against it; `mspdoc templates` writes blank forms
 * from it. One table, so the two never disagree. */
#ifndef MS_SCHEMA_H
#define MS_SCHEMA_H

#include <stddef.h>

#include "record.h"

typedef enum {
	SCH_TEXT,          /* one line of text */
	SCH_COUNTRY,       /* one country */
	SCH_COUNTRIES,     /* ;-separated countries, at least one */
	SCH_COUNTRIES_ANY, /* ;-separated countries or "Any" */
	SCH_PARTY,         /* a country or an organisation */
	SCH_PARTIES,       /* ;-separated countries or organisations */
	SCH_VOCAB,         /* one value of `vocab` */
	SCH_VOCABS,        /* ;-separated values of `vocab` */
	SCH_DATE,
	SCH_YEAR,
	SCH_PERIOD,     /* 2009–2012 or a year */
	SCH_PERIOD_KEY, /* Status Period: a year or a date, kept as written */
	SCH_AMOUNT,
	SCH_INT,
	SCH_BOOL,
	SCH_ACTION_ID, /* #63, 4.1 */
	SCH_LIST       /* ;-separated free values (Statuses) */
} sch_type;

typedef struct sch_field {
	const char *name; /* canonical spelling, e.g. "Valid until" */
	sch_type type;
	int vocab; /* voc_kind for SCH_VOCAB(S) */
	int required;
	const char *help;    /* one line of guidance for templates */
	const char *example; /* a filled example value */
} sch_field;

typedef struct sch_section {
	const char *name;
	int required;
	const char *help;
} sch_section;

typedef struct sch_form {
	rec_kind kind;
	const char *name; /* "Contribution" */
	const char *file; /* template base name: "contribution" */
	int is_table;     /* Actions, Status, Reports, Funding: tables only */
	const sch_field *fields;
	size_t nfields;
	const sch_section *sections;
	size_t nsections;
} sch_form;

const sch_form *sch_form_get(rec_kind k);
/* Index of a field by name (ms_name_key match), or -1. */
int sch_field_find(const sch_form *f, const char *name);
/* Index of a section by name, or -1. */
int sch_section_find(const sch_form *f, const char *name);

#endif
