/* xw.c — XLSX helpers over libxlsxwriter (see xw.h).
 *
 * libxlsxwriter prints numbers with %.16G: mspdoc never changes LC_NUMERIC
 * from "C", so decimal points stay points. */
#define _GNU_SOURCE /* RTLD_NEXT */
#include "xw.h"

#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libdeflate.h>
#include <zip.h> /* minizip's */

#include "../model/value.h"
#include "../util/buf.h"
#include "../util/job.h"

/* libxlsxwriter deflates every part at zlib's default level (6), through
 * minizip, with no option for another. These definitions, which
 * libxlsxwriter reaches through the PLT (ELF symbol interposition, as for
 * libharu's in pdf/haru.c), open each part it deflates raw instead, gather its
 * bytes, and at the close deflate them whole with libdeflate at level 1,
 * handing minizip the result with its CRC and size (zipCloseFileInZipRaw64).
 * On the 2,000-entry digest (an 11 MB Matches sheet) that is 0.15 G
 * instructions instead of zlib level 1's 0.36 G, and level 6's 1 G. The
 * zip says level 1 (general-purpose bits 1 and 2), as minizip marks it.
 * Stored parts and parts opened raw by their caller pass through as they
 * came. minizip calls these functions through the PLT itself, so its own
 * are found with RTLD_NEXT. A part is written by one thread from open to
 * close, so the part being gathered is the thread's (`part`). */
#define XW_DEFLATE_LEVEL 1

typedef int (*zip_open_fn)(zipFile, const char *, const zip_fileinfo *, const void *, uInt,
                           const void *, uInt, const char *, int, int, int, int, int, int,
                           const char *, uLong, uLong, uLong, int);
typedef int (*zip_write_fn)(zipFile, const void *, unsigned);
typedef int (*zip_close_fn)(zipFile);

static struct {
	zip_open_fn open;
	zip_write_fn write;
	zip_close_fn close;
} real;
static pthread_once_t real_once = PTHREAD_ONCE_INIT;

static void find_real(void)
{
	void *o = dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64"),
	     *w = dlsym(RTLD_NEXT, "zipWriteInFileInZip"),
	     *c = dlsym(RTLD_NEXT, "zipCloseFileInZip");
	if (o && w && c) {
		memcpy(&real.open, &o, sizeof o);
		memcpy(&real.write, &w, sizeof w);
		memcpy(&real.close, &c, sizeof c);
	}
}

static _Thread_local struct {
	zipFile file; /* NULL: no part of ours open on this thread */
	unsigned char *buf;
	size_t n, cap;
	int failed; /* out of memory while gathering */
} part;

int zipOpenNewFileInZip4_64(zipFile file, const char *filename, const zip_fileinfo *zipfi,
                            const void *extrafield_local, uInt size_extrafield_local,
                            const void *extrafield_global, uInt size_extrafield_global,
                            const char *comment, int method, int level, int raw, int windowBits,
                            int memLevel, int strategy, const char *password, uLong crcForCrypting,
                            uLong versionMadeBy, uLong flagBase, int zip64)
{
	pthread_once(&real_once, find_real);
	if (!real.open)
		return ZIP_INTERNALERROR;
	int ours = method == Z_DEFLATED && !raw && !password;
	if (ours && part.file) { /* a part left open on an error path: dropped */
		free(part.buf);
		part.buf = NULL;
		part.cap = 0;
		part.file = NULL;
	}
	if (ours)
		level = XW_DEFLATE_LEVEL;
	int rc = real.open(file, filename, zipfi, extrafield_local, size_extrafield_local,
	                   extrafield_global, size_extrafield_global, comment, method, level,
	                   raw || ours, windowBits, memLevel, strategy, password, crcForCrypting,
	                   versionMadeBy, flagBase, zip64);
	if (rc == ZIP_OK && ours) {
		part.file = file;
		part.n = 0;
		part.failed = 0;
	}
	return rc;
}

int zipWriteInFileInZip(zipFile file, const void *buf, unsigned len)
{
	pthread_once(&real_once, find_real);
	if (!real.write)
		return ZIP_INTERNALERROR;
	if (!file || file != part.file)
		return real.write(file, buf, len);
	if (part.failed)
		return ZIP_INTERNALERROR;
	if (part.cap - part.n < len) {
		size_t cap = part.cap ? part.cap : 65536;
		while (cap - part.n < len)
			cap *= 2;
		unsigned char *b = realloc(part.buf, cap);
		if (!b) {
			part.failed = 1;
			return ZIP_INTERNALERROR;
		}
		part.buf = b;
		part.cap = cap;
	}
	memcpy(part.buf + part.n, buf, len);
	part.n += len;
	return ZIP_OK;
}

