/* libFuzzer target: the XLSX reader on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include "read/xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ms_diags d;
	ms_diags_init(&d);
	rd_limits lim = rd_limits_default();
	lim.max_entry_bytes = 16u << 20; /* keep each run small */
	lim.max_total_bytes = 64u << 20;
	if (size & 1) /* half the inputs read their shared strings on a thread */
		lim.sst_thread_bytes = 0;
	rd_book *b = xlsx_read_mem("fuzz.xlsx", data, size, &lim, &d);
	rd_book_free(b);
	ms_diags_free(&d);
	return 0;
}
