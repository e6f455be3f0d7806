/* xlsx.c — streaming XLSX reader (see xlsx.h).
 *
 * Parts are found through the relationships (_rels/.rels -> workbook ->
 * workbook rels), inflated in chunks (zip.c) and pushed through libxml2's
 * SAX2 parser: no tree is built, every string lands once in the book's
 * arena. Elements are matched by local name within the SpreadsheetML
 * namespace, transitional or Strict, never by prefix.
 *
 * Safety: no DTD is loaded, no entity is substituted, no network is used
 * (XML_PARSE_NONET; never NOENT, DTDLOAD or HUGE); an external entity loader
 * refuses everything; a DOCTYPE stops the parse with an error.
 */
#include "xlsx.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/job.h"
#include "sheetb.h"
#include "zip.h"

#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_MAIN_STRICT "http://purl.oclc.org/ooxml/spreadsheetml/main"
#define NS_PKG_RELS "http://schemas.openxmlformats.org/package/2006/relationships"
#define MAX_FILE_BYTES ((size_t)256 << 20)

/* What each SAX pass collects. */
enum part { P_RELS, P_WORKBOOK, P_STYLES, P_SST, P_SHEET };

typedef struct rel {
	char *id, *type, *target;
} rel;

typedef struct sheet_ref {
	char *name, *rid;
	int hidden;
} sheet_ref;

/* The names a worksheet's cells are made of. libxml2 interns element and
 * attribute names in each parser's dictionary, so once these are looked up
 * there (parse_part), the hot path compares pointers, not strings. */
enum { NM_ROW, NM_C, NM_V, NM_IS, NM_RPH, NM_T, NM_R, NM_S, NM_COUNT };
static const char *const nm_text[NM_COUNT] = {"row", "c", "v", "is", "rPh", "t", "r", "s"};

typedef struct xctx {
	enum part part;
	const xmlChar *nm[NM_COUNT]; /* nm_text as this parser interned them */
	const xmlChar *ns_hit;       /* the main namespace as this parser interned it */
	rd_book *book;
	const rd_limits *lim;
	ms_arena *arena;
	const char *fail;       /* first error (static text or arena string) */
	const char *fail_sheet; /* where it is, when in a sheet (else NULL) */
	int fail_row, fail_col;
	const char *cur_sheet; /* the sheet being read */
	xmlParserCtxtPtr parser;

	/* text capture */
	ms_buf text;
	int capture; /* inside a <t> or <v> whose text we keep */
	int in_rph;  /* inside phonetic runs: skipped */
	int in_si, in_is;

	/* relationships */
	rel *rels;
	size_t nrels, caprels;
	const rel **byid; /* rels sorted by id, made at the first lookup */
	/* workbook */
	sheet_ref *sheets;
	size_t nsheets, capsheets;
	/* styles: for each cellXfs index, whether its number format is a date */
	unsigned char *xf_date;
	size_t nxf, capxf;
	int in_cellxfs, in_numfmts;
	int *fmt_ids; /* custom numFmt ids that are dates */
	size_t nfmt, capfmt;
	/* shared strings */
	const char **sst;
	size_t *sst_len;
	size_t nsst, capsst;
	int sst_pending; /* being read on another thread: "s" cells wait (sst_finish) */
	/* sheet */
	rd_sheetb sb;
	int row, col; /* current row; last column written */
	int c_col;    /* current cell */
	char c_type[12];
	int c_style;
	int in_c, in_v, in_f;
	int have_v;
	size_t ncells;
} xctx;

static void fail(xctx *x, const char *why)
{
	if (!x->fail)
		x->fail = why;
	if (x->parser)
		xmlStopParser(x->parser);
}

/* fail, at a cell of the sheet being read (the diagnostic names it) */
static void fail_at(xctx *x, int row, int col, const char *why)
{
	if (!x->fail) {
		x->fail_sheet = x->cur_sheet;
		x->fail_row = row;
		x->fail_col = col;
	}
	fail(x, why);
}

/* Is this the SpreadsheetML namespace (transitional or strict)? libxml2
 * interns namespace names in its dictionary, so after the first match the
 * pointer says it: no string compare for each of a sheet's elements. */
static int ns_main(xctx *x, const xmlChar *uri)
{
	if (!uri)
		return 0;
	if (uri == x->ns_hit)
		return 1;
	if (strcmp((const char *)uri, NS_MAIN) && strcmp((const char *)uri, NS_MAIN_STRICT))
		return 0;
	x->ns_hit = uri;
	return 1;
}

/* Attribute lookup in SAX2's (localname, prefix, URI, value, end) array. */
static const char *attr(int n, const xmlChar **a, const char *name, size_t *len)
{
	for (int i = 0; i < n; i++) {
		const xmlChar **at = a + i * 5;
		if (!strcmp((const char *)at[0], name)) {
			*len = (size_t)(at[4] - at[3]);
			return (const char *)at[3];
		}
	}
	return NULL;
}

/* The same by an interned name (xctx.nm). */
static const char *attr_nm(int n, const xmlChar **a, const xmlChar *name, size_t *len)
{
	for (int i = 0; i < n; i++) {
		const xmlChar **at = a + i * 5;
		if (at[0] == name) {
			*len = (size_t)(at[4] - at[3]);
			return (const char *)at[3];
		}
	}
	return NULL;
}

/* A whole decimal number: plain digits directly, anything else (signs,
 * spaces) as strtol reads it; def when it is not a number. */
