/* record.c — reading inputs into validated records (see record.h).
 *
 * Every source (a Markdown form, an XLSX Form sheet, a table row of an XLSX
 * sheet or a CSV file) is first gathered into a `raw` record: one value per
 * schema field and one cmark document per section, each with its position.
 * build() then types and validates the values by the schema (schema.c) and
 * makes the kind's record. Cross-record rules are in link.c.
 */
#include "record.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../img/img.h"
#include "../read/csv.h"
#include "../read/docx.h"
#include "../read/mdform.h"
#include "../read/ods.h"
#include "../read/xlsx.h"
#include "../read/xlsx_pics.h"
#include "../util/arena.h"
#include "../util/buf.h"
#include "country.h"
#include "recpriv.h"
#include "schema.h"

#define MAX_FIELDS 16
#define MAX_SECTIONS 6
#define MAX_DEPTH 16
#define MAX_FILES 100000
#define EXCEL_CELL_MAX 32767

/* One value as read, before typing. */
typedef struct fval {
	int present;
	const char *text; /* owned by the pool or the reader */
	int is_date;      /* a spreadsheet date cell */
	ms_day day;
	ms_pos pos;
	int empty; /* the line, row or cell is there but blank (pos says where) */
} fval;

typedef struct raw {
	rec_kind kind;
	const sch_form *form;
	ms_pos pos;
	const char *dir; /* folder of the source file: images resolve from it */
	fval f[MAX_FIELDS];
	cmark_node *sec[MAX_SECTIONS];
	ms_pos sec_pos[MAX_SECTIONS];
	int rejected;
	char *reason;
	int table;                     /* from a table row (else a Markdown form or a Form sheet) */
	int has_heading[MAX_SECTIONS]; /* the section's heading is in the form */
	const char *media_dir;         /* pictures taken out of a Word file */
} raw;

/* Pool --------------------------------------------------------------------- */

rec_set *rec_set_new(void)
{
	rec_set *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	rec_pool *p = calloc(1, sizeof *p);
	if (!p || !(p->arena = ms_arena_new())) {
		free(p);
		free(s);
		return NULL;
	}
	s->pool = p;
	return s;
}

static rec_pool *pool(rec_set *s)
{
	return s->pool;
}

char *rec_strdup(rec_set *s, const char *t)
{
	return ms_arena_strdup(pool(s)->arena, t);
}

static void *palloc(rec_set *s, size_t n)
{
	return ms_arena_alloc(pool(s)->arena, n);
}

/* cmark documents are freed with the set. */
static void keep_node(rec_set *s, cmark_node *n)
{
	rec_pool *p = pool(s);
	if (!n)
		return;
	if (p->nnodes == p->capnodes) {
		size_t c = p->capnodes ? p->capnodes * 2 : 64;
		cmark_node **v = realloc(p->nodes, c * sizeof *v);
		if (!v) {
			cmark_node_free(n);
			return;
		}
		p->nodes = v;
		p->capnodes = c;
	}
	p->nodes[p->nnodes++] = n;
}

void rec_set_free(rec_set *s)
{
	if (!s)
		return;
	rec_pool *p = s->pool;
	if (p) {
		for (size_t i = 0; i < p->nnodes; i++)
			cmark_node_free(p->nodes[i]);
		free(p->nodes);
		for (size_t i = 0; i < p->nmedia; i++) {
			docx_media_remove(p->media[i]);
			free(p->media[i]);
		}
		free(p->media);
		ms_arena_free(p->arena);
		free(p);
	}
	free(s->contributions);
	free(s->books);
	free(s->entries);
	free(s->digests);
	free(s->actions);
	free(s->statuses);
	free(s->reports);
	free(s->fundings);
	free(s->papers);
	free(s->letters);
	free(s->recipients);
	for (size_t i = 0; i < s->nfiles; i++) {
		free(s->files[i].path);
		free(s->files[i].note);
		for (size_t k = 0; k < s->files[i].nskipped_sheets; k++)
			free(s->files[i].skipped_sheets[k]);
		free(s->files[i].skipped_sheets);
	}
	free(s->files);
	free(s);
}

/* Append p to a pointer array (void ** view of the typed arrays). */
static int push(void ***v, size_t *n, void *p)
{
	if ((*n & (*n - 1)) == 0) { /* grow at powers of two */
		size_t c = *n ? *n * 2 : 8;
		void **nv = realloc(*v, c * sizeof *nv);
		if (!nv)
			return -1;
		*v = nv;
	}
	(*v)[(*n)++] = p;
	return 0;
}

/* Kinds -------------------------------------------------------------------- */

static const char *kind_names[K_COUNT] = {
    "Contribution", "Book",    "Need",    "Offer", "Experience", "Digest",    "Actions",
    "Status",       "Reports", "Funding", "Paper", "Letter",     "Recipients"};

const char *rec_kind_name(rec_kind k)
{
	return (unsigned)k < K_COUNT ? kind_names[k] : "?";
}

int rec_kind_lookup(const char *name)
{
	char *k = ms_name_key(name);
	int r = -1;
	if (!k)
		return -1;
	static const struct {
		const char *key;
		int kind;
	} names[] = {
	    {"contribution", K_CONTRIBUTION},
	    {"contributions", K_CONTRIBUTION},
	    {"book", K_BOOK},
	    {"books", K_BOOK},
	    {"need", K_NEED},
	    {"needs", K_NEED},
	    {"offer", K_OFFER},
	    {"offers", K_OFFER},
	    {"experience", K_EXPERIENCE},
	    {"experiences", K_EXPERIENCE},
	    {"digest", K_DIGEST},
	    {"digests", K_DIGEST},
	    {"action", K_ACTION},
	    {"actions", K_ACTION},
	    {"status", K_STATUS},
	    {"statuses", K_STATUS},
	    {"report", K_REPORT},
	    {"reports", K_REPORT},
	    {"funding", K_FUNDING},
	    {"fundings", K_FUNDING},
	    {"paper", K_PAPER},
	    {"papers", K_PAPER},
	    {"letter", K_LETTER},
	    {"letters", K_LETTER},
	    {"recipient", K_RECIPIENT},
	    {"recipients", K_RECIPIENT},
	    {"mission", K_RECIPIENT},
	    {"missions", K_RECIPIENT},
	    {"entry", REC_ENTRIES_SHEET},
	    {"entries", REC_ENTRIES_SHEET},
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(k, names[i].key))
			r = names[i].kind;
	free(k);
	return r;
}

const char *rec_kind_folder(rec_kind k)
{
	switch (k) {
	case K_CONTRIBUTION:
	case K_BOOK: return "catalogue";
	case K_NEED:
	case K_OFFER:
	case K_EXPERIENCE:
	case K_DIGEST: return "portal";
	case K_PAPER: return "papers";
	case K_LETTER:
	case K_RECIPIENT: return "letters";
	default: return "progress";
	}
}

/* Diagnostics --------------------------------------------------------------- */

void rec_reject(rec_set *s, rec_base *r, ms_diags *d, const ms_pos *pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ms_buf b;
	ms_buf_init(&b);
	ms_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	ms_diag_add(d, MS_ERROR, pos, "%s", b.s ? b.s : "");
	if (r) {
		if (!r->rejected && b.s)
			r->reason = rec_strdup(s, b.s);
		r->rejected = 1;
	}
	ms_buf_free(&b);
}

static void raw_error(rec_set *s, raw *rw, ms_diags *d, const ms_pos *pos, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void raw_error(rec_set *s, raw *rw, ms_diags *d, const ms_pos *pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ms_buf b;
	ms_buf_init(&b);
	ms_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	ms_diag_add(d, MS_ERROR, pos, "%s", b.s ? b.s : "");
	if (!rw->rejected)
		rw->reason = rec_strdup(s, b.s ? b.s : "");
	rw->rejected = 1;
	ms_buf_free(&b);
}

/* Files --------------------------------------------------------------------- */

static rec_file *add_file(rec_set *s, const char *path, rec_file_state st, const char *note)
{
	if ((s->nfiles & (s->nfiles - 1)) == 0) {
		size_t c = s->nfiles ? s->nfiles * 2 : 16;
		rec_file *v = realloc(s->files, c * sizeof *v);
		if (!v)
			return NULL;
		s->files = v;
	}
	rec_file *f = &s->files[s->nfiles++];
	memset(f, 0, sizeof *f);
	f->path = strdup(path);
	f->state = st;
	f->note = note ? strdup(note) : NULL;
	return f;
}

void rec_note_file(rec_set *s, const char *path, rec_file_state state, const char *note)
{
	add_file(s, path, state, note);
}

static void file_skip_sheet(rec_file *f, const char *name)
{
	char **v = realloc(f->skipped_sheets, (f->nskipped_sheets + 1) * sizeof *v);
	if (!v)
		return;
	f->skipped_sheets = v;
	v[f->nskipped_sheets++] = strdup(name);
}

/* Images -------------------------------------------------------------------- */

/* 1 when url, resolved lexically ('..' against base, the form's real
 * folder), lies outside root: caught before asking the file system, so that
 * a path to a file that does not exist is still named for what it is. */
static int escapes(const char *base, const char *url, const char *rroot)
{
	if (!*base) /* the folder could not be resolved: the file will not be */
		return 0;
	ms_buf b;
	ms_buf_init(&b);
	ms_buf_adds(&b, base);
	const char *p = url;
	while (*p) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == 2 && !strncmp(p, "..", 2)) {
			char *sl = b.s ? strrchr(b.s, '/') : NULL;
			if (sl) {
				b.len = (size_t)(sl - b.s);
				b.s[b.len] = 0;
			}
		} else if (n && !(n == 1 && *p == '.')) {
			ms_buf_addc(&b, '/');
			ms_buf_add(&b, p, n);
		}
		p += n + (e ? 1 : 0);
	}
	size_t rl = strlen(rroot);
	int out = !b.s || strncmp(b.s, rroot, rl) != 0 || (b.s[rl] != '/' && b.s[rl] != 0);
	ms_buf_free(&b);
	return out;
}

