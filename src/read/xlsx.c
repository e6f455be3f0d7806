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

#include <fcntl.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/buf.h"
#include "../util/hugemap.h"
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
enum { NM_ROW, NM_C, NM_V, NM_IS, NM_RPH, NM_T, NM_R, NM_S, NM_SHEETDATA, NM_COUNT };
static const char *const nm_text[NM_COUNT] = {"row", "c", "v", "is",       "rPh",
                                              "t",   "r", "s", "sheetData"};

/* A shared string: where its text is in the block. 8 bytes: a register
 * may have 100,000. */
typedef struct sst_str {
	uint32_t off, len;
} sst_str;

struct sst_job;

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
	/* shared strings: their text goes straight from the parser into one
	 * block (sstb), NUL after each, which the book adopts; sst[i] says
	 * where; sst_text is the block's final address */
	sst_str *sst;
	size_t nsst, capsst;
	const char *sst_text;
	char *sstb;
	size_t sstb_map; /* sstb is rd_map_block'd, of this many bytes (else malloc'd) */
	size_t sstb_len, sstb_cap, sst_cur; /* sst_cur: where the <si> open began */
	size_t sst_declared;                /* the part's size, as its entry says */
	struct sst_job *sj;                 /* the thread reading them, while it runs */
	int sst_pending;                    /* they are read on that thread: "s" cells wait */
	/* sheet */
	rd_sheetb sb;
	int row, col; /* current row; last column written */
	int c_col;    /* current cell */
	char c_type[12];
	int c_style;
	int in_c, in_v, in_f;
	int have_v;
	size_t ncells;
	/* a sheet read in two halves (parse_split) */
	int n_sheetdata; /* sheetData elements seen */
	int skip_head;   /* the second half: until sheetData, the first's */
	int first_row;   /* the number of the first row, 0 before it... */
	int first_row_r; /* ...and whether it says it (r="...") */
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

/* A plain decimal ("-12", "45658", "0.125") of at most 15 digits, into
 * *d; 0 for anything else, which strtod then reads. The digits make an
 * integer below 2^53 and 10^k (k <= 15) is exact, so one division rounds
 * correctly: the same double strtod gives. */
