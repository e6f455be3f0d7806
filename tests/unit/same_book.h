/* same_book.h — two readings of a workbook give the same cells (the unit
 * tests' and the fuzz targets' comparison of a reader's two ways). Both
 * NULL is the same; numbers are compared bit for bit. */
#ifndef T_SAME_BOOK_H
#define T_SAME_BOOK_H

#include <string.h>

#include "read/sheet.h"

static int same_book(const rd_book *x, const rd_book *y)
{
	if (!x || !y)
		return !x && !y;
	if (x->nsheets != y->nsheets)
		return 0;
	for (size_t s = 0; s < x->nsheets; s++) {
		const rd_sheet *a = &x->sheets[s], *b = &y->sheets[s];
		if (a->nrows != b->nrows || a->max_col != b->max_col)
			return 0;
		for (size_t r = 0; r < a->nrows; r++) {
			if (a->rows[r].row != b->rows[r].row || a->rows[r].n != b->rows[r].n)
				return 0;
			for (size_t c = 0; c < a->rows[r].n; c++) {
				const rd_cell *p = &a->rows[r].cells[c], *q = &b->rows[r].cells[c];
				if (p->col != q->col || p->type != q->type ||
				    memcmp(&p->num, &q->num, sizeof p->num) || p->len != q->len ||
				    (p->len && memcmp(p->text, q->text, p->len)))
					return 0;
			}
		}
	}
	return 1;
}

#endif