static long to_long(const char *v, size_t len, long def)
{
	if (!v || len == 0 || len > 15)
		return def;
	long r = 0;
	size_t i = 0;
	while (i < len && v[i] >= '0' && v[i] <= '9')
		r = r * 10 + (v[i++] - '0');
	if (i == len)
		return r;
	char tmp[16];
	memcpy(tmp, v, len);
	tmp[len] = 0;
	char *end;
	r = strtol(tmp, &end, 10);
	return *end ? def : r;
}

static char *attr_dup(xctx *x, int n, const xmlChar **a, const char *name)
{
	size_t len;
	const char *v = attr(n, a, name, &len);
	return v ? ms_arena_strndup(x->arena, v, len) : NULL;
}

static long attr_long(int n, const xmlChar **a, const char *name, long def)
{
	size_t len = 0;
	const char *v = attr(n, a, name, &len);
	return to_long(v, len, def);
}

/* "AB12" -> col 28, row 12. Returns 0, or -1 when malformed. */
static int parse_ref(const char *s, size_t len, int *col, int *row)
{
	size_t i = 0;
	long c = 0, r = 0;
	while (i < len && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'))) {
		c = c * 26 + ((s[i] | 0x20) - 'a' + 1);
		if (c > 1 << 20)
			return -1;
		i++;
	}
	if (i == 0)
		return -1;
	size_t j = i;
	while (j < len && s[j] >= '0' && s[j] <= '9') {
		r = r * 10 + (s[j] - '0');
		if (r > 1 << 24)
			return -1;
		j++;
	}
	if (j == i || j != len)
		return -1;
	*col = (int)c;
	*row = (int)r;
	return 0;
}

/* Decode _xHHHH_ escapes in place (ECMA-376 ST_Xstring). */
static size_t unescape_x(char *s, size_t len)
{
	if (!memchr(s, '_', len))
		return len;
	size_t w = 0;
	for (size_t i = 0; i < len;) {
		if (s[i] == '_' && i + 6 < len && s[i + 1] == 'x' && s[i + 6] == '_') {
			unsigned cp = 0;
			int ok = 1;
			for (int k = 2; k < 6; k++) {
				char h = s[i + k];
				cp <<= 4;
				if (h >= '0' && h <= '9')
					cp |= (unsigned)(h - '0');
				else if ((h | 0x20) >= 'a' && (h | 0x20) <= 'f')
					cp |= (unsigned)((h | 0x20) - 'a' + 10);
				else
					ok = 0;
			}
			if (ok && !(cp >= 0xD800 && cp <= 0xDFFF)) {
				char u[4];
				int n;
				if (cp < 0x80) {
					u[0] = (char)cp;
					n = 1;
				} else if (cp < 0x800) {
					u[0] = (char)(0xC0 | (cp >> 6));
					u[1] = (char)(0x80 | (cp & 0x3F));
					n = 2;
				} else {
					u[0] = (char)(0xE0 | (cp >> 12));
					u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
					u[2] = (char)(0x80 | (cp & 0x3F));
					n = 3;
				}
				/* the escape is 7 bytes, its expansion at most 3 */
				memcpy(s + w, u, (size_t)n);
				w += (size_t)n;
				i += 7;
				continue;
			}
		}
		s[w++] = s[i++];
	}
	s[w] = 0;
	return w;
}

/* Date formats (library-notes): built-in 14-22 and 45-47; a custom format
 * is a date when, outside quoted text, escapes and [...] sections (except
 * elapsed-time [h] [mm] [ss]), it uses d, m, y, h or s. */
static int builtin_date(long id)
{
	return (id >= 14 && id <= 22) || (id >= 45 && id <= 47);
}

static int custom_is_date(const char *f, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = f[i];
		if (c == '"') {
			while (++i < len && f[i] != '"')
				;
		} else if (c == '\\' || c == '_' || c == '*') {
			i++;
		} else if (c == '[') {
			size_t j = i + 1;
			while (j < len && f[j] != ']')
				j++;
			char k = (char)(i + 1 < len ? (f[i + 1] | 0x20) : 0);
			if (k == 'h' || k == 'm' || k == 's')
				return 1;
			i = j;
		} else if (c == ';') {
			break; /* the first section decides */
		} else {
			char l = (char)(c | 0x20);
			if (l == 'd' || l == 'm' || l == 'y' || l == 'h' || l == 's')
				return 1;
			if (c == 'E' || c == 'e' || c == '0' || c == '#' || c == '@')
				continue;
		}
	}
	return 0;
}

static int push_int(int **v, size_t *n, size_t *cap, int x)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		int *nv = realloc(*v, c * sizeof *nv);
		if (!nv)
			return -1;
		*v = nv;
		*cap = c;
	}
	(*v)[(*n)++] = x;
	return 0;
}

static int fmt_is_date(const xctx *x, long id)
{
	if (builtin_date(id))
		return 1;
	for (size_t i = 0; i < x->nfmt; i++)
		if (x->fmt_ids[i] == id)
			return 1;
	return 0;
}

/* Serial -> day. 1900 system: serial 1 = 1900-01-01 and serial 60 is the
 * nonexistent 1900-02-29 (Lotus' bug), read as 1900-03-01. */
static ms_day serial_day(double serial, int date1904)
{
	/* the range first: casting 1e300 or NaN to an integer is undefined */
	if (!(serial >= 0 && serial < 2958466.0)) /* 9999-12-31; NaN fails too */
		return MS_NO_DAY;
	double whole = (double)(long long)serial;
	long s = (long)whole;
	if (date1904)
		return (ms_day)(s - 24107);
	if (s < 60)
		return (ms_day)(s - 25568);
	return (ms_day)(s - 25569);
}