int zipCloseFileInZip(zipFile file)
{
	pthread_once(&real_once, find_real);
	if (!real.close)
		return ZIP_INTERNALERROR;
	if (!file || file != part.file)
		return real.close(file);
	int rc = part.failed ? ZIP_INTERNALERROR : ZIP_OK;
	struct libdeflate_compressor *c =
	    rc == ZIP_OK ? libdeflate_alloc_compressor(XW_DEFLATE_LEVEL) : NULL;
	size_t bound = c ? libdeflate_deflate_compress_bound(c, part.n) : 0;
	unsigned char *out = c ? malloc(bound) : NULL;
	size_t got = out ? libdeflate_deflate_compress(c, part.buf, part.n, out, bound) : 0;
	if (!got && part.n)
		rc = ZIP_INTERNALERROR;
	if (rc == ZIP_OK && got)
		rc = real.write(file, out, (unsigned)got);
	uLong crc = (uLong)libdeflate_crc32(0, part.buf, part.n);
	/* closed even after a failure, so that minizip is left consistent */
	int closed = zipCloseFileInZipRaw64(file, (ZPOS64_T)part.n, crc);
	libdeflate_free_compressor(c);
	free(out);
	free(part.buf);
	part.buf = NULL;
	part.n = part.cap = 0;
	part.file = NULL;
	return rc == ZIP_OK ? closed : rc;
}

/* libxlsxwriter names every cell it writes ("B7") with this function of its
 * utility.h, through snprintf: 0.15 G instructions for the digest's 160,000
 * cells. The same contract, without it (row and col from 0; cell_name has
 * room for LXW_MAX_CELL_NAME_LENGTH bytes); found first through the PLT, as
 * above. tests/unit/test_xlsx.c holds it to libxlsxwriter's own. */
void lxw_rowcol_to_cell(char *cell_name, lxw_row_t row, lxw_col_t col)
{
	char tmp[16], *end = tmp + sizeof tmp, *p = end; /* written backwards */
	unsigned long r = (unsigned long)row + 1;
	do {
		*--p = (char)('0' + r % 10);
		r /= 10;
	} while (r);
	for (unsigned long c = (unsigned long)col + 1; c; c = (c - 1) / 26)
		*--p = (char)('A' + (c - 1) % 26);
	size_t n = (size_t)(end - p);
	memcpy(cell_name, p, n);
	cell_name[n] = 0;
}

#define MAX_SHEETS 32
#define MAX_COLS 64
#define MAX_FILLS 16

/* A cell of a streamed sheet's row being gathered (see "Streamed sheets"). */
typedef struct xw_cell {
	lxw_format *format;
	size_t off, len; /* its value in the sheet's `text`, escaped */
	char kind;       /* 0: none, 's': text, 'n': number, 'b': blank,
	                    'i': a shared string's index */
} xw_cell;

struct xw_sheet {
	struct xw_book *book;
	lxw_worksheet *ws;
	int ncols, first_row, last_row;
	double width[MAX_COLS], cap[MAX_COLS];
	/* streamed sheets only */
	int stream;
	int share;   /* text in the shared strings (xw_share_strings) */
	int started; /* libxlsxwriter's own rows (banner, header) are out */
	long row;    /* the row being gathered, -1: none */
	xw_cell cells[MAX_COLS];
	ms_buf text; /* the row's values */
	ms_buf out;  /* rows not yet in libxlsxwriter's file */
};

struct xw_book {
	lxw_workbook *wb;
	char *path, *tmp;
	xw_sheet sheets[MAX_SHEETS];
	int nsheets;
	lxw_format *bold, *header, *date, *number, *integer, *percent, *wrap, *banner;
	char title[256], subject[256];
	lxw_format *fills[MAX_FILLS];
	char fill_keys[MAX_FILLS][8];
	int nfills;
	int written; /* workbook_close done: only the temporary file remains */
	/* the first cell libxlsxwriter refused (none should be): xw_write
	 * then fails rather than leave a cell out */
	lxw_error lost;
	char lost_where[48];
	struct xw_book *next_open; /* this thread's open books (see st_find) */
	struct xw_str *strs;       /* the shared strings of streamed sheets */
	size_t nstrs, capstrs;
};

static _Thread_local xw_book *open_books;

/* The created date: SOURCE_DATE_EPOCH when set, so files are reproducible. */
static time_t created_time(void)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	return e && *e ? (time_t)strtoll(e, NULL, 10) : time(NULL);
}

