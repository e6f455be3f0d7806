/* libFuzzer target: the Markdown form reader and section split. */
#include <stddef.h>
#include <stdint.h>

#include "read/mdform.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ms_diags d;
	ms_diags_init(&d);
	mdf_form *f = mdf_parse("fuzz.md", (const char *)data, size, &d);
	if (f) {
		static const char *const names[] = {"Summary", "Results", "Lessons learned",
		                                    "Testimonials", "Photographs"};
		cmark_node *out[5];
		int lines[5];
		mdf_sections(f, names, 5, out, lines);
		for (int i = 0; i < 5; i++)
			if (out[i])
				cmark_node_free(out[i]);
	}
	mdf_free(f);
	ms_diags_free(&d);
	return 0;
}
