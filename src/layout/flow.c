/* flow.c — the document tree to pages (see layout.h).
 *
 * A pass lays the whole tree out into display lists (ly.h), in an arena.
 * One pass is enough: the contents are listed from the tree beforehand
 * (toc_guess) and get their page numbers once every page is numbered
 * (resolve_pagerefs); the index comes after what it lists. Another pass
 * is made only when the contents guessed wrong or the index lists an
 * anchor that comes after it (at most 4 passes). Only the final pages go
 * to the PDF back-end.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/imghead.h"
#include "ly.h"

#define MAX_PAGES 20000
#define MAX_DEPTH 40

/* The layout's own mark on a run it makes (never a builder's, tree.h's
 * DT_ flags stay below it): the run's text is an anchor id, drawn as that
 * anchor's page label once every page is numbered (resolve_pagerefs). Its
 * box has the room of RUN_PAGEREF_ROOM, the label set left in it. */
#define RUN_PAGEREF (1u << 15)
#define RUN_PAGEREF_ROOM "00000"

typedef struct anchor {
	const char *id;
	int page;
	double y;
	char label[16]; /* the page's printed number */
} anchor;

typedef struct tocent {
	const char *title;
	const char *id;
	int level;
	const ms_pos *src; /* the heading's source: the entry's warnings name it */
} tocent;

typedef struct note {
	const dt_node *para;
	const char *mark;
	double height;
} note;

/* A table's geometry at the current measure: column widths, each row's
 * height, and what must share a page (table_geom; tgeom_free). */
typedef struct tgeom {
	const dt_node *table; /* the table it was made for, at... */
	double avail;         /* ...this measure */
	int nc;
	double pad;
	double *cw;  /* nc column widths */
	double *rh;  /* each row's height, in order */
	double keep; /* all of it when it takes at most 40 % of a page (a fact
	                box is never split), else caption, header and two rows */
} tgeom;

typedef struct runinfo {
	int face;
	double size, rise;
	unsigned color;
	const char *link;
	const dt_node *note;
	const char *mark;
	double hyphen; /* the width of its hyphen, -1 until asked */
	int elem;      /* a link's structure element, -1 until its first word */
	int pageref;   /* RUN_PAGEREF */
} runinfo;

/* A paragraph's working arrays: its items, its runs' faces, and the breaks
 * chosen (br, with each line's adjustment ratio). */
typedef struct words {
	ly_item *it;
	size_t n, cap;
	runinfo *ri;
	size_t nri, capri;
	int *br;
	double *ratio;
	size_t capbr;
	float *hang; /* hanging punctuation of justified text (hang_items) */
	size_t caphang;
} words;

/* The flow keeps these arrays from one paragraph to the next (72,000 of
 * them in a 2,000-entry digest, each a malloc and a realloc or two before):
 * one set a nesting level, as a page's footnotes are laid out inside the
 * paragraph that ends it (words_take). */
#define NSCRATCH 4

/* The last items built, still in a scratch set's arrays: a kept
 * paragraph's lines are counted (count_lines), then it is set at the same
 * width (lay_para_at), and the second build_items takes them as they are.
 * Any other build clears it: only build_items adds items. */
typedef struct items_memo {
	const dt_node *p; /* NULL: none */
	const ly_pstyle *ps;
	const words *w;
	double lw;
	size_t n;
} items_memo;

typedef struct fl {
	const ly_style *st;
	ft_fonts *fonts;
	ly_hyph *hyph;
	int hold_hyph;     /* build_items: no hyphenation points (pretolerance pass) */
	int held;          /* build_items left out a word's hyphenation points */
	const dt_doc *doc; /* only read */
	dt_doc *own;       /* what the layout makes of it: made ids, index lines */
	ms_arena *a;
	ly_page *pages;
	int npages, cap;
	double y;      /* cursor, PDF coordinates */
	double x0, x1; /* text column of the current page */
	double indent_l, indent_r;
	dt_pagesetup ps; /* current section's set-up */
	int num;         /* next page number */
	char numstyle;
	const char *lasthead[5]; /* latest heading text per level */
	anchor *anchors;
	size_t nanchors, capanchors;
	unsigned *ahash; /* anchors by id's hash: index + 1, 0 empty (find_here) */
	size_t ahcap;    /* a power of two, over twice nanchors; 0: none yet */
	tocent *toc;
	size_t ntoc, captoc;
	const tocent *prev_toc; /* contents from the previous pass */
	size_t prev_ntoc;
	const anchor *prev_anchors;
	size_t prev_nanchors;
	ly_outline *outl;
	size_t noutl, capoutl;
	note *notes; /* footnotes of the current page */
	size_t nnotes, capnotes;
	double notes_h;
	int section_first; /* the current page is its section's first */
	int opener;        /* the current page opens a chapter (no running head) */
	int page_open;     /* the last page has not been finished */
	int drawn;         /* something but anchors is on the current page */
	int quote_depth;
	int oom;
	/* the last paragraph of a block kept with the next, and what must
	 * follow its last line on its page */
	const dt_node *tail_para;
	double tail_h;
	int tail_lines; /* how many lines go with it, if more than `widows` */
	/* the last paragraph before a page turn: it carries at least three
	 * lines onto a new page, so that no page holds only one or two */
	const dt_node *end_para;
	int too_long;         /* over MAX_PAGES: the input's fault, not the machine's */
	int forward;          /* a page number was taken from the previous pass */
	tgeom tg;             /* the next table's geometry, measured by its heading */
	struct imginfo *imgs; /* each photo's header, read once a run */
	size_t nimgs, capimgs;
	struct lowres *lowres; /* photos printed below LOW_PPI, once each */
	size_t nlowres, caplowres;
	words scratch[NSCRATCH]; /* see words_take */
	items_memo memo;
	int nscratch;
	struct wcache *wc; /* words measured and hyphenated, see word_get */
	ly_elem *elems;    /* the structure elements met so far (dlist.h) */
	const ms_pos *src; /* the source of the block being laid (its elements') */
	size_t nelems, capelems;
	int cur;       /* the element new operations belong to, -1: none */
	int furniture; /* new operations are page furniture */
	int row_heads; /* the table being laid has no header row: its first column heads the rows */
} fl;

/* Pages ------------------------------------------------------------------- */

static void *al(fl *f, size_t n)
{
	void *p = ms_arena_alloc(f->a, n);
	if (!p)
		f->oom = 1;
	return p;
}

/* Memory of the current page, freed when the page is written: its
 * operations and the texts only they use. */
static void *pal(fl *f, size_t n)
{
	void *p = f->npages ? ms_arena_alloc(f->pages[f->npages - 1].arena, n) : NULL;
	if (!p)
		f->oom = 1;
	return p;
}

/* A structure element of this role inside the current one, made current:
 * returns the element it replaces as current, for elem_end. */
static int elem_begin(fl *f, ly_role role, int level, const char *alt, const char *id)
{
	int was = f->cur;
	if (f->nelems == f->capelems) {
		size_t c = f->capelems ? f->capelems * 2 : 256;
		ly_elem *v = realloc(f->elems, c * sizeof *v);
		if (!v) {
			f->oom = 1;
			return was;
		}
		f->elems = v;
		f->capelems = c;
	}
	f->elems[f->nelems] =
	    (ly_elem){was, (unsigned char)role, (unsigned char)level, alt, id, f->src};
	f->cur = (int)f->nelems++;
	return was;
}

static void elem_end(fl *f, int was)
{
	f->cur = was;
}

static ly_op *op(fl *f, ly_opkind kind)
{
	if (f->npages == 0)
		return NULL;
	ly_op *o = pal(f, sizeof *o);
	if (!o)
		return NULL;
	o->kind = kind;
	o->elem = f->cur;
	o->artifact = (unsigned char)f->furniture;
	f->drawn |= kind != OP_DEST;
	ly_page *p = &f->pages[f->npages - 1];
	if (p->last)
		p->last->next = o;
	else
		p->ops = o;
	p->last = o;
	return o;
}

static double bottom(const fl *f)
{
	return f->st->m_bottom + (f->nnotes ? f->notes_h + 10 : 0);
}

/* The text column's width at the current indents. */
static double measure(const fl *f)
{
	return f->x1 - f->indent_r - f->x0 - f->indent_l;
}

/* The height of a page's body, between the margins. */
static double body_height(const fl *f)
{
	return f->st->page_h - f->st->m_top - f->st->m_bottom;
}

/* A table's rule under a row (drawn after the page's text: pdf.c). */
static void table_rule(fl *f, double x, double y, double w, double line_w)
{
	ly_op *l = op(f, OP_LINE);
	if (l) {
		l->x = x;
		l->y = y;
		l->w = w;
		l->line_w = line_w;
		l->color = f->st->table_rule;
	}
}

static void roman(int n, char *out)
{
	static const int v[] = {1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1};
	static const char *s[] = {"m",  "cm", "d",  "cd", "c",  "xc", "l",
	                          "xl", "x",  "ix", "v",  "iv", "i"};
	out[0] = 0;
	for (int i = 0; i < 13 && n > 0 && strlen(out) < 12; i++)
		while (n >= v[i] && strlen(out) < 12) {
			strcat(out, s[i]);
			n -= v[i];
		}
}

static ly_op *text_op(fl *f, int face, double size, unsigned color, double x, double y,
                      const char *s, size_t len)
{
	ly_op *o = op(f, OP_TEXT);
	if (!o)
		return NULL;
	o->face = face;
	o->size = size;
	o->color = color;
	o->x = x;
	o->y = y;
	o->text = s;
	o->len = (unsigned)len;
	o->lig = face / 4 != FAM_MONO; /* measured so (ly_width, ly_lig_saving) */
	return o;
}

static void lay_para_at(fl *f, const dt_node *p, const ly_pstyle *ps, double x, double w,
                        int paginate, const char *number);

/* A copy in the pass's arena: ops must not point into arrays that grow or
 * into the previous pass's results. */
static const char *keep(fl *f, const char *s)
{
	char *c = ms_arena_strdup(f->a, s);
	if (!c)
		f->oom = 1;
	return c ? c : "";
}

/* Footnotes at the foot of the page, then the folio and the running head. */
static void finish_page(fl *f)
{
	if (f->npages == 0)
		return;
	const ly_style *st = f->st;
	int cur = f->cur; /* what the page ends in the middle of */
	f->cur = -1;
	if (f->nnotes) {
		double y = st->m_bottom + f->notes_h + 6;
		f->furniture = 1; /* the separator */
		ly_op *r = op(f, OP_LINE);
		f->furniture = 0;
		if (r) {
			r->x = f->x0;
			r->y = y;
			r->w = 100;
			r->h = 0;
			r->line_w = 0.5;
			r->color = st->rule_color;
		}
		f->y = y - 4;
		const ly_pstyle *fs = ly_pstyle_get(st, "footnote");
		for (size_t i = 0; i < f->nnotes; i++) {
			int was = elem_begin(f, LE_NOTE, 0, NULL, NULL);
			lay_para_at(f, f->notes[i].para, fs, f->x0, f->x1 - f->x0, 0,
			            f->notes[i].mark);
			elem_end(f, was);
		}
		f->nnotes = 0;
		f->notes_h = 0;
	}
	ly_page *pg = &f->pages[f->npages - 1];
	int odd = f->npages % 2 == 1;
	f->furniture = 1; /* folio and running head: artifacts to a reader */
	if (f->ps.show_folio && pg->label[0] && !(f->section_first && f->ps.no_first_folio)) {
		const char *label = keep(f, pg->label);
		double w =
		    ly_width(f->fonts, FACE(FAM_SERIF, 0, 0), st->folio_size, label, strlen(label));
		text_op(f, FACE(FAM_SERIF, 0, 0), st->folio_size, 0, (st->page_w - w) / 2,
		        st->m_bottom / 2, label, strlen(label));
	}
	if ((!f->section_first || f->ps.head_first) && !f->opener) {
		const char *h = odd ? f->ps.head_right : f->ps.head_left;
		if (odd && f->ps.head_level > 0 && f->ps.head_level < 5 &&
		    f->lasthead[f->ps.head_level])
			h = f->lasthead[f->ps.head_level];
		if (h && *h) {
			int face = FACE(FAM_SANS, 0, 1);
			double size = st->head_size;
			size_t n = strlen(h);
			double w = ly_width(f->fonts, face, size, h, n);
			while (w > f->x1 - f->x0 && n > 10) { /* a long title: cut */
				n -= 5;
				while (n && ((unsigned char)h[n] & 0xC0) == 0x80)
					n--;
				w = ly_width(f->fonts, face, size, h, n);
			}
			double y = st->page_h - st->m_top / 2;
			text_op(f, face, size, 0x444444, odd ? f->x1 - w : f->x0, y, h, n);
			ly_op *r = op(f, OP_LINE);
			if (r) {
				r->x = f->x0;
				r->y = y - 4;
				r->w = f->x1 - f->x0;
				r->line_w = 0.4;
				r->color = st->rule_color;
			}
		}
	}
	f->furniture = 0;
	f->cur = cur;
}

/* A new page, the current one finished. Out of memory or of pages (oom
 * set, the pass to be abandoned), the current page stays open and
 * unfinished. */
static void new_page(fl *f)
{
	if (f->oom)
		return;
	if (f->npages >= MAX_PAGES) {
		f->oom = 1;
		f->too_long = 1;
		return;
	}
	if (f->npages == f->cap) {
		int cap = f->cap ? f->cap * 2 : 64;
		ly_page *v = realloc(f->pages, (size_t)cap * sizeof *v);
		if (!v) {
			f->oom = 1;
			return;
		}
		f->pages = v;
		f->cap = cap;
	}
	if (f->page_open)
		finish_page(f);
	f->page_open = 1;
	ly_page *pg = &f->pages[f->npages++];
	memset(pg, 0, sizeof *pg);
	pg->arena = ms_arena_new_fixed(16384);
	if (!pg->arena)
		f->oom = 1;
	pg->width = f->st->page_w; /* the style's paper, to the file */
	pg->height = f->st->page_h;
	pg->label_style = f->numstyle;
	pg->number = f->num;
	if (f->numstyle == 'r')
		roman(f->num, pg->label);
	else if (f->numstyle == 'D')
		snprintf(pg->label, sizeof pg->label, "%d", f->num);
	if (f->numstyle)
		f->num++;
	const ly_style *st = f->st;
	int odd = f->npages % 2 == 1;
	f->x0 = odd ? st->m_inner : st->m_outer;
	f->x1 = st->page_w - (odd ? st->m_outer : st->m_inner);
	f->y = st->page_h - st->m_top;
	f->section_first = 0;
	f->opener = 0;
	f->drawn = 0;
}

