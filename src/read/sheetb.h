/* sheetb.h — private to read/: building an rd_book cell by cell. The XLSX
 * and CSV readers append cells in any order; rd_sheetb_end sorts them into
 * rows. Limits are checked by the readers. */
#ifndef RD_SHEETB_H
#define RD_SHEETB_H

#include "../util/arena.h"
#include "sheet.h"

typedef struct rd_sheetb {
	rd_book *book;
	ms_arena *arena; /* where copied text goes: the book's, or (a sheet read
	                    on another thread) one the book adopts */
	rd_cell *cells;  /* malloc'd while building, or mapped (map_len) */
	size_t n, cap;
	size_t map_len; /* bytes mapped at cells, or 0 when they are malloc'd */
	size_t hint;    /* cells the sheet may have, as its reader guesses */
	int *lines;     /* CSV: line of each record (index row-1) */
	size_t nlines, caplines;
	/* While cells come in order (always, from the XLSX reader), where
	 * each row starts: rd_sheetb_end then needs no pass over the cells. */
	struct rd_rowat {
		size_t at; /* index of the row's first cell */
		int row;
	} * rowat;
	size_t nrowat, caprowat;
	int last_row, last_col, max_col;
	int reindex; /* out of order, or cells removed: sort and index at the end */
	const char *name;
	int hidden;
} rd_sheetb;

rd_book *rd_book_new(const char *path); /* NULL on OOM */
ms_arena *rd_book_arena(rd_book *b);
/* The book takes another arena and frees it with itself; -1 on OOM (then
 * the caller still owns it). */
int rd_book_adopt_arena(rd_book *b, ms_arena *a);
/* The book takes a block (at most one), malloc'd or (map_len bytes)
 * from rd_map_block, and frees it with itself. */
void rd_book_adopt_block(rd_book *b, void *p, size_t map_len);
/* A block of at least `bytes` for a big reader's array, mapped, aligned
 * for huge pages; NULL on failure. *len: the bytes mapped, for
 * rd_unmap_block (NULL-safe). */
void *rd_map_block(size_t bytes, size_t *len);
void rd_unmap_block(void *p, size_t len);
void rd_sheetb_begin(rd_sheetb *sb, rd_book *b, const char *name, int hidden);
/* How many cells the sheet may hold (untrusted: only where it grows). */
void rd_sheetb_hint(rd_sheetb *sb, size_t ncells);
/* Append a cell; text is copied into the book's arena unless `copy` is 0
 * (the text already lives in the arena: shared strings). -1 on OOM. */
int rd_sheetb_add(rd_sheetb *sb, const rd_cell *c, int copy);
int rd_sheetb_line(rd_sheetb *sb, int row, int line); /* CSV record line */
/* After cells were removed from sb->cells directly: index them anew at
 * the end. */
void rd_sheetb_changed(rd_sheetb *sb);
/* Sort, group into rows, append the sheet to the book. -1 on OOM. Only
 * rd_sheetb_begin and this use the book: between them, a builder may be
 * filled on another thread. */
int rd_sheetb_end(rd_sheetb *sb);
void rd_sheetb_discard(rd_sheetb *sb);

#endif
