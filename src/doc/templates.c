/* templates.c — blank forms for every kind (documents.md §5), from the one
 * schema table (model/schema.c), so templates and validation never differ.
 *
 * XLSX templates: an Instructions sheet (one row per field: required, what
 * to write, allowed values, a filled example — never in a data sheet, where
 * it would be read as a record), the data sheet(s), and a hidden Lists sheet
 * that the drop-downs point at (libxlsxwriter 1.1.4 overflows its heap on a
 * literal list with non-ASCII items, so lists are formulas). */
#include "templates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/schema.h"
#include "../model/vocab.h"
#include "../util/buf.h"
#include "../util/job.h"
#include "../xlsx/xw.h"
#include "outputs.h"
#include "templates_docx.h"

static const char *type_hint(const sch_field *f)
{
	switch (f->type) {
	case SCH_COUNTRY: return "a country (English name or ISO code)";
	case SCH_COUNTRIES: return "countries, separated by ';'";
	case SCH_COUNTRIES_ANY: return "countries separated by ';', or Any (offers)";
	case SCH_PARTY: return "a country or an organisation";
	case SCH_PARTIES: return "countries or organisations, separated by ';'";
	case SCH_VOCAB: return "one value from the list";
	case SCH_VOCABS: return "one or more values from the list, separated by ';'";
	case SCH_DATE: return "a date, YYYY-MM-DD";
	case SCH_YEAR: return "a year, YYYY";
	case SCH_PERIOD: return "years, e.g. 2009-2012";
	case SCH_PERIOD_KEY: return "a year or a date";
	case SCH_AMOUNT: return "an amount with its currency code";
	case SCH_INT: return "a whole number";
	case SCH_BOOL: return "yes or no";
	case SCH_ACTION_ID: return "the action's number, e.g. #63";
	case SCH_LIST: return "values separated by ';'";
	default: return "text";
	}
}

/* Markdown ------------------------------------------------------------------ */

static int write_file(const char *path, const char *text, ms_diags *d)
{
	char *tmp = ms_printf("%s.tmp", path);
	FILE *f = tmp ? fopen(tmp, "w") : NULL;
	int ok = f && fputs(text, f) >= 0;
	if (f)
		ok = fclose(f) == 0 && ok;
	if (ok && ms_replace(tmp, path) == 0) {
		free(tmp);
		return 0;
	}
	ms_pos p = ms_pos_file(path);
	ms_diag_add(d, MS_ENV, &p,
	            "cannot write the template: check free disk space and permissions");
	if (tmp)
		remove(tmp);
	free(tmp);
	return -1;
}

static void md_guidance(ms_buf *b, const sch_form *f)
{
	ms_buf_printf(
	    b,
	    "<!--\nHow to fill in this %s form\n\n"
	    "Write each value after the colon on the lines above (a long value may go on\n"
	    "following lines that start with a space). Keep the blank line after them.\n"
	    "Write in English. Delete these comments if you like.\n\n",
	    f->name);
	for (size_t i = 0; i < f->nfields; i++) {
		const sch_field *fd = &f->fields[i];
		if (!strcmp(fd->name, "Type"))
			continue;
		ms_buf_printf(b, "%s (%s): %s; %s.", fd->name,
		              fd->required ? "required" : "optional", fd->help, type_hint(fd));
		if (fd->type == SCH_VOCAB || fd->type == SCH_VOCABS) {
			char *list = voc_list_text((voc_kind)fd->vocab);
			ms_buf_printf(b, " Values: %s.", list ? list : "");
			free(list);
		}
		if (fd->example && *fd->example)
			ms_buf_printf(b, " Example: %s", fd->example);
		ms_buf_adds(b, "\n");
	}
	ms_buf_adds(b, "-->\n");
}