static ms_day iso_day(const char *t)
{
	int y, m, d;
	if (sscanf(t, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return MS_NO_DAY;
	return ms_ymd_to_day(y, m, d);
}

/* SAX callbacks --------------------------------------------------------- */

static void start_capture(xctx *x)
{
	x->capture = 1;
	ms_buf_clear(&x->text);
}

static void on_characters(void *ctx, const xmlChar *ch, int len)
{
	xctx *x = ctx;
	if (!x->capture || x->in_rph)
		return;
	if (x->text.len + (size_t)len > x->lim->max_cell_bytes) {
		fail(x, "a cell holds more text than the limit (8 MiB)");
		return;
	}
	if (ms_buf_add(&x->text, ch, (size_t)len) < 0)
		fail(x, "out of memory");
}

#define SST_MISSING "a cell refers to a shared string that does not exist"

static void sheet_cell_start(xctx *x, int n, const xmlChar **a)
{
	size_t len = 0;
	const char *r = attr_nm(n, a, x->nm[NM_R], &len);
	int col = x->col + 1, row = x->row;
	if (r) {
		int rr;
		if (parse_ref(r, len, &col, &rr) < 0) {
			fail(x, "a cell has a malformed reference");
			return;
		}
		if (rr > 0 && rr < row) {
			fail_at(x, rr, col,
			        "a cell comes after a later row's: the sheet is damaged");
			return;
		}
		if (rr > row) { /* a cell of a row with no <row>: its own row */
			row = x->row = rr;
			x->col = 0;
		}
		if (col <= x->col) {
			fail_at(
			    x, row, col,
			    "this cell appears twice (or out of order) in the sheet: the file was "
			    "tampered with or not written by a spreadsheet program");
			return;
		}
	}
	if (col > x->lim->max_cols) {
		fail(x, "a cell lies beyond column XFD (16,384 columns)");
		return;
	}
	x->col = x->c_col = col;
	const char *t = attr_nm(n, a, x->nm[NM_T], &len);
	if (t && len < sizeof x->c_type) {
		memcpy(x->c_type, t, len);
		x->c_type[len] = 0;
	} else {
		x->c_type[0] = 0;
	}
	const char *sv = attr_nm(n, a, x->nm[NM_S], &len);
	x->c_style = (int)to_long(sv, sv ? len : 0, 0);
	x->in_c = 1;
	x->have_v = 0;
	ms_buf_clear(&x->text);
}

static void sheet_cell_end(xctx *x)
{
	x->in_c = 0;
	if (!x->have_v)
		return;
	rd_cell c = {0};
	c.row = x->row;
	c.col = x->c_col;
	const char *t = x->c_type;
	char *v = x->text.s ? x->text.s : (char *)"";
	size_t vlen = x->text.len;
	int copy = 1;
	if (!strcmp(t, "s")) {
		long idx = to_long(v, vlen, -1);
		if (idx < 0 || (!x->sst_pending && (size_t)idx >= x->nsst)) {
			fail(x, SST_MISSING);
			return;
		}
		c.type = RD_TEXT;
		if (x->sst_pending) { /* text NULL, len the index, until sst_finish */
			c.text = NULL;
			c.len = (size_t)idx;
		} else {
			c.text = x->sst[idx];
			c.len = x->sst_len[idx];
		}
		copy = 0;
	} else if (!strcmp(t, "inlineStr") || !strcmp(t, "str")) {
		c.type = RD_TEXT;
		vlen = unescape_x(v, vlen);
		c.text = v;
		c.len = vlen;
	} else if (!strcmp(t, "b")) {
		c.type = RD_BOOL;
		c.num = v[0] == '1' || v[0] == 't';
	} else if (!strcmp(t, "e")) {
		c.type = RD_ERROR;
		c.text = v;
		c.len = vlen;
	} else if (!strcmp(t, "d")) {
		c.type = RD_DATE;
		c.day = iso_day(v);
		c.text = v;
		c.len = vlen;
		if (c.day == MS_NO_DAY)
			c.type = RD_TEXT;
	} else {
		/* A number, in the C locale: main never calls setlocale for
		 * LC_NUMERIC, so strtod reads '.' as the decimal point. */
		char *end;
		double d = strtod(v, &end);
		while (*end == ' ')
			end++;
		if (end == v || *end) {
			c.type = RD_TEXT; /* not a number after all: keep the text */
			c.text = v;
			c.len = vlen;
		} else {
			c.type = RD_NUMBER;
			c.num = d;
			if (x->c_style >= 0 && (size_t)x->c_style < x->nxf &&
			    x->xf_date[x->c_style]) {
				ms_day day = serial_day(d, x->book->date1904);
				if (day != MS_NO_DAY) {
					c.type = RD_DATE;
					c.day = day;
				}
			}
		}
	}
	if (c.type == RD_TEXT && c.len == 0 && c.text)
		return;
	if (++x->ncells > x->lim->max_cells) {
		fail(x, "the workbook has more cells than the limit (5,000,000)");
		return;
	}
	if (rd_sheetb_add(&x->sb, &c, copy) < 0)
		fail(x, "out of memory");
}

static void on_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                     int nns, const xmlChar **ns, int nattr, int ndef, const xmlChar **a)
{
	xctx *x = ctx;
	const char *l = (const char *)local;
	(void)prefix;
	(void)nns;
	(void)ns;
	(void)ndef;
	if (x->part == P_RELS) {
		if (uri && !strcmp((const char *)uri, NS_PKG_RELS) && !strcmp(l, "Relationship")) {
			if (x->nrels == x->caprels) {
				size_t c = x->caprels ? x->caprels * 2 : 16;
				rel *v = realloc(x->rels, c * sizeof *v);
				if (!v) {
					fail(x, "out of memory");
					return;
				}
				x->rels = v;
				x->caprels = c;
			}
			rel *r = &x->rels[x->nrels++];
			r->id = attr_dup(x, nattr, a, "Id");
			r->type = attr_dup(x, nattr, a, "Type");
			r->target = attr_dup(x, nattr, a, "Target");
		}
		return;
	}
	if (!ns_main(x, uri))
		return;
	switch (x->part) {
	case P_WORKBOOK:
		if (!strcmp(l, "workbookPr")) {
			size_t len;
			const char *v = attr(nattr, a, "date1904", &len);
			x->book->date1904 = v && (v[0] == '1' || v[0] == 't');
		} else if (!strcmp(l, "sheet")) {
			if (x->nsheets == x->capsheets) {
				size_t c = x->capsheets ? x->capsheets * 2 : 8;
				sheet_ref *v = realloc(x->sheets, c * sizeof *v);
				if (!v) {
					fail(x, "out of memory");
					return;
				}
				x->sheets = v;
				x->capsheets = c;
			}
			sheet_ref *s = &x->sheets[x->nsheets++];
			s->name = attr_dup(x, nattr, a, "name");
			s->rid = attr_dup(x, nattr, a, "id"); /* r:id, any namespace */
			size_t len;
			const char *st = attr(nattr, a, "state", &len);
			s->hidden = st && len >= 6 && !strncmp(st, "hidden", 6);
			s->hidden |= st && len >= 10 && !strncmp(st, "veryHidden", 10);
		}
		break;
	case P_STYLES:
		if (!strcmp(l, "numFmts"))
			x->in_numfmts = 1;
		else if (!strcmp(l, "cellXfs"))
			x->in_cellxfs = 1;
		else if (x->in_numfmts && !strcmp(l, "numFmt")) {
			size_t len;
			const char *code = attr(nattr, a, "formatCode", &len);
			long id = attr_long(nattr, a, "numFmtId", -1);
			if (code && custom_is_date(code, len) &&
			    push_int(&x->fmt_ids, &x->nfmt, &x->capfmt, (int)id) < 0)
				fail(x, "out of memory");
		} else if (x->in_cellxfs && !strcmp(l, "xf")) {
			if (x->nxf == x->capxf) {
				size_t c = x->capxf ? x->capxf * 2 : 32;
				unsigned char *v = realloc(x->xf_date, c);
				if (!v) {
					fail(x, "out of memory");
					return;
				}
				x->xf_date = v;
				x->capxf = c;
			}
			x->xf_date[x->nxf++] =
			    (unsigned char)fmt_is_date(x, attr_long(nattr, a, "numFmtId", 0));
		}
		break;
	case P_SST:
		if (!strcmp(l, "si")) {
			x->in_si = 1;
			ms_buf_clear(&x->text);
			x->capture = 0;
		} else if (!strcmp(l, "rPh")) {
			x->in_rph = 1;
		} else if (x->in_si && !strcmp(l, "t")) {
			x->capture = 1; /* runs accumulate into one string */
		}
		break;
	case P_SHEET: {
		const xmlChar *const *nm = x->nm;
		if (local == nm[NM_ROW]) {
			size_t len = 0;
			const char *rv = attr_nm(nattr, a, nm[NM_R], &len);
			long r = to_long(rv, len, x->row + 1);
			if (r < 1 || r > x->lim->max_rows) {
				fail(x,
				     "a row number is beyond the 1,048,576 rows a sheet can have");
				return;
			}
			if (r <= x->row) { /* one copy would win silently */
				fail_at(x, (int)r, 1,
				        r == x->row
				            ? "this row appears twice in the sheet: the file "
				              "was tampered with or not written by a "
				              "spreadsheet program"
				            : "this row comes after a later row: the sheet is "
				              "damaged");
				return;
			}
			x->row = (int)r;
			x->col = 0;
		} else if (local == nm[NM_C]) {
			sheet_cell_start(x, nattr, a);
		} else if (x->in_c && local == nm[NM_V]) {
			x->in_v = 1;
			x->have_v = 1;
			start_capture(x);
		} else if (x->in_c && local == nm[NM_IS]) {
			x->in_is = 1;
			x->have_v = 1;
			ms_buf_clear(&x->text);
		} else if (x->in_is && local == nm[NM_RPH]) {
			x->in_rph = 1;
		} else if (x->in_is && local == nm[NM_T]) {
			x->capture = 1;
		}
		break;
	}
	default: break;
	}
}

static void on_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
	xctx *x = ctx;
	const char *l = (const char *)local;
	(void)prefix;
	if (x->part == P_RELS || !ns_main(x, uri))
		return;
	switch (x->part) {
	case P_STYLES:
		if (!strcmp(l, "numFmts"))
			x->in_numfmts = 0;
		else if (!strcmp(l, "cellXfs"))
			x->in_cellxfs = 0;
		break;
	case P_SST:
		if (!strcmp(l, "rPh")) {
			x->in_rph = 0;
		} else if (!strcmp(l, "t")) {
			x->capture = 0;
		} else if (!strcmp(l, "si")) {
			x->in_si = 0;
			if (x->nsst == x->capsst) {
				size_t c = x->capsst ? x->capsst * 2 : 1024;
				const char **v = realloc(x->sst, c * sizeof *v);
				size_t *vl = realloc(x->sst_len, c * sizeof *vl);
				if (v)
					x->sst = v;
				if (vl)
					x->sst_len = vl;
				if (!v || !vl) {
					fail(x, "out of memory");
					return;
				}
				x->capsst = c;
			}
			size_t len = x->text.len;
			char *s = ms_arena_strndup(x->arena, x->text.s ? x->text.s : "", len);
			if (!s) {
				fail(x, "out of memory");
				return;
			}
			len = unescape_x(s, len);
			x->sst[x->nsst] = s;
			x->sst_len[x->nsst++] = len;
		}
		break;
	case P_SHEET:
		if (local == x->nm[NM_V]) {
			x->in_v = 0;
			x->capture = 0;
		} else if (local == x->nm[NM_T]) {
			x->capture = 0;
		} else if (local == x->nm[NM_RPH]) {
			x->in_rph = 0;
		} else if (local == x->nm[NM_IS]) {
			x->in_is = 0;
		} else if (local == x->nm[NM_C]) {
			sheet_cell_end(x);
		}
		break;
	default: break;
	}
}