/* Check every image of a section and point its URL at the real file. */
static void check_images(rec_set *s, raw *rw, cmark_node *doc, const ms_pos *secpos,
                         const char *root, ms_diags *d)
{
	if (!doc)
		return;
	char rroot[PATH_MAX], rdir[PATH_MAX];
	size_t rl = 0; /* root and folder are resolved at the first image only */
	cmark_node *drop[256];
	size_t ndrop = 0;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_IMAGE)
			continue;
		if (!rl) {
			if (!realpath(root, rroot))
				break;
			rl = strlen(rroot);
			if (!realpath(rw->dir, rdir))
				rdir[0] = 0;
		}
		const char *url = cmark_node_get_url(n);
		ms_pos p = *secpos;
		if (!p.sheet) {
			/* inline positions are approximate in cmark-gfm: count the
			 * line breaks before the image in its paragraph instead */
			cmark_node *par = cmark_node_parent(n);
			int line = par ? cmark_node_get_start_line(par) : 0;
			for (cmark_node *x = par ? cmark_node_first_child(par) : NULL; x && x != n;
			     x = cmark_node_next(x))
				line += cmark_node_get_type(x) == CMARK_NODE_SOFTBREAK ||
				        cmark_node_get_type(x) == CMARK_NODE_LINEBREAK;
			if (line > 0)
				p.line = line;
		}
		if (!url || !*url) {
			raw_error(s, rw, d, &p,
			          "an image has no file name: write ![Caption](photos/file.jpg)");
			continue;
		}
		size_t ml = rw->media_dir ? strlen(rw->media_dir) : 0;
		if (ml && !strncmp(url, rw->media_dir, ml) && url[ml] == '/' &&
		    !strstr(url + ml, "/..")) {
			/* a picture of a Word file, written out by the reader: checked
			 * by the photo reader like any other */
			ms_img m;
			char why[256];
			if (img_load(url, 0, &m, why, sizeof why) < 0) {
				ms_diag_add(d, MS_ERROR, &p, "a picture is left out: %s", why);
				if (ndrop < sizeof drop / sizeof *drop)
					drop[ndrop++] = n;
				continue;
			}
			img_free(&m);
			continue;
		}
		if (strstr(url, "://") || url[0] == '/' || !strncmp(url, "data:", 5)) {
			raw_error(s, rw, d, &p,
			          "image path '%s' is not inside the inputs folder: put the photo "
			          "next to the "
			          "form (for example in photos/) and give its relative path",
			          url);
			continue;
		}
		if (escapes(rdir, url, rroot)) {
			raw_error(s, rw, d, &p,
			          "image path '%s' leaves the inputs folder: put the photo next to "
			          "the form, "
			          "e.g. in photos/",
			          url);
			continue;
		}
		char *joined = ms_printf("%s/%s", rw->dir, url);
		char real[PATH_MAX];
		if (!joined || !realpath(joined, real)) {
			raw_error(s, rw, d, &p,
			          "image '%s' not found: put the file next to the form and check "
			          "the name",
			          url);
			free(joined);
			continue;
		}
		free(joined);
		if (strncmp(real, rroot, rl) != 0 || (real[rl] != '/' && real[rl] != 0)) {
			raw_error(s, rw, d, &p,
			          "image path '%s' leads outside the inputs folder (through a "
			          "link): put the "
			          "photo itself next to the form, e.g. in photos/",
			          url);
			continue;
		}
		struct stat st;
		if (stat(real, &st) < 0 || !S_ISREG(st.st_mode)) {
			raw_error(s, rw, d, &p,
			          "image '%s' is not a file (a folder or a device): put the photo "
			          "itself there, as JPEG",
			          url);
			continue;
		}
		/* decoded here, once, by our own reader: a damaged photo is named
		 * with its line and left out; its contribution stays */
		ms_img m;
		char why[256];
		if (img_load(real, IMG_CHECK, &m, why, sizeof why) < 0) {
			ms_diag_add(d, MS_ERROR, &p, "photo '%s' is left out: %s", url, why);
			if (ndrop < sizeof drop / sizeof *drop)
				drop[ndrop++] = n;
			continue;
		}
		img_free(&m);
		cmark_node_set_url(n, real);
	}
	cmark_iter_free(it);
	/* unlinked after the walk, which must not see its tree change; a
	 * paragraph left empty goes too */
	for (size_t i = 0; i < ndrop; i++) {
		cmark_node *par = cmark_node_parent(drop[i]);
		cmark_node_free(drop[i]);
		if (par && cmark_node_get_type(par) == CMARK_NODE_PARAGRAPH) {
			int blank = 1;
			for (cmark_node *x = cmark_node_first_child(par); x && blank;
			     x = cmark_node_next(x)) {
				cmark_node_type t = cmark_node_get_type(x);
				const char *lit =
				    t == CMARK_NODE_TEXT ? cmark_node_get_literal(x) : NULL;
				blank = t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK ||
				        (lit && !lit[strspn(lit, " \t")]);
			}
			if (blank)
				cmark_node_free(par);
		}
	}
}

/* Links and raw HTML ------------------------------------------------------ */

/* At most 60 bytes of s, cut on a character boundary, for a diagnostic:
 * a diagnostic never echoes a long stretch of someone's input. */
