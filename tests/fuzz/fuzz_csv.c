/* libFuzzer target: the CSV reader on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include "read/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ms_diags d;
	ms_diags_init(&d);
	rd_book *b = csv_read_mem("needs.csv", data, size, NULL, &d);
	rd_book_free(b);
	ms_diags_free(&d);
	return 0;
}