static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *eid, const xmlChar *sid)
{
	(void)name;
	(void)eid;
	(void)sid;
	fail(ctx, "a part contains a DOCTYPE declaration, which OOXML never has: the file was "
	          "tampered with or not written by a spreadsheet program");
}

static void on_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *pid,
                           const xmlChar *sid, xmlChar *content)
{
	(void)name;
	(void)type;
	(void)pid;
	(void)sid;
	(void)content;
	on_doctype(ctx, NULL, NULL, NULL);
}

static void on_serror(void *ctx, xmlErrorPtr err)
{
	xctx *x = ctx;
	if (err && err->level >= XML_ERR_ERROR)
		fail(x, "a part is not well-formed XML: the workbook is damaged");
}

static void on_error(void *ctx, const char *msg, ...)
{
	(void)msg;
	fail(ctx, "a part is not well-formed XML: the workbook is damaged");
}

static xmlParserInputPtr refuse_entity(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL; /* never load anything from outside */
}

static int feed(void *ctx, const char *buf, size_t len)
{
	xctx *x = ctx;
	if (x->fail)
		return -1;
	if (xmlParseChunk(x->parser, buf, (int)len, 0) != 0 || x->fail) {
		if (!x->fail)
			fail(x, "a part is not well-formed XML: the workbook is damaged");
		return -1;
	}
	return 0;
}