static const char *excerpt(const char *s, char *buf, size_t cap)
{
	size_t n = strlen(s);
	if (n < 61 || cap < 64)
		return s;
	size_t k = 60;
	while (k && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	memcpy(buf, s, k);
	memcpy(buf + k, "...", 4);
	return buf;
}

static int html_comment(const char *lit)
{
	if (!lit)
		return 1;
	lit += strspn(lit, " \t\r\n");
	return !strncmp(lit, "<!--", 4) || !*lit;
}

/* The line of an inline node: its block's first line plus the line breaks
 * before it (cmark-gfm's inline positions are approximate). */
static int inline_line(cmark_node *n)
{
	cmark_node *top = n, *blk = cmark_node_parent(n);
	while (blk && (cmark_node_get_type(blk) & CMARK_NODE_TYPE_MASK) &&
	       (cmark_node_get_type(blk) & 0x4000)) { /* an inline parent */
		top = blk;
		blk = cmark_node_parent(blk);
	}
	int line = blk ? cmark_node_get_start_line(blk) : 0;
	for (cmark_node *x = blk ? cmark_node_first_child(blk) : NULL; x && x != top;
	     x = cmark_node_next(x))
		line += cmark_node_get_type(x) == CMARK_NODE_SOFTBREAK ||
		        cmark_node_get_type(x) == CMARK_NODE_LINEBREAK;
	return line;
}

/* Links only to http, https and mailto targets: any other link (an empty
 * target, javascript:, file:, data:) becomes its text, with a warning
 * naming the line unless the target is empty. Raw HTML is kept as the text
 * it is, with a warning (a comment is the templates' guidance: dropped). */
static void check_markup(cmark_node *doc, const ms_pos *secpos, ms_diags *d)
{
	if (!doc)
		return;
	cmark_node **v = NULL;
	size_t n = 0, cap = 0;
	cmark_node *warned = NULL; /* one HTML warning a paragraph */
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while (it && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *x = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node_type t = cmark_node_get_type(x);
		ms_pos p = *secpos;
		char buf[64];
		if (t == CMARK_NODE_LINK) {
			const char *url = cmark_node_get_url(x);
			if (mdf_link_allowed(url))
				continue;
			if (!p.sheet)
				p.line = inline_line(x);
			if (url && *url)
				ms_diag_add(
				    d, MS_WARNING, &p,
				    "link target '%s' is kept as text: only web (http, https) "
				    "and e-mail (mailto) addresses become links",
				    excerpt(url, buf, sizeof buf));
		} else if (t == CMARK_NODE_HTML_INLINE || t == CMARK_NODE_HTML_BLOCK) {
			if (html_comment(cmark_node_get_literal(x)))
				continue;
			cmark_node *par = t == CMARK_NODE_HTML_BLOCK ? x : cmark_node_parent(x);
			if (par != warned) {
				if (!p.sheet)
					p.line = t == CMARK_NODE_HTML_BLOCK
					             ? cmark_node_get_start_line(x)
					             : inline_line(x);
				ms_diag_add(
				    d, MS_WARNING, &p,
				    "raw HTML is kept as plain text: write Markdown instead "
				    "(e.g. **bold**, [text](https://...))");
				warned = par;
			}
		} else {
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			cmark_node **nv = realloc(v, cap * sizeof *nv);
			if (!nv)
				break;
			v = nv;
		}
		v[n++] = x;
	}
	if (it)
		cmark_iter_free(it);
	/* changed after the walk, which must not see its tree change */
	for (size_t i = 0; i < n; i++) {
		cmark_node *x = v[i];
		cmark_node_type t = cmark_node_get_type(x);
		if (t == CMARK_NODE_LINK) {
			cmark_node *c;
			while ((c = cmark_node_first_child(x)) != NULL)
				if (!cmark_node_insert_before(x, c))
					break;
			cmark_node_free(x);
			continue;
		}
		const char *lit = cmark_node_get_literal(x);
		char *copy = ms_strdup(lit ? lit : "");
		if (!copy)
			continue;
		size_t l = strlen(copy);
		while (l && (copy[l - 1] == '\n' || copy[l - 1] == '\r'))
			copy[--l] = 0;
		for (char *q = copy; *q; q++)
			if (*q == '\n' || *q == '\r')
				*q = ' ';
		cmark_node *txt = cmark_node_new(CMARK_NODE_TEXT);
		cmark_node *put = txt;
		if (txt && t == CMARK_NODE_HTML_BLOCK) {
			put = cmark_node_new(CMARK_NODE_PARAGRAPH);
			if (put && !cmark_node_append_child(put, txt)) {
				cmark_node_free(put);
				put = NULL;
			}
			if (!put)
				cmark_node_free(txt);
		}
		if (put && cmark_node_set_literal(txt, copy) && cmark_node_insert_before(x, put))
			cmark_node_free(x);
		else if (put)
			cmark_node_free(put);
		free(copy);
	}
	free(v);
}

/* Typing -------------------------------------------------------------------- */

typedef struct ctx {
	rec_set *s;
	raw *rw;
	ms_diags *d;
} ctx;

/* The field `name` of the record being built. Names here are the code's
 * string literals and forms are static tables, so the index is looked up
 * once per (form, literal) and remembered (mspdoc is single-threaded):
 * building 30,000 progress rows looked each name up again. */
static const fval *F(ctx *c, const char *name)
{
	static struct {
		const sch_form *form;
		const char *name;
		int index;
	} memo[128];
	const sch_form *form = c->rw->form;
	size_t h = (((uintptr_t)name >> 3) ^ ((uintptr_t)form >> 5)) & 127;
	int i;
	if (memo[h].form == form && memo[h].name == name && form) {
		i = memo[h].index;
	} else {
		i = sch_field_find(form, name);
		memo[h].form = form;
		memo[h].name = name;
		memo[h].index = i;
	}
	return i >= 0 && c->rw->f[i].present ? &c->rw->f[i] : NULL;
}

static const char *text_of(ctx *c, const char *name)
{
	const fval *v = F(c, name);
	return v ? v->text : NULL;
}

static char *dup_text(ctx *c, const char *name)
{
	return rec_strdup(c->s, text_of(c, name));
}

static ms_pos pos_of(ctx *c, const char *name)
{
	const fval *v = F(c, name);
	return v ? v->pos : c->rw->pos;
}

/* rules.md, Added: a bad optional value is a warning and the value is left
 * out; a bad required one rejects the record. */
static void field_error(ctx *c, const char *field, const ms_pos *pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void field_error(ctx *c, const char *field, const ms_pos *pos, const char *fmt, ...)
{
	int fi = sch_field_find(c->rw->form, field);
	int required = fi >= 0 && c->rw->form->fields[fi].required;
	va_list ap;
	va_start(ap, fmt);
	ms_buf b;
	ms_buf_init(&b);
	ms_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (required)
		raw_error(c->s, c->rw, c->d, pos, "%s", b.s ? b.s : "");
	else
		ms_diag_add(c->d, MS_WARNING, pos,
		            "%s (%s is optional: it is left out and the rest "
		            "of the record is kept)",
		            b.s ? b.s : "", field);
	ms_buf_free(&b);
}

static ms_day get_date(ctx *c, const char *name)
{
	const fval *v = F(c, name);
	if (!v)
		return MS_NO_DAY;
	if (v->is_date)
		return v->day;
	ms_day day;
	char msg[256];
	int r = val_date(v->text, &day, msg, sizeof msg);
	if (r == -2) {
		/* two readings: an error even in an optional field, since a wrong
		 * guess would be printed as fact; the record itself is kept */
		int fi = sch_field_find(c->rw->form, name);
		if (fi >= 0 && c->rw->form->fields[fi].required)
			raw_error(c->s, c->rw, c->d, &v->pos, "%s: %s", name, msg);
		else
			ms_diag_add(c->d, MS_ERROR, &v->pos, "%s: %s (the value is left out)", name,
			            msg);
		return MS_NO_DAY;
	}
	if (r < 0) {
		field_error(c, name, &v->pos, "%s: %s", name, msg);
		return MS_NO_DAY;
	}
	return day;
}

static int get_int(ctx *c, const char *name, int def, int min, int max)
{
	const fval *v = F(c, name);
	if (!v)
		return def;
	char *end;
	long n = strtol(v->text, &end, 10);
	while (*end == ' ')
		end++;
	if (end == v->text || *end || n < min || n > max) {
		field_error(c, name, &v->pos, "%s: '%s' is not a whole number from %d to %d", name,
		            v->text, min, max);
		return def;
	}
	return (int)n;
}

static int get_vocab(ctx *c, const char *name, voc_kind k)
{
	const fval *v = F(c, name);
	if (!v)
		return -1;
	int i = voc_lookup(k, v->text);
	if (i < 0) {
		char *list = voc_list_text(k);
		field_error(c, name, &v->pos, "%s: '%s' is not a valid %s: use %s", name, v->text,
		            voc_kind_name(k), list ? list : "");
		free(list);
	}
	return i;
}

static unsigned get_vocabs(ctx *c, const char *name, voc_kind k, unsigned char *order, int *norder)
{
	const fval *v = F(c, name);
	unsigned bits = 0;
	if (norder)
		*norder = 0;
	if (!v)
		return 0;
	char **parts;
	size_t n = ms_split_semi(v->text, &parts);
	for (size_t i = 0; i < n; i++) {
		int x = voc_lookup(k, parts[i]);
		if (x < 0) {
			char *list = voc_list_text(k);
			field_error(c, name, &v->pos,
			            "%s: '%s' is not a valid %s: use %s, separated by ';'", name,
			            parts[i], voc_kind_name(k), list ? list : "");
			free(list);
			continue;
		}
		if (!(bits & (1u << x)) && order && norder)
			order[(*norder)++] = (unsigned char)x;
		bits |= 1u << x;
	}
	ms_strv_free(parts, n);
	return bits;
}

static void unknown_country(ctx *c, const ms_pos *pos, const char *field, const char *name)
{
	int ids[3];
	size_t n = cty_suggest(name, ids, 3);
	/* never suggest what was typed: a name that looks the same is no help */
	char *typed = ms_fold(name);
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		char *cand = ms_fold(cty_get(ids[i])->name);
		if (!typed || !cand || strcmp(typed, cand))
			ids[kept++] = ids[i];
		free(cand);
	}
	free(typed);
	n = kept;
	ms_buf b;
	ms_buf_init(&b);
	for (size_t i = 0; i < n; i++)
		ms_buf_printf(&b, "%s%s", i ? (i == n - 1 ? " or " : ", ") : "",
		              cty_get(ids[i])->name);
	if (n)
		field_error(c, field, pos, "%s: unknown country '%s': did you mean %s?", field,
		            name, b.s);
	else
		field_error(
		    c, field, pos,
		    "%s: unknown country '%s': write its English name or ISO code (e.g. LAO)",
		    field, name);
	ms_buf_free(&b);
}

static int get_country(ctx *c, const char *name)
{
	const fval *v = F(c, name);
	if (!v)
		return -1;
	int id = cty_lookup(v->text);
	if (id < 0)
		unknown_country(c, &v->pos, name, v->text);
	return id;
}

/* A party (rules.md 11): a country when the name resolves, else an
 * organisation kept as written, with a warning when it is one or two edits
 * from a country name. */
static rec_party make_party(ctx *c, const char *text, const ms_pos *pos, const char *field)
{
	rec_party p = {-1, NULL};
	int id = cty_lookup(text);
	if (id >= 0) {
		p.country = id;
		p.name = (char *)cty_get(id)->name;
		return p;
	}
	p.name = rec_strdup(c->s, text);
	int near = cty_near(text, 2);
	if (near >= 0)
		ms_diag_add(c->d, MS_WARNING, pos,
		            "%s: '%s' is not a country name and is kept as an organisation: did "
		            "you mean %s?",
		            field, text, cty_get(near)->name);
	return p;
}

static rec_parties get_parties(ctx *c, const char *name, int countries_only)
{
	rec_parties ps = {NULL, 0};
	const fval *v = F(c, name);
	if (!v)
		return ps;
	char **parts;
	size_t n = ms_split_semi(v->text, &parts);
	ps.v = n ? palloc(c->s, n * sizeof *ps.v) : NULL;
	for (size_t i = 0; i < n && ps.v; i++) {
		if (countries_only) {
			int id = cty_lookup(parts[i]);
			if (id < 0) {
				unknown_country(c, &v->pos, name, parts[i]);
				continue;
			}
			ps.v[ps.n].country = id;
			ps.v[ps.n].name = (char *)cty_get(id)->name;
			ps.n++;
		} else {
			ps.v[ps.n++] = make_party(c, parts[i], &v->pos, name);
		}
	}
	ms_strv_free(parts, n);
	return ps;
}

static val_amount get_amount(ctx *c, const char *name)
{
	val_amount a = {0, "", 0};
	const fval *v = F(c, name);
	if (!v)
		return a;
	char msg[256];
	if (val_amount_parse(v->text, &a, msg, sizeof msg) < 0) {
		field_error(c, name, &v->pos, "%s: %s", name, msg);
		a.currency[0] = 0;
	} else if (!a.currency_given && c->rw->kind != K_FUNDING) {
		/* Funding amounts are US dollars by definition: no warning there */
		char *g = val_grouped(a.value, a.currency);
		ms_diag_add(c->d, MS_WARNING, &v->pos,
		            "%s: '%s' has no currency: read as %s; write the currency code "
		            "(USD, EUR, ...) to confirm it",
		            name, v->text, g ? g : a.currency);
		free(g);
	}
	return a;
}

static char *norm_action(rec_set *s, const char *t)
{
	ms_buf b;
	ms_buf_init(&b);
	while (*t == '#' || *t == ' ')
		t++;
	for (; *t; t++)
		if (*t != ' ')
			ms_buf_addc(&b, *t);
	char *r = rec_strdup(s, b.s ? b.s : "");
	ms_buf_free(&b);
	return r;
}

static cmark_node *take_section(ctx *c, const char *name)
{
	int i = sch_section_find(c->rw->form, name);
	if (i < 0)
		return NULL;
	cmark_node *n = c->rw->sec[i];
	c->rw->sec[i] = NULL;
	keep_node(c->s, n);
	return n;
}

/* Empty: nothing, or only the template's instructions (HTML comments) and
 * blank blocks (rules.md, Added). */
static int section_empty(cmark_node *n)
{
	if (!n)
		return 1;
	for (cmark_node *ch = cmark_node_first_child(n); ch; ch = cmark_node_next(ch)) {
		if (cmark_node_get_type(ch) != CMARK_NODE_HTML_BLOCK)
			return 0;
		const char *lit = cmark_node_get_literal(ch);
		while (lit && (*lit == ' ' || *lit == '\n' || *lit == '\t'))
			lit++;
		if (!lit || strncmp(lit, "<!--", 4))
			return 0;
		/* everything after the comment's end must be blank */
		const char *end = strstr(lit, "-->");
		if (!end)
			return 0;
		for (end += 3; *end; end++)
			if (*end != ' ' && *end != '\n' && *end != '\t' && *end != '\r')
				return 0;
	}
	return 1;
}

/* Build --------------------------------------------------------------------- */

static void base_init(ctx *c, rec_base *b)
{
	b->kind = c->rw->kind;
	b->pos = c->rw->pos;
	b->file = (char *)c->rw->pos.file;
	b->seq = pool(c->s)->seq++;
}

static void finish_base(ctx *c, rec_base *b)
{
	if (c->rw->rejected) {
		b->rejected = 1;
		b->reason = c->rw->reason;
	}
}

/* Letters ------------------------------------------------------------------- */

/* name@domain.tld, no spaces: enough to catch a typing slip in a list. */
static int plausible_email(const char *e)
{
	const char *at = strchr(e, '@');
	if (!at || at == e || strchr(at + 1, '@') || strpbrk(e, " \t\n,;<>"))
		return 0;
	const char *dot = strrchr(at, '.');
	return dot && dot > at + 1 && dot[1];
}

/* "name; title; post" into a signature block; NULL fields stay NULL. */
static int get_signatory(ctx *c, const char *field, rec_signatory *sg, int required)
{
	const fval *v = F(c, field);
	if (!v)
		return -1;
	char **parts;
	size_t n = ms_split_semi(v->text, &parts);
	if (n > 3)
		ms_diag_add(c->d, MS_WARNING, &v->pos,
		            "%s: only name; title; post are printed: the %zu parts after the third "
		            "are left out (join a long post with commas, not ';')",
		            field, n - 3);
	sg->name = n > 0 ? rec_strdup(c->s, parts[0]) : NULL;
	sg->title = n > 1 && *parts[1] ? rec_strdup(c->s, parts[1]) : NULL;
	sg->post = n > 2 && *parts[2] ? rec_strdup(c->s, parts[2]) : NULL;
	ms_strv_free(parts, n);
	if (v->text[strspn(v->text, " \t")] == ';') /* the split drops an empty name */
		sg->name = NULL;
	if (sg->name && *sg->name)
		return 0;
	if (required)
		raw_error(c->s, c->rw, c->d, &v->pos,
		          "%s has no name: write 'Name FAMILY NAME; title; post'", field);
	else
		ms_diag_add(c->d, MS_WARNING, &v->pos,
		            "%s has no name and is left out: write 'Name FAMILY NAME; title; post'",
		            field);
	return -1;
}

/* A letterhead image: relative to the form, inside the inputs tree, a
 * regular JPEG or PNG file. The resolved path, or NULL with an error. */
static char *letterhead_path(ctx *c, const char *url, const ms_pos *pos, const char *root)
{
	char rroot[PATH_MAX], real[PATH_MAX];
	if (!*url || url[0] == '/' || strstr(url, "://") || strstr(url, "..")) {
		ms_diag_add(
		    c->d, MS_WARNING, pos,
		    "Letterhead: '%s' must be a picture next to the form, given by its "
		    "relative path (e.g. photos/mexico.png); the name block is used instead",
		    url);
		return NULL;
	}
	char *joined = ms_printf("%s/%s", c->rw->dir, url);
	int found = joined && realpath(joined, real) != NULL;
	free(joined);
	struct stat st;
	if (!found || stat(real, &st) < 0 || !S_ISREG(st.st_mode)) {
		ms_diag_add(c->d, MS_WARNING, pos,
		            "Letterhead: image '%s' not found: put the file next to the form and "
		            "check the name; the name block is used instead",
		            url);
		return NULL;
	}
	size_t rl = realpath(root, rroot) ? strlen(rroot) : 0;
	if (!rl || strncmp(real, rroot, rl) != 0 || (real[rl] != '/' && real[rl] != 0)) {
		ms_diag_add(
		    c->d, MS_WARNING, pos,
		    "Letterhead: image '%s' leads outside the inputs folder: put the picture "
		    "itself next to the form; the name block is used instead",
		    url);
		return NULL;
	}
	ms_img m;
	char why[256];
	if (img_load(real, IMG_CHECK, &m, why, sizeof why) < 0) {
		ms_diag_add(c->d, MS_WARNING, pos,
		            "Letterhead: '%s' cannot be used (%s); the name block is used instead",
		            url, why);
		return NULL;
	}
	img_free(&m);
	return rec_strdup(c->s, real);
}

static int build_letter(ctx *c, rec_letter *r, const char *root)
{
	rec_set *s = c->s;
	raw *rw = c->rw;
	base_init(c, &r->b);
	const char *base = strrchr(rw->pos.file, '/');
	base = base ? base + 1 : rw->pos.file;
	r->name = rec_strdup(s, base);
	char *dot = r->name ? strrchr(r->name, '.') : NULL;
	if (dot)
		*dot = 0;
	r->senders = get_parties(c, "Senders", 0);
	if (r->senders.n > 2) {
		ms_pos p = pos_of(c, "Senders");
		raw_error(s, rw, c->d, &p,
		          "Senders: a letter has one or two senders, not %zu: keep the two "
		          "co-chairs (or the one sender)",
		          r->senders.n);
	}
	r->place = dup_text(c, "Place");
	r->date = get_date(c, "Date");
	r->reference = dup_text(c, "Reference");
	r->addressee = dup_text(c, "Addressee");
	r->salutation = dup_text(c, "Salutation");
	r->closing = dup_text(c, "Closing");
	get_signatory(c, "Signatory", &r->sig[0], 1);
	r->nsig = 1;
	if (get_signatory(c, "Signatory 2", &r->sig[1], 0) == 0)
		r->nsig = 2;
	const fval *lh = F(c, "Letterhead");
	if (lh) {
		char **parts;
		size_t n = ms_split_semi(lh->text, &parts);
		if (n > 2 || (r->senders.n && n != r->senders.n))
			ms_diag_add(c->d, MS_WARNING, &lh->pos,
			            "Letterhead: give one image per sender (%zu sender(s), %zu "
			            "image(s)), separated by ';'; the name blocks are used instead",
			            r->senders.n, n);
		for (size_t i = 0; i < n && i < 2 && n == r->senders.n; i++)
			r->letterhead[i] = letterhead_path(c, parts[i], &lh->pos, root);
		ms_strv_free(parts, n);
	}
	if (section_empty(rw->sec[0]))
		raw_error(s, rw, c->d, &rw->pos,
		          "the letter has no body: write its text after the blank line that ends "
		          "the header");
	ms_pos bp = rw->sec_pos[0].file ? rw->sec_pos[0] : rw->pos;
	check_images(s, rw, rw->sec[0], &bp, root, c->d);
	r->body = rw->sec[0];
	rw->sec[0] = NULL;
	keep_node(s, r->body);
	finish_base(c, &r->b);
	return 0;
}

static int build(rec_set *s, raw *rw, const char *root, ms_diags *d)
{
	ctx c = {s, rw, d};
	const sch_form *f = rw->form;
	/* required fields and sections */
	for (size_t i = 0; i < f->nfields; i++) {
		if (!f->fields[i].required || rw->f[i].present)
			continue;
		if (rw->kind == K_CONTRIBUTION && !strcmp(f->fields[i].name, "Rights"))
			continue; /* reported below as "rights not cleared" */
		const char *fn = f->fields[i].name;
		if (i < MAX_FIELDS && rw->f[i].empty) {
			/* the place exists: name it (the position is that cell or line) */
			if (rw->pos.sheet)
				raw_error(s, rw, d, &rw->f[i].pos,
				          "required field '%s' is empty: fill in this cell", fn);
			else if (rw->table) /* a CSV row */
				raw_error(
				    s, rw, d, &rw->f[i].pos,
				    "required field '%s' is empty: fill in its column on this "
				    "line",
				    fn);
			else
				raw_error(
				    s, rw, d, &rw->f[i].pos,
				    "required field '%s' is empty: write its value after '%s:' "
				    "on this line",
				    fn, fn);
		} else if (rw->table) {
			raw_error(s, rw, d, &rw->pos,
			          "missing required field '%s': the header row has no such column: "
			          "add it and fill it in",
			          fn);
		} else if (rw->pos.sheet) {
			raw_error(
			    s, rw, d, &rw->pos,
			    "missing required field '%s': add a row with '%s' in column A and "
			    "its value in column B",
			    fn, fn);
		} else {
			raw_error(s, rw, d, &rw->pos,
			          "missing required field '%s': add a line '%s: ...' to the form's "
			          "header",
			          fn, fn);
		}
	}
	for (size_t i = 0; i < f->nsections; i++) {
		if (!section_empty(rw->sec[i]))
			continue;
		const char *sn = f->sections[i].name;
		if (rw->sec[i]) { /* only the template's instructions: not printed */
			cmark_node_free(rw->sec[i]);
			rw->sec[i] = NULL;
		}
		if (!f->sections[i].required)
			continue;
		ms_pos at = rw->sec_pos[i].file ? rw->sec_pos[i] : rw->pos;
		if (rw->table)
			raw_error(
			    s, rw, d, &at,
			    "required text '%s' is missing: fill in the %s column of this row", sn,
			    sn);
		else if (rw->pos.sheet)
			raw_error(
			    s, rw, d, &at,
			    "required text '%s' is missing: fill in the value (column B) of the "
			    "row '%s', adding the row if it is not there",
			    sn, sn);
		else if (rw->sec_pos[i].file && rw->has_heading[i])
			raw_error(
			    s, rw, d, &at,
			    "required section '%s' is empty (the template's instructions do not "
			    "count): write its text under this heading",
			    sn);
		else
			raw_error(
			    s, rw, d, &at,
			    "missing required section '%s': add a heading '%s' followed by its "
			    "text",
			    sn, sn);
	}
	/* a paper's body is sec[0] without a named section: checked too */
	size_t nsec = f->nsections ? f->nsections : rw->sec[0] ? 1 : 0;
	for (size_t i = 0; i < nsec; i++) {
		ms_pos p = rw->sec_pos[i].file ? rw->sec_pos[i] : rw->pos;
		check_images(s, rw, rw->sec[i], &p, root, d);
		check_markup(rw->sec[i], &p, d);
	}

	rec_base *b = NULL;
	switch (rw->kind) {
	case K_CONTRIBUTION: {
		rec_contribution *r = palloc(s, sizeof *r);
		if (!r)
			return -1;
		base_init(&c, &r->b);
		r->countries = get_parties(&c, "Country", 1);
		r->title = dup_text(&c, "Title");
		r->role = get_vocab(&c, "Role", VOC_ROLE);
		r->scope = get_vocab(&c, "Scope", VOC_SCOPE);
		r->partnership = get_vocabs(&c, "Partnership", VOC_PARTNERSHIP, NULL, NULL);
		r->modality = get_vocabs(&c, "Modality", VOC_MODALITY, NULL, NULL);
		get_vocabs(&c, "Areas", VOC_AREA, r->areas.v, &r->areas.n);
		r->partners = get_parties(&c, "Partners", 0);
		if (F(&c, "Period")) {
			char msg[200];
			if (val_period_parse(text_of(&c, "Period"), &r->period, msg, sizeof msg) <
			    0) {
				ms_pos p = pos_of(&c, "Period");
				field_error(&c, "Period", &p, "Period: %s", msg);
				r->period.y0 = r->period.y1 = 0;
			}
		}
		r->location = dup_text(&c, "Location");
		r->budget = get_amount(&c, "Budget");
		r->author = dup_text(&c, "Author");
		r->contact = dup_text(&c, "Contact");
		r->received = get_date(&c, "Received");
		const char *rights = text_of(&c, "Rights");
		r->rights_cleared = rights && !strcasecmp(rights, "cleared");
		r->summary = take_section(&c, "Summary");
		r->results = take_section(&c, "Results");
		r->lessons = take_section(&c, "Lessons learned");
		r->testimonials = take_section(&c, "Testimonials");
		r->photographs = take_section(&c, "Photographs");
		if (!r->rights_cleared) {
			ms_pos p = pos_of(&c, "Rights");
			raw_error(s, rw, d, &p,
			          "rights not cleared ('%s'): the material must carry no copyright "
			          "or other "
			          "IP restriction; write 'Rights: cleared' once it does",
			          rights ? rights : "missing");
		}
		finish_base(&c, &r->b);
		b = &r->b;
		if (push((void ***)&s->contributions, &s->ncontributions, r) < 0)
			return -1;
		break;
	}
	case K_BOOK: {
		rec_book *r = palloc(s, sizeof *r);
		if (!r)
			return -1;
		base_init(&c, &r->b);
		r->title = dup_text(&c, "Title");
		r->subtitle = dup_text(&c, "Subtitle");
		r->meeting = dup_text(&c, "Meeting");
		r->editors = get_parties(&c, "Editors", 0);
		r->date = get_date(&c, "Date");
		r->deadline = get_date(&c, "Deadline");
		r->page_limit = get_int(&c, "Page limit", 10, 1, 1000);
		r->foreword = take_section(&c, "Foreword");
		r->introduction = take_section(&c, "Introduction");
		finish_base(&c, &r->b);
		b = &r->b;
		if (push((void ***)&s->books, &s->nbooks, r) < 0)
			return -1;
		break;
	}
	case K_NEED:
	case K_OFFER:
	case K_EXPERIENCE: {
		rec_entry *r = palloc(s, sizeof *r);
		if (!r)
			return -1;
		base_init(&c, &r->b);
		const fval *ty = F(&c, "Type");
		if (ty) {
			int t = voc_lookup(VOC_ENTRY_TYPE, ty->text);
			if (t < 0 || t != (int)(rw->kind - K_NEED))
				raw_error(s, rw, d, &ty->pos,
				          "Type '%s' does not match the sheet (%ss): move the row "
				          "to the right sheet or correct the type",
				          ty->text, rec_kind_name(rw->kind));
		}
		r->submitter_type = get_vocab(&c, "Submitter type", VOC_SUBMITTER);
		const fval *sub = F(&c, "Submitter");
		if (sub) {
			int state = r->submitter_type >= 0 && r->submitter_type <= 2;
			if (state && cty_lookup(sub->text) < 0)
				unknown_country(&c, &sub->pos, "Submitter",
				                sub->text); /* rules.md 12 */
			else
				r->submitter = make_party(&c, sub->text, &sub->pos, "Submitter");
		}
		r->title = dup_text(&c, "Title");
		get_vocabs(&c, "Areas", VOC_AREA, r->areas.v, &r->areas.n);
		r->assistance = get_vocabs(&c, "Assistance", VOC_ASSISTANCE, NULL, NULL);
		const fval *co = F(&c, "Countries");
		if (co) {
			char **parts;
			size_t n = ms_split_semi(co->text, &parts);
			r->countries = n ? palloc(s, n * sizeof(int)) : NULL;
			for (size_t i = 0; i < n; i++) {
				if (!strcasecmp(parts[i], "any")) {
					if (rw->kind == K_NEED)
						raw_error(s, rw, d, &co->pos,
						          "Countries: 'Any' is for offers and "
						          "experiences; a need names the "
						          "countries concerned");
					r->any_country = 1;
					continue;
				}
				int id = cty_lookup(parts[i]);
				if (id < 0)
					unknown_country(&c, &co->pos, "Countries", parts[i]);
				else if (r->countries)
					r->countries[r->ncountries++] = id;
			}
			ms_strv_free(parts, n);
		}
		r->amount = get_amount(&c, "Amount");
		r->contact = dup_text(&c, "Contact");
		r->submitted = get_date(&c, "Submitted");
		r->valid_until = get_date(&c, "Valid until");
		r->renewed = get_date(&c, "Renewed");
		r->reference = dup_text(&c, "Reference");
		r->description = take_section(&c, "Description");
		r->how_to_apply = take_section(&c, "How to apply");
		finish_base(&c, &r->b);
		b = &r->b;
		if (push((void ***)&s->entries, &s->nentries, r) < 0)
			return -1;
		break;
	}
	case K_DIGEST: {
		rec_digest *r = palloc(s, sizeof *r);
		if (!r)
			return -1;
		base_init(&c, &r->b);
		r->title = dup_text(&c, "Title");
		r->issued_by = dup_text(&c, "Issued by");
		r->lifespan_months = get_int(&c, "Lifespan", 12, 1, 240);
		r->warning_days = get_int(&c, "Warning", 30, 0, 3650);
		r->previous_edition = get_date(&c, "Previous edition");
		const fval *rv = F(&c, "Restricted");
		if (rv && val_bool(rv->text, &r->restricted) < 0)
			raw_error(s, rw, d, &rv->pos,
			          "Restricted: '%s' is not yes or no: a digest that may be "
			          "restricted is not built until this says which",
			          rv->text);
		r->introduction = take_section(&c, "Introduction");
		finish_base(&c, &r->b);
		b = &r->b;
		if (push((void ***)&s->digests, &s->ndigests, r) < 0)
			return -1;
		break;
	}
	case K_ACTION: {
		rec_action *r = palloc(s, sizeof *r);
		if (!r)
			return -1;
		base_init(&c, &r->b);
		r->plan = dup_text(&c, "Plan");
		r->label = dup_text(&c, "Action");
		r->action = r->label ? norm_action(s, r->label) : NULL;
		r->area = get_vocab(&c, "Area", VOC_AREA);
		r->text = dup_text(&c, "Text");
		static const char *def[] = {"Completed", "In progress", "Not started",
		                            "No information"};
		char **parts = NULL;
		size_t n = F(&c, "Statuses") ? ms_split_semi(text_of(&c, "Statuses"), &parts) : 0;
		int has_noinfo = 0;
		for (size_t i = 0; i < n; i++)
			has_noinfo |= !strcasecmp(parts[i], "No information");
		size_t total = n ? n + !has_noinfo : 4;
		r->statuses = palloc(s, total * sizeof *r->statuses);
		for (size_t i = 0; r->statuses && i < total; i++)
			r->statuses[i] =
			    rec_strdup(s, n ? (i < n ? parts[i] : "No information") : def[i]);
		r->nstatuses = r->statuses ? total : 0;
		ms_strv_free(parts, n);
		finish_base(&c, &r->b);
		b = &r->b;
		if (push((void ***)&s->actions, &s->nactions, r) < 0)
			return -1;
		break;
	}
	case K_STATUS: {
		rec_status *r = palloc(s, sizeof *r);
		if (!r)
			return -1;
		base_init(&c, &r->b);
		r->country = get_country(&c, "Country");
		r->plan = dup_text(&c, "Plan");
		const fval *pv = F(&c, "Period");
		r->period_day = MS_NO_DAY;
		if (pv) {
			int y;
			if (pv->is_date) {
				char iso[16];
				r->period_day = pv->day;
				r->period = rec_strdup(s, val_day_iso(pv->day, iso));
			} else if (val_year(pv->text, &y, NULL, 0) == 0) {
				r->period_day = ms_ymd_to_day(y, 12, 31);
				r->period = rec_strdup(s, pv->text);
			} else if (val_date(pv->text, &r->period_day, NULL, 0) == 0) {
				r->period = rec_strdup(s, pv->text);
			} else {
				raw_error(
				    s, rw, d, &pv->pos,
				    "Period: '%s' is not a year or a date (2012 or 2012-06-30)",
				    pv->text);
			}
		}
		const char *a = text_of(&c, "Action");
		r->action = a ? norm_action(s, a) : NULL;
		r->status = dup_text(&c, "Status");
		r->status_index = -1;
		r->note = dup_text(&c, "Note");
		r->source = dup_text(&c, "Source");
		finish_base(&c, &r->b);
		b = &r->b;
		if (push((void ***)&s->statuses, &s->nstatuses, r) < 0)
			return -1;
		break;
	}
	case K_REPORT: {
		rec_report *r = palloc(s, sizeof *r);
		if (!r)
			return -1;
		base_init(&c, &r->b);
		r->country = get_country(&c, "Country");
		r->report = dup_text(&c, "Report");
		r->due = get_date(&c, "Due");
		r->submitted = get_date(&c, "Submitted");
		finish_base(&c, &r->b);
		b = &r->b;
		if (push((void ***)&s->reports, &s->nreports, r) < 0)
			return -1;
		break;
	}
	case K_FUNDING: {
		rec_funding *r = palloc(s, sizeof *r);
		if (!r)
			return -1;
		base_init(&c, &r->b);
		const fval *dv = F(&c, "Donor");
		if (dv)
			r->donor = make_party(&c, dv->text, &dv->pos, "Donor");
		const fval *rv = F(&c, "Recipient");
		if (rv) {
			if (!strcasecmp(rv->text, "Global")) {
				r->recipient.country = -1;
				r->recipient.name = "Global";
			} else {
				r->recipient = make_party(&c, rv->text, &rv->pos, "Recipient");
			}
		}
		const fval *yv = F(&c, "Year");
		if (yv) {
			char msg[200];
			if (val_year(yv->text, &r->year, msg, sizeof msg) < 0)
				raw_error(s, rw, d, &yv->pos, "Year: %s", msg);
		}
		r->area = get_vocab(&c, "Area", VOC_AREA);
		val_amount am = get_amount(&c, "Amount");
		if (am.currency[0] && strcmp(am.currency, "USD")) {
			ms_pos p = pos_of(&c, "Amount");
			raw_error(s, rw, d, &p,
			          "Amount: funding amounts are in US dollars; convert '%s' to USD",
			          text_of(&c, "Amount"));
		}
		r->amount = am.value;
		finish_base(&c, &r->b);
		b = &r->b;
		if (push((void ***)&s->fundings, &s->nfundings, r) < 0)
			return -1;
		break;
	}
	case K_PAPER: {
		rec_paper *r = palloc(s, sizeof *r);
		if (!r)
			return -1;
		base_init(&c, &r->b);
		const char *base = strrchr(rw->pos.file, '/');
		base = base ? base + 1 : rw->pos.file;
		r->name = rec_strdup(s, base);
		char *dot = r->name ? strrchr(r->name, '.') : NULL;
		if (dot)
			*dot = 0;
		r->convention = F(&c, "Convention")
		                    ? dup_text(&c, "Convention")
		                    : rec_strdup(s, "Convention on Cluster Munitions");
		r->symbol = dup_text(&c, "Symbol");
		r->original = dup_text(&c, "Original");
		r->distribution = dup_text(&c, "Distribution");
		r->meeting = dup_text(&c, "Meeting");
		r->venue = dup_text(&c, "Venue");
		r->item = dup_text(&c, "Item");
		r->item_title = dup_text(&c, "Item title");
		r->title = dup_text(&c, "Title");
		r->submitted_by = dup_text(&c, "Submitted by");
		r->date = get_date(&c, "Date");
		r->body = rw->sec[0];
		rw->sec[0] = NULL;
		keep_node(s, r->body);
		finish_base(&c, &r->b);
		b = &r->b;
		if (push((void ***)&s->papers, &s->npapers, r) < 0)
			return -1;
		break;
	}
	case K_LETTER: {
		rec_letter *r = palloc(s, sizeof *r);
		if (!r || build_letter(&c, r, root) < 0)
			return -1;
		b = &r->b;
		if (push((void ***)&s->letters, &s->nletters, r) < 0)
			return -1;
		break;
	}
	case K_RECIPIENT: {
		rec_recipient *r = palloc(s, sizeof *r);
		if (!r)
			return -1;
		base_init(&c, &r->b);
		r->mission = dup_text(&c, "Mission");
		r->address = dup_text(&c, "Address");
		r->salutation = dup_text(&c, "Salutation");
		r->email = dup_text(&c, "E-mail");
		if (r->email && !plausible_email(r->email)) {
			ms_pos p = pos_of(&c, "E-mail");
			ms_diag_add(d, MS_WARNING, &p,
			            "E-mail '%s' does not look like an address (name@domain): the "
			            "register lists it as written; check it before the mailing",
			            r->email);
		} else if (!r->email && r->mission) {
			ms_diag_add(d, MS_WARNING, &rw->pos,
			            "no E-mail for %s: the letter is made, but the register has no "
			            "address to send it to",
			            r->mission);
		}
		finish_base(&c, &r->b);
		b = &r->b;
		if (push((void ***)&s->recipients, &s->nrecipients, r) < 0)
			return -1;
		break;
	}
	default: return 0;
	}
	for (size_t i = 0; i < MAX_SECTIONS; i++)
		if (rw->sec[i]) {
			cmark_node_free(rw->sec[i]);
			rw->sec[i] = NULL;
		}
	return b ? 0 : -1;
}

/* Gathering raw values ------------------------------------------------------ */

static void raw_init(raw *rw, rec_kind kind, ms_pos pos, const char *dir)
{
	memset(rw, 0, sizeof *rw);
	rw->kind = kind;
	rw->form = sch_form_get(kind);
	rw->pos = pos;
	rw->dir = dir;
}

static void raw_free(raw *rw)
{
	for (size_t i = 0; i < MAX_SECTIONS; i++)
		if (rw->sec[i])
			cmark_node_free(rw->sec[i]);
}

/* Suggest the nearest field name for an unknown one. */
static const char *near_field(const sch_form *f, const char *name)
{
	char *k = ms_name_key(name);
	const char *best = NULL;
	size_t bd = 3;
	for (size_t i = 0; k && i < f->nfields; i++) {
		char *fk = ms_name_key(f->fields[i].name);
		if (fk) {
			/* cheap distance: length difference plus mismatches */
			size_t la = strlen(k), lb = strlen(fk), d = la > lb ? la - lb : lb - la;
			for (size_t j = 0; j < la && j < lb; j++)
				d += k[j] != fk[j];
			if (d < bd) {
				bd = d;
				best = f->fields[i].name;
			}
		}
		free(fk);
	}
	free(k);
	return best;
}

static void check_text(rec_set *s, raw *rw, ms_diags *d, const char *text, const ms_pos *pos,
                       const char *field)
{
	size_t len = strlen(text);
	if (len > EXCEL_CELL_MAX &&
	    ms_utf8_len(text, len) > EXCEL_CELL_MAX) /* bytes >= characters */
		raw_error(
		    s, rw, d, pos,
		    "%s holds more than 32,767 characters (Excel's limit for a cell): shorten it",
		    field);
	size_t bad = ms_find_control(text, len, 1);
	if (bad < len)
		raw_error(s, rw, d, pos, "%s contains a control character (code %u): remove it",
		          field, (unsigned char)text[bad]);
}

/* A spreadsheet's Photographs cell lists photos one a line as
 * `file; caption; credit` (forms.md 6): each becomes a Markdown image, so
 * it is checked and printed like a photo of a Markdown form, never as
 * text. A line that is already Markdown is kept. NULL when no line has
 * that form. */
static char *photo_lines(const char *text)
{
	ms_buf b;
	ms_buf_init(&b);
	int any = 0;
	const char *p = text;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char *line = ms_trim(ms_strndup(p, n));
		p += n + (e ? 1 : 0);
		if (!line)
			continue;
		char **parts = NULL;
		size_t np = *line && !strstr(line, "![") ? ms_split_semi(line, &parts) : 0;
		const char *ext = np ? strrchr(parts[0], '.') : NULL;
		if (ext && (!strcasecmp(ext, ".jpg") || !strcasecmp(ext, ".jpeg") ||
		            !strcasecmp(ext, ".png") || !strcasecmp(ext, ".heic") ||
		            !strcasecmp(ext, ".tif") || !strcasecmp(ext, ".tiff"))) {
			ms_buf_adds(&b, "![");
			for (const char *q = np > 1 ? parts[1] : ""; *q; q++) {
				if (strchr("[]\\*_<>`", *q))
					ms_buf_addc(&b, '\\');
				ms_buf_addc(&b, *q);
			}
			ms_buf_printf(&b, "](<%s>", parts[0]);
			if (np > 2) {
				ms_buf_adds(&b, " \"Credit: ");
				for (const char *q = parts[2]; *q; q++) {
					if (*q == '"' || *q == '\\')
						ms_buf_addc(&b, '\\');
					ms_buf_addc(&b, *q);
				}
				ms_buf_addc(&b, '"');
			}
			ms_buf_adds(&b, ")\n\n");
			any = 1;
		} else {
			ms_buf_adds(&b, line);
			ms_buf_adds(&b, "\n");
		}
		ms_strv_free(parts, np);
		free(line);
	}
	if (!any || b.oom) {
		ms_buf_free(&b);
		return NULL;
	}
	return ms_buf_take(&b);
}

