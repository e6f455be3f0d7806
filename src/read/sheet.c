/* sheet.c — rd_book storage, lookups and dates (see sheet.h, sheetb.h). */
#include "../util/hugemap.h"
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "sheetb.h"

rd_limits rd_limits_default(void)
{
	rd_limits l = {
	    .max_entries = 10000,
	    .max_entry_bytes = (size_t)256 << 20,
	    .max_total_bytes = (size_t)256 << 20,
	    .max_cell_bytes = (size_t)8 << 20,
	    .max_cols = 16384,
	    .max_rows = 1048576,
	    .max_cells = 5000000,
	    .sst_thread_bytes = (size_t)256 << 10,
	    .par_sheet_bytes = (size_t)256 << 10,
	    .split_sheet_bytes = (size_t)1 << 20,
	};
	return l;
}

rd_book *rd_book_new(const char *path)
{
	rd_book *b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	b->arena = ms_arena_new();
	if (!b->arena) {
		free(b);
		return NULL;
	}
	b->path = ms_arena_strdup(b->arena, path);
	return b;
}

ms_arena *rd_book_arena(rd_book *b)
{
	return b->arena;
}

int rd_book_adopt_arena(rd_book *b, ms_arena *a)
{
	void **v = realloc(b->arenas, (b->narenas + 1) * sizeof *v);
	if (!v)
		return -1;
	b->arenas = v;
	b->arenas[b->narenas++] = a;
	return 0;
}

static void unmap_or_free(void *p, size_t map_len)
{
	if (map_len)
		ms_unmap(p, map_len);
	else
		free(p);
}

void rd_book_adopt_block(rd_book *b, void *p, size_t map_len)
{
	unmap_or_free(b->block, b->block_map); /* at most one is ever held */
	b->block = p;
	b->block_map = map_len;
}

void rd_book_free(rd_book *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->nsheets; i++)
		unmap_or_free(b->sheets[i].block, b->sheets[i].block_map);
	free(b->sheets);
	ms_arena_free(b->arena);
	for (size_t i = 0; i < b->narenas; i++)
		ms_arena_free(b->arenas[i]);
	free(b->arenas);
	unmap_or_free(b->block, b->block_map);
	free(b);
}

void rd_sheetb_begin(rd_sheetb *sb, rd_book *b, const char *name, int hidden)
{
	memset(sb, 0, sizeof *sb);
	sb->book = b;
	sb->arena = b->arena;
	sb->name = ms_arena_strdup(b->arena, name);
	sb->hidden = hidden;
}

void rd_sheetb_hint(rd_sheetb *sb, size_t ncells)
{
	sb->hint = ncells;
}

/* Big blocks (a big sheet's cells, its shared strings' text) are mapped
 * on their own, aligned to 2 MB and marked for transparent huge pages:
 * fresh memory otherwise costs a page fault per 4 KB page, and writing
 * and reading them again was much of a big read's time (DECISIONS.md).
 * A block is reserved at the size its reader guessed (pages never written
 * cost nothing), and copied to a larger one when that was too small. */
void *rd_map_block(size_t bytes, size_t *len)
{
	return ms_map_huge(bytes, len);
}

void rd_unmap_block(void *p, size_t len)
{
	ms_unmap(p, len);
}

static int grow_mapped(rd_sheetb *sb, size_t want)
{
	size_t bytes = want * sizeof *sb->cells, len;
	if (sb->hint > want && sb->hint < ((size_t)-1) / 4 / sizeof *sb->cells)
		bytes = sb->hint * sizeof *sb->cells;
	rd_cell *a = rd_map_block(bytes, &len);
	if (!a && bytes > want * sizeof *sb->cells) /* strict overcommit: no more than needed */
		a = rd_map_block(want * sizeof *sb->cells, &len);
	if (!a)
		return -1;
	if (sb->n)
		memcpy(a, sb->cells, sb->n * sizeof *sb->cells);
	unmap_or_free(sb->cells, sb->map_len);
	sb->cells = a;
	sb->map_len = len;
	sb->cap = len / sizeof *sb->cells;
	return 0;
}