static int write_md(const char *dir, const sch_form *f, ms_diags *d)
{
	ms_buf b;
	ms_buf_init(&b);
	ms_buf_printf(&b, "Form: %s\n", f->name);
	for (size_t i = 0; i < f->nfields; i++)
		if (strcmp(f->fields[i].name, "Type"))
			ms_buf_printf(&b, "%s: \n", f->fields[i].name);
	ms_buf_adds(&b, "\n");
	md_guidance(&b, f);
	for (size_t i = 0; i < f->nsections; i++)
		ms_buf_printf(&b, "\n## %s\n\n<!-- %s (%s). -->\n", f->sections[i].name,
		              f->sections[i].help,
		              f->sections[i].required ? "required" : "optional");
	if (f->kind == K_PAPER)
		ms_buf_adds(
		    &b,
		    "\n> The coordinators submit this working paper ... (a block quote is an\n"
		    "> unnumbered lead paragraph).\n\n"
		    "## A heading (not numbered)\n\n"
		    "Each top-level paragraph is numbered 1, 2, 3 ... in the paper. A list after "
		    "a\n"
		    "paragraph belongs to it:\n\n"
		    "- first point;\n- second point.\n\n"
		    "A table or chart from the progress data (give the data on the command line:\n"
		    "mspdoc paper this.md inputs/progress):\n\n"
		    "```mspdoc\ntable: status\nplan: Vientiane Action Plan\nactions: 63; 64; "
		    "65\n```\n\n"
		    "A footnote goes at the foot of its page.[^1]\n\n"
		    "[^1]: The footnote's text.\n");
	if (f->kind == K_LETTER)
		ms_buf_adds(
		    &b,
		    "\nThe body of the letter, in Markdown: paragraphs separated by a blank line,\n"
		    "**bold** for what the reader must not miss, and lists:\n\n"
		    "- a first point;\n- a second point.\n\n"
		    "Contacts become links: [name@example.org](mailto:name@example.org).\n\n"
		    "<!-- Mail merge: mspdoc letter this.md recipients.xlsx writes one letter per "
		    "mission of the list (columns Mission, Address, Salutation, E-mail), a "
		    "combined "
		    "PDF and a register for the mailing. -->\n");
	char *path = ms_printf("%s/%s.md", dir, f->file);
	int r = b.oom || !path ? -1 : write_file(path, b.s, d);
	free(path);
	ms_buf_free(&b);
	return r;
}

/* XLSX ---------------------------------------------------------------------- */

/* Lists sheet: one column per vocabulary, labels from row 2. */
static void write_lists(xw_book *b)
{
	static const char *heads[VOC_COUNT] = {"Areas",          "Role",     "Scope",
	                                       "Partnership",    "Modality", "Assistance",
	                                       "Submitter type", "Type"};
	xw_sheet *s = xw_add_sheet(b, "Lists", heads, VOC_COUNT, NULL);
	for (int k = 0; k < VOC_COUNT; k++)
		for (int i = 0; i < voc_size((voc_kind)k); i++)
			xw_text(s, i + 1, k, voc_label((voc_kind)k, i));
	worksheet_hide(xw_ws(s));
}