/* Room for h more points on this page, else a new page. */
/* Turn the page unless h fits below the cursor; a page with nothing drawn
 * on it yet is never turned (what does not fit there fits nowhere). */
static void need(fl *f, double h)
{
	if (f->npages == 0 || (f->y - h < bottom(f) && f->drawn))
		new_page(f);
}

/* Put anchor i (of f->anchors) in the hash of this pass's anchors, the
 * first of an id winning as in find_anchor; the table grown to keep it
 * under half full. The index and the digest's match lists look up tens of
 * thousands of ids among as many anchors. */
static void ahash_put(fl *f, size_t i)
{
	if (2 * (i + 1) >= f->ahcap) {
		size_t c = f->ahcap ? f->ahcap * 2 : 1024;
		unsigned *v = calloc(c, sizeof *v);
		if (!v) {
			f->oom = 1;
			return;
		}
		free(f->ahash);
		f->ahash = v;
		f->ahcap = c;
		for (size_t k = 0; k < i; k++)
			ahash_put(f, k);
	}
	size_t m = f->ahcap - 1, k = ms_fnv(f->anchors[i].id, MS_FNV_SEED) & m;
	for (; f->ahash[k]; k = (k + 1) & m)
		if (!strcmp(f->anchors[f->ahash[k] - 1].id, f->anchors[i].id))
			return;
	f->ahash[k] = (unsigned)i + 1;
}

/* This pass's anchor named id, or NULL. */
static const anchor *find_here(const fl *f, const char *id)
{
	if (!id || !f->ahcap)
		return NULL;
	size_t m = f->ahcap - 1, k = ms_fnv(id, MS_FNV_SEED) & m;
	for (; f->ahash[k]; k = (k + 1) & m)
		if (!strcmp(f->anchors[f->ahash[k] - 1].id, id))
			return &f->anchors[f->ahash[k] - 1];
	return NULL;
}

static void add_anchor(fl *f, const char *id)
{
	if (!id || f->npages == 0)
		return;
	if (f->nanchors == f->capanchors) {
		size_t c = f->capanchors ? f->capanchors * 2 : 64;
		anchor *v = realloc(f->anchors, c * sizeof *v);
		if (!v) {
			f->oom = 1;
			return;
		}
		f->anchors = v;
		f->capanchors = c;
	}
	anchor *a = &f->anchors[f->nanchors++];
	*a = (anchor){id, f->npages, f->y, ""};
	memcpy(a->label, f->pages[f->npages - 1].label, sizeof a->label);
	ahash_put(f, f->nanchors - 1);
	ly_op *o = op(f, OP_DEST);
	if (o) {
		o->text = id;
		o->x = f->x0;
		o->y = f->y;
	}
}

/* The anchor named id among v[0..n) (the first of that id), or NULL: for
 * the previous pass's anchors and the results, looked up a few times. */
static const anchor *find_anchor(const anchor *v, size_t n, const char *id)
{
	for (size_t i = 0; id && i < n; i++)
		if (!strcmp(v[i].id, id))
			return &v[i];
	return NULL;
}

/* Inline layout -------------------------------------------------------------- */

/* Room for more items: -1 when out of memory. */
static __attribute__((noinline)) int grow_items(words *w)
{
	size_t c = w->cap ? w->cap * 2 : 128;
	ly_item *v = realloc(w->it, c * sizeof *v);
	if (!v)
		return -1;
	w->it = v;
	w->cap = c;
	return 0;
}

/* Inlined: a paragraph's items are pushed a million times for the digest. */
static inline __attribute__((always_inline)) int push_item(words *w, ly_item item)
{
	if (w->n == w->cap && grow_items(w) < 0)
		return -1;
	w->it[w->n++] = item;
	return 0;
}

/* A paragraph's arrays, emptied: the next of the flow's sets, or `local`
 * (zeroed by the caller) when paragraphs nest deeper than NSCRATCH. Give
 * each back with words_give, last taken first. */
static words *words_take(fl *f, words *local)
{
	words *w = f->nscratch < NSCRATCH ? &f->scratch[f->nscratch++] : local;
	w->n = w->nri = 0;
	return w;
}

static void words_give(fl *f, words *w, words *local)
{
	if (w == local) {
		free(w->it);
		free(w->ri);
		free(w->br);
		free(w->ratio);
		free(w->hang);
	} else {
		f->nscratch--;
	}
}

/* Room in w for n breaks and their ratios; -1 when out of memory. */
static int words_breaks(words *w, size_t n)
{
	if (n <= w->capbr)
		return 0;
	int *br = realloc(w->br, n * sizeof *br);
	if (br)
		w->br = br;
	double *ratio = br ? realloc(w->ratio, n * sizeof *ratio) : NULL;
	if (!ratio)
		return -1;
	w->ratio = ratio;
	w->capbr = n;
	return 0;
}

/* Split a word that is wider than the line into pieces that fit. */
/* Words repeat: a paragraph of a digest entry or a book's chapter says
 * "assistance" or "the" again and again, and each was measured, looked up
 * for hyphenation and its pieces measured each time (1.1 million calls of
 * ly_width for the 2,000-entry digest, a fifth of the layout). Each word
 * of a face, with or without hyphenation, is now done once a layout and
 * its pieces kept: where each ends and its width in font units, which
 * give the points in the same arithmetic as ly_width. Open addressing
 * (FNV-1a); words of 60 bytes or more, which are not hyphenated, and words
 * past three quarters of the table are measured as before. */
#define WC_SIZE 16384 /* a power of two */
#define WC_LONG 60    /* ly_hyphenate's limit */

typedef struct wc_ent {
	const char *s; /* the word, in the cache's arena; NULL: a free slot */
	uint32_t hash;
	unsigned char len, face, hyph, npieces;
	const unsigned char *ends; /* each piece's end in the word */
	const long *units;         /* each piece's width */
	long total;                /* the whole word's */
} wc_ent;

typedef struct wcache {
	wc_ent v[WC_SIZE];
	size_t used;
	ms_arena *a;
} wcache;

static void wcache_free(wcache *c)
{
	if (c) {
		ms_arena_free(c->a);
		free(c);
	}
}

/* Text's width in 1/1000 em as drawn, ligatures counted (ly_width). */
static long ly_text_units(fl *f, int face, const char *s, size_t len)
{
	return ft_text_units(f->fonts, face, s, len) - ly_lig_saving(f->fonts, face, s, len);
}

/* A word's pieces (fewer than WC_LONG bytes): where each ends and its width,
 * split at its hyphenation points when hyph; their count. */
static int word_measure(fl *f, const char *s, size_t len, int face, int hyph, unsigned char *ends,
                        long *units, long *total)
{
	char pts[72];
	int np = 0;
	size_t start = 0;
	/* widths with "fi" and "fl" as ligatures (ly_width), and no break
	 * inside one */
	if (hyph && len >= 5 && ly_hyphenate(f->hyph, s, len, pts) > 0)
		for (size_t i = 0; i + 1 < len; i++)
			if (pts[i] && !ly_lig_at(f->fonts, face, s, i + 1)) {
				ends[np] = (unsigned char)(i + 1);
				units[np++] = ly_text_units(f, face, s + start, i + 1 - start);
				start = i + 1;
			}
	*total = ly_text_units(f, face, s, len);
	ends[np] = (unsigned char)len;
	units[np] = np ? ly_text_units(f, face, s + start, len - start) : *total;
	return np + 1;
}

/* A new entry: the word measured, kept in the cache's arena. */
static int word_fill(fl *f, wc_ent *e, const char *s, size_t len, int face, int hyph)
{
	unsigned char ends[WC_LONG];
	long units[WC_LONG], total;
	size_t np = (size_t)word_measure(f, s, len, face, hyph, ends, units, &total);
	wcache *c = f->wc;
	char *word = ms_arena_alloc(c->a, len + np);
	long *u = ms_arena_alloc(c->a, np * sizeof *u);
	if (!word || !u)
		return -1;
	memcpy(word, s, len);
	memcpy(word + len, ends, np);
	memcpy(u, units, np * sizeof *u);
	e->s = word;
	e->ends = (const unsigned char *)word + len;
	e->units = u;
	e->npieces = (unsigned char)np;
	e->total = total;
	return 0;
}

/* The word's entry, made on first sight; NULL: measure it as before. h:
 * the hash of its bytes from MS_FNV_SEED. */
static const wc_ent *word_get(fl *f, int face, int hyph, const char *s, size_t len, uint32_t h)
{
	if (len == 0 || len >= WC_LONG || face < 0 || face > 255)
		return NULL;
	wcache *c = f->wc;
	if (!c) {
		c = f->wc = calloc(1, sizeof *c);
		if (c && !(c->a = ms_arena_new())) {
			free(c);
			c = f->wc = NULL;
		}
		if (!c)
			return NULL;
	}
	h = ms_fnv_byte(ms_fnv_byte(h, (unsigned char)face), (unsigned char)!!hyph);
	size_t k = h & (WC_SIZE - 1);
	for (;; k = (k + 1) & (WC_SIZE - 1)) {
		const wc_ent *e = &c->v[k];
		if (!e->s)
			break;
		if (e->hash == h && e->len == len && e->face == face && e->hyph == !!hyph &&
		    !memcmp(e->s, s, len))
			return e;
	}
	if (c->used >= WC_SIZE / 4 * 3)
		return NULL;
	wc_ent *e = &c->v[k];
	if (word_fill(f, e, s, len, face, hyph) < 0) {
		e->s = NULL;
		return NULL;
	}
	e->hash = h;
	e->len = (unsigned char)len;
	e->face = (unsigned char)face;
	e->hyph = (unsigned char)!!hyph;
	c->used++;
	return e;
}

static void push_word(fl *f, words *w, int run, const char *s, size_t len, double lw, int hyph,
                      uint32_t h)
{
	runinfo *r = &w->ri[run];
	const wc_ent *e = word_get(f, r->face, hyph, s, len, h);
	wc_ent own; /* a word the cache did not take: measured the same way */
	unsigned char ends[WC_LONG];
	long units[WC_LONG];
	if (!e && len > 0 && len < WC_LONG) {
		long total;
		int np = word_measure(f, s, len, r->face, hyph, ends, units, &total);
		own = (wc_ent){
		    .npieces = (unsigned char)np, .ends = ends, .units = units, .total = total};
		e = &own;
	}
	if (e && ly_points(e->total, r->size) <= lw) {
		if (e->npieces > 1 && r->hyphen < 0)
			r->hyphen = ly_width(f->fonts, r->face, r->size, "-", 1);
		double hw = r->hyphen;
		size_t start = 0;
		for (int p = 0; p < e->npieces; p++) {
			size_t end = e->ends[p];
			if (p)
				push_item(w, (ly_item){'p', hw, 0, 0, 50, 1, run, NULL, 0});
			push_item(w, (ly_item){'b', ly_points(e->units[p], r->size), 0, 0, 0, 0,
			                       run, s + start, end - start});
			start = end;
		}
		return;
	}
	double width =
	    e ? ly_points(e->total, r->size) : ly_width(f->fonts, r->face, r->size, s, len);
	if (width > lw) {
		size_t start = 0, i = 0;
		while (i < len) {
			size_t j = i + 1;
			while (j < len && ((unsigned char)s[j] & 0xC0) == 0x80)
				j++;
			if (ly_width(f->fonts, r->face, r->size, s + start, j - start) > lw &&
			    i > start) {
				push_item(w, (ly_item){'b',
				                       ly_width(f->fonts, r->face, r->size,
				                                s + start, i - start),
				                       0, 0, 0, 0, run, s + start, i - start});
				push_item(w, (ly_item){'p', 0, 0, 0, 0, 0, run, NULL, 0});
				start = i;
			}
			i = j;
		}
		push_item(w, (ly_item){'b',
		                       ly_width(f->fonts, r->face, r->size, s + start, len - start),
		                       0, 0, 0, 0, run, s + start, len - start});
		return;
	}
	push_item(w, (ly_item){'b', width, 0, 0, 0, 0, run, s, len}); /* 60 bytes or more */
}

static int face_of(const ly_pstyle *ps, unsigned style)
{
	int fam = (style & DT_MONO) ? FAM_MONO : ps->family;
	return FACE(fam, ps->bold || (style & DT_B), ps->italic ^ !!(style & DT_I));
}

/* One runinfo per run of the paragraph, in order; -1 when out of memory. */
/* A run's size: its paragraph's, smaller for superscripts and small text. */
static double run_size(const ly_pstyle *ps, unsigned style)
{
	return ps->size * ((style & (DT_SUP | DT_SMALL)) ? 0.7 : 1);
}

static int run_infos(const dt_node *p, const ly_pstyle *ps, words *w)
{
	for (const dt_run *r = p->runs; r; r = r->next) {
		if (w->nri == w->capri) {
			size_t c = w->capri ? w->capri * 2 : 16;
			runinfo *v = realloc(w->ri, c * sizeof *v);
			if (!v)
				return -1;
			w->ri = v;
			w->capri = c;
		}
		runinfo *info = &w->ri[w->nri++];
		memset(info, 0, sizeof *info);
		info->face = face_of(ps, r->style);
		info->size = run_size(ps, r->style);
		info->rise = (r->style & DT_SUP) ? ps->size * 0.35 : 0;
		info->color = r->link ? 0x1F4E9A : ps->color;
		info->link = r->link;
		info->note = r->note;
		info->mark = r->note ? r->text : NULL;
		info->hyphen = -1;
		info->elem = -1;
		info->pageref = !!(r->style & RUN_PAGEREF);
	}
	return 0;
}

/* The items of a paragraph whose runinfos are built. */
/* Bytes that end a word: white space, and a hyphen or slash, after which
 * a line may break (but in a code). */
enum { SC_SPACE = 1, SC_SEP = 2, SC_SLASH = 4 };
static const unsigned char scan_class[256] = {
    ['\t'] = SC_SPACE, ['\n'] = SC_SPACE, [' '] = SC_SPACE, ['-'] = SC_SEP, ['/'] = SC_SLASH};

/* Chinese, Japanese and Korean (UAX #14, class ID and its kin): a line
 * may break between two such characters, or between one and a letter,
 * with no space; never before closing punctuation, a small kana or a
 * prolonged sound mark (classes CL, CP, EX, IS, NS, CJ), nor after opening
 * punctuation (OP). */
static int wide_char(uint32_t c)
{
	return (c >= 0x2E80 && c <= 0x2FFF) || (c >= 0x3040 && c <= 0x30FF) ||
	       (c >= 0x3130 && c <= 0x318F) || (c >= 0x31F0 && c <= 0x9FFF) ||
	       (c >= 0xA000 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) ||
	       (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF01 && c <= 0xFF60);
}