/* Set a field or section value from text (Markdown forms, Form sheets,
 * tables). md_ok: the source may give sections. */
static void raw_set_at(rec_set *s, raw *rw, int fi, int si, const char *name, const char *text,
                       const rd_cell *cell, const ms_pos *pos, ms_diags *d);

static void raw_set(rec_set *s, raw *rw, const char *name, const char *text, const rd_cell *cell,
                    const ms_pos *pos, ms_diags *d)
{
	int fi = sch_field_find(rw->form, name);
	raw_set_at(s, rw, fi, fi >= 0 ? -1 : sch_section_find(rw->form, name), name, text, cell,
	           pos, d);
}

/* Set field fi (or section si; both -1: unknown) from text or a cell. */
static void raw_set_at(rec_set *s, raw *rw, int fi, int si, const char *name, const char *text,
                       const rd_cell *cell, const ms_pos *pos, ms_diags *d)
{
	if (cell && cell->type == RD_ERROR && (fi >= 0 || si >= 0)) {
		/* a formula's error value (#DIV/0!, #REF!) is never published */
		char buf[64];
		raw_error(s, rw, d, pos,
		          "%s: the cell holds the spreadsheet error '%s': correct its formula, "
		          "or type the value",
		          name, excerpt(cell->text ? cell->text : "#VALUE!", buf, sizeof buf));
		return;
	}
	if (fi >= 0 && fi < MAX_FIELDS) {
		fval *v = &rw->f[fi];
		char num[40];
		if (cell && cell->type == RD_DATE) {
			v->is_date = 1;
			v->day = cell->day;
			text = val_day_iso(cell->day, num);
		} else if (cell && (cell->type == RD_NUMBER || cell->type == RD_BOOL)) {
			ms_fmt_number(cell->num, num, sizeof num); /* rules.md 5 */
			text = num;
		}
		if (!text)
			return;
		char *t = rec_strdup(s, text);
		if (!t)
			return;
		ms_trim(t);
		if (!*t) {
			if (!v->present) {
				v->empty = 1;
				v->pos = *pos;
			}
			return;
		}
		check_text(s, rw, d, t, pos, name);
		v->present = 1;
		v->text = t;
		v->pos = *pos;
		return;
	}
	if (si >= 0 && si < MAX_SECTIONS) {
		if (!text || !*text)
			return;
		check_text(s, rw, d, text, pos, name);
		char *photos = NULL;
		if (cell && !strcmp(rw->form->sections[si].name, "Photographs") &&
		    (photos = photo_lines(text)) != NULL)
			text = photos;
		cmark_node *doc = mdf_parse_markdown(text, strlen(text), pos, d);
		free(photos);
		if (!doc) {
			raw_error(s, rw, d, pos, "%s could not be read as Markdown", name);
			return;
		}
		if (rw->sec[si]) {
			cmark_node *ch;
			while ((ch = cmark_node_first_child(doc)) != NULL) {
				cmark_node_unlink(ch);
				cmark_node_append_child(rw->sec[si], ch);
			}
			cmark_node_free(doc);
		} else {
			rw->sec[si] = doc;
			rw->sec_pos[si] = *pos;
		}
		return;
	}
	const char *near = near_field(rw->form, name);
	if (near)
		ms_diag_add(d, MS_WARNING, pos, "unknown field '%s' is ignored: did you mean '%s'?",
		            name, near);
	else
		ms_diag_add(d, MS_WARNING, pos, "unknown field '%s' is ignored", name);
}