xw_book *xw_open(const char *path, ms_diags *d)
{
	xw_book *b = calloc(1, sizeof *b);
	if (!b)
		goto oom;
	b->path = ms_strdup(path);
	/* libxlsxwriter writes the file itself: reserve a unique name beside
	 * the target, then let it overwrite that name. */
	b->tmp = ms_printf("%s.tmp.XXXXXX", path);
	int fd = b->tmp ? mkstemp(b->tmp) : -1;
	if (fd < 0) {
		ms_pos p = ms_pos_file(path);
		ms_diag_add(d, MS_ENV, &p,
		            "cannot write here (%s): check the folder exists and is writable",
		            strerror(errno));
		free(b->path);
		free(b->tmp);
		free(b);
		return NULL;
	}
	fchmod(fd, 0644); /* mkstemp makes 0600; libxlsxwriter reuses the file */
	close(fd);
	lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = NULL};
	b->wb = workbook_new_opt(b->tmp, &opt);
	if (!b->wb) {
		unlink(b->tmp);
		free(b->path);
		free(b->tmp);
		free(b);
		goto oom;
	}
	b->bold = workbook_add_format(b->wb);
	format_set_bold(b->bold);
	b->header = workbook_add_format(b->wb);
	format_set_bold(b->header);
	format_set_bottom(b->header, LXW_BORDER_THIN);
	format_set_bg_color(b->header, 0xDCE6F0);
	format_set_text_wrap(b->header);
	format_set_align(b->header, LXW_ALIGN_VERTICAL_TOP);
	b->date = workbook_add_format(b->wb);
	format_set_num_format(b->date, "yyyy-mm-dd");
	format_set_align(b->date, LXW_ALIGN_VERTICAL_TOP);
	b->number = workbook_add_format(b->wb);
	format_set_num_format(b->number, "#,##0.##");
	format_set_align(b->number, LXW_ALIGN_VERTICAL_TOP);
	b->integer = workbook_add_format(b->wb);
	format_set_num_format(b->integer, "#,##0");
	format_set_align(b->integer, LXW_ALIGN_VERTICAL_TOP);
	b->percent = workbook_add_format(b->wb);
	format_set_num_format(b->percent, "0.0%");
	format_set_align(b->percent, LXW_ALIGN_VERTICAL_TOP);
	b->wrap = workbook_add_format(b->wb);
	format_set_text_wrap(b->wrap);
	format_set_align(b->wrap, LXW_ALIGN_VERTICAL_TOP);
	b->banner = workbook_add_format(b->wb);
	format_set_bold(b->banner);
	format_set_font_color(b->banner, 0x9C0006);
	format_set_bg_color(b->banner, 0xFFC7CE);
	b->next_open = open_books;
	open_books = b;
	return b;
oom:
	ms_diag_add(d, MS_ENV, NULL, "out of memory");
	return NULL;
}

lxw_workbook *xw_workbook(xw_book *b)
{
	return b->wb;
}

lxw_format *xw_bold(xw_book *b)
{
	return b->bold;
}

void xw_set_properties(xw_book *b, const char *title, const char *subject)
{
	snprintf(b->title, sizeof b->title, "%s", title ? title : "");
	snprintf(b->subject, sizeof b->subject, "%s", subject ? subject : "");
}

/* Properties are set once, at close: libxlsxwriter 1.1.4 leaks the strings
 * of an earlier workbook_set_properties call when it is called again. */
static void set_properties(xw_book *b)
{
	lxw_doc_properties props;
	memset(&props, 0, sizeof props);
	static char author[] = "mspdoc", comments[] = "Written by mspdoc";
	props.created = created_time();
	props.title = b->title[0] ? b->title : NULL;
	props.subject = b->subject[0] ? b->subject : NULL;
	props.author = author;
	props.comments = comments;
	workbook_set_properties(b->wb, &props);
}

/* Sheet names: <= 31 characters, none of []:*?/\ (Excel's rules). */
static void sheet_name(const char *in, char *out)
{
	size_t n = 0;
	for (const char *p = in; *p && n < 31; p++)
		out[n++] = strchr("[]:*?/\\", *p) ? '-' : *p;
	out[n] = 0;
}

static double display_width(const char *s)
{
	/* code points, widest line */
	double w = 0, line = 0;
	for (; *s; s++) {
		if (*s == '\n') {
			if (line > w)
				w = line;
			line = 0;
		} else if (((unsigned char)*s & 0xC0) != 0x80) {
			line++;
		}
	}
	return line > w ? line : w;
}

static void widen(xw_sheet *s, int col, double w)
{
	if (col >= 0 && col < MAX_COLS && w > s->width[col])
		s->width[col] = w;
}

/* After a cell's write: the sheet's last row, and a refused cell kept. */
static void done(xw_sheet *s, int row, int col, lxw_error e)
{
	if (row > s->last_row)
		s->last_row = row;
	xw_book *b = s->book;
	if (e != LXW_NO_ERROR && b->lost == LXW_NO_ERROR) {
		char cell[16];
		lxw_rowcol_to_cell(cell, (lxw_row_t)row, (lxw_col_t)col);
		snprintf(b->lost_where, sizeof b->lost_where, "%.31s!%s", s->ws->name, cell);
		b->lost = e;
	}
}