static int no_break_before(uint32_t c)
{
	static const uint16_t ns[] = {
	    0x3001, 0x3002, 0x3005, 0x3009, 0x300B, 0x300D, 0x300F, 0x3011, 0x3015, 0x3017,
	    0x3019, 0x301B, 0x301C, 0x301E, 0x301F, 0x303B, 0x3041, 0x3043, 0x3045, 0x3047,
	    0x3049, 0x3063, 0x3083, 0x3085, 0x3087, 0x308E, 0x3095, 0x3096, 0x309B, 0x309C,
	    0x309D, 0x309E, 0x30A0, 0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9, 0x30C3, 0x30E3,
	    0x30E5, 0x30E7, 0x30EE, 0x30F5, 0x30F6, 0x30FB, 0x30FC, 0x30FD, 0x30FE, 0xFF01,
	    0xFF09, 0xFF0C, 0xFF0E, 0xFF1A, 0xFF1B, 0xFF1F, 0xFF3D, 0xFF5D, 0xFF60};
	if (c < 0x80)
		return !((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'));
	if (c < 0x3000 || c > 0xFF60)
		return 1; /* only the wide forms are broken around here */
	for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++)
		if (ns[k] == c)
			return 1;
	return (c >= 0x31F0 && c <= 0x31FF); /* small katakana */
}

static int no_break_after(uint32_t c)
{
	return c == '(' || c == '[' || c == '{' || c == 0x2018 || c == 0x201C ||
	       (c >= 0x3008 && c <= 0x301A && c % 2 == 0 && c != 0x3012) || c == 0x301D ||
	       c == 0xFF08 || c == 0xFF3B || c == 0xFF5B || c == 0xFF5F;
}

/* May a line break at s[e], a character boundary inside the word s[i..e)
 * (no space there)? Only what wide characters allow; the rest of the
 * word's breaks (hyphens, slashes, hyphenation) are found elsewhere. */
static int wide_break(const char *s, size_t i, size_t e, size_t n)
{
	uint32_t b = (unsigned char)s[e], a;
	if (b >= 0x80 && ms_utf8_decode(s + e, n - e, &b) < 1)
		return 0;
	size_t k = e - 1;
	while (k > i && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	a = (unsigned char)s[k];
	if (a >= 0x80 && ms_utf8_decode(s + k, e - k, &a) < 1)
		return 0;
	return (wide_char(a) || wide_char(b)) && !no_break_before(b) && !no_break_after(a);
}

static void build_items(fl *f, const dt_node *p, const ly_pstyle *ps, double lw, words *w)
{
	int same = f->memo.p == p && f->memo.ps == ps && f->memo.w == w && f->memo.lw == lw &&
	           !f->hold_hyph && w->n == 0;
	f->memo.p = NULL;
	if (same) {
		w->n = f->memo.n; /* the same items (see items_memo) */
		return;
	}
	int ri = 0;
	for (const dt_run *r = p->runs; r; r = r->next, ri++) {
		const runinfo *info = &w->ri[ri];
		if (r->style & DT_BR) {
			push_item(w, (ly_item){'g', 0, 1e6, 0, 0, 0, ri, NULL, 0});
			push_item(w, (ly_item){'p', 0, 0, 0, -10000, 0, ri, NULL, 0});
			continue;
		}
		if (r->style & RUN_PAGEREF) { /* one box, its text the anchor's id */
			push_item(w, (ly_item){'b',
			                       ly_width(f->fonts, info->face, info->size,
			                                RUN_PAGEREF_ROOM, strlen(RUN_PAGEREF_ROOM)),
			                       0, 0, 0, 0, ri, r->text, strlen(r->text)});
			continue;
		}
		double space = ly_width(f->fonts, info->face, info->size, " ", 1);
		const char *s = r->text ? r->text : "";
		size_t i = 0, n = strlen(s);
		int hy = ps->hyphenate && !(r->style & (DT_NOHYPH | DT_MONO)) && !r->link;
		while (i < n) {
			if (s[i] == ' ' || s[i] == '\n' || s[i] == '\t') {
				while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t'))
					i++;
				if (w->n && w->it[w->n - 1].kind == 'b')
					push_item(w,
					          (ly_item){'g', space, space * f->st->brk.stretch,
					                    space * f->st->brk.shrink, 0, 0, ri,
					                    NULL, 0});
				continue;
			}
			/* a word, in one scan: split at its own hyphens and slashes
			 * too (a break allowed after each), but for a code
			 * ("O-2026-IRL-9fde") */
			/* a link (an e-mail address, a URL) never breaks at its
			 * hyphens, which a reader would take for part of it; a URL
			 * may break after a slash */
			unsigned char stop = (r->style & DT_NOHYPH) ? SC_SPACE
			                     : r->link              ? SC_SPACE | SC_SLASH
			                                            : SC_SPACE | SC_SEP | SC_SLASH;
			for (;;) {
				size_t e = i;
				uint32_t h = MS_FNV_SEED;
				int wide = 0;   /* the piece ends where wide characters break */
				int hywide = 0; /* no hyphenation for a piece with them */
				while (e < n && !(scan_class[(unsigned char)s[e]] & stop)) {
					unsigned char c = (unsigned char)s[e];
					hywide |= c >= 0xE3;
					if (e > i &&
					    (c >= 0xE2 ||
					     (c < 0x80 && (unsigned char)s[e - 1] >= 0x80)) &&
					    (wide = wide_break(s, i, e, n)))
						break;
					h = ms_fnv_byte(h, c);
					e++;
				}
				int sep =
				    !wide && e < n && !(scan_class[(unsigned char)s[e]] & SC_SPACE);
				if (sep) /* the hyphen or slash ends the piece */
					h = ms_fnv_byte(h, (unsigned char)s[e++]);
				int more = e < n && !(scan_class[(unsigned char)s[e]] & SC_SPACE);
				int hw = hy && e - i >= 5 && s[e - 1] != '-' && !hywide;
				if (hw && f->hold_hyph) {
					f->held = 1;
					hw = 0;
				}
				push_word(f, w, ri, s + i, e - i, lw, hw, h);
				if ((sep || wide) && more)
					push_item(w, (ly_item){'p', 0, 0, 0, wide ? 0 : 100, 0, ri,
					                       NULL, 0});
				i = e;
				if (!more)
					break;
			}
		}
	}
	/* paragraph end: fill glue and a forced break */
	while (w->n && w->it[w->n - 1].kind == 'g')
		w->n--;
	push_item(w, (ly_item){'g', 0, 1e6, 0, 0, 0, 0, NULL, 0});
	push_item(w, (ly_item){'p', 0, 0, 0, -10000, 0, 0, NULL, 0});
}

/* Hanging punctuation (optical margin alignment) of a justified
 * paragraph's items: how far each box may reach into the right margin when
 * it ends a line and into the left one when it starts one (ly_hang_right,
 * ly_hang_left), and each hyphenation point's hyphen. Two arrays of n in
 * w->hang; NULL when out of memory (then nothing hangs). */
static float *hang_items(fl *f, words *w)
{
	size_t n = w->n;
	if (2 * n > w->caphang) {
		float *v = realloc(w->hang, 2 * n * sizeof *v);
		if (!v)
			return NULL;
		w->hang = v;
		w->caphang = 2 * n;
	}
	float *hr = w->hang, *hl = w->hang + n;
	double k = f->st->brk.protrusion;
	for (size_t i = 0; i < n; i++) {
		const ly_item *it = &w->it[i];
		hr[i] = hl[i] = 0;
		size_t nb;
		if (it->kind == 'p' && it->flagged && it->width > 0) {
			hr[i] = (float)(k * ly_hang_right("x-", 2, &nb) * it->width);
		} else if (it->kind == 'b' && it->text && it->len) {
			const runinfo *ri = &w->ri[it->run];
			double v = ly_hang_right(it->text, it->len, &nb);
			if (v > 0)
				hr[i] = (float)(k * v *
				                ly_width(f->fonts, ri->face, ri->size,
				                         it->text + it->len - nb, nb));
			v = ly_hang_left(it->text, it->len, &nb);
			if (v > 0)
				hl[i] =
				    (float)(k * v *
				            ly_width(f->fonts, ri->face, ri->size, it->text, nb));
		}
	}
	return w->hang;
}

/* Greedy breaks: for ragged text, and when no total-fit solution exists. */
static int greedy(const ly_item *it, size_t n, double first, double width, int *br, size_t max)
{
	int lines = 0;
	double w = 0, lw = first;
	int last_ok = -1;
	for (size_t i = 0; i < n && (size_t)lines < max; i++) {
		const ly_item *x = &it[i];
		if (x->kind == 'p' && x->penalty <= -10000) {
			/* a hard line break (DT_BR) or the paragraph's end: the
			 * lines after a break are laid too (they were dropped) */
			br[lines++] = (int)i;
			w = 0;
			lw = width;
			last_ok = -1;
			continue;
		}
		int legal = (x->kind == 'g' && i > 0 && it[i - 1].kind == 'b') ||
		            (x->kind == 'p' && x->penalty < 10000);
		if (legal && w + (x->kind == 'p' ? x->width : 0) <= lw + 0.01)
			last_ok = (int)i;
		if (x->kind != 'p')
			w += x->width;
		if (x->kind == 'b' && w > lw + 0.01 && last_ok >= 0) {
			br[lines++] = last_ok;
			lw = width;
			w = 0;
			i = (size_t)last_ok;
			while (i + 1 < n && it[i + 1].kind != 'b')
				i++;
			last_ok = -1;
		}
	}
	return lines;
}

/* A paragraph's alignment: its own, unless it leaves it to its style. */
static int para_align(const dt_node *p, const ly_pstyle *ps)
{
	return p->align == DT_JUSTIFY ? ps->align : (int)p->align;
}

/* A justified paragraph's breaks, as ly_break_hung finds them with the
 * style's costs, into w->br and w->ratio (lines, or -1 when no total-fit
 * solution exists); *lhang each box's left hang, or NULL. As TeX does, the
 * paragraph is first broken without hyphenation, at the pretolerance: its
 * items are built without hyphenation points, and only when that pass
 * fails are they built again with them for the passes after it. The first
 * pass never breaks at a hyphenation point, so the lines are the same as
 * breaking the items with the points at once; a word's pieces are joined
 * again when it is drawn. Most paragraphs of a book set at the
 * pretolerance: their words are never looked up in the hyphenation
 * patterns, and a book whose paragraphs all do never loads them. */
static int break_justified(fl *f, const dt_node *p, const ly_pstyle *ps, double lw, words *w,
                           const float **lhang)
{
	const ly_breaking *bp = &f->st->brk;
	ly_breaking one = *bp;
	int held = bp->pretolerance >= 0;
	f->hold_hyph = held;
	f->held = 0;
	build_items(f, p, ps, lw, w);
	f->hold_hyph = 0;
	held = held && f->held;
	if (held)
		one.tolerance = -1; /* the pretolerance pass alone */
	for (int round = 0;; round++) {
		*lhang = NULL;
		if (w->n <= 2 || words_breaks(w, w->n) < 0)
			return -2;
		const float *hang = bp->protrusion > 0 ? hang_items(f, w) : NULL;
		*lhang = hang ? hang + w->n : NULL;
		int lines = ly_break_hung(held ? &one : bp, w->it, hang, *lhang, w->n,
		                          lw - ps->first, lw, w->br, w->n, w->ratio);
		if (lines >= 0 || !held || round)
			return lines;
		/* the pretolerance failed: the items again, with the points */
		w->n = 0;
		build_items(f, p, ps, lw, w);
		one = *bp;
		one.pretolerance = -1;
	}
}

/* Lay out a paragraph at x with width w from f->y down. With paginate,
 * lines flow onto new pages with widow and orphan control; without, the
 * paragraph is placed as is (table cells, footnotes). */
static void lay_para_at(fl *f, const dt_node *p, const ly_pstyle *ps, double x, double w,
                        int paginate, const char *number)
{
	words local = {0}, *wp = words_take(f, &local);
	words wd; /* a copy for reading; wp's arrays may grow until the breaks */
	/* the offset from the column, not x: a new page may have other margins */
	double off = x - f->x0 + ps->indent, lw = w - ps->indent - ps->right;
	if (lw < 20)
		lw = 20;
	int lines = -1;
	int align = para_align(p, ps);
	if (run_infos(p, ps, wp) < 0) {
		f->oom = 1;
		words_give(f, wp, &local);
		return;
	}
	const float *lhang = NULL; /* each box's left hang, when justified */
	if (align == DT_JUSTIFY)
		lines = break_justified(f, p, ps, lw, wp, &lhang);
	else
		build_items(f, p, ps, lw, wp);
	size_t maxb = wp->n;
	if (lines == -2 || wp->n <= 2 || words_breaks(wp, maxb) < 0) {
		words_give(f, wp, &local); /* an empty paragraph, or out of memory */
		return;
	}
	wd = *wp;
	int *br = wd.br;
	double *ratio = wd.ratio;
	if (lines < 0) {
		lines = greedy(wd.it, wd.n, lw - ps->first, lw, br, maxb);
		for (int i = 0; i < lines; i++)
			ratio[i] = 0;
		if (align == DT_JUSTIFY)
			align = DT_LEFT; /* a break only the emergency pass found */
	}
	if (lines <= 0) {
		words_give(f, wp, &local);
		return;
	}
	double lead = ps->leading;
	int placed = 0, start = 0;
	/* a block kept with the next: its last lines go with the next one's
	 * start (once: what does not fit a fresh page is not chased) */
	double tail = paginate && p == f->tail_para ? f->tail_h : 0;
	int widows = f->st->widows;
	if (p == f->end_para && widows < 3)
		widows = 3;                 /* no page of one or two lines after it */
	while (placed < lines && !f->oom) { /* out of pages: new_page makes none */
		if (paginate) {
			int fit = (int)floor((f->y - bottom(f)) / lead + 1e-6);
			int left_over = lines - placed;
			if (tail > 0 && fit >= left_over && f->drawn &&
			    f->y - left_over * lead - ps->after - tail < bottom(f)) {
				int k =
				    left_over - (widows > f->tail_lines ? widows : f->tail_lines);
				if (placed == 0 && k < f->st->orphans)
					k = 0;
				if (k <= 0) {
					tail = 0;
					new_page(f);
					continue;
				}
				fit = k;
			}
			if (fit < left_over) {
				int k = fit;
				if (k < f->st->orphans && placed == 0)
					k = 0;
				if (left_over - k < widows && k > 0)
					k = left_over - widows;
				if (placed == 0 && k < f->st->orphans)
					k = 0;
				if (k <= 0) {
					new_page(f);
					continue;
				}
				fit = k;
			}
			int end = placed + (fit < left_over ? fit : left_over);
			(void)end;
		}
		/* one line */
		int b = br[placed];
		double lx = f->x0 + off + (placed == 0 ? ps->first : 0);
		double width = placed == 0 ? lw - ps->first : lw;
		double r = ratio[placed];
		int last = placed == lines - 1;
		/* natural width of the line */
		double nat = 0;
		for (int i = start; i <= b; i++)
			if (wd.it[i].kind != 'p' && !(i == b && wd.it[i].kind == 'g'))
				nat += wd.it[i].width;
		int hyphen_end = wd.it[b].kind == 'p' && wd.it[b].width > 0;
		if (hyphen_end)
			nat += wd.it[b].width;
		double cx = lx;
		if (align == DT_JUSTIFY && lhang && wd.it[start].kind == 'b')
			cx -= lhang[start]; /* an opening quote hangs */
		if (align == DT_CENTER)
			cx = lx + (width - nat) / 2;
		else if (align == DT_RIGHT)
			cx = lx + width - nat;
		double base = f->y - lead * 0.78;
		if (number && placed == 0) {
			int face = face_of(ps, 0);
			double nw = ly_width(f->fonts, face, ps->size, number, strlen(number));
			/* in the indent when there is room (UN papers), else the margin */
			double col = f->x0 + off - ps->indent;
			double nx = ps->indent >= nw + 6 ? col : col - nw - 6;
			text_op(f, face, ps->size, ps->color, nx, base, number, strlen(number));
		}
		ly_op *lastlink = NULL; /* the words of a link share one area a line */
		ly_op *lastt = NULL;    /* the fragments of a hyphenated word, one op */
		for (int i = start; i <= b; i++) {
			const ly_item *it = &wd.it[i];
			if (it->kind == 'g') {
				if (i == b)
					break;
				double gw = it->width;
				/* a last line is set at its natural spacing unless the
				 * breaker shrank it: drawn wider, it would overrun */
				if (align == DT_JUSTIFY && (!last || r < 0))
					gw += r > 0 ? r * it->stretch : r * it->shrink;
				cx += gw;
				lastt = NULL;
				continue;
			}
			if (it->kind != 'b')
				continue;
			runinfo *ri = &wd.ri[it->run];
			int pcur = f->cur; /* a link's words are its Link element's */
			if (ri->link && ri->elem < 0) {
				elem_begin(f, LE_LINK, 0, ri->link, NULL);
				ri->elem = f->cur;
			}
			if (ri->link)
				f->cur = ri->elem;
			const char *txt = it->text;
			size_t tlen = it->len;
			int hyphen = !ri->pageref && i + 1 == b && hyphen_end;
			int joins = lastt && lastt->face == ri->face &&
			            lastt->size == (float)ri->size && lastt->color == ri->color &&
			            it->text && lastt->text + lastt->len == it->text;
			if (ri->pageref) { /* its label set left in its room, later */
				ly_op *o = text_op(f, ri->face, ri->size, ri->color, cx,
				                   base + ri->rise, txt, tlen);
				if (o) {
					o->kind = OP_PAGEREF;
					o->fill = 1; /* left in w, not right of x (leader_line) */
					o->w = (float)it->width;
				}
				lastt = NULL;
			} else if (joins || hyphen) {
				size_t pre = joins ? lastt->len : 0;
				char *t = hyphen ? pal(f, pre + tlen + 2) : NULL;
				if (t) { /* a copy with the hyphen */
					memcpy(t, it->text - pre, pre + tlen);
					t[pre + tlen] = '-';
					t[pre + tlen + 1] = 0;
					txt = t + pre;
					tlen++;
				}
				if (joins) {
					lastt->text = t ? t : lastt->text;
					lastt->len = (unsigned)(pre + tlen);
				} else {
					lastt = text_op(f, ri->face, ri->size, ri->color, cx,
					                base + ri->rise, txt, tlen);
				}
			} else {
				lastt = text_op(f, ri->face, ri->size, ri->color, cx,
				                base + ri->rise, txt, tlen);
			}
			if (lastt) /* its words and hyphen were measured to be set */
				lastt->measured = 1;
			double iw = it->width + (txt != it->text ? wd.it[b].width : 0);
			if (ri->link && lastlink && !strcmp(lastlink->text, ri->link)) {
				lastlink->w = (float)(cx + iw - lastlink->x); /* one area a line */
			} else if (ri->link) {
				ly_op *o = op(f, OP_LINK);
				if (o) {
					o->x = cx;
					o->y = base - 2;
					o->w = iw;
					o->h = ri->size + 2;
					o->text = ri->link;
				}
				lastlink = o;
			} else {
				lastlink = NULL;
			}
			f->cur = pcur;
			if (ri->note && paginate) {
				if (f->nnotes == f->capnotes) {
					size_t c = f->capnotes ? f->capnotes * 2 : 8;
					note *v = realloc(f->notes, c * sizeof *v);
					if (v) {
						f->notes = v;
						f->capnotes = c;
					}
				}
				if (f->nnotes < f->capnotes) {
					const ly_pstyle *fs = ly_pstyle_get(f->st, "footnote");
					/* estimate: characters per line from the average width */
					size_t chars = 0;
					for (const dt_run *q = ri->note->runs; q; q = q->next)
						chars += q->text ? strlen(q->text) : 0;
					double per_line = (f->x1 - f->x0) / (fs->size * 0.45);
					double h =
					    fs->leading * ceil((double)(chars + 4) / per_line) +
					    fs->after;
					f->nnotes++;
					f->notes[f->nnotes - 1] = (note){ri->note, ri->mark, h};
					f->notes_h += h;
				}
			}
			cx += iw;
		}
		f->y -= lead;
		placed++;
		start = b + 1;
		while (start < (int)wd.n && wd.it[start].kind != 'b' &&
		       !(wd.it[start].kind == 'p' && wd.it[start].penalty <= -10000))
			start++;
		if (paginate && placed < lines && f->y - lead < bottom(f) - 0.01)
			new_page(f);
	}
	words_give(f, wp, &local);
}

/* Does a paragraph of one run surely take one line of width `first`? Its
 * text measured whole (spaces as spaces) is never narrower than the items
 * greedy adds up, which drop spaces at either end and take a run of them
 * as one, when there is no tab, line feed or forced break (those are
 * measured otherwise); the margin stands for the rounding of summing the
 * words one by one. Most table cells, measured by table_geom before they
 * are drawn, are one short line: this spares them the items. */
static int fits_one_line(fl *f, const dt_node *p, const ly_pstyle *ps, double first)
{
	const dt_run *r = p->runs;
	if (!r || r->next || (r->style & DT_BR) || !r->text)
		return 0;
	size_t n = 0;
	int ink = 0;
	for (const char *s = r->text; *s; s++, n++) {
		if (*s == '\n' || *s == '\t')
			return 0;
		ink |= *s != ' ';
	}
	if (!ink)
		return 0;
	return ly_width(f->fonts, face_of(ps, r->style), run_size(ps, r->style), r->text, n) <=
	       first + 0.01 - 1e-6;
}

/* Lines a paragraph takes at width w (for tables and keep-with-next). */
static int count_lines(fl *f, const dt_node *p, const ly_pstyle *ps, double w)
{
	double lw = w - ps->indent - ps->right;
	if (lw < 20)
		lw = 20;
	if (fits_one_line(f, p, ps, lw - ps->first))
		return 1;
	words local = {0}, *wd = words_take(f, &local);
	int lines = 0;
	if (run_infos(p, ps, wd) == 0) {
		build_items(f, p, ps, lw, wd);
		/* kept for the paragraph's setting, if in a scratch set (a local
		 * set's arrays are freed when it is given back); greedy only
		 * reads them */
		if (!f->hold_hyph && wd != &local)
			f->memo = (items_memo){p, ps, wd, lw, wd->n};
	}
	if (wd->n > 2 && words_breaks(wd, wd->n) == 0)
		lines = greedy(wd->it, wd->n, lw - ps->first, lw, wd->br, wd->n);
	words_give(f, wd, &local);
	return lines;
}

/* Lines a paragraph takes as lay_para_at sets it at width w (count_lines
 * counts greedy breaks, which a justified paragraph, whose spaces shrink,
 * may not need). */
static int exact_lines(fl *f, const dt_node *p, const ly_pstyle *ps, double w)
{
	double lw = w - ps->indent - ps->right;
	if (lw < 20)
		lw = 20;
	words local = {0}, *wd = words_take(f, &local);
	int lines = 0;
	if (run_infos(p, ps, wd) == 0) {
		const float *lhang;
		lines = para_align(p, ps) == DT_JUSTIFY ? break_justified(f, p, ps, lw, wd, &lhang)
		                                        : (build_items(f, p, ps, lw, wd), -1);
		if (lines == -1 && wd->n > 2 && words_breaks(wd, wd->n) == 0)
			lines = greedy(wd->it, wd->n, lw - ps->first, lw, wd->br, wd->n);
		if (lines < 0)
			lines = 0;
	}
	words_give(f, wd, &local);
	return lines;
}

/* Blocks ---------------------------------------------------------------- */

static void lay_blocks(fl *f, const dt_node *first, int depth);

static const ly_pstyle *style_of(fl *f, const dt_node *n, const char *def)
{
	if (n->style)
		return ly_pstyle_get(f->st, n->style);
	return ly_pstyle_get(f->st, f->quote_depth ? "quote" : def);
}

static double keep_next(fl *f, const dt_node *n);

static void lay_para(fl *f, const dt_node *n)
{
	const ly_pstyle *ps = style_of(f, n, "body");
	if (f->npages == 0)
		new_page(f);
	if (n->keep && n->next) { /* a letter's closing and its signatures */
		int lines = count_lines(f, n, ps, f->x1 - f->indent_r - f->x0 - f->indent_l);
		/* a short one whole; a longer one's last lines (lay_blocks' tail) */
		if (lines <= f->st->widows + f->st->orphans)
			need(f,
			     ps->before + lines * ps->leading + ps->after + keep_next(f, n->next));
	}
	if (f->y < f->st->page_h - f->st->m_top - 0.5)
		f->y -= ps->before;
	add_anchor(f, n->id);
	double x = f->x0 + f->indent_l, w = f->x1 - f->indent_r - x;
	lay_para_at(f, n, ps, x, w, 1, n->number);
	f->y -= ps->after;
}

/* A heading's text for the contents and running heads (footnote marks
 * left out), appended to t. */
static void heading_text(const dt_node *n, ms_buf *t)
{
	for (const dt_run *r = n->runs; r; r = r->next)
		if (!(r->style & DT_SUP))
			ms_buf_adds(t, r->text);
}

/* The anchor of the index-th listed heading: its own id, or a made one. */
static const char *heading_id(dt_doc *own, const dt_node *n, size_t index)
{
	return n->id ? n->id : dt_printf(own, "h-%zu", index);
}

static double image_need(fl *f, const dt_node *n);
static double table_need(fl *f, const dt_node *t);

static const ly_pstyle *heading_style(fl *f, const dt_node *n)
{
	char sty[8];
	snprintf(sty, sizeof sty, "h%d", n->level < 1 ? 1 : n->level > 4 ? 4 : n->level);
	return n->style ? ly_pstyle_get(f->st, n->style) : ly_pstyle_get(f->st, sty);
}

static double heading_height(fl *f, const dt_node *n)
{
	const ly_pstyle *ps = heading_style(f, n);
	double w = measure(f);
	return ps->before + count_lines(f, n, ps, w) * ps->leading + ps->after;
}

/* What must follow a heading on its page: the start of the block it heads
 * (two lines of text, a whole photo, the part of a table kept together),
 * through any headings in between ("Offers", then an entry's title, then
 * its fact box), so that no heading is left alone at the foot of a page. */
static double keep_next(fl *f, const dt_node *n)
{
	const ly_pstyle *body = ly_pstyle_get(f->st, "body");
	double h = 0;
	for (int depth = 0; n && depth < 4; n = n->next, depth++) {
		switch (n->type) {
		case DT_HEADING: h += heading_height(f, n); continue;
		case DT_IMAGE: return h + image_need(f, n);
		case DT_TABLE: return h + table_need(f, n);
		case DT_BOX: return h + 6 * body->leading;
		default: return h + 2 * body->leading + body->before;
		}
	}
	return h;
}

/* One more bookmark at the current place (an outline entry that memory
 * cannot hold is left out, as a bookmark is not content). */
static void push_outline(fl *f, char *title, int level)
{
	if (f->noutl == f->capoutl) {
		size_t c = f->capoutl ? f->capoutl * 2 : 64;
		ly_outline *v = realloc(f->outl, c * sizeof *v);
		if (v) {
			f->outl = v;
			f->capoutl = c;
		}
	}
	if (f->noutl < f->capoutl)
		f->outl[f->noutl++] = (ly_outline){title, level, f->npages, f->y};
}

static void lay_heading(fl *f, const dt_node *n)
{
	const ly_pstyle *ps = heading_style(f, n);
	if (f->npages == 0)
		new_page(f);
	double w = measure(f);
	need(f, heading_height(f, n) + keep_next(f, n->next));
	if (f->y < f->st->page_h - f->st->m_top - 0.5)
		f->y -= ps->before;
	ms_buf t;
	ms_buf_init(&t);
	heading_text(n, &t);
	char *title = t.s ? al(f, t.len + 1) : NULL;
	if (title)
		memcpy(title, t.s, t.len + 1);
	ms_buf_free(&t);
	if (n->level >= 1 && n->level <= 4 && title) {
		f->lasthead[n->level] = title;
		for (int l = n->level + 1; l < 5; l++)
			f->lasthead[l] = NULL;
	}
	const char *id = n->toc ? heading_id(f->own, n, f->ntoc) : n->id;
	add_anchor(f, id);
	if (!n->toc && title && n->level >= 1 && n->level <= 3) {
		/* a bookmark for a document without contents (working papers,
		 * letters), its level negative until the end says whether any
		 * heading is in the contents (then only those are bookmarks) */
		push_outline(f, title, -n->level);
	}
	if (n->toc && title && id) {
		if (f->ntoc == f->captoc) {
			size_t c = f->captoc ? f->captoc * 2 : 64;
			tocent *v = realloc(f->toc, c * sizeof *v);
			if (!v) {
				f->oom = 1;
				return;
			}
			f->toc = v;
			f->captoc = c;
		}
		tocent *e = &f->toc[f->ntoc++];
		e->title = title;
		e->id = id;
		e->level = n->level;
		e->src = n->src;
		push_outline(f, title, n->level);
	}
	lay_para_at(f, n, ps, f->x0 + f->indent_l, w, 1, NULL);
	f->y -= ps->after;
}

/* A photo's pixel size and orientation, read from its file once a run (the
 * heading before it and the photo itself both ask, in every pass). */
typedef struct imginfo {
	const char *path; /* the tree's string: the same pointer each pass */
	int w, h, orient, ok;
} imginfo;

static const imginfo *image_info(fl *f, const char *path)
{
	for (size_t i = f->nimgs; i-- > 0;) /* the latest first: usually it */
		if (f->imgs[i].path == path)
			return &f->imgs[i];
	imginfo in = {path, 0, 0, 1, 0};
	int png;
	in.ok = ms_image_info(path, &in.w, &in.h, &in.orient, &png) == 0 && in.w > 0 && in.h > 0;
	if (f->nimgs == f->capimgs) {
		size_t c = f->capimgs ? f->capimgs * 2 : 64;
		imginfo *v = realloc(f->imgs, c * sizeof *v);
		if (!v) {
			static const imginfo none; /* ok == 0 */
			f->oom = 1;
			return &none;
		}
		f->imgs = v;
		f->capimgs = c;
	}
	f->imgs[f->nimgs] = in;
	return &f->imgs[f->nimgs++];
}

/* An image's size on the page (w, h) and its orientation; -1 when it
 * cannot be read (the model checked the file: a damaged one is skipped). */
static int image_box(fl *f, const dt_node *n, double *w, double *h, int *orient)
{
	const imginfo *in = n->path ? image_info(f, n->path) : NULL;
	if (!in || !in->ok)
		return -1;
	int iw = in->w, ih = in->h;
	*orient = in->orient;
	if (*orient >= 5) { /* rotated a quarter turn: width and height swap */
		int t = iw;
		iw = ih;
		ih = t;
	}
	double colw = measure(f);
	double maxw = colw * (n->max_width > 0 && n->max_width <= 1 ? n->max_width : 1);
	double maxh = body_height(f) * 0.6;
	*w = maxw;
	*h = *w * ih / iw;
	if (*h > maxh) {
		*h = maxh;
		*w = *h * iw / ih;
	}
	return 0;
}

/* The height an image needs kept together: the picture and two lines of
 * caption (what lay_image asks of the page), 0 when it cannot be read. */
static double image_need(fl *f, const dt_node *n)
{
	double w, h;
	int orient;
	if (image_box(f, n, &w, &h, &orient) < 0)
		return 0;
	return h + 12 + ly_pstyle_get(f->st, "caption")->leading * 2;
}

/* A photo printed below this many pixels per inch looks soft on paper:
 * its sender is asked for a larger file (issue 18). */
#define LOW_PPI 150

typedef struct lowres {
	const char *path; /* the tree's string */
	int ppi, need;    /* as printed; the pixels wide 150 ppi takes */
} lowres;

/* Note a photo printed w points wide when its pixels give less than
 * LOW_PPI; ly_layout warns once the last pass is done. */
static void note_ppi(fl *f, const dt_node *n, double w)
{
	const imginfo *in = image_info(f, n->path);
	int px = in->orient >= 5 ? in->h : in->w;
	double ppi = w > 0 ? px * 72.0 / w : LOW_PPI;
	if (ppi >= LOW_PPI)
		return;
	for (size_t i = 0; i < f->nlowres; i++)
		if (!strcmp(f->lowres[i].path, n->path))
			return;
	if (f->nlowres == f->caplowres) {
		size_t c = f->caplowres ? f->caplowres * 2 : 8;
		lowres *v = realloc(f->lowres, c * sizeof *v);
		if (!v)
			return; /* a warning lost, not the document */
		f->lowres = v;
		f->caplowres = c;
	}
	f->lowres[f->nlowres++] = (lowres){n->path, (int)ppi, (int)ceil(w / 72 * LOW_PPI)};
}

static void lay_image(fl *f, const dt_node *n)
{
	double w, h;
	int orient;
	if (image_box(f, n, &w, &h, &orient) < 0)
		return;
	note_ppi(f, n, w);
	double colw = measure(f);
	const ly_pstyle *cap = ly_pstyle_get(f->st, "caption");
	need(f, image_need(f, n));
	f->y -= 6;
	ly_op *o = op(f, OP_IMAGE);
	if (o) {
		o->x = f->x0 + f->indent_l + (colw - w) / 2;
		o->y = f->y - h;
		o->w = w;
		o->h = h;
		o->text = n->path;
		o->orient = orient;
	}
	f->y -= h + 4;
	int was = elem_begin(f, LE_CAPTION, 0, NULL, NULL);
	if (n->runs)
		lay_para_at(f, n, cap, f->x0 + f->indent_l, colw, 1, NULL);
	elem_end(f, was);
	if (n->credit) {
		dt_node tmp;
		memset(&tmp, 0, sizeof tmp);
		dt_run run = {(char *)n->credit, 0, NULL, NULL, NULL};
		tmp.runs = &run;
		tmp.align = DT_JUSTIFY;
		lay_para_at(f, &tmp, ly_pstyle_get(f->st, "credit"), f->x0 + f->indent_l, colw, 1,
		            NULL);
	}
	f->y -= 8;
}

/* Tables -------------------------------------------------------------------- */

static const dt_node *cell_para(const dt_node *cell)
{
	for (const dt_node *c = cell->first; c; c = c->next)
		if (c->type == DT_PARA)
			return c;
	return NULL;
}

static double nat_width(fl *f, const dt_node *p, const ly_pstyle *ps, double *minw)
{
	double w = 0, mw = 0, word = 0;
	for (const dt_run *r = p ? p->runs : NULL; r; r = r->next) {
		int face = face_of(ps, r->style);
		const char *s = r->text ? r->text : "";
		w += ly_width(f->fonts, face, ps->size, s, strlen(s));
		const char *q = s;
		while (*q) {
			size_t n = strcspn(q, " ");
			word = ly_width(f->fonts, face, ps->size, q, n);
			if (word > mw)
				mw = word;
			q += n;
			while (*q == ' ')
				q++;
		}
	}
	*minw = mw;
	return w;
}

/* A picture standing alone in a cell (a letter's letterheads, side by
 * side): its size at the cell's width; NULL when the cell holds none. */
static const dt_node *cell_image(fl *f, const dt_node *cell, double cellw, double *w, double *h,
                                 int *orient)
{
	const dt_node *n = cell->first;
	if (!n || n->type != DT_IMAGE || image_box(f, n, w, h, orient) < 0)
		return NULL;
	if (*w > cellw) {
		*h *= cellw / *w;
		*w = cellw;
	}
	return n;
}

static double row_height(fl *f, const dt_node *row, const double *cw, int nc, double pad)
{
	double h = 0;
	int c = 0;
	for (const dt_node *cell = row->first; cell && c < nc; cell = cell->next, c++) {
		double iw, ih;
		int io;
		if (cell_image(f, cell, cw[c] - 2 * pad, &iw, &ih, &io)) {
			if (ih + 2 * pad > h)
				h = ih + 2 * pad;
			continue;
		}
		const dt_node *p = cell_para(cell);
		if (!p)
			continue;
		const ly_pstyle *ps = ly_pstyle_get(
		    f->st, p->style ? p->style : (row->header ? "table-head" : "table"));
		int lines = count_lines(f, p, ps, cw[c] - 2 * pad);
		double ch = lines * ps->leading + 2 * pad;
		if (ch > h)
			h = ch;
	}
	return h;
}

static void draw_row(fl *f, const dt_node *row, const double *cw, int nc, double pad, double h,
                     double x0)
{
	const ly_style *st = f->st;
	double x = x0, top = f->y;
	const ms_pos *was_src = f->src;
	f->src = row->src ? row->src : f->src; /* a row's own line (Markdown) */
	/* a layout grid's cells are divisions of its Div, no rows or cells */
	int grid = row->parent && row->parent->type == DT_TABLE && row->parent->grid;
	int was_row = grid ? f->cur : elem_begin(f, LE_TR, 0, NULL, row->id);
	if (row->header) {
		ly_op *r = op(f, OP_RECT);
		if (r) {
			r->x = x0;
			r->y = top - h;
			r->h = h;
			for (int c = 0; c < nc; c++)
				r->w += cw[c];
			r->fill = 1;
			r->color = st->head_fill;
		}
	}
	int c = 0;
	for (const dt_node *cell = row->first; cell && c < nc; cell = cell->next, c++) {
		if (cell->fill && cell->fill[0] == '#') {
			ly_op *r = op(f, OP_RECT);
			if (r) {
				r->x = x;
				r->y = top - h;
				r->w = cw[c];
				r->h = h;
				r->fill = 1;
				r->color = (unsigned)strtoul(cell->fill + 1, NULL, 16);
			}
		}
		int th = row->header || (f->row_heads && c == 0 && nc > 1);
		int was = elem_begin(f,
		                     grid ? LE_DIV
		                     : th ? LE_TH
		                          : LE_TD,
		                     row->header ? 0 : 1, NULL, cell->id);
		double iw, ih;
		int io;
		const dt_node *img = cell_image(f, cell, cw[c] - 2 * pad, &iw, &ih, &io);
		if (img) { /* a letterhead: a figure, its caption field the alternative text */
			int was_fig = elem_begin(f, LE_FIGURE, 0, img->caption, img->id);
			ly_op *o = op(f, OP_IMAGE);
			if (o) {
				o->x = x + pad;
				o->y = top - pad - ih;
				o->w = iw;
				o->h = ih;
				o->text = img->path;
				o->orient = io;
			}
			elem_end(f, was_fig);
		}
		const dt_node *p = img ? NULL : cell_para(cell);
		if (p) {
			const ly_pstyle *ps = ly_pstyle_get(
			    st, p->style ? p->style : (row->header ? "table-head" : "table"));
			f->y = top - pad;
			dt_node tmp = *p;
			if (cell->align != DT_JUSTIFY)
				tmp.align = cell->align;
			lay_para_at(f, &tmp, ps, x + pad, cw[c] - 2 * pad, 0, NULL);
		}
		elem_end(f, was);
		x += cw[c];
	}
	elem_end(f, was_row);
	f->src = was_src;
	table_rule(f, x0, top - h, x - x0, row->header ? 0.8 : 0.3);
	f->y = top - h;
}

static void tgeom_free(tgeom *g)
{
	free(g->cw);
	free(g->rh);
	memset(g, 0, sizeof *g);
}

static int table_geom(fl *f, const dt_node *t, tgeom *g)
{
	memset(g, 0, sizeof *g);
	int nc = t->ncols;
	size_t nrows = 0;
	for (const dt_node *r = t->first; r; r = r->next, nrows++) {
		int c = 0;
		for (const dt_node *cell = r->first; cell; cell = cell->next)
			c++;
		if (c > nc)
			nc = c;
	}
	if (nc <= 0)
		return -1;
	double *mx = calloc((size_t)nc, sizeof *mx), *mn = calloc((size_t)nc, sizeof *mn);
	g->cw = calloc((size_t)nc, sizeof *g->cw);
	g->rh = calloc(nrows + 1, sizeof *g->rh);
	if (!mx || !mn || !g->cw || !g->rh) {
		free(mx);
		free(mn);
		tgeom_free(g);
		return -1;
	}
	double pad = 3, *cw = g->cw;
	/* natural widths, unless the table sets its own (the digest's 2,000
	 * fact boxes) */
	for (const dt_node *r = t->col_weights ? NULL : t->first; r; r = r->next) {
		int c = 0;
		for (const dt_node *cell = r->first; cell && c < nc; cell = cell->next, c++) {
			const ly_pstyle *ps =
			    ly_pstyle_get(f->st, r->header ? "table-head" : "table");
			double m;
			double w = nat_width(f, cell_para(cell), ps, &m) + 2 * pad + 1;
			if (w > mx[c])
				mx[c] = w;
			if (m + 2 * pad + 1 > mn[c])
				mn[c] = m + 2 * pad + 1;
		}
	}
	double avail = measure(f), smax = 0, smin = 0;
	for (int c = 0; c < nc; c++) {
		if (t->col_weights)
			mx[c] = mn[c] = avail * t->col_weights[c];
		smax += mx[c];
		smin += mn[c];
	}
	for (int c = 0; c < nc; c++) {
		if (smax <= avail)
			cw[c] = mx[c];
		else if (smin >= avail)
			cw[c] = mn[c] * avail / smin;
		else
			cw[c] = mn[c] + (mx[c] - mn[c]) * (avail - smin) / (smax - smin);
	}
	free(mx);
	free(mn);
	g->table = t;
	g->avail = avail;
	g->nc = nc;
	g->pad = pad;
	const ly_pstyle *cap = ly_pstyle_get(f->st, "caption");
	double head = t->caption ? cap->leading + 4 : 0, first3 = head, all = head;
	size_t k = 0;
	for (const dt_node *r = t->first; r; r = r->next, k++) {
		g->rh[k] = row_height(f, r, cw, nc, pad);
		all += g->rh[k];
		if (k < 3)
			first3 += g->rh[k];
	}
	g->keep = all <= 0.4 * body_height(f) ? all : first3;
	return 0;
}

/* The space a table asks for before its first row (see lay_table). The
 * geometry is kept for the table itself, which usually comes next. */
static double table_need(fl *f, const dt_node *t)
{
	tgeom_free(&f->tg);
	return table_geom(f, t, &f->tg) < 0 ? 0 : 6 + f->tg.keep;
}

/* A row taller than a page cannot stand beside itself: its cells go one
 * under the other at the table's width, each after its column's heading
 * when the table has one, and flow over pages as paragraphs do. Nothing is
 * cut, nothing runs off the page. */
static void tall_row(fl *f, const dt_node *t, const dt_node *row, double avail, double pad)
{
	const dt_node *hc =
	    t->first && t->first->header && t->first != row ? t->first->first : NULL;
	const ly_pstyle *hs = ly_pstyle_get(f->st, "table-head");
	const ms_pos *was_src = f->src;
	f->src = row->src ? row->src : f->src; /* a row's own line (Markdown) */
	int was_row = elem_begin(f, LE_TR, 0, NULL, row->id);
	for (const dt_node *cell = row->first; cell; cell = cell->next, hc = hc ? hc->next : NULL) {
		const dt_node *hp = hc ? cell_para(hc) : NULL, *p = cell_para(cell);
		f->y -= pad;
		if (hp) { /* the column's head again, above the cell: read once */
			f->furniture = 1;
			lay_para_at(f, hp, hs, f->x0 + f->indent_l + pad, avail - 2 * pad, 1, NULL);
			f->furniture = 0;
		}
		int was = elem_begin(f, LE_TD, 0, NULL, cell->id);
		if (p)
			lay_para_at(f, p, ly_pstyle_get(f->st, p->style ? p->style : "table"),
			            f->x0 + f->indent_l + pad, avail - 2 * pad, 1, NULL);
		elem_end(f, was);
	}
	elem_end(f, was_row);
	f->src = was_src;
	f->y -= pad;
	table_rule(f, f->x0 + f->indent_l, f->y, avail, 0.3);
}

static void lay_table(fl *f, const dt_node *t)
{
	tgeom g;
	if (f->tg.table == t && f->tg.avail == measure(f)) {
		g = f->tg; /* measured by the heading before it: taken over */
		memset(&f->tg, 0, sizeof f->tg);
	} else if (table_geom(f, t, &g) < 0) {
		return;
	}
	int nc = g.nc;
	double pad = g.pad, avail = g.avail, *cw = g.cw;
	double x0 = f->x0 + f->indent_l;
	const ly_pstyle *cap = ly_pstyle_get(f->st, "caption");
	f->row_heads = !(t->first && t->first->header);
	if (f->npages == 0)
		new_page(f);
	f->y -= 6;
	add_anchor(f, t->id);
	need(f, g.keep);
	if (t->caption) {
		need(f, cap->leading * 3);
		dt_node tmp;
		memset(&tmp, 0, sizeof tmp);
		dt_run run = {t->caption, DT_B, NULL, NULL, NULL};
		tmp.runs = &run;
		tmp.align = DT_JUSTIFY; /* the caption style's */
		int was = elem_begin(f, LE_CAPTION, 0, NULL, NULL);
		lay_para_at(f, &tmp, cap, f->x0 + f->indent_l, avail, 1, NULL);
		elem_end(f, was);
	}
	x0 = f->x0 + f->indent_l; /* keeping together may have turned the page */
	/* the room a row has on a page of its own, under the repeated header */
	double room = body_height(f);
	size_t k = 0;
	for (const dt_node *r = t->first; r && r->header; r = r->next, k++)
		room -= g.rh[k];
	k = 0;
	/* THead and TBody when the table has header rows (PDF/UA: optional,
	 * but a reader then knows which rows head the table) */
	int grid = t->grid, was_part = f->cur, part = 0;
	for (const dt_node *r = t->first; r; r = r->next, k++) {
		double h = g.rh[k];
		if (!grid && t->first->header && part != (r->header ? 1 : 2)) {
			elem_end(f, was_part);
			part = r->header ? 1 : 2;
			was_part = elem_begin(f, part == 1 ? LE_THEAD : LE_TBODY, 0, NULL, NULL);
		}
		if (h > room && !r->header) {
			tall_row(f, t, r, avail, pad);
			continue;
		}
		if (f->y - h < bottom(f) && f->drawn) {
			new_page(f);
			x0 = f->x0 + f->indent_l; /* this page's margins */
			if (t->caption) {
				char *c = dt_printf(f->own, "%s (continued)", t->caption);
				dt_node tmp;
				memset(&tmp, 0, sizeof tmp);
				dt_run run = {c, DT_B, NULL, NULL, NULL};
				tmp.runs = &run;
				tmp.align = DT_JUSTIFY;
				f->furniture = 1; /* the caption again: read once */
				lay_para_at(f, &tmp, cap, x0, avail, 1, NULL);
				f->furniture = 0;
			}
			/* the header rows again: artifacts to a reader, who met them
			 * on the table's first page */
			size_t j = 0;
			int was_furn = f->furniture;
			f->furniture = 1;
			for (const dt_node *hr = t->first; hr && hr->header && r != hr;
			     hr = hr->next, j++)
				draw_row(f, hr, cw, nc, pad, g.rh[j], x0);
			f->furniture = was_furn;
		}
		draw_row(f, r, cw, nc, pad, h, x0);
	}
	elem_end(f, was_part);
	f->y -= 10;
	tgeom_free(&g);
}

/* Contents and index ------------------------------------------------------ */

/* A contents line: the title, dot leaders, and at the right margin the page
 * number of the anchor `id`, set once every page is numbered (OP_PAGEREF:
 * its w is where the title's last line ends, where the leaders may start).
 * The number is given the room of three figures whatever it turns out to
 * be, so the contents take the same lines in every pass. */
static void leader_line(fl *f, const ly_pstyle *ps, double x, const char *text, const char *id,
                        const char *link)
{
	double w = f->x1 - x;
	int face = face_of(ps, 0);
	double lw = ly_width(f->fonts, face, ps->size, "000", 3);
	dt_node tmp;
	memset(&tmp, 0, sizeof tmp);
	dt_run run = {(char *)text, 0, (char *)link, NULL, NULL};
	tmp.runs = &run;
	tmp.align = DT_JUSTIFY; /* the style's */
	need(f, ps->leading + ps->before);
	f->y -= ps->before;
	ly_pstyle narrow = *ps;
	narrow.right = lw + 24;
	int page = f->npages;
	ly_op *mark = f->npages ? f->pages[f->npages - 1].last : NULL;
	lay_para_at(f, &tmp, &narrow, x, w, 1, NULL);
	double base = f->y + ps->leading * 0.22, end = x;
	/* the end of the title's last line: the words just drawn on it */
	ly_op *o = f->npages == page && mark ? mark->next
	           : f->npages               ? f->pages[f->npages - 1].ops
	                                     : NULL;
	for (; o; o = o->next)
		if (o->kind == OP_TEXT && fabs(o->y - base) < 0.5) {
			double e = o->x + ly_width(f->fonts, o->face, o->size, o->text, o->len);
			end = e > end ? e : end;
		}
	o = text_op(f, face, ps->size, ps->color, f->x1, base, id, strlen(id));
	if (o) {
		o->kind = OP_PAGEREF;
		o->w = (float)end;
	}
	if (link && (o = op(f, OP_LINK)) != NULL) {
		o->x = f->x1 - lw - 2;
		o->y = base - 2;
		o->w = lw + 4;
		o->h = ps->size + 2;
		o->text = link;
	}
	f->y -= ps->after;
}

/* "#id", the link to an anchor, in doc's memory (NULL when out of it). */
static char *anchor_link(dt_doc *doc, const char *id)
{
	size_t n = strlen(id);
	char *s = dt_alloc(doc, n + 2);
	if (s) {
		s[0] = '#';
		memcpy(s + 1, id, n + 1);
	}
	return s;
}

static void lay_toc(fl *f, const dt_node *n)
{
	for (size_t i = 0; i < f->prev_ntoc; i++) {
		const tocent *e = &f->prev_toc[i];
		if (e->level > (n->toc_depth > 0 ? n->toc_depth : 2))
			continue;
		const ly_pstyle *ps = ly_pstyle_get(f->st, e->level <= 1 ? "toc1" : "toc2");
		char *link = anchor_link(f->own, e->id);
		const ms_pos *src = f->src;
		f->src = e->src;
		int was = elem_begin(f, LE_TOCI, 0, NULL, NULL);
		leader_line(f, ps, f->x0 + (e->level - 1) * 14, e->title, e->id, link);
		elem_end(f, was);
		f->src = src;
	}
}

/* An index: each entry's term, then the pages of its anchors in ascending
 * order, each once, each a link. An anchor before the index is where this
 * pass put it. One after it (a digest's match lists point forward) is a
 * page reference filled in after layout, when an entry has only one such
 * anchor and it cannot share a page with the others: then one pass is
 * enough. Otherwise its page is taken from the previous pass, which
 * another pass then confirms. */
static int ends_page(const dt_node *n);

static void lay_index(fl *f, const dt_node *n)
{
	const ly_pstyle *ps = ly_pstyle_get(f->st, "index");
	const char *before = n->pages_before ? n->pages_before : ", ";
	/* no page holds only one or two lines: an index longer than three
	 * entries that ends a page (a digest's cross-references at an area's
	 * end) takes its last three together */
	size_t tail = n->nentries > 3 && ends_page(n) ? n->nentries - 3 : (size_t)-1;
	for (size_t i = 0; i < n->nentries; i++) {
		if (i == tail)
			need(f, 3 * (ps->leading + ps->after));
		const dt_index_entry *e = &n->entries[i];
		dt_doc *doc = f->own;
		dt_node *p = dt_add(doc, NULL, DT_PARA);
		if (!p)
			return; /* aligned as the index style says */
		dt_run_add(doc, p, e->term, 0, NULL);
		if (e->sub)
			dt_run_add(doc, p, dt_printf(doc, " (%s)", e->sub), DT_I, NULL);
		/* the pages in ascending order, each once, at most 64 */
		struct {
			int page;
			const char *id, *label;
		} ref[64];
		int nref = 0;
		const char *ahead = NULL; /* the one anchor after the index */
		int nahead = 0;
		for (size_t k = 0; k < e->nids; k++)
			if (!find_here(f, e->ids[k]) && nahead++ == 0)
				ahead = e->ids[k];
		for (size_t k = 0; k < e->nids; k++) {
			const anchor *a = find_here(f, e->ids[k]);
			if (!a && nahead == 1)
				continue; /* a page reference, after the others */
			if (!a) {
				a = find_anchor(f->prev_anchors, f->prev_nanchors, e->ids[k]);
				f->forward = 1;
			}
			if (!a || a->page < 1 || a->page > MAX_PAGES)
				continue;
			int at = 0, dup = 0;
			while (at < nref && ref[at].page <= a->page) {
				dup |= ref[at].page == a->page;
				at++;
			}
			if (dup || nref == 64)
				continue;
			memmove(&ref[at + 1], &ref[at], (size_t)(nref - at) * sizeof *ref);
			ref[at].page = a->page;
			ref[at].id = e->ids[k];
			ref[at].label = a->label;
			nref++;
		}
		if (ahead && nahead == 1 && nref && ref[nref - 1].page >= f->npages) {
			/* it might fall on the page of the last one: the old way */
			const anchor *a = find_anchor(f->prev_anchors, f->prev_nanchors, ahead);
			f->forward = 1;
			int dup = 0;
			for (int k = 0; a && k < nref; k++)
				dup |= ref[k].page == a->page;
			if (a && !dup && nref < 64 && a->page >= ref[nref - 1].page) {
				ref[nref].page = a->page;
				ref[nref].id = ahead;
				ref[nref++].label = a->label;
			}
			ahead = NULL;
		}
		for (int k = 0; k < nref; k++) {
			dt_run_add(doc, p, k ? ", " : before, 0, NULL);
			dt_run_add(doc, p, ref[k].label, 0, anchor_link(doc, ref[k].id));
		}
		if (ahead && nahead == 1) {
			dt_run_add(doc, p, nref ? ", " : before, 0, NULL);
			dt_run_add(doc, p, ahead, RUN_PAGEREF, anchor_link(doc, ahead));
		}
		need(f, ps->leading);
		lay_para_at(f, p, ps, f->x0 + f->indent_l + 12, f->x1 - f->x0 - f->indent_l - 12, 1,
		            NULL);
		f->y -= ps->after;
	}
}

/* A chart's title, bold, "(continued)" after it on the pages it goes on to. */
static void chart_title(fl *f, const char *title, int continued)
{
	if (!title)
		return;
	const char *t = continued ? dt_printf(f->own, "%s (continued)", title) : keep(f, title);
	if (t)
		text_op(f, FACE(FAM_SANS, 1, 0), 9.5, 0, f->x0 + f->indent_l, f->y - 10, t,
		        strlen(t));
	f->y -= 18;
}

/* A horizontal bar chart: one bar a category, stacked series, value labels,
 * a legend; drawn with rectangles and text. */
/* A bar's number in its chart's style: "3.1 million" (a small one in
 * such a chart "0.4 million", or "<0.1 million"), else "85,000". */
static void bar_number(double v, int millions, char *buf, size_t size)
{
	if (millions) {
		if (v > 0 && v < 0.05e6)
			snprintf(buf, size, "<0.1 million");
		else /* a true minus sign, U+2212 */
			snprintf(buf, size, "%s%.1f million", v <= -0.05e6 ? "\xE2\x88\x92" : "",
			         fabs(v) / 1e6);
		return;
	}
	char digits[32];
	snprintf(digits, sizeof digits, "%.0f", fabs(v));
	size_t n = strlen(digits), o = 0;
	if (v <= -0.5 && o + 3 < size) { /* a true minus sign, U+2212 */
		memcpy(buf, "\xE2\x88\x92", 3);
		o = 3;
	}
	for (size_t i = 0; i < n && o + 2 < size; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = 0;
}

static void lay_chart(fl *f, const dt_node *n)
{
	if (!n->ncategories || !n->nseries)
		return;
	const ly_pstyle *ps = ly_pstyle_get(f->st, "table");
	double bar = 11, gap = 5, labw = 0;
	int face = FACE(FAM_SANS, 0, 0);
	for (size_t c = 0; c < n->ncategories; c++) {
		double w = n->categories[c] ? ly_width(f->fonts, face, 8.5, n->categories[c],
		                                       strlen(n->categories[c]))
		                            : 0;
		if (w > labw)
			labw = w;
	}
	double colw = measure(f);
	if (labw > colw * 0.4)
		labw = colw * 0.4;
	double maxv = 0;
	for (size_t c = 0; c < n->ncategories; c++) {
		double t = 0;
		for (size_t s = 0; s < n->nseries; s++) {
			double v = n->series[s].values ? n->series[s].values[c] : 0;
			t = n->stacked ? t + v : (v > t ? v : t);
		}
		if (t > maxv)
			maxv = t;
	}
	if (maxv <= 0)
		maxv = 1;
	/* one number style for the whole chart (issue 18): in millions when
	 * its longest bar reaches a million, else whole and grouped */
	int millions = 0;
	for (size_t c = 0; c < n->ncategories; c++) {
		double total = 0;
		for (size_t s = 0; s < n->nseries; s++)
			total += n->series[s].values ? n->series[s].values[c] : 0;
		millions |= fabs(total) >= 1e6;
	}
	/* kept on one page when it fits on one; else begun where its title
	 * and three bars fit, and continued on the next pages, title repeated */
	double h = 22 + n->ncategories * (bar + gap) + (n->nseries > 1 ? 16 : 0),
	       start = 22 + 3 * (bar + gap);
	need(f, h + 10 <= body_height(f) ? h + 10 : start);
	f->y -= 8;
	chart_title(f, n->title, 0);
	double x0 = f->x0 + f->indent_l + labw + 8, span = colw - labw - 60;
	for (size_t c = 0; c < n->ncategories; c++) {
		if (f->y - (bar + gap) < bottom(f) && f->drawn) {
			new_page(f);
			chart_title(f, n->title, 1);
			x0 = f->x0 + f->indent_l + labw + 8; /* this page's margins */
		}
		double y = f->y - bar;
		if (n->categories[c]) {
			const char *t = keep(f, n->categories[c]);
			double w = ly_width(f->fonts, face, 8.5, t, strlen(t));
			text_op(f, face, 8.5, 0, x0 - 6 - (w < labw ? w : labw), y + 2.5, t,
			        strlen(t));
		}
		double x = x0, total = 0;
		for (size_t s = 0; s < n->nseries; s++) {
			double v = n->series[s].values ? n->series[s].values[c] : 0;
			double w = v / maxv * span;
			ly_op *o = op(f, OP_RECT);
			if (o && w > 0) {
				o->x = x;
				o->y = y;
				o->w = w;
				o->h = bar;
				o->fill = 1;
				o->color = n->series[s].color
				               ? (unsigned)strtoul(n->series[s].color + 1, NULL, 16)
				               : 0x1F3A5F;
			}
			if (n->stacked)
				x += w;
			total += v;
		}
		char num[48];
		bar_number(total, millions, num, sizeof num);
		const char *t = keep(f, num);
		text_op(f, face, 8, 0x333333, (n->stacked ? x : x0 + total / maxv * span) + 4,
		        y + 2.5, t, strlen(t));
		f->y -= bar + gap;
	}
	if (n->nseries > 1) {
		need(f, 16);
		double x = f->x0 + f->indent_l + labw + 8;
		f->y -= 4;
		for (size_t s = 0; s < n->nseries; s++) {
			ly_op *o = op(f, OP_RECT);
			if (o) {
				o->x = x;
				o->y = f->y - 8;
				o->w = 8;
				o->h = 8;
				o->fill = 1;
				o->color = n->series[s].color
				               ? (unsigned)strtoul(n->series[s].color + 1, NULL, 16)
				               : 0;
			}
			const char *t = keep(f, n->series[s].name ? n->series[s].name : "");
			text_op(f, face, 8, 0, x + 11, f->y - 7.5, t, strlen(t));
			x += 20 + ly_width(f->fonts, face, 8, t, strlen(t));
		}
		f->y -= 12;
	}
	f->y -= 8;
	(void)ps;
}

/* The block walk ---------------------------------------------------------------- */

/* The lines of a list's items from it to the end and their height, or 0
 * when there are more than three or an item is not a single paragraph. */
static int list_tail(fl *f, const dt_node *it, const ly_pstyle *ps, double *h)
{
	int lines = 0;
	*h = 0;
	for (; it; it = it->next) {
		const dt_node *p = it->first;
		if (!p || p->type != DT_PARA || p->next)
			return 0;
		int k = exact_lines(f, p, ps, measure(f) - 18);
		lines += k;
		/* lay_list wants room for an item's first `orphans` lines */
		*h += ps->before + (k > f->st->orphans ? k : f->st->orphans) * ps->leading +
		      ps->after;
		if (lines > 3)
			return 0;
	}
	return lines;
}

static void lay_list(fl *f, const dt_node *l, int depth)
{
	int k = l->start > 0 ? l->start : 1;
	const ly_pstyle *ps = ly_pstyle_get(f->st, f->quote_depth ? "quote" : "body");
	/* no page holds only one or two lines: a list longer than three that
	 * ends a page (a digest's cross-references at a section's end) keeps
	 * its last three lines together */
	int tail_kept = !(ends_page(l) && f->npages && l->first && l->first->next);
	for (const dt_node *it = l->first; it; it = it->next, k++) {
		double th;
		if (!tail_kept && it != l->first && list_tail(f, it, ps, &th) == 3) {
			need(f, th);
			tail_kept = 1;
		}
		char label[24];
		if (it->number)
			snprintf(label, sizeof label, "%s", it->number);
		else if (l->ordered)
			snprintf(label, sizeof label, "%d.", k);
		else
			snprintf(label, sizeof label, "%s", depth % 2 ? "–" : "•");
		/* the mark goes with its text's first lines (the orphans) */
		need(f, (it->first && it->first->type == DT_PARA ? ps->before : 0) +
		            f->st->orphans * ps->leading);
		int was = elem_begin(f, LE_LI, 0, NULL, it->id);
		double saved = f->indent_l;
		f->indent_l += 18;
		int face = face_of(ps, 0);
		double lw = ly_width(f->fonts, face, ps->size, label, strlen(label));
		double y0 = f->y - (it->first && it->first->type == DT_PARA ? ps->before : 0);
		char *lab = al(f, strlen(label) + 1);
		if (lab) {
			strcpy(lab, label);
			int wl = elem_begin(f, LE_LBL, 0, NULL, NULL);
			text_op(f, face, ps->size, ps->color, f->x0 + f->indent_l - lw - 5,
			        y0 - ps->leading * 0.78, lab, strlen(lab));
			elem_end(f, wl);
		}
		int wb = elem_begin(f, LE_LBODY, 0, NULL, NULL);
		lay_blocks(f, it->first, depth + 1);
		elem_end(f, wb);
		f->indent_l = saved;
		elem_end(f, was);
	}
	f->y -= l->tight ? 2 : 4;
}

/* The text of a node's runs, for a figure's alternative text: in the
 * layout's own tree (NULL when none). */
static const char *runs_text(fl *f, const dt_node *n)
{
	if (!n->runs)
		return NULL;
	ms_buf t;
	ms_buf_init(&t);
	for (const dt_run *r = n->runs; r; r = r->next)
		ms_buf_adds(&t, r->text);
	const char *c = t.s ? dt_strdup(f->own, t.s) : NULL;
	ms_buf_free(&t);
	return c;
}

/* The structure role of a block, -1 when it has none of its own. */
static int role_of(const dt_node *n)
{
	switch (n->type) {
	case DT_SECTION: return LE_SECT;
	case DT_HEADING: return LE_H;
	case DT_PARA: return LE_P;
	case DT_LIST: return LE_L;
	case DT_ITEM: return LE_LI;
	case DT_QUOTE: return LE_QUOTE;
	case DT_CODE: return LE_CODE;
	case DT_TABLE: return n->grid ? LE_DIV : LE_TABLE;
	case DT_IMAGE:
	case DT_CHART: return LE_FIGURE;
	case DT_BOX: return LE_DIV;
	case DT_TOC: return LE_TOC;
	case DT_INDEX: return LE_INDEX;
	default: return -1;
	}
}

static void lay_block(fl *f, const dt_node *n, int depth);

/* A value as a chart's alternative text says it: no trailing zeros. */
static void alt_value(ms_buf *b, double v, const char *unit)
{
	if (v == (double)(long long)v && v < 1e15 && v > -1e15)
		ms_buf_printf(b, "%lld", (long long)v);
	else
		ms_buf_printf(b, "%.4g", v);
	if (unit)
		ms_buf_adds(b, unit);
}

/* What a chart shows, for its alternative text (a reader hears this
 * instead of the bars): its kind, its title, then each category with its
 * series' values, e.g. "Bar chart: States by status, 2012. #10: Best
 * status 9, Second 7, ...". */
static const char *chart_alt(fl *f, const dt_node *n)
{
	ms_buf b;
	ms_buf_init(&b);
	ms_buf_adds(&b, n->stacked ? "Stacked bar chart" : "Bar chart");
	if (n->title && n->title[0]) {
		ms_buf_adds(&b, ": ");
		ms_buf_adds(&b, n->title);
	}
	ms_buf_adds(&b, ".");
	for (size_t c = 0; c < n->ncategories && b.len < 8000; c++) {
		ms_buf_addc(&b, ' ');
		ms_buf_adds(&b, n->categories[c] ? n->categories[c] : "");
		ms_buf_adds(&b, ":");
		int any = 0;
		for (size_t k = 0; k < n->nseries; k++) {
			double v = n->series[k].values ? n->series[k].values[c] : 0;
			if (n->nseries > 1 && v == 0)
				continue;
			ms_buf_adds(&b, any ? ", " : " ");
			if (n->nseries > 1 && n->series[k].name) {
				ms_buf_adds(&b, n->series[k].name);
				ms_buf_addc(&b, ' ');
			}
			alt_value(&b, v, n->unit);
			any = 1;
		}
		if (!any)
			ms_buf_adds(&b, " none");
		ms_buf_adds(&b, c + 1 < n->ncategories ? ";" : ".");
	}
	const char *r = b.s && !b.oom ? dt_strdup(f->own, b.s) : n->title;
	ms_buf_free(&b);
	return r;
}

/* A photo's alternative text: its caption, else "Photograph" and its
 * credit (rules.md: never empty). */
static const char *image_alt(fl *f, const dt_node *n)
{
	const char *a = runs_text(f, n);
	if (a && a[0])
		return a;
	return n->credit && n->credit[0] ? dt_printf(f->own, "Photograph, %s", n->credit)
	                                 : "Photograph";
}

/* A block, its operations marked as its structure element's. */
static void lay_node(fl *f, const dt_node *n, int depth)
{
	if (depth > MAX_DEPTH)
		return;
	int role = role_of(n);
	if (role < 0) {
		lay_block(f, n, depth);
		return;
	}
	const char *alt = n->type == DT_IMAGE   ? image_alt(f, n)
	                  : n->type == DT_CHART ? chart_alt(f, n)
	                                        : NULL;
	const ms_pos *src = f->src;
	f->src = n->src;
	int was = elem_begin(f, (ly_role)role, n->type == DT_HEADING ? n->level : 0, alt, n->id);
	lay_block(f, n, depth);
	elem_end(f, was);
	f->src = src;
}

static void lay_block(fl *f, const dt_node *n, int depth)
{
	switch (n->type) {
	case DT_SECTION: {
		if (f->page_open) {
			finish_page(f);
			f->page_open = 0;
		}
		if (n->page.label && (n->page.label != f->numstyle || n->page.label_start > 0))
			f->num = n->page.label_start > 0 ? n->page.label_start : 1;
		f->numstyle = n->page.label;
		if (n->page.recto && f->npages % 2 == 1) {
			/* start on an odd page: a blank page first, numbered but
			 * with no folio or running head */
			dt_pagesetup blank = {0};
			f->ps = blank;
			new_page(f);
			finish_page(f);
			f->page_open = 0;
		}
		f->ps = n->page;
		new_page(f);
		f->section_first = 1;
		for (int l = 0; l < 5; l++)
			f->lasthead[l] = NULL;
		lay_blocks(f, n->first, depth + 1);
		break;
	}
	case DT_HEADING: lay_heading(f, n); break;
	case DT_PARA: lay_para(f, n); break;
	case DT_LIST: lay_list(f, n, depth); break;
	case DT_ITEM: lay_blocks(f, n->first, depth + 1); break;
	case DT_QUOTE: {
		double l = f->indent_l, r = f->indent_r;
		f->indent_l += 24;
		f->indent_r += 24;
		f->quote_depth++;
		if (f->npages == 0)
			new_page(f);
		f->y -= 4;
		lay_blocks(f, n->first, depth + 1);
		f->quote_depth--;
		f->indent_l = l;
		f->indent_r = r;
		f->y -= 4;
		break;
	}
	case DT_CODE: {
		const ly_pstyle *ps = ly_pstyle_get(f->st, "code");
		const char *s = n->text ? n->text : "";
		if (f->npages == 0)
			new_page(f);
		f->y -= ps->before;
		while (*s) {
			size_t len = strcspn(s, "\n");
			need(f, ps->leading);
			text_op(f, FACE(FAM_MONO, 0, 0), ps->size, ps->color,
			        f->x0 + f->indent_l + 12, f->y - ps->leading * 0.78, s, len);
			f->y -= ps->leading;
			s += len + (s[len] == '\n');
		}
		f->y -= ps->after;
		break;
	}
	case DT_RULE: {
		need(f, 12);
		f->y -= 6;
		ly_op *o = op(f, OP_LINE);
		if (o) {
			o->x = f->x0 + f->indent_l;
			o->y = f->y;
			o->w = f->x1 - f->indent_r - o->x;
			o->line_w = 0.5;
			o->color = f->st->rule_color;
			o->artifact = 1; /* a thematic break is decoration to a reader */
		}
		f->y -= 6;
		break;
	}
	case DT_TABLE: lay_table(f, n); break;
	case DT_IMAGE: lay_image(f, n); break;
	case DT_BOX: {
		if (f->npages == 0)
			new_page(f);
		f->y -= 6;
		if (f->npages == 0)
			break; /* out of memory */
		ly_page *pg = &f->pages[f->npages - 1];
		ly_op *before = pg->last;
		int page = f->npages;
		double top = f->y;
		double l = f->indent_l, r = f->indent_r;
		f->indent_l += 8;
		f->indent_r += 8;
		f->y -= 6;
		lay_blocks(f, n->first, depth + 1);
		f->indent_l = l;
		f->indent_r = r;
		f->y -= 4;
		if (f->npages == page) {
			/* the shade goes behind what was drawn: insert it after `before` */
			ly_op *o = al(f, sizeof *o);
			if (o) {
				o->kind = OP_RECT;
				o->elem = f->cur;
				o->artifact = 1; /* the shade: decoration */
				o->fill = 1;
				o->color = n->fill ? (unsigned)strtoul(n->fill + 1, NULL, 16)
				                   : f->st->box_fill;
				o->x = f->x0 + f->indent_l;
				o->w = f->x1 - f->indent_r - o->x;
				o->y = f->y;
				o->h = top - f->y;
				if (before) {
					o->next = before->next;
					before->next = o;
				} else {
					o->next = pg->ops;
					pg->ops = o;
				}
				if (pg->last == before)
					pg->last = o;
			}
		}
		f->y -= 8;
		break;
	}
	case DT_TOC: lay_toc(f, n); break;
	case DT_INDEX: lay_index(f, n); break;
	case DT_CHART: lay_chart(f, n); break;
	case DT_SPACE:
		if (f->npages == 0)
			new_page(f);
		f->y -= n->points;
		break;
	case DT_PAGEBREAK:
		new_page(f);
		/* a page turned for a chapter's heading opens it: a reader
		 * needs no running head there (its title is the page's) */
		f->opener = n->next && n->next->type == DT_HEADING && n->next->level <= 2;
		break;
	default: break;
	}
}

/* A block's last paragraph, through lists and quotes; NULL if it ends
 * otherwise. */
static const dt_node *last_para(const dt_node *d)
{
	while (d && (d->type == DT_LIST || d->type == DT_ITEM || d->type == DT_QUOTE))
		d = d->last;
	return d && d->type == DT_PARA ? d : NULL;
}

/* Whether the page turns after block n: a page break follows it, or it
 * ends its section. */
static int ends_page(const dt_node *n)
{
	return n->next ? n->next->type == DT_PAGEBREAK : n->parent && n->parent->type == DT_SECTION;
}

/* The lines of the paragraphs after n up to a page turn, when there are
 * one to three such paragraphs and fewer than three lines; else 0. *h:
 * their height. */
static int short_end(fl *f, const dt_node *n, double *h)
{
	const dt_node *x = n->next;
	for (int i = 0; x && x->type == DT_PARA && !ends_page(x) && i < 2; i++)
		x = x->next;
	if (!x || x->type != DT_PARA || !ends_page(x))
		return 0; /* the common case, told without measuring */
	int lines = 0;
	*h = 0;
	for (x = n->next; x && lines < 3; x = x->next) {
		const ly_pstyle *ps = style_of(f, x, "body");
		int k = exact_lines(f, x, ps, measure(f));
		lines += k;
		*h += ps->before + k * ps->leading + ps->after;
		if (ends_page(x))
			return lines < 3 ? lines : 0;
	}
	return 0;
}

static void lay_blocks(fl *f, const dt_node *first, int depth)
{
	for (const dt_node *n = first; n && !f->oom; n = n->next) {
		const dt_node *d = last_para(n), *nx = n->next;
		if (n->keep && nx && n->type != DT_HEADING) {
			/* kept with the next block ("Contributed by", a match
			 * list): through lists and quotes to their last paragraph */
			if (d) {
				f->tail_para = d;
				f->tail_h = keep_next(f, nx);
				f->tail_lines = 0;
			} else if (n->type == DT_IMAGE && f->npages) {
				need(f, image_need(f, n) + keep_next(f, nx));
			}
		} else if (d && n->type != DT_HEADING && f->npages) {
			/* no page holds only one or two lines: paragraphs of
			 * fewer lines than that at a chapter's end take the last
			 * lines of the one before with them to a new page */
			double h;
			int k = short_end(f, n, &h);
			if (k > 0) {
				f->tail_para = d;
				f->tail_h = h;
				f->tail_lines = 3 - k;
			}
		}
		if (ends_page(n))
			f->end_para = d;
		lay_node(f, n, depth);
	}
}

static void free_pages(fl *f)
{
	for (int i = 0; i < f->npages; i++)
		ms_arena_free(f->pages[i].arena);
	f->npages = 0;
}

static void fl_reset(fl *f)
{
	f->memo.p = NULL;
	ms_arena_free(f->a);
	f->a = ms_arena_new();
	free_pages(f);
	f->page_open = 0;
	f->nelems = 0;
	f->cur = -1;
	f->furniture = 0;
	f->nanchors = 0;
	if (f->ahash)
		memset(f->ahash, 0, f->ahcap * sizeof *f->ahash);
	f->ntoc = 0;
	f->noutl = 0;
	f->nnotes = 0;
	f->notes_h = 0;
	f->num = 1;
	f->numstyle = 'D';
	f->indent_l = f->indent_r = 0;
	f->quote_depth = 0;
	f->forward = 0;
	f->tail_para = NULL;
	f->tail_lines = 0;
	f->end_para = NULL;
	memset(&f->ps, 0, sizeof f->ps);
	f->ps.show_folio = 1;
	memset(f->lasthead, 0, sizeof f->lasthead);
}

/* Dot leaders on the line of op o (a contents page number) from `from` to
 * `to`: the dots stand on a grid of the style's ". ", so they line up from
 * one line to the next; fewer than three, none. The op goes after o. */
static void leaders(fl *f, ly_page *pg, ly_op *o, double from, double to)
{
	double pitch = ly_width(f->fonts, o->face, o->size, ". ", 2);
	if (pitch <= 0)
		return;
	double x = ceil((from + 6) / pitch) * pitch;
	int n = (int)floor((to - 6 - x) / pitch) + 1;
	if (n < 3)
		return;
	if (n > 200)
		n = 200;
	ly_op *d = ms_arena_alloc(pg->arena, sizeof *d);
	char *t = ms_arena_alloc(pg->arena, (size_t)n * 2);
	if (!d || !t)
		return;
	for (int k = 0; k < n; k++) {
		t[2 * k] = '.';
		t[2 * k + 1] = ' ';
	}
	*d = *o;
	d->artifact = 1; /* not read aloud between the title and its page */
	d->text = t;
	d->len = (unsigned)n * 2 - 1;
	d->x = (float)x;
	d->next = o->next;
	o->next = d;
	if (pg->last == o)
		pg->last = d;
}

/* The page numbers of the contents and of forward index references
 * (OP_PAGEREF), now that every page has its number: each its anchor's page
 * label. A contents number is right-aligned, after leaders; an index's is
 * set left in the room it was given, and its link (the op after it, made
 * with it) made as wide as the label. */
static void resolve_pagerefs(fl *f)
{
	for (int i = 0; i < f->npages; i++)
		for (ly_op *o = f->pages[i].ops; o; o = o->next) {
			if (o->kind != OP_PAGEREF)
				continue;
			const anchor *a = find_here(f, o->text);
			o->kind = OP_TEXT;
			o->text = keep(f, a ? a->label : "?");
			o->len = (unsigned)strlen(o->text);
			double w = ly_width(f->fonts, o->face, o->size, o->text, o->len);
			if (o->fill) {
				o->fill = 0;
				o->w = 0;
				ly_op *l = o->next;
				if (l && l->kind == OP_LINK && l->x == o->x)
					l->w = (float)w;
				continue;
			}
			o->x -= (float)w;
			double from = o->w;
			o->w = 0;
			leaders(f, &f->pages[i], o, from, o->x);
		}
}

/* Results ---------------------------------------------------------------------- */

typedef struct result_priv {
	anchor *anchors;
	size_t n;
	ms_arena *ids; /* the anchors' ids */
} result_priv;

int ly_anchor_page(const ly_result *r, const char *id)
{
	const result_priv *p = r ? r->priv : NULL;
	const anchor *a = p ? find_anchor(p->anchors, p->n, id) : NULL;
	return a ? a->page : 0;
}

void ly_result_free(ly_result *r)
{
	if (!r || !r->priv)
		return;
	result_priv *p = r->priv;
	free(p->anchors);
	ms_arena_free(p->ids);
	free(p);
	r->priv = NULL;
}

/* What a display list keeps of the layout: the arena of its made strings
 * and the tree the layout made for itself. */
typedef struct dlist_priv {
	ms_arena *a;
	dt_doc *own;
} dlist_priv;

void ly_dlist_free(ly_dlist *dl)
{
	if (!dl)
		return;
	for (int i = 0; i < dl->npages; i++)
		ms_arena_free(dl->pages[i].arena);
	free(dl->pages);
	free(dl->outl);
	free(dl->elems);
	ft_fonts_free(dl->fonts);
	dlist_priv *p = dl->priv;
	if (p) {
		ms_arena_free(p->a);
		dt_doc_free(p->own);
		free(p);
	}
	memset(dl, 0, sizeof *dl);
}

/* The contents before the first pass: every listed heading of the tree, in
 * document order (their page numbers are set at the end). A wrong guess
 * only costs another pass. */
static tocent *toc_guess(const dt_doc *doc, dt_doc *own, size_t *n)
{
	size_t cap = 64, cnt = 0;
	tocent *v = malloc(cap * sizeof *v);
	const dt_node *x = doc->root ? doc->root->first : NULL;
	while (v && x) {
		if (x->type == DT_HEADING && x->toc) {
			ms_buf t;
			ms_buf_init(&t);
			heading_text(x, &t);
			if (t.s) {
				if (cnt == cap) {
					tocent *w = realloc(v, (cap *= 2) * sizeof *v);
					if (!w) {
						ms_buf_free(&t);
						break;
					}
					v = w;
				}
				tocent *e = &v[cnt];
				e->title = dt_strdup(own, t.s);
				e->id = heading_id(own, x, cnt);
				e->level = x->level;
				e->src = x->src;
				cnt += e->title && e->id;
			}
			ms_buf_free(&t);
		}
		/* pre-order walk without recursion; not into tables, whose cells
		 * are laid out as paragraphs (draw_row): walking a 2,000-entry
		 * digest's fact tables took 8 ms of cache misses */
		if (x->first && x->type != DT_TABLE)
			x = x->first;
		else {
			while (x && !x->next)
				x = x->parent;
			x = x ? x->next : NULL;
		}
	}
	*n = v ? cnt : 0;
	return v;
}

int ly_layout(const dt_doc *doc, const ly_style *st, ly_dlist *out, ly_result *res, ms_diags *d)
{
	memset(out, 0, sizeof *out);
	ft_fonts *fonts = ly_fonts_new(st, d);
	if (!fonts)
		return -1;
	fl f;
	memset(&f, 0, sizeof f);
	f.st = st;
	f.fonts = fonts;
	f.hyph = ly_hyph_new(st->hyph_path);
	f.doc = doc;
	f.own = dt_doc_new();
	size_t nprev = 0, nprev_a = 0;
	tocent *prev = f.own ? toc_guess(doc, f.own, &nprev) : NULL;
	anchor *prev_a = NULL;
	f.oom = !f.own || !prev;
	int changed = 1;
	for (int pass = 0; pass < 4 && changed && !f.oom; pass++) {
		fl_reset(&f);
		f.prev_toc = prev;
		f.prev_ntoc = nprev;
		f.prev_anchors = prev_a;
		f.prev_nanchors = nprev_a;
		lay_blocks(&f, doc->root->first, 0);
		tgeom_free(&f.tg); /* a heading's table measured for nothing */
		if (f.page_open)
			finish_page(&f);
		f.page_open = 0;
		/* Another pass only when the contents listed other headings than
		 * this pass set, or a page number taken from the previous pass
		 * moved. The contents' page numbers are set at the end. */
		changed = f.ntoc != nprev;
		for (size_t i = 0; !changed && i < f.ntoc; i++)
			changed = f.toc[i].level != prev[i].level ||
			          strcmp(f.toc[i].id, prev[i].id) ||
			          strcmp(f.toc[i].title, prev[i].title);
		if (!changed && f.forward) {
			changed = f.nanchors != nprev_a;
			for (size_t i = 0; !changed && i < f.nanchors; i++)
				changed = f.anchors[i].page != prev_a[i].page ||
				          strcmp(f.anchors[i].label, prev_a[i].label);
		}
		free(prev);
		free(prev_a);
		/* keep this pass's results (copied out of the arena-backed titles) */
		prev = malloc((f.ntoc + 1) * sizeof *prev);
		prev_a = malloc((f.nanchors + 1) * sizeof *prev_a);
		nprev = f.ntoc;
		nprev_a = f.nanchors;
		if (!prev || !prev_a) {
			f.oom = 1;
			break;
		}
		for (size_t i = 0; i < f.ntoc; i++) {
			prev[i] = f.toc[i];
			prev[i].title = dt_strdup(f.own, f.toc[i].title);
			f.oom |= !prev[i].title;
		}
		if (f.nanchors)
			memcpy(prev_a, f.anchors, f.nanchors * sizeof *prev_a);
	}
	resolve_pagerefs(&f);
	free(f.imgs);
	for (size_t i = 0; i < f.nlowres; i++) {
		ms_pos pos = ms_pos_file(f.lowres[i].path);
		ms_diag_add(d, MS_WARNING, &pos,
		            "this photo prints at %d ppi, below the %d ppi a printed page needs, "
		            "and will look blurred: ask its sender for a larger file (at least %d "
		            "pixels wide)",
		            f.lowres[i].ppi, LOW_PPI, f.lowres[i].need);
	}
	free(f.lowres);
	int rc = 0;
	if (ft_failed(fonts)) {
		ly_fonts_report(fonts, st, d);
		rc = -1;
	} else if (f.too_long) { /* exit 1, not 3: an input made it (cli.md) */
		ms_diag_add(d, MS_ERROR, NULL,
		            "a document would be longer than %d pages and is not written: "
		            "shorten the longest inputs (the report lists the pages of each)",
		            MAX_PAGES);
		rc = -1;
	} else if (f.oom) {
		ms_diag_add(d, MS_ENV, NULL,
		            "out of memory (or more than %d pages) while typesetting", MAX_PAGES);
		rc = -1;
	}
	dlist_priv *dp = rc == 0 ? malloc(sizeof *dp) : NULL;
	if (rc == 0 && !dp) {
		ms_diag_add(d, MS_ENV, NULL, "out of memory");
		rc = -1;
	}
	if (rc == 0) { /* bookmarks: the contents' headings, else every heading */
		size_t k = 0;
		for (size_t i = 0; i < f.noutl; i++)
			if (f.outl[i].level > 0 || f.ntoc == 0) {
				f.outl[k] = f.outl[i];
				f.outl[k].level = abs(f.outl[k].level);
				k++;
			}
		f.noutl = k;
	}
	if (rc == 0) {
		dp->a = f.a;
		dp->own = f.own;
		f.a = NULL;
		f.own = NULL;
		*out = (ly_dlist){.pages = f.pages,
		                  .npages = f.npages,
		                  .outl = f.outl,
		                  .noutl = f.noutl,
		                  .elems = f.elems,
		                  .nelems = f.nelems,
		                  .fonts = fonts,
		                  .title = doc->title,
		                  .author = doc->author,
		                  .subject = doc->subject,
		                  .keywords = doc->keywords,
		                  .lang = "en",
		                  .created = doc->created,
		                  .priv = dp};
		f.pages = NULL;
		f.npages = 0;
		f.outl = NULL;
		f.elems = NULL;
		fonts = NULL;
	}
	if (res) {
		res->pages = out->npages;
		result_priv *p = malloc(sizeof *p);
		ms_arena *ids = ms_arena_new();
		if (p && ids) {
			/* the ids copied: a made one lives in the display list */
			for (size_t i = 0; i < nprev_a; i++) {
				prev_a[i].id = ms_arena_strdup(ids, prev_a[i].id);
				if (!prev_a[i].id)
					prev_a[i].id = "";
			}
			p->anchors = prev_a;
			p->n = nprev_a;
			p->ids = ids;
			prev_a = NULL;
			res->priv = p;
		} else {
			free(p);
			ms_arena_free(ids);
		}
	}
	free(prev);
	free(prev_a);
	free_pages(&f);
	free(f.pages);
	free(f.anchors);
	free(f.ahash);
	free(f.toc);
	free(f.outl);
	free(f.elems);
	free(f.notes);
	wcache_free(f.wc);
	for (int i = 0; i < NSCRATCH; i++) {
		free(f.scratch[i].it);
		free(f.scratch[i].ri);
		free(f.scratch[i].br);
		free(f.scratch[i].ratio);
		free(f.scratch[i].hang);
	}
	ms_arena_free(f.a);
	dt_doc_free(f.own);
	ly_hyph_free(f.hyph);
	ft_fonts_free(fonts);
	return rc;
}