static int push_rowat(rd_sheetb *sb, size_t i, int row)
{
	if (sb->nrowat == sb->caprowat) {
		size_t cap = sb->caprowat ? sb->caprowat * 2 : 256;
		struct rd_rowat *v = realloc(sb->rowat, cap * sizeof *v);
		if (!v)
			return -1;
		sb->rowat = v;
		sb->caprowat = cap;
	}
	sb->rowat[sb->nrowat].at = i;
	sb->rowat[sb->nrowat++].row = row;
	return 0;
}

int rd_sheetb_add(rd_sheetb *sb, const rd_cell *c, int copy)
{
	if (sb->n == sb->cap) {
		size_t cap = sb->cap ? sb->cap * 2 : 256;
		int mapped = (sb->map_len || cap * sizeof *sb->cells >= MS_HUGE_PAGE) &&
		             grow_mapped(sb, cap) == 0;
		if (!mapped && sb->map_len) {
			return -1;
		} else if (!mapped) { /* small, or no mapping to be had: the heap */
			rd_cell *v = realloc(sb->cells, cap * sizeof *v);
			if (!v)
				return -1;
			sb->cells = v;
			sb->cap = cap;
		}
	}
	if (!sb->reindex) {
		if (!sb->n || c->row > sb->last_row) {
			if (push_rowat(sb, sb->n, c->row) < 0)
				return -1;
		} else if (c->row < sb->last_row || c->col <= sb->last_col) {
			sb->reindex = 1; /* out of order: sorted at the end */
		}
		sb->last_row = c->row;
		sb->last_col = c->col;
		if (c->col > sb->max_col)
			sb->max_col = c->col;
	}
	rd_cell *d = &sb->cells[sb->n++];
	*d = *c;
	if (c->text && copy) {
		d->text = ms_arena_strndup(sb->arena, c->text, c->len);
		if (!d->text)
			return -1;
	}
	return 0;
}

void rd_sheetb_changed(rd_sheetb *sb)
{
	sb->reindex = 1;
}

int rd_sheetb_line(rd_sheetb *sb, int row, int line)
{
	if (row < 1)
		return 0;
	while (sb->nlines < (size_t)row) {
		if (sb->nlines == sb->caplines) {
			size_t cap = sb->caplines ? sb->caplines * 2 : 256;
			int *v = realloc(sb->lines, cap * sizeof *v);
			if (!v)
				return -1;
			sb->lines = v;
			sb->caplines = cap;
		}
		sb->lines[sb->nlines++] = 0;
	}
	sb->lines[row - 1] = line;
	return 0;
}

static int cell_cmp(const void *a, const void *b)
{
	const rd_cell *x = a, *y = b;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return (x->col > y->col) - (x->col < y->col);
}

static int is_sorted(const rd_cell *c, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (cell_cmp(&c[i - 1], &c[i]) >= 0)
			return 0;
	return 1;
}