/* The characters of a number as "#,##0" shows it, and decimals more. */
static double number_chars(double v, int decimals)
{
	double a = fabs(v);
	int digits = 1;
	while (a >= 10 && digits < 308) {
		a /= 10;
		digits++;
	}
	return digits + (digits - 1) / 3 + (v < 0) + (decimals ? decimals + 1 : 0);
}

static xw_book *book_of(xw_sheet *s)
{
	return s->book;
}

xw_sheet *xw_add_sheet(xw_book *b, const char *name, const char *const *headers, int ncols,
                       const char *banner)
{
	if (b->nsheets >= MAX_SHEETS)
		return NULL;
	char nm[32];
	sheet_name(name, nm);
	xw_sheet *s = &b->sheets[b->nsheets++];
	memset(s, 0, sizeof *s);
	s->book = b;
	s->ws = workbook_add_worksheet(b->wb, nm);
	s->ncols = ncols < MAX_COLS ? ncols : MAX_COLS;
	int row = 0;
	if (banner) {
		if (ncols > 1)
			done(s, 0, 0,
			     worksheet_merge_range(s->ws, 0, 0, 0, (lxw_col_t)(ncols - 1), banner,
			                           b->banner));
		else
			done(s, 0, 0, worksheet_write_string(s->ws, 0, 0, banner, b->banner));
		row = 1;
	}
	for (int c = 0; c < ncols && headers; c++) {
		done(s, row, c,
		     worksheet_write_string(s->ws, (lxw_row_t)row, (lxw_col_t)c, headers[c],
		                            b->header));
		widen(s, c, display_width(headers[c]) + 2);
	}
	s->first_row = headers ? row + 1 : row;
	s->last_row = s->first_row - 1;
	if (headers)
		worksheet_freeze_panes(s->ws, (lxw_row_t)s->first_row, 0);
	return s;
}

xw_sheet *xw_add_stream_sheet(xw_book *b, const char *name, const char *const *headers, int ncols,
                              const char *banner)
{
	/* libxlsxwriter 1.1.4 reads constant_memory when a sheet is added
	 * (workbook_add_worksheet): set for this sheet only, the others keep
	 * their cells for the charts that read them */
	lxw_workbook_options *opt = &b->wb->options;
	opt->constant_memory = LXW_TRUE;
	xw_sheet *s = xw_add_sheet(b, name, headers, ncols, banner);
	opt->constant_memory = LXW_FALSE;
	if (s && s->ws && s->ws->optimize) {
		s->stream = 1;
		s->row = -1;
	}
	return s;
}

lxw_worksheet *xw_ws(xw_sheet *s)
{
	return s->ws;
}

int xw_first_row(const xw_sheet *s)
{
	return s->first_row;
}

/* Streamed sheets ------------------------------------------------------------ */

/* libxlsxwriter's constant_memory mode still makes each cell an object: a
 * calloc, a copy of its text with control characters escaped, another with
 * &, < and > escaped, an fprintf; about 4,000 instructions a cell, 0.6 G
 * for the 2,000-entry digest's 200,000. A streamed sheet's data rows are
 * written here instead, as the same bytes, into the temporary file that
 * libxlsxwriter copies into the sheet when it packs it (optimize_tmpfile):
 * the cells of a row are gathered and written in column order when the
 * next row starts, each cell's style number asked of libxlsxwriter at that
 * moment, as its own flush does, so that the workbook's styles are
 * numbered as before; the last row goes when libxlsxwriter packs the sheet
 * and flushes its own last row (lxw_worksheet_write_single_row, taken
 * over below). The sheet's dimensions are kept as its writes keep them.
 * Banner and header rows are libxlsxwriter's own, flushed before the first
 * data row. */
#define ST_FLUSH (64 << 10)

typedef void (*single_row_fn)(lxw_worksheet *);
static single_row_fn real_single_row;
static pthread_once_t single_once = PTHREAD_ONCE_INIT;

static void find_single_row(void)
{
	void *f = dlsym(RTLD_NEXT, "lxw_worksheet_write_single_row");
	memcpy(&real_single_row, &f, sizeof f);
}

/* libxlsxwriter's flush of its own pending row. */
static void flush_own_row(lxw_worksheet *ws)
{
	pthread_once(&single_once, find_single_row);
	if (real_single_row)
		real_single_row(ws);
}

/* The gathered rows into libxlsxwriter's file; a failed write is kept as a
 * lost cell, so the workbook is not written. */
static void st_drain(xw_sheet *s)
{
	if (s->out.oom || (s->out.len && fwrite(s->out.s, 1, s->out.len, s->ws->optimize_tmpfile) !=
	                                     s->out.len)) {
		xw_book *b = s->book;
		if (b->lost == LXW_NO_ERROR) {
			snprintf(b->lost_where, sizeof b->lost_where, "%.31s (rows)", s->ws->name);
			b->lost = LXW_ERROR_MEMORY_MALLOC_FAILED;
		}
	}
	ms_buf_clear(&s->out);
}

