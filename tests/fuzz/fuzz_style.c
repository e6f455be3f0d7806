/* libFuzzer target: a style file of arbitrary bytes, and, when it loads, a
 * small document laid out with it (every value the loader accepts must lay
 * out). Inputs naming font or dictionary files are only loaded: the fuzzer
 * would otherwise open whatever paths it makes up. */
#define _GNU_SOURCE /* memmem */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "doc/tree.h"
#include "layout/layout.h"

#include "fuzz_file.h"

static dt_doc *small_doc(void)
{
	dt_doc *doc = dt_doc_new();
	dt_node *sec = dt_section(doc);
	if (!sec)
		return doc;
	sec->page.head_right = dt_strdup(doc, "Running head");
	dt_heading(doc, sec, 1, "A heading that may have to wrap onto a second line", "h1", 1);
	dt_para(doc, sec, NULL,
	        "Clearance of cluster munition remnants in the districts of the south, "
	        "with survey, marking and risk education for the communities nearby.");
	dt_node *t = dt_table(doc, sec, 2);
	if (t) {
		t->caption = dt_strdup(doc, "Table 1. States and status");
		dt_node *r = dt_row(doc, t, 1);
		dt_cell(doc, r, "State", DT_LEFT);
		dt_cell(doc, r, "Status", DT_LEFT);
		r = dt_row(doc, t, 0);
		dt_cell(doc, r, "Lao People's Democratic Republic", DT_LEFT);
		dt_cell(doc, r, "completed", DT_LEFT);
	}
	dt_para(doc, sec, "attribution", "A speaker");
	return doc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	if (fuzz_file(path, sizeof path, "style", "style", data, size) < 0)
		return 0;
	ms_diags d;
	ms_diags_init(&d);
	ly_style *st = ly_style_load(path, &d);
	if (st && !memmem(data, size, "font.", 5) && !memmem(data, size, "hyphenation", 11)) {
		ly_paper p = ly_style_paper(st);
		if (!(p.width >= 72 && p.height >= 72))
			__builtin_trap(); /* the loader lets no such paper through */
		dt_doc *doc = small_doc();
		ly_dlist dl;
		if (doc && ly_layout(doc, st, &dl, NULL, &d) == 0)
			ly_dlist_free(&dl);
		dt_doc_free(doc);
	}
	ly_style_free(st);
	ms_diags_free(&d);
	return 0;
}
