/* sheetb.h — private to read/: building an rd_book cell by cell. The XLSX
 * and CSV readers append cells in any order; rd_sheetb_end sorts them into
 * rows. Limits are checked by the readers. */
#ifndef RD_SHEETB_H
#define RD_SHEETB_H

#include "../util/arena.h"
#include "sheet.h"

typedef struct rd_sheetb {
	rd_book *book;
	rd_cell *cells; /* malloc'd while building */
	size_t n, cap;
	int *lines; /* CSV: line of each record (index row-1) */
	size_t nlines, caplines;
	const char *name;
	int hidden;
} rd_sheetb;

rd_book *rd_book_new(const char *path); /* NULL on OOM */
ms_arena *rd_book_arena(rd_book *b);
/* The book takes a second arena (at most one) and frees it with itself. */
void rd_book_adopt_arena(rd_book *b, ms_arena *a);
void rd_sheetb_begin(rd_sheetb *sb, rd_book *b, const char *name, int hidden);
/* Append a cell; text is copied into the book's arena unless `copy` is 0
 * (the text already lives in the arena: shared strings). -1 on OOM. */
int rd_sheetb_add(rd_sheetb *sb, const rd_cell *c, int copy);
int rd_sheetb_line(rd_sheetb *sb, int row, int line); /* CSV record line */
/* Sort, group into rows, append the sheet to the book. -1 on OOM. */
int rd_sheetb_end(rd_sheetb *sb);
void rd_sheetb_discard(rd_sheetb *sb);

#endif