static int wrong_folder(raw *rw, const char *expect, ms_diags *d)
{
	if (!expect || !strcmp(rec_kind_folder(rw->kind), expect))
		return 0;
	ms_diag_add(d, MS_ERROR, &rw->pos,
	            "a %s form belongs in inputs/%s/, not inputs/%s/: move the file",
	            rec_kind_name(rw->kind), rec_kind_folder(rw->kind), expect);
	return 1;
}

/* Commit a gathered raw record (or count it rejected) into the set. */
static int commit_raw(rec_set *s, rec_file *rf, raw *rw, const char *root, ms_diags *d)
{
	size_t before = s->ncontributions + s->nbooks + s->nentries + s->ndigests + s->nactions +
	                s->nstatuses + s->nreports + s->nfundings + s->npapers + s->nletters +
	                s->nrecipients;
	int r = build(s, rw, root, d);
	size_t after = s->ncontributions + s->nbooks + s->nentries + s->ndigests + s->nactions +
	               s->nstatuses + s->nreports + s->nfundings + s->npapers + s->nletters +
	               s->nrecipients;
	if (after > before && rf) {
		rf->nrecords[rw->kind]++;
		if (rw->rejected)
			rf->nrejected++;
	}
	raw_free(rw);
	return r;
}

static char *dir_of(rec_set *s, const char *path)
{
	const char *sl = strrchr(path, '/');
	if (!sl)
		return rec_strdup(s, ".");
	return ms_arena_strndup(pool(s)->arena, path, (size_t)(sl - path));
}

