/* xw.c — XLSX helpers over libxlsxwriter (see xw.h), through its public
 * API only: its functions are called, never replaced, and its structures
 * are read or written only where its headers document a field (the
 * workbook options, the document properties, a datetime).
 *
 * libxlsxwriter prints numbers with %.16G: mspdoc never changes LC_NUMERIC
 * from "C", so decimal points stay points. */
#include "xw.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../model/value.h"
#include "../util/buf.h"
#include "../util/job.h"

#define MAX_SHEETS 32
#define MAX_COLS 64
#define MAX_FILLS 16

struct xw_sheet {
	struct xw_book *book;
	lxw_worksheet *ws;
	char name[32]; /* as given to libxlsxwriter */
	int ncols, first_row, last_row;
	int stream; /* rows in order only (xw_add_stream_sheet) */
	double width[MAX_COLS], cap[MAX_COLS];
	unsigned char *lines; /* per row: the most lines a wrapped cell needs */
	size_t nlines;
};

struct xw_book {
	lxw_workbook *wb;
	char *path, *tmp;
	xw_sheet sheets[MAX_SHEETS];
	int nsheets;
	lxw_format *bold, *header, *date, *number, *integer, *percent, *wrap, *banner;
	lxw_format *link, *link_wrap; /* e-mail and web links: blue, underlined */
	char title[256], subject[256];
	lxw_format *fills[MAX_FILLS];
	char fill_keys[MAX_FILLS][8];
	int nfills;
	int constant; /* libxlsxwriter's constant-memory mode (xw_add_stream_sheet) */
	int written;  /* workbook_close done: only the temporary file remains */
	/* the first cell libxlsxwriter refused (none should be): xw_write
	 * then fails rather than leave a cell out */
	lxw_error lost;
	char lost_where[96]; /* what failed, as a clause: "cell X!B2 could not be filled" */
};

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
	return b;
oom:
	ms_diag_add(d, MS_ENV, NULL, "out of memory");
	return NULL;
}

/* The libxlsxwriter workbook, made when the first sheet is added (or the
 * workbook is first asked for): in constant-memory mode when that sheet
 * is streamed (see xw.h). NULL when out of memory, kept as a lost cell so
 * that xw_write fails. */
static lxw_workbook *book_wb(xw_book *b, int stream)
{
	if (b->wb || b->lost != LXW_NO_ERROR)
		return b->wb;
	lxw_workbook_options opt = {.constant_memory = stream ? LXW_TRUE : LXW_FALSE,
	                            .tmpdir = NULL};
	b->wb = workbook_new_opt(b->tmp, &opt);
	if (!b->wb) {
		b->lost = LXW_ERROR_MEMORY_MALLOC_FAILED;
		snprintf(b->lost_where, sizeof b->lost_where, "it could not be started");
		return NULL;
	}
	b->constant = stream;
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
	for (int i = 0; i < 2; i++) {
		lxw_format *f = workbook_add_format(b->wb);
		format_set_font_color(f, 0x0563C1);
		format_set_underline(f, LXW_UNDERLINE_SINGLE);
		format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
		if (i)
			format_set_text_wrap(f);
		*(i ? &b->link_wrap : &b->link) = f;
	}
	return b->wb;
}

lxw_workbook *xw_workbook(xw_book *b)
{
	return book_wb(b, 0);
}