static int fast_number(const char *v, size_t len, double *d)
{
	static const double p10[16] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
	                               1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
	size_t i = v[0] == '-';
	long long m = 0;
	int digits = 0, frac = -1;
	if (len == i || len > 17)
		return 0;
	for (; i < len; i++) {
		char ch = v[i];
		if (ch >= '0' && ch <= '9') {
			m = m * 10 + (ch - '0');
			digits++;
			if (frac >= 0)
				frac++;
		} else if (ch == '.' && frac < 0) {
			frac = 0;
		} else {
			return 0;
		}
	}
	if (!digits || digits > 15 || frac == 0)
		return 0;
	double r = (double)m;
	if (frac > 0)
		r /= p10[frac];
	*d = v[0] == '-' ? -r : r;
	return 1;
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

static void sst_poll(xctx *x);

/* SAX callbacks --------------------------------------------------------- */

static void start_capture(xctx *x)
{
	x->capture = 1;
	ms_buf_clear(&x->text);
}

/* The text block at cap bytes, its text kept: a big one mapped (sheetb.h). */
static int sstb_alloc(xctx *x, size_t cap)
{
	size_t map = 0;
	char *b = NULL;
	if (cap >= ((size_t)2 << 20) && (b = rd_map_block(cap, &map)) != NULL) {
		if (x->sstb_len)
			memcpy(b, x->sstb, x->sstb_len);
		if (x->sstb_map)
			rd_unmap_block(x->sstb, x->sstb_map);
		else
			free(x->sstb);
		cap = map;
	} else if (!x->sstb_map) {
		b = realloc(x->sstb, cap);
	}
	if (!b)
		return -1;
	x->sstb = b;
	x->sstb_map = map;
	x->sstb_cap = cap;
	return 0;
}

/* Room for n more bytes of shared-string text. The block starts at the
 * size the part declares (untrusted, capped): text is never longer than
 * its XML, and pages never written cost nothing. */
static int sstb_room(xctx *x, size_t n)
{
	if (x->sstb_cap - x->sstb_len >= n)
		return 0;
	if (n > UINT32_MAX - x->sstb_len) {
		fail(x, "the shared strings hold more than 4 GB of text");
		return -1;
	}
	size_t cap = x->sstb_cap ? x->sstb_cap : 65536;
	while (cap - x->sstb_len < n) {
		if (cap > ((size_t)-1) / 2)
			return -1;
		cap *= 2;
	}
	return sstb_alloc(x, cap);
}

static void on_characters(void *ctx, const xmlChar *ch, int len)
{
	xctx *x = ctx;
	if (!x->capture || x->in_rph)
		return;
	if (x->part == P_SST) {
		if (x->sstb_len - x->sst_cur + (size_t)len > x->lim->max_cell_bytes) {
			fail(x, "a cell holds more text than the limit (8 MiB)");
			return;
		}
		if (sstb_room(x, (size_t)len + 1) < 0) {
			fail(x, "out of memory");
			return;
		}
		memcpy(x->sstb + x->sstb_len, ch, (size_t)len);
		x->sstb_len += (size_t)len;
		return;
	}
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
		if (x->sst_pending) { /* text NULL, len the index, until sst_take */
			c.text = NULL;
			c.len = (size_t)idx;
		} else {
			c.text = x->sst_text + x->sst[idx].off;
			c.len = x->sst[idx].len;
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
		double d;
		if (fast_number(v, vlen, &d)) {
			end = v + vlen;
		} else {
			d = strtod(v, &end);
			while (*end == ' ')
				end++;
		}
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
		if (!x->sst && !strcmp(l, "sst")) {
			/* the strings' array at the size it says (an <si/> takes
			 * at least 5 bytes of the part): no growing, no copies */
			long n = attr_long(nattr, a, "uniqueCount", 0);
			if (n > 0 && (size_t)n <= x->sst_declared / 5 + 1 &&
			    (x->sst = malloc((size_t)n * sizeof *x->sst)) != NULL)
				x->capsst = (size_t)n;
		} else if (!strcmp(l, "si")) {
			x->in_si = 1;
			x->sst_cur = x->sstb_len;
			x->capture = 0;
		} else if (!strcmp(l, "rPh")) {
			x->in_rph = 1;
		} else if (x->in_si && !strcmp(l, "t")) {
			x->capture = 1; /* runs accumulate into one string */
		}
		break;
	case P_SHEET: {
		const xmlChar *const *nm = x->nm;
		if (x->skip_head) { /* the second half: the first reads all before sheetData */
			if (local == nm[NM_SHEETDATA]) {
				x->skip_head = 0;
				x->n_sheetdata++;
			}
			break;
		}
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
			if (!x->first_row) {
				x->first_row = (int)r;
				x->first_row_r = rv != NULL;
			}
			if (x->sj)
				sst_poll(x);
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
		} else if (local == nm[NM_SHEETDATA]) {
			x->n_sheetdata++;
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
				sst_str *v = realloc(x->sst, c * sizeof *v);
				if (!v) {
					fail(x, "out of memory");
					return;
				}
				x->sst = v;
				x->capsst = c;
			}
			if (sstb_room(x, 1) < 0) {
				fail(x, "out of memory");
				return;
			}
			char *s = x->sstb + x->sst_cur;
			size_t len = x->sstb_len - x->sst_cur;
			s[len] = 0;
			len = unescape_x(s, len);
			x->sst[x->nsst].off = (uint32_t)x->sst_cur;
			x->sst[x->nsst++].len = (uint32_t)len;
			x->sstb_len = x->sst_cur + len + 1;
			x->sst_cur = x->sstb_len;
		}
		break;
	case P_SHEET:
		if (x->skip_head)
			break;
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

/* A push parser for one part into x->parser; 0, or -1 with x->fail set. */
static int parser_begin(xctx *x, const char *name, enum part part)
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
	return 0;
}

/* The end of the part's text (when ok) and of its parser. */
static void parser_end(xctx *x, int ok)
{
	if (ok && !x->fail && xmlParseChunk(x->parser, NULL, 0, 1) != 0 && !x->fail)
		fail(x, "a part is not well-formed XML: the workbook is damaged");
	xmlFreeParserCtxt(x->parser);
	x->parser = NULL;
}

/* Parse one part; 0, or -1 with x->fail set. missing_ok: absent is fine. */
static int parse_part(xctx *x, rz_zip *z, const char *name, enum part part, int missing_ok)
{
	if (parser_begin(x, name, part) < 0)
		return -1;
	const char *why = NULL;
	int r = rz_stream(z, name, feed, x, &why);
	parser_end(x, r == 0);
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

/* Feed len bytes at p in chunks of the size rz_stream gives: libxml2 then
 * keeps no more than a chunk's copy. 0, or -1 (x->fail set). */
static int feed_mem(xctx *x, const char *p, size_t len)
{
	for (size_t at = 0; at < len; at += 65536)
		if (feed(x, p + at, len - at < 65536 ? len - at : 65536) < 0)
			return -1;
	return 0;
}

/* parse_part for a big part: inflated whole first (rz_read_block: by
 * libdeflate, into a block of its own), then parsed from there. */
static int parse_part_whole(xctx *x, rz_zip *z, const char *name, enum part part, int missing_ok)
{
	char *buf;
	size_t n, map;
	const char *why = NULL;
	if (rz_read_block(z, name, &buf, &n, &map, &why) < 0) {
		if (why && !strcmp(why, "missing")) {
			if (missing_ok)
				return 0;
			why = "a part the workbook needs is missing: the file is damaged or not an "
			      ".xlsx workbook";
		}
		fail(x, why ? why : "out of memory");
		return -1;
	}
	if (parser_begin(x, name, part) == 0)
		parser_end(x, feed_mem(x, buf, n) == 0);
	ms_unmap(buf, map);
	return x->fail ? -1 : 0;
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
	if (x->sstb_map)
		rd_unmap_block(x->sstb, x->sstb_map);
	else
		free(x->sstb);
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

/* Parse the shared strings at path into x; then their block is final. */
static int parse_sst(xctx *x, rz_zip *z, const char *path)
{
	size_t declared = rz_size(z, path);
	x->sst_declared = declared;
	if (declared > ((size_t)64 << 20))
		declared = (size_t)64 << 20; /* more, if it comes, by doubling */
	if (!x->sstb && declared)
		sstb_alloc(x, declared + 1); /* or, failing, from 64 KB by doubling */
	int r = x->sst_declared >= x->lim->split_sheet_bytes
	            ? parse_part_whole(x, z, path, P_SST, 1)
	            : parse_part(x, z, path, P_SST, 1);
	if (r == 0) {
		/* the block is final: trimmed (a mapped one keeps its size) */
		char *b = x->sstb_len && !x->sstb_map ? realloc(x->sstb, x->sstb_len) : NULL;
		if (b) {
			x->sstb = b;
			x->sstb_cap = x->sstb_len;
		}
		x->sst_text = x->sstb;
	}
	return r;
}

/* The shared strings on a second thread (util/job.h) while this one reads
 * the first worksheet; its "s" cells wait for their text until the job is
 * over, and once it is (polled at each row), the later ones take it at
 * once. The job has its own parser context, zip handle (a twin: the two
 * count inflated bytes together) and arena, which the book adopts; it
 * shares nothing else. It used to inflate the worksheet too, for this
 * thread to parse from a queue: the queue's copies and up to 4 MB of fresh
 * pages cost more than the inflating they moved (DECISIONS.md). */
typedef struct sst_job {
	xctx x;
	rz_zip *z;
	const char *path; /* the shared strings */
	ms_job job;
	atomic_int ready; /* the job is over: joining will not wait */
	int taken;        /* sst_take has run */
} sst_job;

static int run_sst(void *p)
{
	sst_job *j = p;
	int r = parse_sst(&j->x, j->z, j->path);
	atomic_store_explicit(&j->ready, 1, memory_order_release);
	return r;
}

/* Start reading the shared strings at path on another thread; 0, or -1
 * when no thread, handle or arena could be had (then read them in line,
 * first). */
static int sst_start(sst_job *j, xctx *x, rz_zip *z, const char *path)
{
	const char *why;
	memset(j, 0, sizeof *j);
	atomic_init(&j->ready, 0);
	j->x.book = x->book;
	j->x.lim = x->lim;
	j->x.arena = ms_threads_allowed() ? ms_arena_new() : NULL;
	j->z = j->x.arena ? rz_open_twin(z, &why) : NULL;
	if (!j->z) {
		ms_arena_free(j->x.arena);
		return -1;
	}
	j->path = path;
	if (ms_job_try_start(&j->job, run_sst, j) < 0) {
		rz_close(j->z);
		ms_arena_free(j->x.arena);
		return -1;
	}
	x->sst_pending = 1;
	x->sj = j;
	return 0;
}

/* Wait for the shared strings (at once when j->ready), take them into x,
 * and give the waiting "s" cells of the sheet being built their text (empty
 * strings are no cells, as in sheet_cell_end). The job's error, if any, is
 * the one reported: read in order, the shared strings come before any
 * sheet. */
static void sst_take(sst_job *j, xctx *x)
{
	if (j->taken)
		return;
	j->taken = 1;
	ms_job_join(&j->job);
	int adopted = rd_book_adopt_arena(x->book, j->x.arena) == 0;
	x->sst_pending = 0;
	x->sst = j->x.sst;
	x->nsst = j->x.nsst;
	x->sst_text = j->x.sst_text;
	j->x.sst = NULL;
	if (j->x.sstb) {
		rd_book_adopt_block(x->book, j->x.sstb, j->x.sstb_map);
		j->x.sstb = NULL;
	}
	const char *err = j->x.fail;
	if (!err && (!adopted || ms_arena_oom(j->x.arena)))
		err = "out of memory";
	xctx_free(&j->x);
	if (!adopted)
		ms_arena_free(j->x.arena);
	if (err) {
		x->fail = NULL; /* this one wins, and it is in no sheet */
		x->fail_sheet = NULL;
		fail(x, err);
		return;
	}
	if (x->fail)
		return;
	/* in place: the cells are written only where they wait */
	rd_sheetb *sb = &x->sb;
	rd_cell *cells = sb->cells;
	size_t empty = 0;
	for (size_t i = 0; i < sb->n; i++) {
		rd_cell *c = &cells[i];
		if (c->type == RD_TEXT && !c->text) {
			if (c->len >= x->nsst) {
				fail(x, SST_MISSING);
				return;
			}
			const sst_str *e = &x->sst[c->len];
			c->text = x->sst_text + e->off;
			c->len = e->len;
			empty += !e->len;
		}
	}
	if (empty) { /* rare: cells of empty shared strings are no cells */
		size_t k = 0;
		for (size_t i = 0; i < sb->n; i++)
			if (!(cells[i].type == RD_TEXT && !cells[i].len))
				cells[k++] = cells[i];
		sb->n = k;
		rd_sheetb_changed(sb);
	}
}

/* At a row of the first worksheet: the shared strings, if they are done. */
static void sst_poll(xctx *x)
{
	sst_job *j = x->sj;
	if (!j->taken && atomic_load_explicit(&j->ready, memory_order_acquire))
		sst_take(j, x);
}

/* The end of the job: the strings taken, its zip handle closed. */
static void sst_finish(sst_job *j, xctx *x)
{
	sst_take(j, x);
	rz_close(j->z);
	x->sj = NULL;
}

#define MSG_REL_MISSING                                                                            \
	"the workbook lists this sheet, but its relationship ('%s') is missing: the file is "      \
	"damaged; save it again in Excel (this sheet is not read, the others are)"
#define MSG_PART_MISSING                                                                           \
	"the sheet's part '%s' is missing from the file: the file is damaged; save it again in "   \
	"Excel (this sheet is not read, the others are)"

/* One big sheet on two cores -------------------------------------------
 *
 * The register's one sheet is most of its reading, the shared strings
 * (on their own thread) the rest. So a big sheet is inflated whole into a
 * block of its own and cut at a <row> near its middle: this thread parses
 * the first half and closes it with the end tags of sheetData and the root;
 * another parses the part's start (up to sheetData's start tag, which gives
 * it the same namespaces), skips what comes before sheetData, then parses
 * the second half from the row. Each half is well-formed only when the cut
 * is where a row starts inside sheetData (not in a comment, CDATA or
 * another element): when either half fails, the sheet had two sheetData
 * or the second half's first row no number above the first half's last,
 * the whole workbook is read again serially, for exactly the serial
 * result. Else the second half's cells follow the first's. */
typedef struct half_job {
	xctx w;           /* the second half's context */
	const char *name; /* the part */
	const char *head; /* the part up to sheetData's start tag... */
	size_t nhead;
	const char *body; /* ...and from the row where the half starts */
	size_t nbody;
	ms_arena *arena; /* the second half's copied text */
	ms_job job;
	int failed;
} half_job;

static int run_half(void *p)
{
	half_job *h = p;
	xctx *w = &h->w;
	if (parser_begin(w, h->name, P_SHEET) < 0) {
		h->failed = 1;
		return 0;
	}
	int ok = feed(w, h->head, h->nhead) == 0 && feed_mem(w, h->body, h->nbody) == 0;
	parser_end(w, ok);
	h->failed = !ok || w->fail || w->skip_head || w->n_sheetdata != 1 || !w->first_row_r ||
	            ms_arena_oom(h->arena);
	return 0;
}

/* The first pat (pl bytes) in b (n bytes), or NULL: for short distances. */
static const char *find_bytes(const char *b, size_t n, const char *pat, size_t pl)
{
	for (const char *p = b, *end = b + n; (size_t)(end - p) >= pl;) {
		const char *c = memchr(p, pat[0], (size_t)(end - p) - pl + 1);
		if (!c)
			return NULL;
		if (!memcmp(c, pat, pl))
			return c;
		p = c + 1;
	}
	return NULL;
}

/* The qualified name of the tag at b[i] ('<' there), into q (cap bytes):
 * its length, 0 when it is none or too long. */
static size_t tag_qname(const char *b, size_t n, size_t i, char *q, size_t cap)
{
	size_t j = i + 1, k = 0;
	while (j < n && b[j] != ' ' && b[j] != '\t' && b[j] != '\r' && b[j] != '\n' &&
	       b[j] != '>' && b[j] != '/') {
		if (k + 1 >= cap)
			return 0;
		q[k++] = b[j++];
	}
	q[k] = 0;
	return k;
}

/* The end ('>') of the tag at b[i], '>' in quoted values skipped; n when
 * there is none. */
static size_t tag_end(const char *b, size_t n, size_t i)
{
	char quote = 0;
	for (size_t j = i + 1; j < n; j++) {
		if (quote) {
			if (b[j] == quote)
				quote = 0;
		} else if (b[j] == '"' || b[j] == '\'') {
			quote = b[j];
		} else if (b[j] == '>') {
			return j;
		}
	}
	return n;
}

/* Where to cut the sheet b (n bytes): *head, the bytes up to and with
 * sheetData's start tag; *cut, where a row starts near the middle; into
 * close, the end tags of sheetData and the root. 0 when no cut is to be
 * had: a plain read then. Only the start is scanned as tags, and it must
 * have no comment, PI (but the XML declaration) or DOCTYPE; any wrong cut
 * makes a half fail (see above). */
static int find_cut(const char *b, size_t n, size_t *head, size_t *cut, char *close, size_t cap)
{
	char root[128] = "", q[128];
	size_t i = 0, lim = n < 65536 ? n : 65536;
	if (lim >= 5 && !memcmp(b, "<?xml", 5)) {
		const char *e = find_bytes(b, lim, "?>", 2);
		if (!e)
			return 0;
		i = (size_t)(e - b) + 2;
	}
	for (;;) {
		const char *lt = memchr(b + i, '<', lim - i);
		if (!lt)
			return 0;
		i = (size_t)(lt - b);
		if (i + 1 >= lim || b[i + 1] == '!' || b[i + 1] == '?')
			return 0;
		size_t e = tag_end(b, lim, i);
		if (e >= lim)
			return 0;
		if (b[i + 1] != '/') {
			size_t ql = tag_qname(b, lim, i, q, sizeof q);
			if (!ql)
				return 0;
			if (!root[0]) {
				memcpy(root, q, ql + 1);
			} else {
				const char *colon = strchr(q, ':');
				if (!strcmp(colon ? colon + 1 : q, "sheetData")) {
					if (b[e - 1] == '/')
						return 0; /* empty */
					*head = e + 1;
					break;
				}
			}
		}
		i = e + 1;
	}
	/* "</sheetData></root>", and the pattern of a row: "<row" with the
	 * prefix of sheetData */
	const char *colon = strchr(q, ':');
	size_t pl = colon ? (size_t)(colon - q) + 1 : 0;
	char pat[136];
	pat[0] = '<';
	memcpy(pat + 1, q, pl);
	memcpy(pat + 1 + pl, "row", 4);
	size_t patl = pl + 4;
	if ((size_t)snprintf(close, cap, "</%s></%s>", q, root) >= cap)
		return 0;
	size_t mid = *head + (n - *head) / 2;
	for (size_t at = mid; at + patl < n;) {
		const char *hit = find_bytes(b + at, n - at, pat, patl);
		if (!hit || (size_t)(hit - b) + patl >= n)
			return 0;
		char after = hit[patl];
		if (after == ' ' || after == '>' || after == '/' || after == '\t' ||
		    after == '\r' || after == '\n') {
			*cut = (size_t)(hit - b);
			return 1;
		}
		at = (size_t)(hit - b) + 1;
	}
	return 0;
}

/* Read the sheet part (its builder begun in x->sb) in two halves when it
 * can be cut: 1, the first half's cells in x->sb and the second's in h
 * (merge_half) or, no cut found, the whole sheet read; -1: read the
 * workbook again serially. */
static int parse_split(xctx *x, rz_zip *z, const char *part, const char *sname, int hidden,
                       half_job *h)
{
	memset(h, 0, sizeof *h);
	char *buf;
	size_t n, map;
	const char *why;
	if (rz_read_block(z, part, &buf, &n, &map, &why) < 0)
		return -1;
	size_t head = 0, cut = 0;
	char close[300];
	int two = find_cut(buf, n, &head, &cut, close, sizeof close) &&
	          (h->arena = ms_arena_new()) != NULL;
	if (two) {
		xctx *w = &h->w;
		w->book = x->book;
		w->lim = x->lim;
		w->arena = h->arena;
		w->xf_date = x->xf_date;
		w->nxf = x->nxf;
		w->sst_pending = x->sst_pending; /* then "s" cells keep their index */
		w->sst = x->sst;
		w->nsst = x->nsst;
		w->sst_text = x->sst_text;
		w->cur_sheet = sname;
		w->skip_head = 1;
		rd_sheetb_begin(&w->sb, x->book, sname, hidden);
		rd_sheetb_hint(&w->sb, (n - cut) / 15);
		w->sb.arena = h->arena;
		h->name = part;
		h->head = buf;
		h->nhead = head;
		h->body = buf + cut;
		h->nbody = n - cut;
		ms_job_start(&h->job, run_half, h);
	}
	int ok = parser_begin(x, part, P_SHEET) == 0;
	if (ok) {
		ok = feed_mem(x, buf, two ? cut : n) == 0 &&
		     (!two || feed(x, close, strlen(close)) == 0);
		parser_end(x, ok);
	}
	if (two)
		ms_job_join(&h->job);
	ms_unmap(buf, map);
	if (!ok || x->fail || (two && (h->failed || x->n_sheetdata != 1)))
		return -1;
	return 1;
}

/* The second half's cells after the first's, their shared strings now
 * final: 0, or -1 (read the workbook again serially). */
static int merge_half(xctx *x, half_job *h)
{
	xctx *w = &h->w;
	if (!h->arena)
		return 0; /* no cut: read whole */
	if (w->first_row <= x->row || x->ncells + w->ncells > x->lim->max_cells ||
	    rd_book_adopt_arena(x->book, h->arena) < 0)
		return -1;
	h->arena = NULL;
	x->ncells += w->ncells;
	for (size_t i = 0; i < w->sb.n; i++) {
		rd_cell c = w->sb.cells[i];
		if (c.type == RD_TEXT && !c.text) { /* a shared string's index */
			if (c.len >= x->nsst)
				return -1;
			const sst_str *e = &x->sst[c.len];
			if (!e->len)
				continue; /* cells of empty strings are no cells */
			c.text = x->sst_text + e->off;
			c.len = e->len;
		}
		if (rd_sheetb_add(&x->sb, &c, 0) < 0) {
			fail(x, "out of memory");
			return 0;
		}
	}
	return 0;
}

static void half_free(half_job *h)
{
	rd_sheetb_discard(&h->w.sb);
	ms_buf_free(&h->w.text);
	ms_arena_free(h->arena);
	h->arena = NULL;
}

/* Sheets on two cores ---------------------------------------------------
 *
 * A workbook of several big sheets (the progress report's data: statuses
 * and funding) has them read two at a time, biggest first, each by a
 * context of its own (parser, zip handle, text buffer, builder; the other
 * thread's copied text in an arena of its own), sharing only the styles
 * and shared strings, which are final by then. The sheets are then put in
 * the book in workbook order, as the serial loop of read_zip does. When any
 * sheet fails, or the cells together pass the limit, everything is read
 * again serially: the diagnostics are then exactly the serial ones, which
 * stop at the first bad sheet (a damaged file pays the time twice). */
typedef struct par_sheet {
	const char *name; /* as in the workbook */
	const char *part; /* NULL: not read (see missing) */
	int missing;      /* 1: its relationship is missing; 2: its part; 0 */
	size_t size;      /* the part's declared size: biggest first */
	rd_sheetb sb;
	size_t ncells;
	int failed;
} par_sheet;

typedef struct par_run {
	const xctx *x; /* the styles and shared strings, read-only */
	par_sheet *s;
	size_t *order; /* indices of the sheets read, biggest first */
	size_t norder;
	atomic_size_t next; /* the next of order to take */
	atomic_int stop;    /* a sheet failed: the rest need not be read */
	rz_zip *z2;         /* the second thread's handle */
	ms_arena *arena2;   /* the second thread's text */
	ms_job job;
} par_run;

/* Read sheets of pr until none is left, with its own context. */
static int par_work(par_run *pr, rz_zip *z, ms_arena *arena)
{
	const xctx *x = pr->x;
	xctx w;
	memset(&w, 0, sizeof w);
	w.book = x->book;
	w.lim = x->lim;
	w.arena = arena;
	w.xf_date = x->xf_date;
	w.nxf = x->nxf;
	w.sst = x->sst;
	w.nsst = x->nsst;
	w.sst_text = x->sst_text;
	ms_buf_init(&w.text);
	for (;;) {
		size_t k = atomic_fetch_add(&pr->next, 1);
		if (k >= pr->norder || atomic_load(&pr->stop))
			break;
		par_sheet *ps = &pr->s[pr->order[k]];
		w.sb = ps->sb;
		w.sb.arena = arena;
		w.cur_sheet = ps->name;
		w.row = w.col = 0;
		w.ncells = 0;
		w.fail = NULL;
		int r = ps->size >= x->lim->split_sheet_bytes
		            ? parse_part_whole(&w, z, ps->part, P_SHEET, 0)
		            : parse_part(&w, z, ps->part, P_SHEET, 0);
		ps->sb = w.sb;
		ps->ncells = w.ncells;
		if (r < 0 || w.fail || ms_arena_oom(arena)) {
			ps->failed = 1;
			atomic_store(&pr->stop, 1);
		}
	}
	ms_buf_free(&w.text);
	return 0;
}

static int run_par(void *p)
{
	par_run *pr = p;
	return par_work(pr, pr->z2, pr->arena2);
}

/* Largest first, then in workbook order. */
typedef struct par_key {
	size_t size, i;
} par_key;

static int par_cmp(const void *a, const void *b)
{
	const par_key *p = a, *q = b;
	if (p->size != q->size)
		return p->size < q->size ? 1 : -1;
	return (p->i > q->i) - (p->i < q->i);
}

/* Read the worksheets of x two at a time when that pays. 1: done (the
 * sheets are in the book, or x->fail is set); 0: not worth a thread (read
 * them serially); -1: a sheet failed, read the whole workbook serially. */
static int read_sheets_par(xctx *x, rz_zip *z, const char *wb_path, ms_diags *d)
{
	const rd_limits *lim = x->lim;
	if (x->nsheets < 2 || !ms_threads_allowed())
		return 0;
	par_sheet *s = calloc(x->nsheets, sizeof *s);
	size_t *order = calloc(x->nsheets, sizeof *order);
	size_t norder = 0, total = 0, biggest = 0;
	if (!s || !order) {
		free(s);
		free(order);
		return 0;
	}
	for (size_t i = 0; i < x->nsheets; i++) {
		const rel *r = worksheet_rel(x, i);
		s[i].name = x->sheets[i].name ? x->sheets[i].name : "Sheet";
		if (!r) {
			s[i].missing = find_rel_id(x, x->sheets[i].rid) ? 0 : 1;
			continue;
		}
		const char *part = resolve(x->arena, wb_path, r->target);
		if (!part || !rz_has(z, part)) {
			s[i].missing = 2;
			s[i].part = part; /* named in the diagnostic, not read */
			continue;
		}
		s[i].part = part;
		s[i].size = rz_size(z, part);
		total += s[i].size;
		if (s[i].size > biggest)
			biggest = s[i].size;
		order[norder++] = i;
	}
	/* a thread for what the other sheets hold beside the biggest */
	if (norder < 2 || total - biggest < lim->par_sheet_bytes) {
		free(s);
		free(order);
		return 0;
	}
	par_key *keys = malloc(norder * sizeof *keys);
	if (!keys) {
		free(s);
		free(order);
		return 0;
	}
	for (size_t k = 0; k < norder; k++)
		keys[k] = (par_key){s[order[k]].size, order[k]};
	qsort(keys, norder, sizeof *keys, par_cmp);
	for (size_t k = 0; k < norder; k++)
		order[k] = keys[k].i;
	free(keys);
	for (size_t k = 0; k < norder; k++) {
		par_sheet *ps = &s[order[k]];
		rd_sheetb_begin(&ps->sb, x->book, ps->name, x->sheets[order[k]].hidden);
		size_t guess = ps->size / 15; /* as in read_zip */
		rd_sheetb_hint(&ps->sb, guess < lim->max_cells ? guess : lim->max_cells);
	}
	par_run pr;
	memset(&pr, 0, sizeof pr);
	pr.x = x;
	pr.s = s;
	pr.order = order;
	pr.norder = norder;
	atomic_init(&pr.next, 0);
	atomic_init(&pr.stop, 0);
	const char *why;
	pr.arena2 = ms_arena_new();
	pr.z2 = pr.arena2 ? rz_open_twin(z, &why) : NULL;
	int threaded = pr.z2 && ms_job_try_start(&pr.job, run_par, &pr) == 0;
	par_work(&pr, z, x->arena);
	if (threaded)
		ms_job_join(&pr.job);
	rz_close(pr.z2);
	int failed = atomic_load(&pr.stop);
	size_t cells = 0;
	for (size_t k = 0; k < norder; k++)
		cells += s[order[k]].ncells;
	if (failed || cells > lim->max_cells || ms_arena_oom(x->arena) ||
	    (pr.arena2 && rd_book_adopt_arena(x->book, pr.arena2) < 0)) {
		for (size_t k = 0; k < norder; k++)
			rd_sheetb_discard(&s[order[k]].sb);
		ms_arena_free(pr.arena2);
		free(s);
		free(order);
		return -1;
	}
	x->ncells = cells;
	/* in workbook order, as read_zip's loop would have */
	for (size_t i = 0; !x->fail && i < x->nsheets; i++) {
		ms_pos sp = {x->book->path, s[i].name, 0, 0, 0};
		if (s[i].missing == 1)
			ms_diag_add(d, MS_ERROR, &sp, MSG_REL_MISSING,
			            x->sheets[i].rid ? x->sheets[i].rid : "none");
		else if (s[i].missing == 2)
			ms_diag_add(d, MS_ERROR, &sp, MSG_PART_MISSING,
			            s[i].part ? s[i].part : "?");
		else if (s[i].part && rd_sheetb_end(&s[i].sb) < 0)
			fail(x, "out of memory");
	}
	for (size_t k = 0; k < norder; k++)
		rd_sheetb_discard(&s[order[k]].sb);
	free(s);
	free(order);
	return 1;
}

/* par: sheets may be read two at a time (read_sheets_par) */
static rd_book *read_zip(const char *name, const void *data, size_t len, const rd_limits *lim,
                         ms_diags *d, int par)
{
	ms_pos pos = ms_pos_file(name);
	size_t d_at_start = d->n;
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
	 * worksheet is: its "s" cells wait for their text (sst_take). */
	sst_job sj;
	int async = 0;
	if (!x.fail) {
		const rel *ss = find_rel_type(&x, "/sharedStrings");
		const char *sp = ss ? resolve(x.arena, wb_path, ss->target) : NULL;
		if (sp && rz_size(z, sp) >= lim->sst_thread_bytes && sst_start(&sj, &x, z, sp) == 0)
			async = 1;
		else if (sp && parse_sst(&x, z, sp) == 0 && x.sstb) {
			rd_book_adopt_block(book, x.sstb, x.sstb_map);
			x.sstb = NULL;
		}
	}
	/* several big sheets: two at a time */
	int pr = par && !async && !x.fail ? read_sheets_par(&x, z, wb_path, d) : 0;
	if (pr < 0) { /* a sheet failed: all again, serially, for its diagnostics */
		rz_close(z);
		xctx_free(&x);
		rd_book_free(book);
		return read_zip(name, data, len, lim, d, 0);
	}
	for (size_t i = 0; pr == 0 && !x.fail && i < x.nsheets; i++) {
		const rel *r = worksheet_rel(&x, i);
		const char *sname = x.sheets[i].name ? x.sheets[i].name : "Sheet";
		if (!r) {
			/* a chart sheet is no worksheet: skipped; a sheet whose
			 * relationship is missing is named, the others are read */
			if (!find_rel_id(&x, x.sheets[i].rid)) {
				ms_pos sp = {name, sname, 0, 0, 0};
				ms_diag_add(d, MS_ERROR, &sp, MSG_REL_MISSING,
				            x.sheets[i].rid ? x.sheets[i].rid : "none");
			}
			continue;
		}
		const char *part = resolve(x.arena, wb_path, r->target);
		if (!part || !rz_has(z, part)) {
			ms_pos sp = {name, sname, 0, 0, 0};
			ms_diag_add(d, MS_ERROR, &sp, MSG_PART_MISSING, part ? part : "?");
			continue;
		}
		x.cur_sheet = sname;
		rd_sheetb_begin(&x.sb, book, sname, x.sheets[i].hidden);
		/* a stored cell takes at least 15 bytes of XML: <c><v>1</v></c> */
		size_t guess = rz_size(z, part) / 15;
		rd_sheetb_hint(&x.sb, guess < lim->max_cells ? guess : lim->max_cells);
		x.row = 0;
		x.col = 0;
		x.n_sheetdata = x.first_row = 0;
		half_job h;
		/* (after a diagnostic of this read, never: read again, it would be twice) */
		int split = par && d->n == d_at_start &&
		                    rz_size(z, part) >= lim->split_sheet_bytes &&
		                    ms_threads_allowed()
		                ? parse_split(&x, z, part, sname, x.sheets[i].hidden, &h)
		                : 0;
		int r0 = split ? 0 : parse_part(&x, z, part, P_SHEET, 0);
		if (async) {
			async = 0;
			sst_finish(&sj, &x);
		}
		if (split > 0 && !x.fail && merge_half(&x, &h) < 0)
			split = -1;
		if (split)
			half_free(&h);
		if (split < 0 || (split && x.fail)) {
			/* a half failed: all again, serially, for exactly its result */
			rz_close(z);
			xctx_free(&x);
			rd_book_free(book);
			return read_zip(name, data, len, lim, d, 0);
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
	return read_zip(name, data, len, lim ? lim : &def, d, 1);
}

/* A regular file of 1 MB or more read into a block of its own (sheetb.h):
 * read into the heap, the register's 1.9 MB took 440 page faults. NULL
 * when it is not such a file or cannot be read whole: ms_read_file then
 * reads it, or says why not. (Mapping the file itself would be cheaper
 * still, but a file that shrinks while mapped kills the process.) */
static char *read_big(const char *path, size_t *len, size_t *map)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	char *p = NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= (1 << 20) &&
	    (unsigned long long)st.st_size <= MAX_FILE_BYTES &&
	    (p = rd_map_block((size_t)st.st_size, map)) != NULL) {
		size_t n = 0, want = (size_t)st.st_size;
		while (n < want) {
			ssize_t r = read(fd, p + n, want - n);
			if (r <= 0)
				break;
			n += (size_t)r;
		}
		if (n != want) { /* it changed while read: the ordinary way */
			rd_unmap_block(p, *map);
			p = NULL;
		}
		*len = n;
	}
	close(fd);
	return p;
}

rd_book *xlsx_read(const char *path, const rd_limits *lim, ms_diags *d)
{
	char *data;
	size_t len, map;
	int big;
	if ((data = read_big(path, &len, &map)) != NULL) {
		rd_book *b = xlsx_read_mem(path, data, len, lim, d);
		rd_unmap_block(data, map);
		return b;
	}
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