static int load_form(rec_set *s, const char *path, mdf_form *f, const docx_form *dx,
                     const char *root, const char *expect, ms_diags *d);

static int load_md(rec_set *s, const char *path, const char *root, const char *expect, ms_diags *d)
{
	size_t nd = d->count[MS_ERROR];
	mdf_form *f = mdf_read(path, d);
	if (!f) {
		add_file(s, path, FILE_FAILED,
		         d->count[MS_ERROR] > nd ? "unreadable (see diagnostics)" : NULL);
		return 0;
	}
	return load_form(s, path, f, NULL, root, expect, d);
}

/* For the Word reader: is this heading a section of that kind? */
static int is_section_of(const char *kind, const char *name, int section)
{
	int k = rec_kind_lookup(kind);
	if (k < 0 || k >= K_COUNT)
		return 0;
	const sch_form *f = sch_form_get((rec_kind)k);
	return f && (section ? sch_section_find(f, name) : sch_field_find(f, name)) >= 0;
}

static int load_docx(rec_set *s, const char *path, const char *root, const char *expect,
                     ms_diags *d)
{
	size_t nd = d->count[MS_ERROR];
	docx_form *dx = docx_read(path, is_section_of, d);
	if (!dx) {
		add_file(s, path, FILE_FAILED,
		         d->count[MS_ERROR] > nd ? "unreadable (see diagnostics)" : NULL);
		return 0;
	}
	if (dx->media_dir) { /* removed with the set: the records point there */
		rec_pool *p = pool(s);
		char **v = realloc(p->media, (p->nmedia + 1) * sizeof *v);
		char *copy = strdup(dx->media_dir);
		if (v)
			p->media = v;
		if (v && copy) {
			p->media[p->nmedia++] = copy;
		} else {
			free(copy);
			docx_media_remove(dx->media_dir);
		}
	}
	mdf_form *f = dx->form;
	dx->form = NULL;
	int r = load_form(s, path, f, dx, root, expect, d);
	docx_free(dx);
	return r;
}

/* A form read by the Markdown or the Word reader; f is freed here. */
static int load_form(rec_set *s, const char *path, mdf_form *f, const docx_form *dx,
                     const char *root, const char *expect, ms_diags *d)
{
	const char *p = rec_strdup(s, path);
	ms_pos pos = ms_pos_line(p, f->fields[0].line);
	int kind = rec_kind_lookup(f->fields[0].value);
	if (kind < 0 || kind == REC_ENTRIES_SHEET || kind == K_ACTION || kind == K_STATUS ||
	    kind == K_REPORT || kind == K_FUNDING || kind == K_RECIPIENT) {
		ms_diag_add(d, MS_ERROR, &pos,
		            "unknown form kind '%s': use Contribution, Book, Need, Offer, "
		            "Experience, Digest, "
		            "Paper or Letter (tables go in .xlsx or .csv files)",
		            f->fields[0].value);
		add_file(s, path, FILE_FAILED, "unknown form kind");
		mdf_free(f);
		return 0;
	}
	rec_file *rf = add_file(s, path, FILE_READ, NULL);
	raw rw;
	raw_init(&rw, (rec_kind)kind, pos, dir_of(s, p));
	if (dx && dx->media_dir)
		rw.media_dir = rec_strdup(s, dx->media_dir);
	if (wrong_folder(&rw, expect, d)) {
		if (rf) {
			rf->state = FILE_FAILED;
			rf->note = strdup("form of another folder's kind");
		}
		mdf_free(f);
		return 0;
	}
	for (size_t i = 1; i < f->nfields; i++) {
		ms_pos fp = ms_pos_line(p, f->fields[i].line);
		raw_set(s, &rw, f->fields[i].key, f->fields[i].value, NULL, &fp, d);
	}
	const sch_form *sf = rw.form;
	if (kind == K_PAPER || kind == K_LETTER) {
		rw.sec[0] = f->doc;
		rw.sec_pos[0] = ms_pos_line(p, f->body_line);
		f->doc = NULL;
	} else if (sf->nsections) {
		const char *names[MAX_SECTIONS];
		int lines[MAX_SECTIONS];
		for (size_t i = 0; i < sf->nsections; i++)
			names[i] = sf->sections[i].name;
		mdf_sections(f, names, sf->nsections, rw.sec, lines);
		for (size_t i = 0; i < sf->nsections; i++) {
			int ln = lines[i] ? lines[i] : f->body_line;
			rw.sec_pos[i] = ms_pos_line(p, dx ? docx_line(dx, ln) : ln);
			rw.has_heading[i] = lines[i] > 0;
		}
	}
	mdf_free(f);
	return commit_raw(s, rf, &rw, root, d);
}

static const char *cell_text(const rd_cell *c)
{
	return c && (c->type == RD_TEXT || c->type == RD_ERROR) ? c->text : NULL;
}

/* Pictures pasted into an XLSX Form sheet become its photographs
 * (forms.md 6): written out of xl/media into a folder of the set, added to
 * the Photographs section as images captioned by their alternative text. */
static void sheet_pictures(rec_set *s, raw *rw, const rd_book *b, const rd_sheet *sh, ms_diags *d)
{
	size_t bl = strlen(b->path);
	if (!(bl > 5 &&
	      (!strcasecmp(b->path + bl - 5, ".xlsx") || !strcasecmp(b->path + bl - 5, ".xlsm"))))
		return;
	int si = sch_section_find(rw->form, "Photographs");
	if (si < 0)
		return;
	const char *t = getenv("TMPDIR");
	char *dir = ms_printf("%s/mspdoc-xlsx-XXXXXX", t && *t == '/' ? t : "/tmp");
	if (!dir || !mkdtemp(dir)) {
		free(dir);
		return;
	}
	int counter = 0;
	xlsx_pic *v = NULL;
	size_t n = 0;
	xlsx_sheet_pictures(b->path, sh->name, dir, &counter, &v, &n);
	ms_buf md;
	ms_buf_init(&md);
	for (size_t i = 0; i < n; i++) {
		ms_pos p = rd_cell_pos(b, sh, v[i].row ? v[i].row : 1, v[i].col ? v[i].col : 1);
		if (!v[i].path) {
			ms_diag_add(
			    d, MS_ERROR, &p,
			    "the picture pasted here is not a JPEG or PNG: paste it again as a "
			    "JPEG photo");
			continue;
		}
		char *cap = strdup(v[i].descr ? v[i].descr : "");
		char *credit = NULL;
		for (char *q = cap; q && *q; q++)
			if (!strncasecmp(q, "credit:", 7)) {
				credit = ms_trim(strdup(q + 7));
				*q = 0;
				break;
			}
		if (cap)
			ms_trim(cap);
		size_t cl = cap ? strlen(cap) : 0;
		while (cl && (cap[cl - 1] == '.' || cap[cl - 1] == ';' || cap[cl - 1] == ','))
			cap[--cl] = 0;
		if (!cl)
			ms_diag_add(
			    d, MS_WARNING, &p,
			    "the picture pasted here has no caption: give it an alternative "
			    "text (right-click, Edit Alt Text) such as 'Caption. Credit: Name'");
		ms_buf_adds(&md, "![");
		for (const char *q = cap ? cap : ""; *q; q++) {
			if (strchr("[]\\*_<>`", *q))
				ms_buf_addc(&md, '\\');
			ms_buf_addc(&md, *q);
		}
		ms_buf_printf(&md, "](<%s>", v[i].path);
		if (credit && *credit) {
			ms_buf_adds(&md, " \"Credit: ");
			for (const char *q = credit; *q; q++) {
				if (*q == '"' || *q == '\\')
					ms_buf_addc(&md, '\\');
				ms_buf_addc(&md, *q);
			}
			ms_buf_addc(&md, '"');
		}
		ms_buf_adds(&md, ")\n\n");
		free(cap);
		free(credit);
	}
	xlsx_pics_free(v, n);
	if (!md.len || md.oom) {
		ms_buf_free(&md);
		docx_media_remove(dir);
		free(dir);
		return;
	}
	rec_pool *pl = pool(s);
	char **mv = realloc(pl->media, (pl->nmedia + 1) * sizeof *mv);
	if (!mv) {
		ms_buf_free(&md);
		docx_media_remove(dir);
		free(dir);
		return;
	}
	pl->media = mv;
	pl->media[pl->nmedia++] = dir;
	rw->media_dir = rec_strdup(s, dir);
	ms_pos p0 = rd_cell_pos(b, sh, v && n ? 1 : 1, 2);
	raw_set_at(s, rw, -1, si, "Photographs", md.s, NULL, &p0, d);
	ms_buf_free(&md);
}

