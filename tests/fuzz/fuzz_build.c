/* libFuzzer target: one Markdown form all the way to a PDF (seeds with
 * footnotes citing each other and links of every scheme) — the form
 * reader, sections, Markdown to document tree, the typesetter and the PDF
 * back-end (written to a scratch file). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "doc/md2tree.h"
#include "doc/render.h"
#include "layout/layout.h"
#include "read/mdform.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static ly_style *st;
	ms_diags d;
	ms_diags_init(&d);
	if (!st)
		st = ly_style_load("styles/book.style", &d);
	mdf_form *f = st ? mdf_parse("fuzz.md", (const char *)data, size, &d) : NULL;
	if (f) {
		static const char *const names[] = {"Summary", "Results", "Lessons learned",
		                                    "Testimonials", "Photographs"};
		cmark_node *out[5];
		int lines[5];
		mdf_sections(f, names, 5, out, lines);
		dt_doc *doc = dt_doc_new();
		dt_node *sec = doc ? dt_section(doc) : NULL;
		for (int i = 0; i < 5; i++) {
			if (sec && out[i]) {
				dt_heading(doc, sec, 2, names[i], NULL, 1);
				m2t_opts o = {2, NULL};
				md2tree_append(doc, sec, out[i], &o);
			}
		}
		/* freed together: a footnote lives in the section of its first
		 * citation, and a note in another section may cite it */
		for (int i = 0; i < 5; i++)
			if (out[i])
				cmark_node_free(out[i]);
		if (doc && sec) {
			char path[64];
			snprintf(path, sizeof path, "/tmp/mspdoc-fuzz-%d.pdf", (int)getpid());
			doc_render_pdf(doc, st, path, NULL, NULL, &d);
			unlink(path);
		}
		dt_doc_free(doc);
	}
	mdf_free(f);
	ms_diags_free(&d);
	return 0;
}