lxw_format *xw_bold(xw_book *b)
{
	book_wb(b, 0);
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

/* Columns a code point takes: two for East Asian wide and full-width
 * characters (CJK, Hangul, full-width forms), one otherwise. */
static int cp_columns(uint32_t c)
{
	return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
	               (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
	               (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
	               (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD)
	           ? 2
	           : 1;
}

/* The width of a line of text, in columns (see cp_columns). */
static double line_width(const char *s, size_t n)
{
	double w = 0;
	for (size_t i = 0; i < n;) {
		if ((unsigned char)s[i] < 0x80) { /* ASCII: one column, no decoding */
			w++;
			i++;
			continue;
		}
		uint32_t c;
		i += (size_t)ms_utf8_decode(s + i, n - i, &c);
		w += cp_columns(c);
	}
	return w;
}

/* The widest line of text. */
static double display_width(const char *s)
{
	double w = 0;
	for (;;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		double lw = line_width(s, n);
		if (lw > w)
			w = lw;
		if (!nl)
			return w;
		s = nl + 1;
	}
}

/* The lines text takes in a column `width` characters wide, words wrapped
 * as a spreadsheet wraps them (at spaces; a word wider than the column
 * broken where it overflows). At most 255. */
static int wrapped_lines(const char *s, double width)
{
	if (width < 1)
		width = 1;
	int lines = 1;
	double at = 0; /* columns used on the current line */
	while (*s && lines < 255) {
		if (*s == '\n') {
			lines++;
			at = 0;
			s++;
			continue;
		}
		if (*s == ' ') {
			at++;
			s++;
			continue;
		}
		size_t n = strcspn(s, " \n");
		double w = line_width(s, n);
		if (at > 0 && at + w > width) { /* the word starts a new line */
			lines++;
			at = 0;
		}
		while (w > width && lines < 255) { /* a word wider than the column */
			lines++;
			w -= width;
		}
		at += w;
		s += n;
	}
	return lines;
}

/* Wrapped text in a row: the row made tall enough for its lines (15
 * points a line, libxlsxwriter's default row of Calibri 11), as Excel does
 * not size rows itself when it opens a file (LibreOffice does). Set when
 * the cell is written, while a streamed row can still take it. */
static void fit_row(xw_sheet *s, int row, int lines)
{
	if (lines <= 1 || row < 0)
		return;
	if (lines > 27) /* Excel's tallest row: 409 points */
		lines = 27;
	if ((size_t)row >= s->nlines) {
		size_t n = s->nlines ? s->nlines : 256;
		while (n <= (size_t)row)
			n *= 2;
		unsigned char *v = realloc(s->lines, n);
		if (!v)
			return; /* the row keeps its default height */
		memset(v + s->nlines, 0, n - s->nlines);
		s->lines = v;
		s->nlines = n;
	}
	if (s->lines[row] >= lines)
		return;
	s->lines[row] = (unsigned char)lines;
	worksheet_set_row(s->ws, (lxw_row_t)row, 15.0 * lines, NULL);
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
		snprintf(b->lost_where, sizeof b->lost_where, "cell %.31s!%s could not be filled",
		         s->name, cell);
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

static xw_sheet *add_sheet(xw_book *b, const char *name, const char *const *headers, int ncols,
                           const char *banner, int stream)
{
	char nm[32];
	sheet_name(name, nm);
	lxw_workbook *wb = b->nsheets < MAX_SHEETS ? book_wb(b, stream) : NULL;
	lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, nm) : NULL;
	if (!ws) { /* too many sheets, a name twice, or out of memory */
		if (b->lost == LXW_NO_ERROR) {
			b->lost = LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE;
			snprintf(b->lost_where, sizeof b->lost_where,
			         "sheet %.31s could not be added", nm);
		}
		return NULL;
	}
	xw_sheet *s = &b->sheets[b->nsheets++];
	memset(s, 0, sizeof *s);
	s->book = b;
	s->ws = ws;
	memcpy(s->name, nm, sizeof nm);
	/* every sheet of a constant-memory workbook takes its rows in order */
	s->stream = stream || b->constant;
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

xw_sheet *xw_add_sheet(xw_book *b, const char *name, const char *const *headers, int ncols,
                       const char *banner)
{
	return add_sheet(b, name, headers, ncols, banner, 0);
}

xw_sheet *xw_add_stream_sheet(xw_book *b, const char *name, const char *const *headers, int ncols,
                              const char *banner)
{
	return add_sheet(b, name, headers, ncols, banner, 1);
}

lxw_worksheet *xw_ws(xw_sheet *s)
{
	return s ? s->ws : NULL;
}

int xw_first_row(const xw_sheet *s)
{
	return s ? s->first_row : 0;
}

/* A column's widest width: its cap, 60 characters unless xw_max_width. */
static double col_cap(const xw_sheet *s, int col)
{
	return col >= 0 && col < MAX_COLS && s->cap[col] > 0 ? s->cap[col] : 60;
}

void xw_share_strings(xw_sheet *s)
{
	(void)s; /* every sheet's text is shared (see xw.h) */
}

/* A cell of a streamed sheet in a row before the last one written is
 * refused, as constant-memory mode would refuse it. */
static int out_of_order(xw_sheet *s, int row, lxw_error *e)
{
	if (s->stream && row < s->last_row) {
		*e = LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE;
		return 1;
	}
	return 0;
}

void xw_text(xw_sheet *s, int row, int col, const char *text)
{
	if (!s || !text || !*text)
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
	double w = display_width(text);
	double cap = col_cap(s, col);
	int wrap = w > cap || strchr(text, '\n');
	lxw_error e = LXW_NO_ERROR;
	if (!out_of_order(s, row, &e))
		e = worksheet_write_string(s->ws, (lxw_row_t)row, (lxw_col_t)col, text,
		                           wrap ? b->wrap : NULL);
	if (e == LXW_NO_ERROR && wrap)
		fit_row(s, row, wrapped_lines(text, cap));
	widen(s, col, w + 2);
	done(s, row, col, e);
	free(cut);
}

static lxw_error put_number(xw_sheet *s, int row, int col, double v, lxw_format *f)
{
	lxw_error e = LXW_NO_ERROR;
	return out_of_order(s, row, &e)
	           ? e
	           : worksheet_write_number(s->ws, (lxw_row_t)row, (lxw_col_t)col, v, f);
}

void xw_number(xw_sheet *s, int row, int col, double v)
{
	if (!s)
		return;
	/* a whole number as #,##0: "#,##0.##" would show 95000 as "95,000." */
	int whole = v == floor(v);
	lxw_error e = put_number(s, row, col, v, whole ? book_of(s)->integer : book_of(s)->number);
	widen(s, col, number_chars(v, whole ? 0 : 2) + 2);
	done(s, row, col, e);
}

void xw_integer(xw_sheet *s, int row, int col, double v)
{
	if (!s)
		return;
	lxw_error e = put_number(s, row, col, v, book_of(s)->integer);
	widen(s, col, number_chars(v, 0) + 2);
	done(s, row, col, e);
}

void xw_percent(xw_sheet *s, int row, int col, double fraction)
{
	if (!s)
		return;
	lxw_error e = put_number(s, row, col, fraction, book_of(s)->percent);
	widen(s, col, 8);
	done(s, row, col, e);
}

void xw_date(xw_sheet *s, int row, int col, ms_day day)
{
	if (!s || day == MS_NO_DAY)
		return;
	int y, m, d;
	ms_day_to_ymd(day, &y, &m, &d);
	lxw_datetime dt = {y, m, d, 0, 0, 0};
	lxw_error e = LXW_NO_ERROR;
	if (!out_of_order(s, row, &e))
		e = worksheet_write_datetime(s->ws, (lxw_row_t)row, (lxw_col_t)col, &dt,
		                             book_of(s)->date);
	widen(s, col, 12);
	done(s, row, col, e);
}

void xw_bool(xw_sheet *s, int row, int col, int v)
{
	xw_text(s, row, col, v ? "yes" : "no");
}

void xw_text_fill(xw_sheet *s, int row, int col, const char *text, const char *fill)
{
	if (!s)
		return;
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
	/* empty text with a fill: a blank cell with that format */
	lxw_error e = LXW_NO_ERROR;
	if (!out_of_order(s, row, &e))
		e = worksheet_write_string(s->ws, (lxw_row_t)row, (lxw_col_t)col, text ? text : "",
		                           f);
	widen(s, col, display_width(text ? text : "") + 2);
	done(s, row, col, e);
}

/* Links ------------------------------------------------------------------- */

/* A cell linked to url, showing text: wrapped as xw_text wraps it; plain
 * text when libxlsxwriter refuses the link (too many on the sheet). */
static void link_cell(xw_sheet *s, int row, int col, const char *url, const char *text)
{
	xw_book *b = book_of(s);
	double w = display_width(text), cap = col_cap(s, col);
	int wrap = w > cap || strchr(text, '\n');
	lxw_error e = LXW_NO_ERROR;
	if (!out_of_order(s, row, &e)) {
		e = worksheet_write_url_opt(s->ws, (lxw_row_t)row, (lxw_col_t)col, url,
		                            wrap ? b->link_wrap : b->link, text, NULL);
		if (e == LXW_ERROR_WORKSHEET_MAX_NUMBER_URLS_EXCEEDED)
			e = worksheet_write_string(s->ws, (lxw_row_t)row, (lxw_col_t)col, text,
			                           wrap ? b->wrap : NULL);
	}
	if (e == LXW_NO_ERROR && wrap)
		fit_row(s, row, wrapped_lines(text, cap));
	widen(s, col, w + 2);
	done(s, row, col, e);
}

/* The e-mail address in text: the part between < and > when there is
 * one, else the whole text, trimmed; copied to out (room for 256 bytes)
 * when it is a plain address: an ASCII local part and a domain with a
 * dot, none of the characters libxlsxwriter reads in a URL ('#' starts a
 * location, ':' a scheme). 0, or -1 when there is none. */
static int email_address(const char *text, char out[256])
{
	const char *a = strchr(text, '<'), *z = a ? strchr(a, '>') : NULL;
	if (a && z) {
		a++;
	} else {
		a = text;
		z = text + strlen(text);
	}
	while (a < z && *a == ' ')
		a++;
	while (z > a && z[-1] == ' ')
		z--;
	size_t n = (size_t)(z - a);
	const char *at = memchr(a, '@', n);
	if (!at || at == a || n > 254 || at + 1 >= z)
		return -1;
	int dots = 0;
	for (const char *p = a; p < z; p++) {
		unsigned char c = (unsigned char)*p;
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		         (c >= '0' && c <= '9') || c == '.' || c == '-' ||
		         (p < at && strchr("_+!$%&'*/=?^`{|}~", c) && c) || p == at;
		if (!ok)
			return -1;
		dots += p > at && c == '.';
	}
	if (!dots || z[-1] == '.' || at[1] == '.')
		return -1;
	memcpy(out, a, n);
	out[n] = 0;
	return 0;
}

void xw_email(xw_sheet *s, int row, int col, const char *text)
{
	if (!s || !text || !*text)
		return;
	char addr[256];
	if (strlen(text) > 2000 || email_address(text, addr) < 0) {
		xw_text(s, row, col, text);
		return;
	}
	char url[264];
	snprintf(url, sizeof url, "mailto:%s", addr);
	link_cell(s, row, col, url, text);
}

void xw_url(xw_sheet *s, int row, int col, const char *url, const char *text)
{
	if (!s)
		return;
	if (!text || !*text)
		text = url;
	if (!text || !*text)
		return;
	/* http and https only, no white space or control characters, within
	 * Excel's 2,079 characters, and not read by libxlsxwriter as one of
	 * its "internal:" or "external:" links */
	int ok = url && (!strncmp(url, "https://", 8) || !strncmp(url, "http://", 7)) &&
	         strlen(url) <= 2079 && !strstr(url, "internal:") && !strstr(url, "external:");
	for (const char *p = url; ok && *p; p++)
		ok = (unsigned char)*p > ' ' && *p != 0x7F;
	if (!ok || strlen(text) > 32767)
		xw_text(s, row, col, text);
	else
		link_cell(s, row, col, url, text);
}

/* Printing ------------------------------------------------------------------ */

void xw_print_setup(xw_sheet *s, int landscape)
{
	if (!s)
		return;
	worksheet_set_paper(s->ws, 9); /* A4 */
	if (landscape)
		worksheet_set_landscape(s->ws);
	else
		worksheet_set_portrait(s->ws);
	worksheet_fit_to_pages(s->ws, 1, 0); /* one page wide, as many tall as needed */
	if (s->first_row > 0)                /* the banner and header rows on every page */
		worksheet_repeat_rows(s->ws, 0, (lxw_row_t)(s->first_row - 1));
}

/* Plain text for a header or footer field: each & doubled (Excel reads &
 * as the start of a code), cut at a character boundary so that the whole
 * field stays within room bytes and `chars` characters. */
static void hf_text(const char *in, char *out, size_t room, size_t chars)
{
	size_t n = 0, cps = 0;
	for (const char *p = in; *p && cps < chars;) {
		size_t k = 1;
		while ((p[k] & 0xC0) == 0x80)
			k++;
		size_t need = *p == '&' ? 2 : k;
		if (*p == '\n' || *p == '\r' || *p == '\t') { /* one line: a space */
			need = 1;
			k = 1;
		}
		if (n + need + 1 > room || (*p == '&' && cps + 2 > chars))
			break;
		if (*p == '&') {
			out[n++] = '&';
			out[n++] = '&';
			cps += 2;
		} else if (need == 1 && (unsigned char)*p < ' ') {
			out[n++] = ' ';
			cps++;
		} else {
			memcpy(out + n, p, k);
			n += k;
			cps++;
		}
		p += k;
	}
	out[n] = 0;
}

void xw_header_footer(xw_sheet *s, const char *header, const char *footer)
{
	if (!s)
		return;
	/* Excel's limit is 255 characters a field, codes included */
	char text[1024], field[1100];
	if (header && *header) {
		hf_text(header, text, sizeof text, 255 - 2);
		snprintf(field, sizeof field, "&C%s", text);
		worksheet_set_header(s->ws, field);
	}
	static const char page[] = "&RPage &P of &N";
	hf_text(footer ? footer : "", text, sizeof text, 255 - 2 - (sizeof page - 1));
	snprintf(field, sizeof field, "%s%s%s", text[0] ? "&L" : "", text, page);
	worksheet_set_footer(s->ws, field);
}

void xw_max_width(xw_sheet *s, int col, double chars)
{
	if (s && col >= 0 && col < MAX_COLS)
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
	for (int i = 0; i < b->nsheets; i++)
		free(b->sheets[i].lines);
	free(b->path);
	free(b->tmp);
	free(b);
}

int xw_write(xw_book *b, ms_diags *d)
{
	if (b->lost != LXW_NO_ERROR) {
		ms_pos p = ms_pos_file(b->path);
		ms_diag_add(d, MS_ENV, &p,
		            "the workbook is not written: %s (%s); please report this to the "
		            "mspdoc maintainers",
		            b->lost_where, lxw_strerror(b->lost));
		xw_abort(b);
		return -1;
	}
	if (!book_wb(b, 0)) { /* no sheet added: an empty workbook */
		ms_pos p = ms_pos_file(b->path);
		ms_diag_add(d, MS_ENV, &p, "out of memory");
		xw_abort(b);
		return -1;
	}
	finish_sheets(b);
	set_properties(b);
	lxw_error e = workbook_close(b->wb);
	b->written = 1;
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
	if (b->wb && !b->written)
		workbook_close(b->wb);
	unlink(b->tmp);
	book_free(b);
}
