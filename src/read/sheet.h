/* sheet.h — the readers' common output: workbooks of sheets of cells.
 *
 * The XLSX reader (xlsx.h) and the CSV reader (csv.h) both produce an
 * `rd_book`. Readers know nothing of form kinds: a cell is text, a number, a
 * boolean, an error or a date, with its row and column. All strings are owned
 * by the book (an arena), valid until rd_book_free.
 */
#ifndef RD_SHEET_H
#define RD_SHEET_H

#include <stddef.h>
#include <stdint.h>

#include "../util/day.h"
#include "../util/diag.h"

typedef enum {
	RD_EMPTY = 0,
	RD_TEXT,   /* shared, inline or formula string; CSV fields are all text */
	RD_NUMBER, /* numeric cell with a non-date format */
	RD_DATE,   /* numeric cell with a date format, or t="d" */
	RD_BOOL,
	RD_ERROR /* #N/A etc.; text holds the error code */
} rd_type;

/* 32 bytes: a big register holds millions, and every byte of them is
 * written once and read again, which is much of a big read's time. */
typedef struct rd_cell {
	int row;           /* 1-based */
	int col : 24;      /* 1-based; readers cap it at max_cols */
	unsigned type : 8; /* an rd_type */
	ms_day day;        /* RD_DATE: the date (time of day dropped) */
	uint32_t len;      /* bytes of text; readers cap it at max_cell_bytes */
	double num;        /* RD_NUMBER, RD_BOOL (0/1), RD_DATE (the raw serial) */
	const char *text;  /* RD_TEXT, RD_ERROR; NULL otherwise. NUL-terminated */
} rd_cell;

typedef struct rd_row {
	int row;        /* 1-based sheet row (CSV: 1-based record number) */
	int line;       /* CSV: the file line where the record starts; 0 in XLSX */
	rd_cell *cells; /* sorted by col, no empty cells */
	size_t n;
} rd_row;

typedef struct rd_sheet {
	const char *name; /* as in the workbook; for CSV the file's base name */
	rd_row *rows;     /* sorted by row; rows with no non-empty cell omitted */
	size_t nrows;
	int max_col;
	int hidden;       /* sheet state hidden/veryHidden */
	void *block;      /* private: the cells, one block freed with the book... */
	size_t block_map; /* ...mapped, of this many bytes, or malloc'd (0) */
} rd_sheet;

typedef struct rd_book {
	const char *path; /* the file, as given */
	rd_sheet *sheets; /* in workbook order */
	size_t nsheets;
	int date1904;
	int is_csv;       /* positions are FILE:LINE, not FILE:SHEET!CELL */
	void *arena;      /* private: owns every string and array... */
	void **arenas;    /* ...but those read on other threads (shared strings, */
	size_t narenas;   /* sheets), each in an arena of its own */
	void *block;      /* private: the shared strings' text, one block... */
	size_t block_map; /* ...mapped, of this many bytes, or malloc'd (0) */
} rd_book;

void rd_book_free(rd_book *b); /* NULL-safe; frees b itself */

/* Lookup: the cell at (row, col) or NULL when empty. O(log n). */
const rd_cell *rd_sheet_cell(const rd_sheet *s, int row, int col);
/* The row with that number, or NULL. */
const rd_row *rd_sheet_row(const rd_sheet *s, int row);
/* Find a sheet by name, case-insensitive; NULL when absent. */
const rd_sheet *rd_book_sheet(const rd_book *b, const char *name);

/* Position of a cell for diagnostics (file from the book). */
ms_pos rd_cell_pos(const rd_book *b, const rd_sheet *s, int row, int col);

/* Reader limits (quality.md). Defaults are documented in README/man page. */
typedef struct rd_limits {
	size_t max_entries;       /* zip entries, default 10000 */
	size_t max_entry_bytes;   /* inflated bytes of one part, default 256 MiB */
	size_t max_total_bytes;   /* declared and inflated bytes of all parts, default 256 MiB */
	size_t max_cell_bytes;    /* default 32767 chars (Excel) -> error, rules 6;
	                             below 4 GiB (rd_cell.len) */
	int max_cols;             /* default 16384 (XFD); below 2^23 (rd_cell.col) */
	int max_rows;             /* default 1048576 */
	size_t max_cells;         /* default 5,000,000 per workbook */
	size_t sst_thread_bytes;  /* shared strings this large are read on a second
	                             thread (XLSX), default 256 KiB */
	size_t par_sheet_bytes;   /* sheets beside the biggest, this large together,
	                             are read on a second thread (XLSX), 256 KiB */
	size_t split_sheet_bytes; /* a sheet this large is read in two halves, on
	                             two threads, and a part this large is
	                             inflated whole (XLSX), default 1 MiB */
} rd_limits;

rd_limits rd_limits_default(void);

#endif
