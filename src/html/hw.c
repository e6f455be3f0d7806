/* hw.c — the static website back-end (hw.h).
 *
 * Every text from the trees is escaped for where it goes (element text,
 * attribute, JSON inside a script), and C0 controls other than tab and line
 * feed are dropped: entries are hostile input. Links are written only when
 * they are http(s), mailto, an anchor, or a path inside the site.
 *
 * A restricted page is a shell in the clear (banner, navigation, a password
 * box, the footer: nothing from an entry, and the site's name as its title)
 * holding its real title and <main> content sealed (seal.h). The search
 * index is sealed the same way. The key is derived once, on a second
 * thread while the first pages wait as text. */
#include "hw.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/buf.h"
#include "folder.h"
#include "seal.h"

/* Escaping -------------------------------------------------------------- */

/* Text for an element (attr 0) or a quoted attribute value (attr 1). */
static void esc(ms_buf *b, const char *s, int attr)
{
	if (!s)
		return;
	const char *run = s;
	for (const char *p = s;; p++) {
		unsigned char c = (unsigned char)*p;
		const char *rep = NULL;
		switch (c) {
		case 0: break;
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = attr ? "&quot;" : NULL; break;
		case '\'': rep = attr ? "&#39;" : NULL; break;
		case '\t':
		case '\n': break;
		default:
			if (c < 0x20 || c == 0x7f)
				rep = "";
		}
		if (c && !rep)
			continue;
		ms_buf_add(b, run, (size_t)(p - run));
		if (!c)
			return;
		ms_buf_adds(b, rep);
		run = p + 1;
	}
}

/* A JSON string, safe inside a <script> element and for JavaScript. */
static void json_str(ms_buf *b, const char *s)
{
	ms_buf_addc(b, '"');
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		unsigned char c = *p;
		if (c == '"' || c == '\\') {
			ms_buf_addc(b, '\\');
			ms_buf_addc(b, (char)c);
		} else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x7f) {
			ms_buf_printf(b, "\\u%04x", c);
		} else if (c == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
			ms_buf_adds(b, p[2] == 0xA8 ? "\\u2028" : "\\u2029");
			p += 2;
		} else {
			ms_buf_addc(b, (char)c);
		}
	}
	ms_buf_addc(b, '"');
}

/* Links ----------------------------------------------------------------- */

enum { L_NONE, L_WEB, L_MAIL, L_ANCHOR, L_LOCAL };