/* Append a literal at q. */
#define ST_PUT(q, lit) (memcpy((q), (lit), sizeof(lit) - 1), (q) += sizeof(lit) - 1)

/* The gathered row, as libxlsxwriter's lxw_worksheet_write_single_row,
 * formatted in one piece: room for the whole row is made first, then each
 * cell's name (its column's letters, then the row's number, shared by all)
 * and value written in place. */
static void st_flush_row(xw_sheet *s)
{
	if (s->row < 0)
		return;
	ms_buf *o = &s->out;
	char num[24];
	size_t nnum = ms_utoa(num, (unsigned long)s->row + 1);
	size_t need = 32 + nnum; /* <row r=""></row> */
	for (int c = 0; c < MAX_COLS; c++)
		if (s->cells[c].kind) /* the longest cell: 2 letters, a style, preserve */
			need += 96 + nnum + s->cells[c].len;
	if (ms_buf_reserve(o, need) == 0) {
		char *q = o->s + o->len;
		ST_PUT(q, "<row r=\"");
		memcpy(q, num, nnum);
		q += nnum;
		ST_PUT(q, "\">");
		for (int c = 0; c < MAX_COLS; c++) {
			xw_cell *x = &s->cells[c];
			if (!x->kind)
				continue;
			ST_PUT(q, "<c r=\"");
			if (c >= 26) /* MAX_COLS: two letters at most */
				*q++ = (char)('A' + c / 26 - 1);
			*q++ = (char)('A' + c % 26);
			memcpy(q, num, nnum);
			q += nnum;
			int32_t style = x->format ? lxw_format_get_xf_index(x->format) : 0;
			if (style) {
				ST_PUT(q, "\" s=\"");
				q += ms_utoa(q, (unsigned long)style);
			}
			const char *v = s->text.s + x->off;
			if (x->kind == 'b') {
				ST_PUT(q, "\"/>");
				x->kind = 0;
				continue;
			}
			if (x->kind == 'n') {
				ST_PUT(q, "\"><v>");
			} else if (x->kind == 'i') {
				ST_PUT(q, "\" t=\"s\"><v>");
			} else if (isspace((unsigned char)v[0]) ||
			           isspace((unsigned char)v[x->len - 1])) {
				/* leading or trailing white space kept, as libxlsxwriter */
				ST_PUT(q, "\" t=\"inlineStr\"><is><t xml:space=\"preserve\">");
			} else {
				ST_PUT(q, "\" t=\"inlineStr\"><is><t>");
			}
			memcpy(q, v, x->len);
			q += x->len;
			if (x->kind == 's')
				ST_PUT(q, "</t></is></c>");
			else
				ST_PUT(q, "</v></c>");
			x->kind = 0;
		}
		ST_PUT(q, "</row>");
		o->len = (size_t)(q - o->s);
		o->s[o->len] = 0;
	} else {
		for (int c = 0; c < MAX_COLS; c++)
			s->cells[c].kind = 0;
	}
	ms_buf_clear(&s->text);
	s->row = -1;
	if (o->oom || o->len >= ST_FLUSH)
		st_drain(s); /* out of memory: the cells are kept as lost */
}

/* Start a cell of a streamed sheet: its row, the dimensions, the slot;
 * NULL and *e set when the cell cannot be written (out of order, beyond
 * the sheet's columns). */
static xw_cell *st_cell(xw_sheet *s, int row, int col, lxw_format *format, lxw_error *e)
{
	lxw_worksheet *ws = s->ws;
	if (row < s->first_row || row >= LXW_ROW_MAX || col < 0 || col >= MAX_COLS ||
	    row < s->row) {
		*e = LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE;
		return NULL;
	}
	if (!s->started) { /* the header row goes out first, as it would */
		flush_own_row(ws);
		s->started = 1;
	}
	if (row > s->row) {
		st_flush_row(s);
		s->row = row;
	}
	if ((lxw_row_t)row < ws->dim_rowmin)
		ws->dim_rowmin = (lxw_row_t)row;
	if ((lxw_row_t)row > ws->dim_rowmax)
		ws->dim_rowmax = (lxw_row_t)row;
	if ((lxw_col_t)col < ws->dim_colmin)
		ws->dim_colmin = (lxw_col_t)col;
	if ((lxw_col_t)col > ws->dim_colmax)
		ws->dim_colmax = (lxw_col_t)col;
	xw_cell *x = &s->cells[col];
	x->kind = 0; /* until its value is in */
	x->format = format;
	x->off = s->text.len;
	return x;
}

/* Text: control characters as _xHHHH_ (tab and line feed kept), then &, <
 * and > as entities: libxlsxwriter's two escapes in one pass. */
