/* readbench — read one workbook with mspdoc's XLSX reader and count its
 * cells by type; no validation, no records. `make bench` times it for the
 * "read a 200,000-cell workbook" line of quality.md (the whole process),
 * beside `mspdoc check`, which also types and validates every entry. */
#include <stdio.h>

#include "read/xlsx.h"
#include "util/hugemap.h"

int main(int argc, char **argv)
{
	ms_heap_setup(); /* as mspdoc does */
	if (argc != 2) {
		fprintf(stderr, "usage: readbench FILE.xlsx\n");
		return 2;
	}
	ms_diags d;
	ms_diags_init(&d);
	rd_limits lim = rd_limits_default();
	rd_book *b = xlsx_read(argv[1], &lim, &d);
	if (!b) {
		fprintf(stderr, "readbench: %s could not be read\n", argv[1]);
		ms_diags_free(&d);
		return 1;
	}
	size_t count[8] = {0}, cells = 0;
	for (size_t s = 0; s < b->nsheets; s++)
		for (size_t r = 0; r < b->sheets[s].nrows; r++)
			for (size_t c = 0; c < b->sheets[s].rows[r].n; c++) {
				unsigned t = (unsigned)b->sheets[s].rows[r].cells[c].type;
				count[t < 8 ? t : 7]++;
				cells++;
			}
	printf("%zu sheet(s), %zu cells:", b->nsheets, cells);
	for (int t = 0; t < 8; t++)
		if (count[t])
			printf(" type %d: %zu", t, count[t]);
	printf("\n");
	rd_book_free(b);
	ms_diags_free(&d);
	return 0;
}