static int link_kind(const char *h)
{
	if (!h || !*h)
		return L_NONE;
	if (!strncasecmp(h, "https://", 8) || !strncasecmp(h, "http://", 7))
		return h[strcspn(h, " \t\r\n\"<>")] ? L_NONE : L_WEB;
	if (!strncasecmp(h, "mailto:", 7))
		return h[7] ? L_MAIL : L_NONE;
	if (h[0] == '#')
		return L_ANCHOR;
	if (h[0] == '/' || h[0] == '\\' || strstr(h, "..") || strchr(h, '\\'))
		return L_NONE; /* nothing outside the folder */
	for (const char *p = h; *p && *p != '/' && *p != '?' && *p != '#'; p++)
		if (*p == ':')
			return L_NONE; /* a scheme: javascript:, data:, file: ... */
	for (const char *p = h; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return L_NONE;
	return L_LOCAL;
}

/* Rendering the trees -------------------------------------------------- */

typedef struct rctx {
	ms_buf *b;
	const char *root;    /* "" or "../" ...: from the page to the site's root */
	const hw_page *page; /* its filters go before its first table */
	int filters_done;
} rctx;

static void filters_form(ms_buf *b, const hw_page *p);

static void runs(rctx *r, const dt_run *run)
{
	for (; run; run = run->next) {
		if (run->style & DT_BR) {
			ms_buf_adds(r->b, "<br>");
			continue;
		}
		if (run->note) /* footnotes: the portal's trees have none */
			continue;
		int k = link_kind(run->link);
		if (k != L_NONE) {
			ms_buf_adds(r->b, "<a href=\"");
			if (k == L_LOCAL)
				ms_buf_adds(r->b, r->root);
			esc(r->b, run->link, 1);
			ms_buf_adds(r->b, k == L_WEB ? "\" rel=\"noopener noreferrer\">" : "\">");
		}
		static const struct {
			unsigned bit;
			const char *open, *close;
		} tags[] = {{DT_B, "<strong>", "</strong>"},
		            {DT_I, "<em>", "</em>"},
		            {DT_MONO, "<code>", "</code>"},
		            {DT_SUP, "<sup>", "</sup>"},
		            {DT_SMALL, "<small>", "</small>"},
		            {DT_NOHYPH, "<span class=\"nobr\">", "</span>"}};
		for (size_t i = 0; i < sizeof tags / sizeof *tags; i++)
			if (run->style & tags[i].bit)
				ms_buf_adds(r->b, tags[i].open);
		esc(r->b, run->text, 0);
		for (size_t i = sizeof tags / sizeof *tags; i-- > 0;)
			if (run->style & tags[i].bit)
				ms_buf_adds(r->b, tags[i].close);
		if (k != L_NONE)
			ms_buf_adds(r->b, "</a>");
	}
}

static void id_attr(rctx *r, const dt_node *n)
{
	if (n->id && *n->id) {
		ms_buf_adds(r->b, " id=\"");
		esc(r->b, n->id, 1);
		ms_buf_addc(r->b, '"');
	}
}

static int is_style(const dt_node *n, const char *s)
{
	return n && n->style && !strcmp(n->style, s);
}

static void blocks(rctx *r, const dt_node *first);

/* Blocks of an item or a cell: one paragraph is written without <p>. */
static void inner(rctx *r, const dt_node *n)
{
	if (n->first && n->first == n->last && n->first->type == DT_PARA && !n->first->id)
		runs(r, n->first->runs);
	else
		blocks(r, n->first);
}

static void table(rctx *r, const dt_node *t)
{
	ms_buf *b = r->b;
	ms_buf_adds(b, "<div class=\"table\"><table");
	id_attr(r, t);
	ms_buf_adds(b, ">\n");
	if (t->caption) {
		ms_buf_adds(b, "<caption>");
		esc(b, t->caption, 0);
		ms_buf_adds(b, "</caption>\n");
	}
	int in_head = 0, in_body = 0;
	for (const dt_node *row = t->first; row; row = row->next) {
		if (row->type != DT_ROW)
			continue;
		if (row->header && !in_body && !in_head) {
			ms_buf_adds(b, "<thead>\n");
			in_head = 1;
		} else if (!row->header && !in_body) {
			ms_buf_adds(b, in_head ? "</thead>\n<tbody>\n" : "<tbody>\n");
			in_head = 0;
			in_body = 1;
		}
		ms_buf_adds(b, "<tr");
		if (!row->header && row->style && *row->style) {
			ms_buf_adds(b, " data-f=\"");
			esc(b, row->style, 1);
			ms_buf_addc(b, '"');
		}
		ms_buf_adds(b, ">");
		for (const dt_node *c = row->first; c; c = c->next) {
			if (c->type != DT_CELL)
				continue;
			int th = row->header || is_style(c->first, "th");
			ms_buf_adds(b,
			            th ? (row->header ? "<th scope=\"col\"" : "<th scope=\"row\"")
			               : "<td");
			if (c->colspan > 1)
				ms_buf_printf(b, " colspan=\"%d\"", c->colspan);
			const dt_node *p = c->first;
			if (p && p->type == DT_PARA && p->align == DT_RIGHT)
				ms_buf_adds(b, " class=\"num\"");
			ms_buf_addc(b, '>');
			inner(r, c);
			ms_buf_adds(b, th ? "</th>" : "</td>");
		}
		ms_buf_adds(b, "</tr>\n");
	}
	ms_buf_adds(b, in_body ? "</tbody>\n" : in_head ? "</thead>\n" : "");
	ms_buf_adds(b, "</table></div>\n");
}

static void block(rctx *r, const dt_node *n)
{
	ms_buf *b = r->b;
	switch (n->type) {
	case DT_SECTION: blocks(r, n->first); break;
	case DT_HEADING: {
		int h = n->level < 1 ? 2 : n->level > 4 ? 5 : n->level + 1;
		ms_buf_printf(b, "<h%d", h);
		id_attr(r, n);
		ms_buf_addc(b, '>');
		runs(r, n->runs);
		ms_buf_printf(b, "</h%d>\n", h);
		break;
	}
	case DT_PARA:
		ms_buf_adds(b, "<p");
		id_attr(r, n);
		if (is_style(n, "lead") || is_style(n, "note"))
			ms_buf_printf(b, " class=\"%s\"", n->style);
		ms_buf_addc(b, '>');
		runs(r, n->runs);
		ms_buf_adds(b, "</p>\n");
		break;
	case DT_LIST:
		if (n->ordered && n->start > 1)
			ms_buf_printf(b, "<ol start=\"%d\"", n->start);
		else
			ms_buf_adds(b, n->ordered ? "<ol" : "<ul");
		id_attr(r, n);
		ms_buf_adds(b, ">\n");
		for (const dt_node *it = n->first; it; it = it->next) {
			ms_buf_adds(b, "<li>");
			inner(r, it);
			ms_buf_adds(b, "</li>\n");
		}
		ms_buf_adds(b, n->ordered ? "</ol>\n" : "</ul>\n");
		break;
	case DT_ITEM: blocks(r, n->first); break;
	case DT_QUOTE:
		ms_buf_adds(b, "<blockquote>\n");
		blocks(r, n->first);
		ms_buf_adds(b, "</blockquote>\n");
		break;
	case DT_BOX:
		ms_buf_adds(b, "<aside class=\"box\"");
		id_attr(r, n);
		ms_buf_adds(b, ">\n");
		blocks(r, n->first);
		ms_buf_adds(b, "</aside>\n");
		break;
	case DT_CODE:
		ms_buf_adds(b, "<pre><code>");
		esc(b, n->text, 0);
		ms_buf_adds(b, "</code></pre>\n");
		break;
	case DT_RULE: ms_buf_adds(b, "<hr>\n"); break;
	case DT_TABLE:
		if (r->page && r->page->nfilters && !r->filters_done) {
			filters_form(b, r->page);
			r->filters_done = 1;
		}
		table(r, n);
		break;
	case DT_IMAGE: /* photos are not published on the site: their caption is */
		if (n->runs) {
			ms_buf_adds(b, "<p class=\"note\">");
			runs(r, n->runs);
			ms_buf_adds(b, "</p>\n");
		}
		break;
	default: break; /* page furniture of the PDF: contents, space, charts */
	}
}

static void blocks(rctx *r, const dt_node *first)
{
	for (const dt_node *n = first; n; n = n->next)
		block(r, n);
}

/* The search index ------------------------------------------------------ */

typedef struct wslot {
	char *w;
	int *docs;
	size_t n, cap;
} wslot;

typedef struct windex {
	wslot *v;
	size_t cap, used;
	int oom;
} windex;

static wslot *wfind(windex *x, const char *w, size_t len)
{
	if ((x->used + 1) * 2 > x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 4096;
		wslot *v = calloc(cap, sizeof *v);
		if (!v) {
			x->oom = 1;
			return NULL;
		}
		for (size_t i = 0; i < x->cap; i++) {
			if (!x->v[i].w)
				continue;
			size_t h = ms_fnv(x->v[i].w, MS_FNV_SEED) & (cap - 1);
			while (v[h].w)
				h = (h + 1) & (cap - 1);
			v[h] = x->v[i];
		}
		free(x->v);
		x->v = v;
		x->cap = cap;
	}
	uint32_t hv = MS_FNV_SEED;
	for (size_t i = 0; i < len; i++)
		hv = ms_fnv_byte(hv, (unsigned char)w[i]);
	size_t h = hv & (x->cap - 1);
	while (x->v[h].w) {
		if (!strncmp(x->v[h].w, w, len) && !x->v[h].w[len])
			return &x->v[h];
		h = (h + 1) & (x->cap - 1);
	}
	x->v[h].w = ms_strndup(w, len);
	if (!x->v[h].w) {
		x->oom = 1;
		return NULL;
	}
	x->used++;
	return &x->v[h];
}

/* A letter or digit of a folded word (site.js's fold and split mirror
 * this): ASCII letters and digits, and any code point from U+00C0 except
 * the multiplication and division signs and general punctuation. */
static int word_cp(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9');
	return cp >= 0xC0 && cp != 0xD7 && cp != 0xF7 && !(cp >= 0x2000 && cp <= 0x206F) &&
	       !(cp >= 0x3000 && cp <= 0x303F);
}

/* ms_fold(text), a stretch between ASCII spaces at a time: an entry's
 * text is mostly ASCII words (lowercased here), and one curly apostrophe
 * sent all of it through Unicode normalization and case folding (a tenth
 * of the portal site's time). The same result: decomposition, reordering
 * of marks and case folding never reach across an ASCII space. */
static char *fold_words(const char *text)
{
	ms_buf b;
	ms_buf_init(&b);
	for (const char *p = text; p && *p;) {
		size_t n = 0;
		int ascii = 1;
		while (p[n] && p[n] != ' ' && p[n] != '\n' && p[n] != '\t')
			ascii &= (unsigned char)p[n++] < 0x80;
		if (ascii) {
			for (size_t i = 0; i < n; i++)
				ms_buf_addc(&b,
				            p[i] >= 'A' && p[i] <= 'Z' ? (char)(p[i] + 32) : p[i]);
		} else {
			char *w = ms_strndup(p, n), *f = w ? ms_fold(w) : NULL;
			if (!f)
				b.oom = 1;
			else
				ms_buf_adds(&b, f);
			free(w);
			free(f);
		}
		p += n;
		for (; *p == ' ' || *p == '\n' || *p == '\t'; p++)
			ms_buf_addc(&b, *p);
	}
	if (b.oom) {
		ms_buf_free(&b);
		return NULL;
	}
	return b.s ? ms_buf_take(&b) : ms_strdup("");
}

static void index_doc(windex *x, const char *text, int doc)
{
	char *f = fold_words(text);
	if (!f) {
		x->oom = 1;
		return;
	}
	size_t len = strlen(f), start = 0;
	int inword = 0;
	for (size_t i = 0; i <= len;) {
		uint32_t cp = 0;
		int n = 1;
		if (i < len) {
			unsigned char c = (unsigned char)f[i];
			if (c < 0x80)
				cp = c;
			else
				n = ms_utf8_decode(f + i, len - i, &cp);
		}
		int w = i < len && word_cp(cp);
		if (w && !inword) {
			start = i;
			inword = 1;
		} else if (!w && inword) {
			inword = 0;
			size_t wl = i - start;
			if (wl <= 40) { /* longer: not a word anyone types */
				wslot *s = wfind(x, f + start, wl);
				if (s && (!s->n || s->docs[s->n - 1] != doc)) {
					if (s->n == s->cap) {
						size_t c = s->cap ? s->cap * 2 : 4;
						int *v = realloc(s->docs, c * sizeof *v);
						if (!v) {
							x->oom = 1;
							break;
						}
						s->docs = v;
						s->cap = c;
					}
					s->docs[s->n++] = doc;
				}
			}
		}
		i += (size_t)(n > 0 ? n : 1);
	}
	free(f);
}

static int wslot_cmp(const void *a, const void *b)
{
	return strcmp(((const wslot *)a)->w, ((const wslot *)b)->w);
}

/* The words as JSON, {"w":[docs],...}, sorted: the same bytes every run.
 * Frees the index. */
static void words_json(windex *x, ms_buf *b)
{
	size_t n = 0;
	for (size_t i = 0; i < x->cap; i++)
		if (x->v[i].w)
			x->v[n++] = x->v[i];
	if (n)
		qsort(x->v, n, sizeof *x->v, wslot_cmp);
	ms_buf_addc(b, '{');
	char num[24];
	for (size_t i = 0; i < n; i++) {
		ms_buf_adds(b, i ? ",\n" : "\n");
		json_str(b, x->v[i].w);
		ms_buf_adds(b, ":[");
		for (size_t k = 0; k < x->v[i].n; k++) {
			if (k)
				ms_buf_addc(b, ',');
			ms_buf_add(b, num, ms_utoa(num, (unsigned long long)x->v[i].docs[k]));
		}
		ms_buf_addc(b, ']');
		free(x->v[i].w);
		free(x->v[i].docs);
	}
	ms_buf_addc(b, '}');
	free(x->v);
	memset(x, 0, sizeof *x);
}

/* Pages ----------------------------------------------------------------- */

static void filters_form(ms_buf *b, const hw_page *p)
{
	ms_buf_adds(b, "<form id=\"filters\" class=\"filters js-only\" aria-label=\"Filter "
	               "the list\">\n<fieldset><legend>Show only</legend>\n");
	for (size_t i = 0; i < p->nfilters; i++) {
		const hw_filter *f = &p->filters[i];
		ms_buf_adds(b, "<p><label for=\"f-");
		esc(b, f->key, 1);
		ms_buf_adds(b, "\">");
		esc(b, f->label, 0);
		ms_buf_adds(b, "</label> <select id=\"f-");
		esc(b, f->key, 1);
		ms_buf_adds(b, "\" name=\"");
		esc(b, f->key, 1);
		ms_buf_adds(b, "\"><option value=\"\">All</option>");
		for (size_t k = 0; k < f->nvalues; k++) {
			ms_buf_adds(b, "<option value=\"");
			esc(b, f->values[k], 1);
			ms_buf_adds(b, "\">");
			esc(b, f->labels[k], 0);
			ms_buf_adds(b, "</option>");
		}
		ms_buf_adds(b, "</select></p>\n");
	}
	ms_buf_adds(b, "<p><button type=\"reset\">Show all</button></p>\n</fieldset>\n"
	               "<p id=\"filter-status\" role=\"status\" aria-live=\"polite\"></p>\n"
	               "</form>\n");
}

static void search_form(ms_buf *b)
{
	ms_buf_adds(b,
	            "<form id=\"search\" class=\"search js-only\" role=\"search\" "
	            "aria-label=\"Search the entries\">\n<p><label for=\"search-q\">Words to "
	            "find</label> <input type=\"search\" id=\"search-q\" name=\"q\" "
	            "autocomplete=\"off\"> <button type=\"submit\">Search</button></p>\n</form>\n"
	            "<p id=\"search-status\" role=\"status\" aria-live=\"polite\"></p>\n"
	            "<ol id=\"search-results\" class=\"results\"></ol>\n"
	            "<noscript><p>The search needs JavaScript; the list of entries works "
	            "without it.</p></noscript>\n");
}

/* What <main> holds: the title and the page's content. */
static void page_content(ms_buf *b, const hw_page *p, const char *root)
{
	ms_buf_adds(b, "<h1>");
	esc(b, p->title, 0);
	ms_buf_adds(b, "</h1>\n");
	if (p->search)
		search_form(b);
	rctx r = {b, root, p, 0};
	if (p->body)
		blocks(&r, p->body->type == DT_SECTION ? p->body->first : p->body);
	if (p->nfilters && !r.filters_done)
		filters_form(b, p);
}

static void page_shell(ms_buf *b, const hw_site *s, const hw_page *p, const char *root,
                       const char *content, size_t clen, const hw_seal *seal)
{
	ms_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"");
	esc(b, s->lang ? s->lang : "en", 1);
	ms_buf_adds(b, "\">\n<head>\n<meta charset=\"utf-8\">\n"
	               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	               "<meta name=\"referrer\" content=\"no-referrer\">\n");
	if (seal)
		ms_buf_adds(b, "<meta name=\"robots\" content=\"noindex, nofollow\">\n");
	ms_buf_adds(b, "<title>");
	if (!seal && p->title && s->name && strcmp(p->title, s->name)) {
		esc(b, p->title, 0);
		ms_buf_adds(b, " \xE2\x80\x94 ");
	}
	esc(b, s->name, 0);
	ms_buf_adds(b, "</title>\n<link rel=\"icon\" href=\"data:,\">\n<link rel=\"stylesheet\" "
	               "href=\"");
	ms_buf_adds(b, root);
	ms_buf_adds(b, "site.css\">\n");
	if (p->search) {
		ms_buf_adds(b, "<script src=\"");
		ms_buf_adds(b, root);
		ms_buf_adds(b, "search-index.js\" defer></script>\n");
	}
	ms_buf_adds(b, "<script src=\"");
	ms_buf_adds(b, root);
	ms_buf_adds(b, "site.js\" defer></script>\n</head>\n<body");
	if (seal)
		ms_buf_printf(b, " data-salt=\"%s\" data-iter=\"%u\"", seal->salt64,
		              seal->iterations);
	ms_buf_adds(b, ">\n<a class=\"skip\" href=\"#main\">Skip to the content</a>\n"
	               "<header class=\"banner\">\n<p class=\"site\"><a href=\"");
	ms_buf_adds(b, root);
	ms_buf_adds(b, "index.html\">");
	esc(b, s->name, 0);
	ms_buf_adds(b, "</a></p>\n<nav aria-label=\"Portal\"><ul>");
	for (size_t i = 0; i < s->nnav; i++) {
		ms_buf_adds(b, "<li><a href=\"");
		ms_buf_adds(b, root);
		esc(b, s->nav[i].path, 1);
		ms_buf_adds(b, (int)i == p->nav ? "\" aria-current=\"page\">" : "\">");
		esc(b, s->nav[i].label, 0);
		ms_buf_adds(b, "</a></li>");
	}
	ms_buf_adds(b, "</ul></nav>\n");
	if (!p->search) {
		ms_buf_adds(b,
		            "<form class=\"find\" role=\"search\" aria-label=\"Site\" action=\"");
		ms_buf_adds(b, root);
		ms_buf_adds(b, "search.html\" method=\"get\"><label for=\"find-q\">Search</label> "
		               "<input type=\"search\" id=\"find-q\" name=\"q\"> <button "
		               "type=\"submit\">Go</button></form>\n");
	}
	if (seal)
		ms_buf_adds(b, "<button type=\"button\" id=\"lock\" class=\"lock\" hidden>Lock the "
		               "portal</button>\n");
	ms_buf_adds(b, "</header>\n<main id=\"main\" tabindex=\"-1\">\n");
	if (seal) {
		ms_buf_adds(b, "<div id=\"unlock\" class=\"unlock\">\n<h1>");
		esc(b, s->name, 0);
		ms_buf_adds(b, "</h1>\n<p>");
		esc(b, s->locked, 0);
		ms_buf_adds(
		    b, "</p>\n<form id=\"unlock-form\" class=\"js-only\"><p><label "
		       "for=\"password\">Password</label> <input type=\"password\" id=\"password\" "
		       "autocomplete=\"current-password\" required> <button "
		       "type=\"submit\">Open</button></p>\n</form>\n<p id=\"unlock-msg\" "
		       "role=\"alert\"></p>\n<noscript><p>This page is encrypted: open it in a "
		       "browser with JavaScript turned on.</p></noscript>\n</div>\n");
	} else {
		ms_buf_add(b, content, clen);
	}
	ms_buf_adds(b, "</main>\n<footer class=\"foot\">\n<p>");
	esc(b, s->footer, 0);
	ms_buf_adds(b, "</p>\n</footer>\n");
	if (seal) {
		ms_buf_adds(b, "<script type=\"application/octet-stream\" id=\"sealed\">");
		ms_buf_add(b, content, clen);
		ms_buf_adds(b, "</script>\n");
	}
	ms_buf_adds(b, "</body>\n</html>\n");
}