static lxw_error st_text(xw_sheet *s, int row, int col, const char *text, lxw_format *format)
{
	lxw_error e = LXW_NO_ERROR;
	xw_cell *x = st_cell(s, row, col, format, &e);
	if (!x)
		return e;
	ms_buf *t = &s->text;
	size_t n = strlen(text);
	if (ms_buf_reserve(t, 7 * n) < 0) /* at most 7 bytes a byte: _x001B_ */
		return LXW_ERROR_MEMORY_MALLOC_FAILED;
	char *q = t->s + t->len;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		unsigned char c = *p;
		if (c > '>' || (c >= 0x20 && c != '&' && c != '<' && c != '>')) {
			*q++ = (char)c;
		} else if (c == '&') {
			memcpy(q, "&amp;", 5);
			q += 5;
		} else if (c == '<' || c == '>') {
			memcpy(q, c == '<' ? "&lt;" : "&gt;", 4);
			q += 4;
		} else if (c == '\t' || c == '\n') {
			*q++ = (char)c;
		} else {
			memcpy(q, "_x00", 4);
			q[4] = "0123456789ABCDEF"[c >> 4];
			q[5] = "0123456789ABCDEF"[c & 15];
			q[6] = '_';
			q += 7;
		}
	}
	*q = 0;
	t->len = (size_t)(q - t->s);
	x->len = t->len - x->off;
	x->kind = 's';
	return LXW_NO_ERROR;
}

/* A blank cell that only has a style. */
static lxw_error st_blank(xw_sheet *s, int row, int col, lxw_format *format)
{
	lxw_error e = LXW_NO_ERROR;
	xw_cell *x = st_cell(s, row, col, format, &e);
	if (x) {
		x->len = 0;
		x->kind = 'b';
	}
	return e;
}

/* A number as libxlsxwriter prints it (%.16G), whole numbers without
 * printf. */
static lxw_error st_number(xw_sheet *s, int row, int col, double v, lxw_format *format)
{
	lxw_error e = LXW_NO_ERROR;
	xw_cell *x = st_cell(s, row, col, format, &e);
	if (!x)
		return e;
	char tmp[40];
	int n;
	if (v == floor(v) && fabs(v) < 1e15 && !(v == 0 && signbit(v))) {
		long long i = (long long)v;
		char *q = tmp;
		if (i < 0)
			*q++ = '-';
		n = (int)(q - tmp) +
		    (int)ms_utoa(q, i < 0 ? 0 - (unsigned long long)i : (unsigned long long)i);
	} else {
		n = snprintf(tmp, sizeof tmp, "%.16G", v);
	}
	if (ms_buf_add(&s->text, tmp, (size_t)n) < 0)
		return LXW_ERROR_MEMORY_MALLOC_FAILED;
	x->len = (size_t)n;
	x->kind = 'n';
	return LXW_NO_ERROR;
}

/* Shared strings ------------------------------------------------------------ */

/* A streamed sheet writes its text inline, as libxlsxwriter's
 * constant_memory mode does: the digest's Matches sheet repeated each
 * entry's reference, title and submitter in every match of it, 9 MB of
 * XML for 20,000 matches, which the workbook thread then deflated. Its
 * text goes to the workbook's shared strings instead (xw_share_strings),
 * as a sheet that is not streamed writes it: each string once, its cells
 * an index. libxlsxwriter's lxw_get_sst_index copies every string it is
 * given before it looks it up, so it is asked once a string; the strings
 * seen are kept here (open addressing, FNV-1a) with their index, display
 * width and whether they hold a line break, and the table's count of uses
 * is kept as libxlsxwriter keeps it. */
typedef struct xw_str {
	const char *s; /* libxlsxwriter's copy; NULL: a free slot */
	uint32_t hash, index;
	double width;
	int newline;
} xw_str;

/* Room for one more string: the table at most half full. */
static int strs_room(xw_book *b)
{
	if (2 * (b->nstrs + 1) <= b->capstrs)
		return 0;
	size_t cap = b->capstrs ? 2 * b->capstrs : 1024;
	xw_str *v = calloc(cap, sizeof *v);
	if (!v)
		return -1;
	for (size_t i = 0; i < b->capstrs; i++)
		if (b->strs[i].s) {
			size_t k = b->strs[i].hash & (cap - 1);
			while (v[k].s)
				k = (k + 1) & (cap - 1);
			v[k] = b->strs[i];
		}
	free(b->strs);
	b->strs = v;
	b->capstrs = cap;
	return 0;
}

/* text's entry, added to the workbook's shared strings on first sight;
 * NULL when out of memory. */
static const xw_str *share(xw_book *b, const char *text)
{
	if (strs_room(b) < 0)
		return NULL;
	uint32_t h = ms_fnv(text, MS_FNV_SEED);
	size_t k = h & (b->capstrs - 1);
	for (; b->strs[k].s; k = (k + 1) & (b->capstrs - 1))
		if (b->strs[k].hash == h && !strcmp(b->strs[k].s, text)) {
			b->wb->sst->string_count++; /* as lxw_get_sst_index counts a use */
			return &b->strs[k];
		}
	struct sst_element *el = lxw_get_sst_index(b->wb->sst, text, LXW_FALSE);
	if (!el)
		return NULL;
	b->strs[k] = (xw_str){el->string, h, el->index, display_width(text), !!strchr(text, '\n')};
	b->nstrs++;
	return &b->strs[k];
}