static void add_validation(xw_sheet *s, int r0, int r1, int col, const sch_field *f)
{
	lxw_data_validation v;
	memset(&v, 0, sizeof v);
	char formula[64], msg[256];
	v.ignore_blank = LXW_VALIDATION_ON;
	v.show_input = LXW_VALIDATION_ON;
	if (f->type == SCH_VOCAB) {
		char colname[8];
		ms_col_letters(f->vocab + 1, colname);
		snprintf(formula, sizeof formula, "=Lists!$%s$2:$%s$%d", colname, colname,
		         voc_size((voc_kind)f->vocab) + 1);
		v.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
		v.value_formula = formula;
		v.dropdown = LXW_VALIDATION_ON;
	} else if (f->type == SCH_VOCABS) {
		/* Excel's list validation cannot hold "VA; CA": an input message
		 * lists the values instead. */
		ms_buf b;
		ms_buf_init(&b);
		ms_buf_adds(&b, "Several values separated by ';': ");
		for (int i = 0; i < voc_size((voc_kind)f->vocab); i++) {
			const char *code = voc_code((voc_kind)f->vocab, i);
			ms_buf_printf(&b, "%s%s", i ? "; " : "",
			              code ? code : voc_label((voc_kind)f->vocab, i));
		}
		snprintf(msg, sizeof msg, "%s", b.s ? b.s : "");
		ms_buf_free(&b);
		v.validate = LXW_VALIDATION_TYPE_ANY;
		v.input_message = msg;
	} else if (f->type == SCH_DATE) {
		v.validate = LXW_VALIDATION_TYPE_DATE;
		v.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
		lxw_datetime lo = {1990, 1, 1, 0, 0, 0}, hi = {2100, 12, 31, 0, 0, 0};
		v.minimum_datetime = lo;
		v.maximum_datetime = hi;
		v.input_message = "A date: YYYY-MM-DD";
		v.error_message = "Write a date between 1990-01-01 and 2100-12-31, as YYYY-MM-DD.";
	} else if (f->type == SCH_INT || f->type == SCH_YEAR) {
		v.validate = LXW_VALIDATION_TYPE_INTEGER;
		v.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
		v.minimum_number = f->type == SCH_YEAR ? 1900 : 0;
		v.maximum_number = f->type == SCH_YEAR ? 2200 : 100000;
		v.input_message = f->type == SCH_YEAR ? "A year: YYYY" : "A whole number";
	} else {
		return;
	}
	v.input_title = (char *)f->name;
	worksheet_data_validation_range(xw_ws(s), (lxw_row_t)r0, (lxw_col_t)col, (lxw_row_t)r1,
	                                (lxw_col_t)col, &v);
}

static void write_instructions(xw_book *b, const sch_form *const *forms, size_t nforms, int table)
{
	static const char *heads[] = {"Sheet",         "Field",          "Required",
	                              "What to write", "Allowed values", "Example"};
	xw_sheet *s = xw_add_sheet(b, "Instructions", heads, 6, NULL);
	xw_max_width(s, 3, 60);
	xw_max_width(s, 4, 50);
	out_sheet_print(s, NULL);
	int row = 1;
	for (size_t k = 0; k < nforms; k++) {
		const sch_form *f = forms[k];
		const char *sheet = table ? (f->kind == K_NEED         ? "Needs"
		                             : f->kind == K_OFFER      ? "Offers"
		                             : f->kind == K_EXPERIENCE ? "Experiences"
		                                                       : f->name)
		                          : "Form";
		for (size_t i = 0; i < f->nfields; i++) {
			const sch_field *fd = &f->fields[i];
			if (!strcmp(fd->name, "Type"))
				continue;
			xw_text(s, row, 0, sheet);
			xw_text(s, row, 1, fd->name);
			xw_text(s, row, 2, fd->required ? "required" : "optional");
			char *what = ms_printf("%s (%s)", fd->help, type_hint(fd));
			xw_text(s, row, 3, what);
			free(what);
			if (fd->type == SCH_VOCAB || fd->type == SCH_VOCABS) {
				char *list = voc_list_text((voc_kind)fd->vocab);
				xw_text(s, row, 4, list);
				free(list);
			}
			xw_text(s, row, 5, fd->example);
			row++;
		}
		for (size_t i = 0; i < f->nsections; i++) {
			xw_text(s, row, 0, sheet);
			xw_text(s, row, 1, f->sections[i].name);
			xw_text(s, row, 2, f->sections[i].required ? "required" : "optional");
			char *what =
			    ms_printf("%s (Markdown text: paragraphs, lists, **bold**, _italic_)",
			              f->sections[i].help);
			xw_text(s, row, 3, what);
			free(what);
			row++;
		}
	}
}