static const char *root_of(const char *path, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = 0;
	for (const char *p = path; *p; p++)
		if (*p == '/' && n + 4 < size) {
			memcpy(buf + n, "../", 4);
			n += 3;
		}
	return buf;
}

/* A page made before the key was there. */
typedef struct pending {
	char *path;
	int nav, search;
	ms_buf content;
} pending;

struct hw_writer {
	const hw_site *s;
	hf_folder f;
	ms_diags *d;
	hw_seal seal;
	int sealed, failed;
	hw_stats st;
	pending *wait;
	size_t nwait, capwait;
	windex words;
	ms_buf docs; /* the index's docs, as JSON array items */
	size_t ndocs;
	ms_buf out, box;
};

static void fail(hw_writer *w, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail(hw_writer *w, const char *path, const char *fmt, ...)
{
	if (w->failed++)
		return; /* the first failure says what happened */
	ms_pos p = ms_pos_file(path ? path : w->f.dir);
	va_list ap;
	va_start(ap, fmt);
	ms_diag_vadd(w->d, MS_ENV, &p, fmt, ap);
	va_end(ap);
}

static int put(hw_writer *w, const char *rel, const char *data, size_t n)
{
	w->st.files++;
	w->st.bytes += n;
	return hf_put(&w->f, rel, data, n);
}

/* Seals (when restricted) and writes one page's content. */
static void emit(hw_writer *w, const char *path, int nav, int search, const char *title,
                 const char *c, size_t n)
{
	if (w->failed)
		return;
	if (w->sealed) {
		ms_buf_clear(&w->box);
		if (seal_box(&w->seal, c, n, &w->box) < 0) {
			fail(w, path, "cannot encrypt the page");
			return;
		}
		c = w->box.s;
		n = w->box.len;
	}
	char root[PATH_MAX];
	root_of(path, root, sizeof root);
	hw_page p = {.path = path, .title = title, .nav = nav, .search = search};
	ms_buf_clear(&w->out);
	page_shell(&w->out, w->s, &p, root, c, n, w->sealed ? &w->seal : NULL);
	if (w->out.oom)
		fail(w, path, "out of memory while writing the page");
	else if (put(w, path, w->out.s, w->out.len) < 0)
		fail(w, path, "cannot write the page (%s): check free disk space and permissions",
		     strerror(errno));
	w->st.pages++;
}

/* Once the key is there: the pages that waited for it. */
static void flush(hw_writer *w)
{
	for (size_t i = 0; i < w->nwait; i++) {
		pending *q = &w->wait[i];
		emit(w, q->path, q->nav, q->search, NULL, q->content.s ? q->content.s : "",
		     q->content.len);
		free(q->path);
		ms_buf_free(&q->content);
	}
	w->nwait = 0;
}

static int key_ready(hw_writer *w, int block)
{
	if (!w->sealed || !w->seal.started)
		return 1;
	if (!block && !seal_ready(&w->seal))
		return 0;
	if (seal_wait(&w->seal) < 0)
		fail(w, NULL, "cannot derive the key from the password");
	flush(w);
	return 1;
}

hw_writer *hw_open(const hw_site *s, const char *dir, ms_diags *d)
{
	ms_pos pos = ms_pos_file(dir);
	hw_writer *w = calloc(1, sizeof *w);
	if (!w) {
		ms_diag_add(d, MS_ENV, &pos, "out of memory");
		return NULL;
	}
	w->s = s;
	w->d = d;
	ms_buf_init(&w->docs);
	ms_buf_init(&w->out);
	ms_buf_init(&w->box);
	if (hf_open(&w->f, dir) < 0) {
		ms_diag_add(d, MS_ENV, &pos, "cannot create the site's folder (%s)",
		            strerror(errno));
		hf_free(&w->f);
		free(w);
		return NULL;
	}
	if (s->password) {
		if (seal_start(&w->seal, s->password, s->iterations) < 0) {
			fail(w, NULL,
			     "cannot make the encryption key (no random numbers from the system, "
			     "or the password could not be used)");
		}
		w->sealed = 1;
		w->st.encrypted = 1;
	}
	return w;
}

int hw_add(hw_writer *w, const hw_page *p)
{
	if (w->failed)
		return -1;
	char root[PATH_MAX];
	root_of(p->path, root, sizeof root);
	if (w->sealed && !key_ready(w, 0)) {
		if (w->nwait == w->capwait) {
			size_t c = w->capwait ? w->capwait * 2 : 64;
			pending *v = realloc(w->wait, c * sizeof *v);
			if (!v) {
				fail(w, p->path, "out of memory while making the site");
				return -1;
			}
			w->wait = v;
			w->capwait = c;
		}
		pending *q = &w->wait[w->nwait];
		ms_buf_init(&q->content);
		q->path = ms_strdup(p->path);
		q->nav = p->nav;
		q->search = p->search;
		ms_buf_adds(&q->content, p->title);
		ms_buf_addc(&q->content, '\n');
		page_content(&q->content, p, root);
		w->nwait++;
		if (!q->path || q->content.oom)
			fail(w, p->path, "out of memory while making the site");
		return w->failed ? -1 : 0;
	}
	ms_buf c;
	ms_buf_init(&c);
	if (w->sealed) {
		ms_buf_adds(&c, p->title);
		ms_buf_addc(&c, '\n');
	}
	page_content(&c, p, root);
	if (c.oom)
		fail(w, p->path, "out of memory while making the site");
	else
		emit(w, p->path, p->nav, p->search, p->title, c.s ? c.s : "", c.len);
	ms_buf_free(&c);
	return w->failed ? -1 : 0;
}

int hw_add_doc(hw_writer *w, const hw_doc *d)
{
	if (w->failed)
		return -1;
	ms_buf *b = &w->docs;
	ms_buf_adds(b, w->ndocs ? ",\n[" : "\n[");
	json_str(b, d->path);
	ms_buf_addc(b, ',');
	json_str(b, d->title);
	ms_buf_addc(b, ',');
	json_str(b, d->meta);
	ms_buf_addc(b, ']');
	ms_buf t;
	ms_buf_init(&t);
	ms_buf_adds(&t, d->title ? d->title : "");
	ms_buf_addc(&t, ' ');
	ms_buf_adds(&t, d->meta ? d->meta : "");
	ms_buf_addc(&t, ' ');
	ms_buf_adds(&t, d->text ? d->text : "");
	if (!t.oom)
		index_doc(&w->words, t.s, (int)w->ndocs);
	w->ndocs++;
	if (t.oom || b->oom || w->words.oom)
		fail(w, NULL, "out of memory while making the search index");
	ms_buf_free(&t);
	return w->failed ? -1 : 0;
}

int hw_close(hw_writer *w, int ok, hw_stats *stats)
{
	static const char marker[] = "A site written by mspdoc: the whole folder is replaced by "
	                             "the next build.\n";
	if (!ok)
		w->failed++; /* the caller said why */
	key_ready(w, 1);
	const hw_site *s = w->s;
	if (!w->failed) {
		ms_buf idx;
		ms_buf_init(&idx);
		ms_buf_adds(&idx, "{\"docs\":[");
		ms_buf_add(&idx, w->docs.s ? w->docs.s : "", w->docs.len);
		ms_buf_adds(&idx, "],\n\"words\":");
		words_json(&w->words, &idx);
		ms_buf_adds(&idx, "}");
		ms_buf *out = &w->out;
		ms_buf_clear(out);
		ms_buf_adds(out, "window.MSPDOC_INDEX=");
		if (w->sealed) {
			ms_buf_clear(&w->box);
			if (seal_box(&w->seal, idx.s ? idx.s : "", idx.len, &w->box) < 0)
				fail(w, "search-index.js", "cannot encrypt the search index");
			json_str(out, w->box.s);
		} else {
			ms_buf_add(out, idx.s ? idx.s : "", idx.len);
		}
		ms_buf_adds(out, ";\n");
		if (idx.oom || out->oom)
			fail(w, "search-index.js", "out of memory while writing the search index");
		ms_buf_free(&idx);
		if (!w->failed &&
		    (put(w, "search-index.js", out->s, out->len) < 0 ||
		     put(w, "site.css", s->css ? s->css : "", s->css ? strlen(s->css) : 0) < 0 ||
		     put(w, "site.js", s->js ? s->js : "", s->js ? strlen(s->js) : 0) < 0))
			fail(w, NULL,
			     "cannot write the site's files (%s): check free disk space and "
			     "permissions",
			     strerror(errno));
	}
	for (size_t i = 0; i < w->nwait; i++) {
		free(w->wait[i].path);
		ms_buf_free(&w->wait[i].content);
	}
	free(w->wait);
	if (w->words.v) { /* not written: freed here */
		for (size_t i = 0; i < w->words.cap; i++) {
			free(w->words.v[i].w);
			free(w->words.v[i].docs);
		}
		free(w->words.v);
	}
	ms_buf_free(&w->docs);
	ms_buf_free(&w->out);
	ms_buf_free(&w->box);
	if (w->sealed)
		seal_end(&w->seal);
	int rc = -1;
	if (w->failed)
		hf_abort(&w->f);
	else if (hf_commit(&w->f, marker, w->d) == 0)
		rc = 0;
	if (rc == 0) { /* the marker */
		w->st.files++;
		w->st.bytes += strlen(marker);
	}
	*stats = w->st;
	hf_free(&w->f);
	free(w);
	return rc;
}
