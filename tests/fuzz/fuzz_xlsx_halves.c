/* libFuzzer target, differential: a workbook read with every sheet cut in
 * two halves on two threads (split_sheet_bytes 0) gives what the serial
 * reading gives: the same cells and the same diagnostics, or no book
 * either way, each with a reason (a damaged part may then be named by its
 * CRC, checked before a part inflated whole is parsed, or by its XML,
 * met first when it is streamed). A difference aborts. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/same_book.h"
#include "read/xlsx.h"

static int same_diags(const ms_diags *a, const ms_diags *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i].msg, b->v[i].msg) || strcmp(a->v[i].where, b->v[i].where))
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ms_diags d[2];
	rd_book *b[2];
	for (int k = 0; k < 2; k++) {
		rd_limits lim = rd_limits_default();
		lim.max_entry_bytes = 16u << 20;
		lim.max_total_bytes = 64u << 20;
		lim.split_sheet_bytes = k ? (size_t)-1 : 0; /* halves, then serial */
		ms_diags_init(&d[k]);
		b[k] = xlsx_read_mem("fuzz.xlsx", data, size, &lim, &d[k]);
	}
	if (!same_book(b[0], b[1]))
		abort();
	if (b[0] ? !same_diags(&d[0], &d[1]) : !d[0].n || !d[1].n)
		abort();
	for (int k = 0; k < 2; k++) {
		rd_book_free(b[k]);
		ms_diags_free(&d[k]);
	}
	return 0;
}