static int write_form_xlsx(const char *dir, const sch_form *f, ms_diags *d)
{
	char *path = ms_printf("%s/%s.xlsx", dir, f->file);
	xw_book *b = path ? xw_open(path, d) : NULL;
	free(path);
	if (!b)
		return -1;
	char *title = ms_printf("%s form", f->name);
	xw_set_properties(b, title, "Convention on Cluster Munitions: form template");
	free(title);
	write_instructions(b, &f, 1, 0);
	static const char *heads[] = {"Field", "Value"};
	xw_sheet *s = xw_add_sheet(b, "Form", heads, 2, NULL);
	xw_max_width(s, 1, 80);
	int row = 1;
	xw_text(s, row, 0, "Form");
	xw_text(s, row, 1, f->name);
	row++;
	for (size_t i = 0; i < f->nfields; i++) {
		if (!strcmp(f->fields[i].name, "Type"))
			continue;
		xw_text(s, row, 0, f->fields[i].name);
		add_validation(s, row, row, 1, &f->fields[i]);
		row++;
	}
	for (size_t i = 0; i < f->nsections; i++)
		xw_text(s, row++, 0, f->sections[i].name);
	/* the value column is where people type: make it wide */
	worksheet_set_column(xw_ws(s), 1, 1, 80, NULL);
	write_lists(b);
	worksheet_activate(xw_ws(s));
	return xw_close(b, d);
}

static int write_tables_xlsx(const char *dir, const char *file, const rec_kind *kinds,
                             const char *const *sheets, size_t n, const char *title, ms_diags *d)
{
	char *path = ms_printf("%s/%s", dir, file);
	xw_book *b = path ? xw_open(path, d) : NULL;
	free(path);
	if (!b)
		return -1;
	xw_set_properties(b, title, "Convention on Cluster Munitions: data template");
	const sch_form *forms[8];
	for (size_t k = 0; k < n; k++)
		forms[k] = sch_form_get(kinds[k]);
	write_instructions(b, forms, n, 1);
	for (size_t k = 0; k < n; k++) {
		const sch_form *f = forms[k];
		const char *heads[24];
		const sch_field *cols[24];
		int nc = 0;
		for (size_t i = 0; i < f->nfields && nc < 24; i++) {
			if (!strcmp(f->fields[i].name, "Type"))
				continue;
			cols[nc] = &f->fields[i];
			heads[nc++] = f->fields[i].name;
		}
		for (size_t i = 0; i < f->nsections && nc < 24; i++) {
			cols[nc] = NULL;
			heads[nc++] = f->sections[i].name;
		}
		xw_sheet *s = xw_add_sheet(b, sheets[k], heads, nc, NULL);
		out_sheet_print(s, NULL);
		for (int c = 0; c < nc; c++)
			if (cols[c])
				add_validation(s, 1, 1000, c, cols[c]);
	}
	write_lists(b);
	return xw_close(b, d);
}

int tpl_write_all(const char *dir, ms_diags *d)
{
	static const rec_kind record_kinds[] = {K_CONTRIBUTION, K_BOOK,       K_NEED,
	                                        K_OFFER,        K_EXPERIENCE, K_DIGEST};
	int r = 0;
	for (size_t i = 0; i < sizeof record_kinds / sizeof record_kinds[0]; i++) {
		const sch_form *f = sch_form_get(record_kinds[i]);
		r |= write_md(dir, f, d);
		r |= write_form_xlsx(dir, f, d);
		r |= tpl_write_docx(dir, f, d);
	}
	static const rec_kind portal[] = {K_NEED, K_OFFER, K_EXPERIENCE};
	static const char *portal_sheets[] = {"Needs", "Offers", "Experiences"};
	r |= write_tables_xlsx(dir, "portal-register.xlsx", portal, portal_sheets, 3,
	                       "Cooperation Portal register", d);
	static const rec_kind progress[] = {K_ACTION, K_STATUS, K_REPORT, K_FUNDING};
	static const char *progress_sheets[] = {"Actions", "Status", "Reports", "Funding"};
	r |= write_tables_xlsx(dir, "progress-data.xlsx", progress, progress_sheets, 4,
	                       "Progress report data", d);
	r |= write_md(dir, sch_form_get(K_PAPER), d);
	r |= tpl_write_docx(dir, sch_form_get(K_PAPER), d);
	r |= write_md(dir, sch_form_get(K_LETTER), d);
	static const rec_kind recipients[] = {K_RECIPIENT};
	static const char *recipients_sheets[] = {"Recipients"};
	r |= write_tables_xlsx(dir, "recipients.xlsx", recipients, recipients_sheets, 1,
	                       "Recipients of a letter", d);
	return r ? -1 : 0;
}