int rd_sheetb_end(rd_sheetb *sb)
{
	rd_book *b = sb->book;
	ms_arena *a = b->arena;
	int sorted = !sb->reindex;
	if (!sorted && sb->n > 1 && !is_sorted(sb->cells, sb->n)) {
		qsort(sb->cells, sb->n, sizeof *sb->cells, cell_cmp);
		/* A cell written twice keeps its last value: drop earlier twins. */
		size_t w = 0;
		for (size_t i = 0; i < sb->n; i++) {
			if (w && cell_cmp(&sb->cells[w - 1], &sb->cells[i]) == 0)
				w--;
			sb->cells[w++] = sb->cells[i];
		}
		sb->n = w;
	}
	size_t nrows = 0;
	if (sorted)
		nrows = sb->nrowat;
	else
		for (size_t i = 0; i < sb->n; i++)
			if (i == 0 || sb->cells[i].row != sb->cells[i - 1].row)
				nrows++;
	rd_sheet s = {0};
	s.name = sb->name;
	s.hidden = sb->hidden;
	s.rows = nrows ? ms_arena_alloc(a, nrows * sizeof *s.rows) : NULL;
	rd_sheet *v = realloc(b->sheets, (b->nsheets + 1) * sizeof *v);
	if (v)
		b->sheets = v; /* before any failure: the old block may be gone */
	if ((nrows && !s.rows) || !v) {
		rd_sheetb_discard(sb);
		return -1;
	}
	/* The sheet keeps the builder's array, trimmed, rather than a copy:
	 * a 200,000-cell register would otherwise touch 8 MB more. */
	rd_cell *all = NULL;
	if (sb->map_len) {
		all = sb->cells;
		s.block_map = sb->map_len;
	} else if (sb->n) {
		all = realloc(sb->cells, sb->n * sizeof *all);
		if (!all)
			all = sb->cells; /* trimming failed: keep the larger block */
	} else {
		free(sb->cells);
	}
	sb->cells = NULL;
	sb->map_len = 0;
	s.block = all;
	if (sorted) { /* the rows from the index: the cells are not touched */
		for (size_t i = 0; i < nrows; i++) {
			rd_row *r = &s.rows[i];
			size_t at = sb->rowat[i].at;
			r->row = sb->rowat[i].row;
			r->cells = &all[at];
			r->n = (i + 1 < nrows ? sb->rowat[i + 1].at : sb->n) - at;
			if (sb->lines && (size_t)r->row <= sb->nlines)
				r->line = sb->lines[r->row - 1];
		}
		s.nrows = nrows;
		s.max_col = sb->max_col;
	}
	for (size_t i = 0; !sorted && i < sb->n; i++) {
		if (i == 0 || all[i].row != all[i - 1].row) {
			rd_row *r = &s.rows[s.nrows++];
			r->row = all[i].row;
			r->cells = &all[i];
			if (sb->lines && (size_t)r->row <= sb->nlines)
				r->line = sb->lines[r->row - 1];
		}
		s.rows[s.nrows - 1].n++;
		if (all[i].col > s.max_col)
			s.max_col = all[i].col;
	}
	b->sheets[b->nsheets++] = s;
	rd_sheetb_discard(sb);
	return 0;
}

void rd_sheetb_discard(rd_sheetb *sb)
{
	unmap_or_free(sb->cells, sb->map_len);
	sb->map_len = 0;
	free(sb->lines);
	free(sb->rowat);
	sb->cells = NULL;
	sb->lines = NULL;
	sb->rowat = NULL;
	sb->n = sb->cap = sb->nlines = sb->caplines = sb->nrowat = sb->caprowat = 0;
}

const rd_row *rd_sheet_row(const rd_sheet *s, int row)
{
	size_t lo = 0, hi = s->nrows;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->rows[mid].row < row)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->nrows && s->rows[lo].row == row ? &s->rows[lo] : NULL;
}

const rd_cell *rd_sheet_cell(const rd_sheet *s, int row, int col)
{
	const rd_row *r = rd_sheet_row(s, row);
	if (!r)
		return NULL;
	size_t lo = 0, hi = r->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (r->cells[mid].col < col)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->n && r->cells[lo].col == col ? &r->cells[lo] : NULL;
}

const rd_sheet *rd_book_sheet(const rd_book *b, const char *name)
{
	for (size_t i = 0; i < b->nsheets; i++)
		if (strcasecmp(b->sheets[i].name, name) == 0)
			return &b->sheets[i];
	return NULL;
}

ms_pos rd_cell_pos(const rd_book *b, const rd_sheet *s, int row, int col)
{
	if (b->is_csv) {
		const rd_row *r = rd_sheet_row(s, row);
		return ms_pos_line(b->path, r && r->line ? r->line : row);
	}
	return ms_pos_cell(b->path, s->name, row, col);
}
