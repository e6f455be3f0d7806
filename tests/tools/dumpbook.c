/* dumpbook — print what the readers see in an XLSX or CSV file (debugging). */
#include <stdio.h>
#include <string.h>

#include "read/csv.h"
#include "read/xlsx.h"

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		ms_diags d;
		ms_diags_init(&d);
		size_t n = strlen(argv[i]);
		rd_book *b = n > 4 && !strcmp(argv[i] + n - 4, ".csv")
		                 ? csv_read(argv[i], NULL, &d)
		                 : xlsx_read(argv[i], NULL, &d);
		for (size_t k = 0; k < d.n; k++)
			printf("%s: %s\n", d.v[k].where, d.v[k].msg);
		for (size_t s = 0; b && s < b->nsheets; s++) {
			const rd_sheet *sh = &b->sheets[s];
			printf("sheet '%s'%s rows=%zu maxcol=%d\n", sh->name,
			       sh->hidden ? " hidden" : "", sh->nrows, sh->max_col);
			for (size_t r = 0; r < sh->nrows && r < 4; r++)
				for (size_t c = 0; c < sh->rows[r].n; c++) {
					const rd_cell *cl = &sh->rows[r].cells[c];
					printf("  r%d c%d line%d t%d num=%g day=%d text=%.40s\n",
					       cl->row, cl->col, sh->rows[r].line, cl->type,
					       cl->num, cl->day, cl->text ? cl->text : "");
				}
		}
		rd_book_free(b);
		ms_diags_free(&d);
	}
	return 0;
}