/* An XLSX Form sheet: A = field, B = value (rules.md 4). */
static int load_form_sheet(rec_set *s, rec_file *rf, const rd_book *b, const rd_sheet *sh,
                           const char *root, const char *expect, ms_diags *d)
{
	const rd_cell *kindcell = NULL;
	for (size_t r = 0; r < sh->nrows && !kindcell; r++) {
		const rd_cell *a = rd_sheet_cell(sh, sh->rows[r].row, 1);
		const char *t = cell_text(a);
		if (t) {
			char *k = ms_name_key(t);
			if (k && !strcmp(k, "form"))
				kindcell = rd_sheet_cell(sh, sh->rows[r].row, 2);
			free(k);
		}
	}
	ms_pos pos = rd_cell_pos(b, sh, kindcell ? kindcell->row : 1, 2);
	const char *kt = cell_text(kindcell);
	int kind = kt ? rec_kind_lookup(kt) : -1;
	if (kind < 0 || kind == REC_ENTRIES_SHEET || kind == K_ACTION || kind == K_STATUS ||
	    kind == K_REPORT || kind == K_FUNDING || kind == K_PAPER || kind == K_LETTER ||
	    kind == K_RECIPIENT) {
		ms_diag_add(
		    d, MS_ERROR, &pos,
		    kt ? "unknown form kind '%s' in the Form row: use Contribution, Book, Need, "
		         "Offer, "
		         "Experience or Digest"
		       : "the Form sheet has no 'Form' row%s: add a row 'Form | Contribution' (or "
		         "the form's kind)",
		    kt ? kt : "");
		return 0;
	}
	raw rw;
	raw_init(&rw, (rec_kind)kind, pos, dir_of(s, b->path));
	if (wrong_folder(&rw, expect, d))
		return 0;
	for (size_t r = 0; r < sh->nrows; r++) {
		int row = sh->rows[r].row;
		const char *name = cell_text(rd_sheet_cell(sh, row, 1));
		if (!name)
			continue;
		char *k = ms_name_key(name);
		int skip = k && (!strcmp(k, "form") || (r == 0 && !strcmp(k, "field")));
		free(k);
		if (skip)
			continue;
		const rd_cell *v = rd_sheet_cell(sh, row, 2);
		if (!v)
			continue;
		ms_pos p = rd_cell_pos(b, sh, row, 2);
		raw_set(s, &rw, name, cell_text(v), v, &p, d);
	}
	sheet_pictures(s, &rw, b, sh, d);
	return commit_raw(s, rf, &rw, root, d);
}

/* A table sheet (or a CSV file): row 1 = field names. */
static int load_table(rec_set *s, rec_file *rf, const rd_book *b, const rd_sheet *sh, int kind,
                      const char *root, const char *expect, ms_diags *d)
{
	if (sh->nrows == 0)
		return 0;
	int r = 0;
	const rd_row *head = &sh->rows[0];
	int ncols = sh->max_col;
	const char **names = calloc((size_t)ncols + 1, sizeof *names);
	int *fis = calloc((size_t)ncols + 1, sizeof *fis),
	    *sis = calloc((size_t)ncols + 1, sizeof *sis);
	if (!names || !fis || !sis) {
		free(names);
		free(fis);
		free(sis);
		return -1;
	}
	int type_col = 0;
	for (size_t i = 0; i < head->n; i++) {
		const char *t = cell_text(&head->cells[i]);
		if (!t)
			continue;
		names[head->cells[i].col] = t;
		char *k = ms_name_key(t);
		if (k && !strcmp(k, "type"))
			type_col = head->cells[i].col;
		free(k);
	}
	ms_pos hpos = rd_cell_pos(b, sh, head->row, 1);
	if (kind == REC_ENTRIES_SHEET && !type_col) {
		ms_diag_add(d, MS_ERROR, &hpos,
		            "an Entries sheet needs a 'Type' column (Need, Offer or Experience)");
		goto done;
	}
	/* Unknown columns: warn once, at the header cell. */
	rec_kind probe = kind == REC_ENTRIES_SHEET ? K_NEED : (rec_kind)kind;
	const sch_form *sf = sch_form_get(probe);
	int unknown = 0;
	for (int c = 1; c <= ncols; c++) {
		if (!names[c])
			continue;
		if (sch_field_find(sf, names[c]) < 0 && sch_section_find(sf, names[c]) < 0) {
			ms_pos p = rd_cell_pos(b, sh, head->row, c);
			if (++unknown > 10) { /* a 10,000-column row: say it once */
				names[c] = NULL;
				continue;
			}
			const char *near = near_field(sf, names[c]);
			if (near)
				ms_diag_add(d, MS_WARNING, &p,
				            "unknown column '%s' is ignored: did you mean '%s'?",
				            names[c], near);
			else
				ms_diag_add(d, MS_WARNING, &p, "unknown column '%s' is ignored",
				            names[c]);
			names[c] = NULL;
		}
	}
	if (unknown > 10)
		ms_diag_add(d, MS_WARNING, &hpos, "%d more unknown columns are ignored",
		            unknown - 10);
	/* Every kind of a table shares its field table (Needs, Offers and
	 * Experiences too): resolve each column once, not once per cell. */
	for (int c = 1; c <= ncols; c++) {
		fis[c] = names[c] ? sch_field_find(sf, names[c]) : -1;
		sis[c] = names[c] && fis[c] < 0 ? sch_section_find(sf, names[c]) : -1;
	}
	/* A column given twice: one copy used to win silently. An error at
	 * the second header; the first is read. A form has at most MAX_KEYS
	 * fields and sections, so a small table finds each repeat. */
	{
		int seen_f[64], seen_s[64];
		for (int i = 0; i < 64; i++)
			seen_f[i] = seen_s[i] = 0;
		for (int c = 1; c <= ncols; c++) {
			int *slot = fis[c] >= 0 && fis[c] < 64   ? &seen_f[fis[c]]
			            : sis[c] >= 0 && sis[c] < 64 ? &seen_s[sis[c]]
			                                         : NULL;
			if (!slot)
				continue;
			if (*slot) {
				ms_pos p = rd_cell_pos(b, sh, head->row, c);
				ms_pos first = rd_cell_pos(b, sh, head->row, *slot);
				char where[32];
				ms_col_letters(first.col, where);
				ms_diag_add(d, MS_ERROR, &p,
				            "column '%s' appears twice (first in column %s): keep "
				            "one; this one is not read",
				            names[c], where);
				names[c] = NULL;
				fis[c] = sis[c] = -1;
				continue;
			}
			*slot = c;
		}
	}
	if (expect && strcmp(rec_kind_folder(probe), expect)) {
		ms_diag_add(d, MS_ERROR, &hpos,
		            "%s belong in inputs/%s/, not inputs/%s/: move the file", sh->name,
		            rec_kind_folder(probe), expect);
		goto done;
	}
	const char *dir = dir_of(s, b->path);
	for (size_t ri = 1; ri < sh->nrows && r == 0; ri++) {
		const rd_row *row = &sh->rows[ri];
		rec_kind k = (rec_kind)kind;
		if (kind == REC_ENTRIES_SHEET) {
			const char *t = cell_text(rd_sheet_cell(sh, row->row, type_col));
			int ti = t ? voc_lookup(VOC_ENTRY_TYPE, t) : -1;
			if (ti < 0) {
				ms_pos p = rd_cell_pos(b, sh, row->row, type_col);
				ms_diag_add(d, MS_ERROR, &p,
				            "Type '%s' is not Need, Offer or Experience",
				            t ? t : "(empty)");
				continue;
			}
			k = (rec_kind)(K_NEED + ti);
		}
		raw rw;
		raw_init(&rw, k, rd_cell_pos(b, sh, row->row, row->n ? row->cells[0].col : 1), dir);
		rw.table = 1;
		/* a blank cell under a known column: its place, for the message */
		for (int col = 1; col <= ncols; col++)
			if (fis[col] >= 0 && fis[col] < MAX_FIELDS) {
				rw.f[fis[col]].empty = 1;
				rw.f[fis[col]].pos = rd_cell_pos(b, sh, row->row, col);
			} else if (sis[col] >= 0 && sis[col] < MAX_SECTIONS) {
				rw.sec_pos[sis[col]] = rd_cell_pos(b, sh, row->row, col);
			}
		for (size_t ci = 0; ci < row->n; ci++) {
			const rd_cell *cl = &row->cells[ci];
			if (cl->col > ncols || !names[cl->col])
				continue;
			if (kind == REC_ENTRIES_SHEET && cl->col == type_col)
				continue;
			ms_pos p = rd_cell_pos(b, sh, row->row, cl->col);
			raw_set_at(s, &rw, fis[cl->col], sis[cl->col], names[cl->col],
			           cell_text(cl), cl, &p, d);
		}
		r = commit_raw(s, rf, &rw, root, d);
	}
done:
	free(names);
	free(fis);
	free(sis);
	return r;
}

static int ends_with(const char *s, const char *suffix);

static int load_book(rec_set *s, const char *path, int is_csv, const char *root, const char *expect,
                     ms_diags *d)
{
	const char *p = rec_strdup(s, path);
	/* is_csv: 1 CSV, 2 OpenDocument (.ods), 0 XLSX */
	rd_book *b = is_csv == 1   ? csv_read(p, NULL, d)
	             : is_csv == 2 ? ods_read(p, NULL, d)
	                           : xlsx_read(p, NULL, d);
	if (b && is_csv == 2)
		is_csv = 0; /* read from here on as a workbook */
	if (!b) {
		add_file(s, path, FILE_FAILED, "unreadable (see diagnostics)");
		return 0;
	}
	/* Positions are kept with the records: point them at pool strings, not
	 * at the book's, which is freed below. */
	b->path = p;
	for (size_t i = 0; i < b->nsheets; i++)
		b->sheets[i].name = rec_strdup(s, b->sheets[i].name);
	rec_file *rf = add_file(s, path, FILE_READ, NULL);
	int r = 0;
	if (is_csv) {
		const char *base = strrchr(p, '/');
		base = base ? base + 1 : p;
		char word[64];
		size_t n = 0;
		while (base[n] && n < sizeof word - 1 &&
		       ((base[n] >= 'a' && base[n] <= 'z') || (base[n] >= 'A' && base[n] <= 'Z'))) {
			word[n] = base[n];
			n++;
		}
		word[n] = 0;
		int kind = rec_kind_lookup(word);
		if (kind < 0 ||
		    (kind != REC_ENTRIES_SHEET && !sch_form_get((rec_kind)kind)->is_table &&
		     kind != K_NEED && kind != K_OFFER && kind != K_EXPERIENCE &&
		     kind != K_CONTRIBUTION)) {
			ms_pos fp = ms_pos_file(p);
			ms_diag_add(
			    d, MS_ERROR, &fp,
			    "cannot tell what this CSV file holds from its name: start the name "
			    "with "
			    "contributions, needs, offers, experiences, entries, actions, status, "
			    "reports, funding or recipients (e.g. needs-2013.csv)");
			if (rf) {
				rf->state = FILE_FAILED;
				rf->note = strdup("CSV kind unknown from its name");
			}
		} else if (b->nsheets) {
			r = load_table(s, rf, b, &b->sheets[0], kind, root, expect, d);
		}
		rd_book_free(b);
		return r;
	}
	/* XLSX: a Form sheet, then table sheets; the rest skipped (rules.md 4) */
	const rd_sheet *form = rd_book_sheet(b, "Form");
	for (size_t i = 0; !form && i < b->nsheets; i++) {
		const char *a1 = cell_text(rd_sheet_cell(&b->sheets[i], 1, 1));
		if (a1 && !strcasecmp(a1, "Form"))
			form = &b->sheets[i];
	}
	int any = 0;
	for (size_t i = 0; i < b->nsheets && r == 0; i++) {
		const rd_sheet *sh = &b->sheets[i];
		if (sh == form) {
			r = load_form_sheet(s, rf, b, sh, root, expect, d);
			any = 1;
			continue;
		}
		int kind = rec_kind_lookup(sh->name);
		if (kind == REC_ENTRIES_SHEET || (kind >= 0 && kind != K_BOOK && kind != K_DIGEST &&
		                                  kind != K_PAPER && kind != K_LETTER)) {
			r = load_table(s, rf, b, sh, kind, root, expect, d);
			any = 1;
		} else if (rf) {
			file_skip_sheet(rf, sh->name);
		}
	}
	if (!any) {
		ms_pos fp = ms_pos_file(p);
		ms_diag_add(
		    d, MS_WARNING, &fp,
		    "no sheet named Form or after a table kind (Needs, Offers, Experiences, "
		    "Entries, "
		    "Actions, Status, Reports, Funding): nothing was read from this workbook");
	}
	rd_book_free(b);
	return r;
}