void xw_share_strings(xw_sheet *s)
{
	if (s && s->stream)
		s->share = 1;
}

/* A text cell of a sharing sheet: the index of its string. */
static lxw_error st_index(xw_sheet *s, int row, int col, uint32_t index, lxw_format *format)
{
	lxw_error e = LXW_NO_ERROR;
	xw_cell *x = st_cell(s, row, col, format, &e);
	if (!x)
		return e;
	char num[24];
	size_t n = ms_utoa(num, index);
	if (ms_buf_add(&s->text, num, n) < 0)
		return LXW_ERROR_MEMORY_MALLOC_FAILED;
	x->len = n;
	x->kind = 'i';
	return LXW_NO_ERROR;
}

/* libxlsxwriter's flush of a sheet's last row when it packs the workbook:
 * a streamed sheet's own rows go first (see above). */
void lxw_worksheet_write_single_row(lxw_worksheet *ws)
{
	for (xw_book *b = open_books; b; b = b->next_open)
		for (int i = 0; i < b->nsheets; i++) {
			xw_sheet *s = &b->sheets[i];
			if (s->ws == ws && s->stream) {
				st_flush_row(s);
				st_drain(s);
			}
		}
	flush_own_row(ws);
}

void xw_text(xw_sheet *s, int row, int col, const char *text)
{
	if (!text || !*text)
		return;
	xw_book *b = book_of(s);
	size_t n = strlen(text);
	char *cut = NULL;
	if (n > 32767 && ms_utf8_len(text, n) > 32767) { /* never fewer bytes than characters */
		/* cut at a character boundary below Excel's limit */
		size_t k = 0, cps = 0;
		while (k < n && cps < 32766) {
			k++;
			while (k < n && ((unsigned char)text[k] & 0xC0) == 0x80)
				k++;
			cps++;
		}
		cut = ms_printf("%.*s…", (int)k, text);
		text = cut;
	}
	/* a shared string's width and line breaks were measured when first seen */
	const xw_str *k = s->share ? share(b, text) : NULL;
	if (s->share && !k) {
		done(s, row, col, LXW_ERROR_MEMORY_MALLOC_FAILED);
		free(cut);
		return;
	}
	double w = k ? k->width : display_width(text);
	double cap = col < MAX_COLS && s->cap[col] > 0 ? s->cap[col] : 60;
	lxw_format *f = (w > cap || (k ? k->newline : strchr(text, '\n') != NULL)) ? b->wrap : NULL;
	lxw_error e = k ? st_index(s, row, col, k->index, f)
	              : s->stream
	                  ? st_text(s, row, col, text, f)
	                  : worksheet_write_string(s->ws, (lxw_row_t)row, (lxw_col_t)col, text, f);
	widen(s, col, w + 2);
	done(s, row, col, e);
	free(cut);
}

static lxw_error put_number(xw_sheet *s, int row, int col, double v, lxw_format *f)
{
	return s->stream ? st_number(s, row, col, v, f)
	                 : worksheet_write_number(s->ws, (lxw_row_t)row, (lxw_col_t)col, v, f);
}

void xw_number(xw_sheet *s, int row, int col, double v)
{
	lxw_error e = put_number(s, row, col, v, book_of(s)->number);
	widen(s, col, number_chars(v, 2) + 2);
	done(s, row, col, e);
}

void xw_integer(xw_sheet *s, int row, int col, double v)
{
	lxw_error e = put_number(s, row, col, v, book_of(s)->integer);
	widen(s, col, number_chars(v, 0) + 2);
	done(s, row, col, e);
}

void xw_percent(xw_sheet *s, int row, int col, double fraction)
{
	lxw_error e = put_number(s, row, col, fraction, book_of(s)->percent);
	widen(s, col, 8);
	done(s, row, col, e);
}

void xw_date(xw_sheet *s, int row, int col, ms_day day)
{
	if (day == MS_NO_DAY)
		return;
	int y, m, d;
	ms_day_to_ymd(day, &y, &m, &d);
	lxw_datetime dt = {y, m, d, 0, 0, 0};
	lxw_error e = s->stream ? st_number(s, row, col,
	                                    lxw_datetime_to_excel_date_epoch(&dt, LXW_EPOCH_1900),
	                                    book_of(s)->date)
	                        : worksheet_write_datetime(s->ws, (lxw_row_t)row, (lxw_col_t)col,
	                                                   &dt, book_of(s)->date);
	widen(s, col, 12);
	done(s, row, col, e);
}