typedef struct chunkq chunkq;
static int cq_stream(chunkq *q, rz_chunk_fn fn, void *ctx, const char **why);

/* Parse one part, inflated here from z or, when q is not NULL, by another
 * thread into q; 0, or -1 with x->fail set. missing_ok: absent is fine. */
static int parse_part_from(xctx *x, rz_zip *z, chunkq *q, const char *name, enum part part,
                           int missing_ok)
{
	xmlSAXHandler sax;
	memset(&sax, 0, sizeof sax);
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = on_start;
	sax.endElementNs = on_end;
	sax.characters = on_characters;
	sax.internalSubset = on_doctype;
	sax.externalSubset = on_doctype;
	sax.entityDecl = on_entity_decl;
	sax.serror = on_serror;
	sax.error = on_error;
	sax.fatalError = on_error;
	x->part = part;
	x->capture = x->in_rph = x->in_si = x->in_is = 0;
	x->ns_hit = NULL; /* a new parser, a new dictionary */
	x->parser = xmlCreatePushParserCtxt(&sax, x, NULL, 0, name);
	if (!x->parser) {
		fail(x, "out of memory");
		return -1;
	}
	xmlCtxtUseOptions(x->parser, XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
	for (int i = 0; i < NM_COUNT; i++)
		if (!(x->nm[i] = xmlDictLookup(x->parser->dict, BAD_CAST nm_text[i], -1))) {
			xmlFreeParserCtxt(x->parser);
			x->parser = NULL;
			fail(x, "out of memory");
			return -1;
		}
	const char *why = NULL;
	int r = q ? cq_stream(q, feed, x, &why) : rz_stream(z, name, feed, x, &why);
	if (r == 0 && !x->fail && xmlParseChunk(x->parser, NULL, 0, 1) != 0 && !x->fail)
		fail(x, "a part is not well-formed XML: the workbook is damaged");
	xmlFreeParserCtxt(x->parser);
	x->parser = NULL;
	if (r < 0 && why && !strcmp(why, "missing")) {
		if (missing_ok)
			return 0;
		why = "a part the workbook needs is missing: the file is damaged or not an .xlsx "
		      "workbook";
	}
	if (r < 0 && why)
		fail(x, why);
	return x->fail ? -1 : 0;
}

static int parse_part(xctx *x, rz_zip *z, const char *name, enum part part, int missing_ok)
{
	return parse_part_from(x, z, NULL, name, part, missing_ok);
}

/* Resolve a relationship target against the folder of the source part. */
static char *resolve(ms_arena *a, const char *source, const char *target)
{
	if (!target)
		return NULL;
	if (target[0] == '/')
		return ms_arena_strdup(a, target + 1);
	ms_buf b;
	ms_buf_init(&b);
	const char *slash = strrchr(source, '/');
	if (slash)
		ms_buf_add(&b, source, (size_t)(slash - source + 1));
	ms_buf_adds(&b, target);
	/* fold "dir/../" and "./" */
	char *s = b.s;
	char *out = s ? ms_arena_strdup(a, "") : NULL;
	if (s) {
		char *parts[64];
		int np = 0;
		for (char *tok = strtok(s, "/"); tok && np < 64; tok = strtok(NULL, "/")) {
			if (!strcmp(tok, "."))
				continue;
			if (!strcmp(tok, "..")) {
				if (np)
					np--;
				continue;
			}
			parts[np++] = tok;
		}
		ms_buf o;
		ms_buf_init(&o);
		for (int i = 0; i < np; i++) {
			if (i)
				ms_buf_addc(&o, '/');
			ms_buf_adds(&o, parts[i]);
		}
		out = ms_arena_strdup(a, o.s ? o.s : "");
		ms_buf_free(&o);
	}
	ms_buf_free(&b);
	return out;
}

static const rel *find_rel_type(const xctx *x, const char *suffix)
{
	size_t sl = strlen(suffix);
	for (size_t i = 0; i < x->nrels; i++) {
		const char *t = x->rels[i].type;
		size_t tl = t ? strlen(t) : 0;
		if (tl >= sl && !strcmp(t + tl - sl, suffix))
			return &x->rels[i];
	}
	return NULL;
}

static int relp_cmp(const void *a, const void *b)
{
	const rel *x = *(const rel *const *)a, *y = *(const rel *const *)b;
	return strcmp(x->id ? x->id : "", y->id ? y->id : "");
}

/* By id: a sorted index of the workbook's relationships, made once (a
 * workbook of 10,000 sheets looked each one up in a list of 10,000). */
static const rel *find_rel_id(xctx *x, const char *id)
{
	if (!id)
		return NULL;
	if (!x->byid && x->nrels) {
		x->byid = malloc(x->nrels * sizeof *x->byid);
		if (!x->byid)
			return NULL;
		for (size_t i = 0; i < x->nrels; i++)
			x->byid[i] = &x->rels[i];
		qsort(x->byid, x->nrels, sizeof *x->byid, relp_cmp);
	}
	rel key = {0};
	key.id = (char *)id;
	const rel *kp = &key;
	const rel **hit =
	    x->byid ? bsearch(&kp, x->byid, x->nrels, sizeof *x->byid, relp_cmp) : NULL;
	if (hit)
		return *hit;
	return NULL;
}

/* The relationship of the workbook's i-th sheet when it is a worksheet;
 * NULL for chartsheets and dialog sheets, which have no cells. */
static const rel *worksheet_rel(xctx *x, size_t i)
{
	const rel *r = find_rel_id(x, x->sheets[i].rid);
	return r && r->type && strstr(r->type, "/worksheet") ? r : NULL;
}

static char *rels_path(ms_arena *a, const char *part)
{
	const char *slash = strrchr(part, '/');
	ms_buf b;
	ms_buf_init(&b);
	if (slash)
		ms_buf_add(&b, part, (size_t)(slash - part + 1));
	ms_buf_printf(&b, "_rels/%s.rels", slash ? slash + 1 : part);
	char *r = ms_arena_strdup(a, b.s);
	ms_buf_free(&b);
	return r;
}

static void xctx_free(xctx *x)
{
	free(x->rels);
	free(x->byid);
	free(x->sheets);
	free(x->xf_date);
	free(x->fmt_ids);
	free(x->sst);
	free(x->sst_len);
	ms_buf_free(&x->text);
	rd_sheetb_discard(&x->sb);
}

/* Once, on the calling thread, before any second thread parses: libxml2's
 * globals, and the loader that refuses every external entity. Readers are
 * only ever called from one thread at a time. */
static int install_loader_once(void)
{
	static int done;
	if (!done) {
		xmlInitParser();
		xmlSetExternalEntityLoader(refuse_entity);
		done = 1;
	}
	return 0;
}

/* A part's bytes inflated on one thread and parsed on another: chunks
 * handed over in order through a queue holding at most CQ_MAX bytes. */
#define CQ_MAX ((size_t)4 << 20)

typedef struct chunk {
	struct chunk *next;
	size_t len;
	char data[];
} chunk;

struct chunkq {
	pthread_mutex_t m;
	pthread_cond_t c;
	chunk *head, *tail;
	size_t queued;
	int done, r;     /* the inflating is over, with rz_stream's result... */
	const char *why; /* ...and reason */
	int cancel;      /* the parser stopped: inflate no further */
};

/* rz_stream's callback on the inflating side: queue a copy. */
static int cq_push(void *ctx, const char *buf, size_t len)
{
	chunkq *q = ctx;
	chunk *k = malloc(sizeof *k + len);
	if (!k)
		return -1;
	k->next = NULL;
	k->len = len;
	memcpy(k->data, buf, len);
	pthread_mutex_lock(&q->m);
	while (q->queued > CQ_MAX && !q->cancel)
		pthread_cond_wait(&q->c, &q->m);
	int stop = q->cancel;
	if (!stop) {
		if (q->tail)
			q->tail->next = k;
		else
			q->head = k;
		q->tail = k;
		q->queued += len;
		pthread_cond_broadcast(&q->c);
	}
	pthread_mutex_unlock(&q->m);
	if (stop)
		free(k);
	return stop ? -1 : 0;
}

/* The parsing side: what rz_stream would do with fn, from the queue. */
static int cq_stream(chunkq *q, rz_chunk_fn fn, void *ctx, const char **why)
{
	*why = NULL;
	for (;;) {
		pthread_mutex_lock(&q->m);
		while (!q->head && !q->done)
			pthread_cond_wait(&q->c, &q->m);
		chunk *k = q->head;
		if (!k) {
			int r = q->r;
			*why = q->why;
			pthread_mutex_unlock(&q->m);
			return r;
		}
		q->head = k->next;
		if (!q->head)
			q->tail = NULL;
		q->queued -= k->len;
		pthread_cond_broadcast(&q->c);
		pthread_mutex_unlock(&q->m);
		int stop = fn(ctx, k->data, k->len);
		free(k);
		if (stop) {
			pthread_mutex_lock(&q->m);
			q->cancel = 1;
			pthread_cond_broadcast(&q->c);
			pthread_mutex_unlock(&q->m);
			return -1;
		}
	}
}

/* The shared strings on a second thread (util/job.h), which first inflates
 * the first worksheet for this one to parse (chunkq): the first core then
 * only parses. The job has its own parser context, zip handle (a twin: the
 * two count inflated bytes together) and arena, which the book adopts; it
 * shares nothing else. */
typedef struct sst_job {
	xctx x;
	rz_zip *z;
	const char *path, *sheet; /* the shared strings; the first worksheet */
	chunkq q;
	ms_job job;
} sst_job;

static int run_sst(void *p)
{
	sst_job *j = p;
	if (j->sheet) {
		const char *why = NULL;
		int r = rz_stream(j->z, j->sheet, cq_push, &j->q, &why);
		pthread_mutex_lock(&j->q.m);
		j->q.done = 1;
		j->q.r = r;
		j->q.why = why;
		pthread_cond_broadcast(&j->q.c);
		pthread_mutex_unlock(&j->q.m);
	}
	return parse_part(&j->x, j->z, j->path, P_SST, 1);
}

/* Start reading the shared strings at path on another thread, after it has
 * inflated the worksheet part sheet (NULL: none) into j->q; 0, or -1 when no
 * thread, handle or arena could be had (then read them in line, first). */
static int sst_start(sst_job *j, xctx *x, rz_zip *z, const char *path, const char *sheet)
{
	const char *why;
	memset(j, 0, sizeof *j);
	j->x.book = x->book;
	j->x.lim = x->lim;
	j->x.arena = ms_threads_allowed() ? ms_arena_new() : NULL;
	j->z = j->x.arena ? rz_open_twin(z, &why) : NULL;
	if (!j->z) {
		ms_arena_free(j->x.arena);
		return -1;
	}
	j->path = path;
	j->sheet = sheet;
	pthread_mutex_init(&j->q.m, NULL);
	pthread_cond_init(&j->q.c, NULL);
	if (ms_job_try_start(&j->job, run_sst, j) < 0) {
		pthread_mutex_destroy(&j->q.m);
		pthread_cond_destroy(&j->q.c);
		rz_close(j->z);
		ms_arena_free(j->x.arena);
		return -1;
	}
	x->sst_pending = 1;
	return 0;
}

/* Wait for the shared strings, take them into x, and give the waiting "s"
 * cells of the sheet being built their text (empty strings are no cells,
 * as in sheet_cell_end). The job's error, if any, is the one reported: read
 * in order, the shared strings come before any sheet. */
static void sst_finish(sst_job *j, xctx *x)
{
	pthread_mutex_lock(&j->q.m);
	j->q.cancel = 1; /* a worksheet never parsed must not hold the job up */
	pthread_cond_broadcast(&j->q.c);
	pthread_mutex_unlock(&j->q.m);
	ms_job_join(&j->job);
	while (j->q.head) {
		chunk *k = j->q.head;
		j->q.head = k->next;
		free(k);
	}
	pthread_mutex_destroy(&j->q.m);
	pthread_cond_destroy(&j->q.c);
	rz_close(j->z);
	rd_book_adopt_arena(x->book, j->x.arena);
	x->sst_pending = 0;
	x->sst = j->x.sst;
	x->sst_len = j->x.sst_len;
	x->nsst = j->x.nsst;
	j->x.sst = NULL;
	j->x.sst_len = NULL;
	if (j->x.fail)
		x->fail = j->x.fail;
	else if (ms_arena_oom(j->x.arena))
		x->fail = "out of memory";
	xctx_free(&j->x);
	if (x->fail)
		return;
	rd_sheetb *sb = &x->sb;
	size_t k = 0;
	for (size_t i = 0; i < sb->n; i++) {
		rd_cell c = sb->cells[i];
		if (c.type == RD_TEXT && !c.text) {
			if (c.len >= x->nsst) {
				x->fail = SST_MISSING;
				return;
			}
			c.text = x->sst[c.len];
			c.len = x->sst_len[c.len];
			if (!c.len)
				continue;
		}
		sb->cells[k++] = c;
	}
	sb->n = k;
}

static rd_book *read_zip(const char *name, const void *data, size_t len, const rd_limits *lim,
                         ms_diags *d)
{
	ms_pos pos = ms_pos_file(name);
	const unsigned char *u = data;
	if (len >= 8 && u[0] == 0xD0 && u[1] == 0xCF && u[2] == 0x11 && u[3] == 0xE0) {
		size_t nl = strlen(name);
		if (nl > 4 && !strcasecmp(name + nl - 4, ".xls"))
			ms_diag_add(d, MS_ERROR, &pos,
			            "this is a legacy Excel 97-2003 .xls file: open it in Excel "
			            "and save it "
			            "as .xlsx (Excel Workbook)");
		else
			ms_diag_add(d, MS_ERROR, &pos,
			            "the workbook is password-protected (encrypted): remove the "
			            "password in "
			            "Excel (File > Info > Protect Workbook) and send it again");
		return NULL;
	}
	rz_limits zl = {lim->max_entries, lim->max_entry_bytes, lim->max_total_bytes};
	const char *why;
	rz_zip *z = rz_open_mem(data, len, &zl, &why);
	if (!z) {
		ms_diag_add(d, MS_ERROR, &pos,
		            "%s: save the workbook again as .xlsx (Excel Workbook)", why);
		return NULL;
	}
	install_loader_once();
	rd_book *book = rd_book_new(name);
	xctx x;
	memset(&x, 0, sizeof x);
	x.book = book;
	x.lim = lim;
	if (!book) {
		rz_close(z);
		ms_diag_add(d, MS_ENV, &pos, "out of memory");
		return NULL;
	}
	x.arena = rd_book_arena(book);

	const char *wb_path = NULL;
	if (parse_part(&x, z, "_rels/.rels", P_RELS, 0) == 0) {
		const rel *r = find_rel_type(&x, "/officeDocument");
		wb_path = r ? resolve(x.arena, "", r->target) : NULL;
		if (!wb_path)
			fail(&x, "it has no workbook part: this is not an .xlsx workbook");
	}
	if (!x.fail) {
		x.nrels = 0;
		parse_part(&x, z, rels_path(x.arena, wb_path), P_RELS, 0);
	}
	if (!x.fail)
		parse_part(&x, z, wb_path, P_WORKBOOK, 0);
	if (!x.fail) {
		const rel *st = find_rel_type(&x, "/styles");
		if (st)
			parse_part(&x, z, resolve(x.arena, wb_path, st->target), P_STYLES, 1);
	}
	/* Large shared strings are read on a second core while the first
	 * worksheet is: its "s" cells wait for their text (sst_finish). */
	sst_job sj;
	int async = 0;
	size_t first = 0; /* the first worksheet */
	while (first < x.nsheets &&
	       !(worksheet_rel(&x, first) &&
	         rz_has(z, resolve(x.arena, wb_path, worksheet_rel(&x, first)->target))))
		first++; /* a missing part is reported in the loop below */
	const char *first_path =
	    first < x.nsheets ? resolve(x.arena, wb_path, worksheet_rel(&x, first)->target) : NULL;
	if (!x.fail) {
		const rel *ss = find_rel_type(&x, "/sharedStrings");
		const char *sp = ss ? resolve(x.arena, wb_path, ss->target) : NULL;
		if (sp && rz_size(z, sp) >= lim->sst_thread_bytes &&
		    sst_start(&sj, &x, z, sp, first_path) == 0)
			async = 1;
		else if (sp)
			parse_part(&x, z, sp, P_SST, 1);
	}
	for (size_t i = 0; !x.fail && i < x.nsheets; i++) {
		const rel *r = worksheet_rel(&x, i);
		const char *sname = x.sheets[i].name ? x.sheets[i].name : "Sheet";
		if (!r) {
			/* a chart sheet is no worksheet: skipped; a sheet whose
			 * relationship is missing is named, the others are read */
			if (!find_rel_id(&x, x.sheets[i].rid)) {
				ms_pos sp = {name, sname, 0, 0, 0};
				ms_diag_add(d, MS_ERROR, &sp,
				            "the workbook lists this sheet, but its relationship "
				            "('%s') is missing: the file is damaged; save it again "
				            "in Excel (this sheet is not read, the others are)",
				            x.sheets[i].rid ? x.sheets[i].rid : "none");
			}
			continue;
		}
		const char *part = resolve(x.arena, wb_path, r->target);
		if (!part || !rz_has(z, part)) {
			ms_pos sp = {name, sname, 0, 0, 0};
			ms_diag_add(d, MS_ERROR, &sp,
			            "the sheet's part '%s' is missing from the file: the file is "
			            "damaged; save it again in Excel (this sheet is not read, the "
			            "others are)",
			            part ? part : "?");
			continue;
		}
		x.cur_sheet = sname;
		rd_sheetb_begin(&x.sb, book, sname, x.sheets[i].hidden);
		x.row = 0;
		x.col = 0;
		/* the first worksheet comes inflated from the job, when it has one */
		int piped = async && i == first && sj.sheet;
		int r0 = parse_part_from(&x, z, piped ? &sj.q : NULL, part, P_SHEET, 0);
		if (async) {
			async = 0;
			sst_finish(&sj, &x);
		}
		if (r0 == 0 && !x.fail && rd_sheetb_end(&x.sb) < 0)
			fail(&x, "out of memory");
	}
	if (async)
		sst_finish(&sj, &x);
	if (!x.fail && ms_arena_oom(x.arena))
		fail(&x, "out of memory");
	rz_close(z);
	if (x.fail) {
		ms_severity sev = !strcmp(x.fail, "out of memory") ? MS_ENV : MS_ERROR;
		ms_pos fp = pos;
		if (x.fail_sheet) { /* FILE:SHEET!CELL */
			fp.sheet = x.fail_sheet;
			fp.row = x.fail_row;
			fp.col = x.fail_col;
		}
		ms_diag_add(d, sev, &fp, "%s", x.fail);
		xctx_free(&x);
		rd_book_free(book);
		return NULL;
	}
	xctx_free(&x);
	return book;
}

rd_book *xlsx_read_mem(const char *name, const void *data, size_t len, const rd_limits *lim,
                       ms_diags *d)
{
	rd_limits def = rd_limits_default();
	return read_zip(name, data, len, lim ? lim : &def, d);
}

rd_book *xlsx_read(const char *path, const rd_limits *lim, ms_diags *d)
{
	char *data;
	size_t len;
	int big;
	if (ms_read_file(path, MAX_FILE_BYTES, &data, &len, &big) < 0) {
		ms_pos pos = ms_pos_file(path);
		ms_diag_add(d, MS_ERROR, &pos,
		            big ? "the workbook is larger than 256 MiB: split it or remove "
		                  "embedded pictures"
		                : "cannot read the file: check that it exists and is readable");
		return NULL;
	}
	rd_book *b = xlsx_read_mem(path, data, len, lim, d);
	free(data);
	return b;
}