/* The recipients list named on the command line (mspdoc letter FORM LIST):
 * its role is given, so neither the file's nor the sheet's name has to say
 * it. A CSV file is the list; in a workbook, the sheet named Recipients (or
 * Missions), else the first whose first row has a Mission column. */
int rec_load_recipients(rec_set *s, const char *path, const char *root, ms_diags *d)
{
	ms_pos fp = ms_pos_file(path);
	int is_csv = ends_with(path, ".csv");
	if (!is_csv && !ends_with(path, ".xlsx") && !ends_with(path, ".xlsm")) {
		ms_diag_add(
		    d, MS_ERROR, &fp,
		    "a recipients list is an .xlsx workbook or a .csv file with the columns "
		    "Mission, Address, Salutation and E-mail");
		add_file(s, path, FILE_FAILED, "not a workbook or CSV file");
		return 0;
	}
	const char *p = rec_strdup(s, path);
	rd_book *b = is_csv ? csv_read(p, NULL, d) : xlsx_read(p, NULL, d);
	if (!b) {
		add_file(s, path, FILE_FAILED, "unreadable (see diagnostics)");
		return 0;
	}
	b->path = p;
	for (size_t i = 0; i < b->nsheets; i++)
		b->sheets[i].name = rec_strdup(s, b->sheets[i].name);
	rec_file *rf = add_file(s, path, FILE_READ, NULL);
	const rd_sheet *list = NULL;
	for (size_t i = 0; i < b->nsheets && !list; i++)
		if (is_csv || rec_kind_lookup(b->sheets[i].name) == K_RECIPIENT)
			list = &b->sheets[i];
	for (size_t i = 0; i < b->nsheets && !list; i++) {
		const rd_sheet *sh = &b->sheets[i];
		for (int c = 1; c <= sh->max_col && c <= 64 && !list; c++) {
			const char *t =
			    cell_text(rd_sheet_cell(sh, sh->nrows ? sh->rows[0].row : 1, c));
			char *k = t ? ms_name_key(t) : NULL;
			if (k && !strcmp(k, "mission"))
				list = sh;
			free(k);
		}
	}
	int r = 0;
	if (!list) {
		ms_diag_add(d, MS_ERROR, &fp,
		            "no sheet of this workbook has a Mission column: name the sheet "
		            "Recipients, with the columns Mission, Address, Salutation and E-mail "
		            "in its first row");
		if (rf) {
			rf->state = FILE_FAILED;
			rf->note = strdup("no recipients sheet");
		}
	} else {
		for (size_t i = 0; rf && i < b->nsheets; i++)
			if (&b->sheets[i] != list)
				file_skip_sheet(rf, b->sheets[i].name);
		r = load_table(s, rf, b, list, K_RECIPIENT, root, NULL, d);
	}
	rd_book_free(b);
	return r;
}

/* Walking ------------------------------------------------------------------- */

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcasecmp(s + a - b, suffix);
}

static int load_file(rec_set *s, const char *path, const char *root, const char *expect,
                     ms_diags *d)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	ms_pos fp = ms_pos_file(path);
	if (!strncasecmp(base, "README", 6)) {
		add_file(s, path, FILE_SKIPPED, "README files are documentation, not forms");
		return 0;
	}
	/* inputs/letters/ holds Letter forms and recipients lists: a table there
	 * is a list whatever its file or sheet is called */
	size_t dl = (size_t)(base - path);
	int in_letters =
	    (expect && !strcmp(expect, "letters")) ||
	    (dl >= 8 && !strncmp(base - 8, "letters/", 8) && (dl == 8 || base[-9] == '/'));
	if (in_letters &&
	    (ends_with(base, ".csv") || ends_with(base, ".xlsx") || ends_with(base, ".xlsm")))
		return rec_load_recipients(s, path, root, d);
	if (ends_with(base, ".md")) {
		char *data;
		size_t len;
		int big;
		if (ms_read_file(path, MDF_MAX_BYTES, &data, &len, &big) == 0) {
			int form = mdf_has_form_key(data, len);
			free(data);
			if (!form) {
				ms_diag_add(d, MS_ERROR, &fp,
				            "not read: the file has no 'Form:' line: add 'Form: "
				            "Contribution' (or the "
				            "form's kind) as its first line");
				add_file(s, path, FILE_FAILED, "Markdown without a 'Form:' line");
				return 0;
			}
		}
		return load_md(s, path, root, expect, d);
	}
	if (ends_with(base, ".docx") || ends_with(base, ".docm"))
		return load_docx(s, path, root, expect, d);
	if (ends_with(base, ".xlsx") || ends_with(base, ".xls") || ends_with(base, ".xlsm"))
		return load_book(s, path, 0, root, expect, d);
	if (ends_with(base, ".csv"))
		return load_book(s, path, 1, root, expect, d);
	if (ends_with(base, ".ods"))
		return load_book(s, path, 2, root, expect, d);
	if (ends_with(base, ".jpg") || ends_with(base, ".jpeg") || ends_with(base, ".png")) {
		add_file(s, path, FILE_ASSET, NULL);
		return 0;
	}
	/* A photo in another format is an asset of a form, not an error here:
	 * the form that shows it gets the error, at its line. Any other file
	 * is an error (cli.md, Added): a warning with exit 0 let a Word file
	 * that was never read look like a success. */
	if (ends_with(base, ".heic") || ends_with(base, ".heif") || ends_with(base, ".tif") ||
	    ends_with(base, ".tiff") || ends_with(base, ".gif") || ends_with(base, ".webp") ||
	    ends_with(base, ".bmp")) {
		const char *advice = "a photo mspdoc cannot print: convert it to JPEG";
		ms_diag_add(d, MS_WARNING, &fp, "not read: %s", advice);
		add_file(s, path, FILE_NOT_READ, advice);
		return 0;
	}
	const char *advice = "this kind of file is not read: mspdoc reads Markdown forms (.md), "
	                     "Word (.docx), .xlsx and .ods workbooks and .csv tables";
	if (ends_with(base, ".doc") || ends_with(base, ".odt") || ends_with(base, ".rtf"))
		advice = "this kind of file is not read: save it as Word (.docx), or copy its text "
		         "into a Markdown form ('mspdoc templates' writes both)";
	else if (ends_with(base, ".pdf") || ends_with(base, ".txt"))
		advice =
		    "this kind of file is not read: copy its text into a Word or Markdown form "
		    "('mspdoc templates' writes both)";
	else if (ends_with(base, ".numbers") || ends_with(base, ".xlsb"))
		advice = "this kind of file is not read: save the workbook as .xlsx";
	ms_diag_add(d, MS_ERROR, &fp, "%s", advice);
	add_file(s, path, FILE_FAILED, advice);
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Iterative walk: a stack of folders, each listed and sorted by name. */
int rec_load(rec_set *s, const char *path, const char *root, const char *expect, ms_diags *d)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		ms_pos p = ms_pos_file(path);
		ms_diag_add(d, MS_ERROR, &p, "no such file or folder: check the path");
		return 0;
	}
	if (!S_ISDIR(st.st_mode))
		return load_file(s, path, root, expect, d);
	/* depth-first, names in order: a stack of pending paths (reverse order) */
	char **stack = NULL;
	int *depth = NULL;
	size_t n = 0, cap = 0;
	int r = 0;
#define PUSH(p, dp)                                                                                \
	do {                                                                                       \
		if (n == cap) {                                                                    \
			cap = cap ? cap * 2 : 64;                                                  \
			char **ns = realloc(stack, cap * sizeof *ns);                              \
			int *nd = realloc(depth, cap * sizeof *nd);                                \
			if (ns)                                                                    \
				stack = ns;                                                        \
			if (nd)                                                                    \
				depth = nd;                                                        \
			if (!ns || !nd) {                                                          \
				free(p);                                                           \
				r = -1;                                                            \
				goto out;                                                          \
			}                                                                          \
		}                                                                                  \
		stack[n] = (p);                                                                    \
		depth[n++] = (dp);                                                                 \
	} while (0)
	char *first = strdup(path);
	if (!first)
		return -1;
	PUSH(first, 0);
	size_t seen = 0;
	char rroot[PATH_MAX];
	size_t rl = 0;
	if (realpath(root ? root : path, rroot))
		rl = strlen(rroot);
	while (n && r == 0) {
		char *cur = stack[--n];
		int dp = depth[n];
		if (lstat(cur, &st) < 0) {
			free(cur);
			continue;
		}
		/* Below the folder given: a link is followed only to a file inside
		 * the inputs tree (never a folder: no loops); anything else that
		 * is not a regular file (a pipe, a device) is not opened. Each one
		 * skipped is named. */
		if (dp > 0 && S_ISLNK(st.st_mode)) {
			char real[PATH_MAX];
			struct stat tst;
			int inside = rl && realpath(cur, real) && !strncmp(real, rroot, rl) &&
			             (real[rl] == '/' || real[rl] == 0);
			const char *why = NULL;
			if (stat(cur, &tst) < 0)
				why = "a link to nothing";
			else if (S_ISDIR(tst.st_mode))
				why = "a link to a folder (linked folders are not followed)";
			else if (!inside)
				why = "a link to a file outside the inputs folder";
			else if (!S_ISREG(tst.st_mode))
				why = "a link to something that is not a file";
			if (why) {
				ms_pos p = ms_pos_file(cur);
				ms_diag_add(d, MS_WARNING, &p,
				            "not read: %s; put the file itself in the folder", why);
				add_file(s, cur, FILE_SKIPPED, why);
				free(cur);
				continue;
			}
			st = tst;
		} else if (dp > 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
			ms_pos p = ms_pos_file(cur);
			ms_diag_add(d, MS_WARNING, &p,
			            "not read: not a regular file (a pipe, socket or device)");
			add_file(s, cur, FILE_SKIPPED, "not a regular file");
			free(cur);
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (++seen > MAX_FILES) {
				ms_pos p = ms_pos_file(path);
				ms_diag_add(d, MS_ERROR, &p,
				            "more than %d files: read the folders one by one",
				            MAX_FILES);
				free(cur);
				break;
			}
			r = load_file(s, cur, root, expect, d);
			free(cur);
			continue;
		}
		if (dp >= MAX_DEPTH) {
			ms_pos p = ms_pos_file(cur);
			ms_diag_add(d, MS_WARNING, &p,
			            "folders nested deeper than %d levels are not read", MAX_DEPTH);
			free(cur);
			continue;
		}
		DIR *dir = opendir(cur);
		if (!dir) {
			ms_pos p = ms_pos_file(cur);
			ms_diag_add(d, MS_ERROR, &p, "cannot read the folder (%s)",
			            strerror(errno));
			free(cur);
			continue;
		}
		char **names = NULL;
		size_t nn = 0, cn = 0;
		struct dirent *e;
		while ((e = readdir(dir)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			if (nn == cn) {
				cn = cn ? cn * 2 : 32;
				char **v = realloc(names, cn * sizeof *v);
				if (!v)
					break;
				names = v;
			}
			names[nn++] = ms_printf("%s/%s", cur, e->d_name);
		}
		closedir(dir);
		if (nn) /* an empty folder: no qsort(NULL, 0) */
			qsort(names, nn, sizeof *names, name_cmp);
		for (size_t i = nn; i-- > 0;)
			PUSH(names[i], dp + 1);
		free(names);
		free(cur);
	}
out:
	while (n)
		free(stack[--n]);
	free(stack);
	free(depth);
#undef PUSH
	return ms_arena_oom(pool(s)->arena) ? -1 : r;
}