void xw_bool(xw_sheet *s, int row, int col, int v)
{
	xw_text(s, row, col, v ? "yes" : "no");
}

void xw_text_fill(xw_sheet *s, int row, int col, const char *text, const char *fill)
{
	xw_book *b = book_of(s);
	lxw_format *f = NULL;
	for (int i = 0; fill && i < b->nfills; i++)
		if (!strcmp(b->fill_keys[i], fill))
			f = b->fills[i];
	if (fill && !f && b->nfills < MAX_FILLS && fill[0] == '#' && strlen(fill) == 7) {
		f = workbook_add_format(b->wb);
		format_set_bg_color(f, (lxw_color_t)strtol(fill + 1, NULL, 16));
		format_set_align(f, LXW_ALIGN_CENTER);
		snprintf(b->fill_keys[b->nfills], sizeof b->fill_keys[0], "%s", fill);
		b->fills[b->nfills++] = f;
	}
	lxw_error e = !s->stream ? worksheet_write_string(s->ws, (lxw_row_t)row, (lxw_col_t)col,
	                                                  text ? text : "", f)
	              : text && *text ? st_text(s, row, col, text, f)
	              : f             ? st_blank(s, row, col, f)
	                              : LXW_NO_ERROR;
	widen(s, col, display_width(text ? text : "") + 2);
	done(s, row, col, e);
}

void xw_max_width(xw_sheet *s, int col, double chars)
{
	if (col >= 0 && col < MAX_COLS)
		s->cap[col] = chars;
}

static void finish_sheets(xw_book *b)
{
	for (int i = 0; i < b->nsheets; i++) {
		xw_sheet *s = &b->sheets[i];
		for (int c = 0; c < MAX_COLS; c++) {
			if (s->width[c] <= 0)
				continue;
			double cap = s->cap[c] > 0 ? s->cap[c] : 60;
			double w = s->width[c] < 8 ? 8 : s->width[c];
			worksheet_set_column(s->ws, (lxw_col_t)c, (lxw_col_t)c, w > cap ? cap : w,
			                     NULL);
		}
		if (s->ncols > 0 && s->last_row >= s->first_row)
			worksheet_autofilter(s->ws, (lxw_row_t)(s->first_row - 1), 0,
			                     (lxw_row_t)s->last_row, (lxw_col_t)(s->ncols - 1));
	}
}

static void book_free(xw_book *b)
{
	for (xw_book **p = &open_books; *p; p = &(*p)->next_open)
		if (*p == b) {
			*p = b->next_open;
			break;
		}
	for (int i = 0; i < b->nsheets; i++) {
		ms_buf_free(&b->sheets[i].text);
		ms_buf_free(&b->sheets[i].out);
	}
	free(b->strs);
	free(b->path);
	free(b->tmp);
	free(b);
}

int xw_write(xw_book *b, ms_diags *d)
{
	if (b->lost != LXW_NO_ERROR) {
		ms_pos p = ms_pos_file(b->path);
		ms_diag_add(d, MS_ENV, &p,
		            "the workbook is not written: cell %s could not be filled (%s); please "
		            "report this to the mspdoc maintainers",
		            b->lost_where, lxw_strerror(b->lost));
		xw_abort(b);
		return -1;
	}
	finish_sheets(b);
	set_properties(b);
	lxw_error e = workbook_close(b->wb);
	b->written = 1;
	if (e == LXW_NO_ERROR && b->lost != LXW_NO_ERROR) {
		/* a streamed sheet's last rows failed when the workbook was packed */
		ms_pos p = ms_pos_file(b->path);
		ms_diag_add(
		    d, MS_ENV, &p,
		    "the workbook is not written: the rows of sheet %s could not be written "
		    "(out of memory or disk space)",
		    b->lost_where);
		xw_abort(b);
		return -1;
	}
	if (e != LXW_NO_ERROR) {
		ms_pos p = ms_pos_file(b->path);
		ms_diag_add(d, MS_ENV, &p,
		            "cannot write the workbook (%s): check free disk space and permissions",
		            lxw_strerror(e));
		xw_abort(b);
		return -1;
	}
	return 0;
}

int xw_commit(xw_book *b, ms_diags *d)
{
	if (ms_replace(b->tmp, b->path) < 0) {
		ms_pos p = ms_pos_file(b->path);
		ms_diag_add(d, MS_ENV, &p, "cannot write the workbook (%s)", strerror(errno));
		xw_abort(b);
		return -1;
	}
	book_free(b);
	return 0;
}

int xw_close(xw_book *b, ms_diags *d)
{
	return xw_write(b, d) < 0 ? -1 : xw_commit(b, d);
}

void xw_abort(xw_book *b)
{
	if (!b)
		return;
	if (!b->written)
		workbook_close(b->wb);
	unlink(b->tmp);
	book_free(b);
}
