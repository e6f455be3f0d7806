/* tree.c — the document tree (see tree.h), allocated in one arena. */
#include "tree.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/arena.h"
#include "../util/buf.h"
#include "typo.h"

dt_doc *dt_doc_new(void)
{
	dt_doc *doc = calloc(1, sizeof *doc);
	if (!doc)
		return NULL;
	doc->arena = ms_arena_new();
	doc->created = MS_NO_DAY;
	if (!doc->arena) {
		free(doc);
		return NULL;
	}
	doc->root = dt_add(doc, NULL, DT_DOC);
	if (!doc->root) {
		dt_doc_free(doc);
		return NULL;
	}
	return doc;
}

void dt_doc_free(dt_doc *doc)
{
	if (!doc)
		return;
	ms_arena_free(doc->arena);
	free(doc);
}

int dt_doc_oom(const dt_doc *doc)
{
	return !doc || ms_arena_oom(doc->arena);
}

void *dt_alloc(dt_doc *doc, size_t n)
{
	return ms_arena_alloc(doc->arena, n);
}

char *dt_strdup(dt_doc *doc, const char *s)
{
	return ms_arena_strdup(doc->arena, s);
}

char *dt_printf(dt_doc *doc, const char *fmt, ...)
{
	/* short texts (most) formatted on the stack and copied once */
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	if ((size_t)n < sizeof small)
		return ms_arena_strndup(doc->arena, small, (size_t)n);
	char *s = ms_arena_alloc(doc->arena, (size_t)n + 1);
	if (s) {
		va_start(ap, fmt);
		vsnprintf(s, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	return s;
}

void dt_src(dt_doc *doc, const ms_pos *pos)
{
	if (!pos || !pos->file) {
		doc->src = NULL;
		return;
	}
	const ms_pos *cur = doc->src;
	if (cur && cur->line == pos->line && cur->row == pos->row && cur->col == pos->col &&
	    !cur->sheet == !pos->sheet && (!pos->sheet || !strcmp(cur->sheet, pos->sheet)) &&
	    (doc->src_from == pos->file || !strcmp(cur->file, pos->file)))
		return;
	ms_pos *p = ms_arena_alloc(doc->arena, sizeof *p);
	if (!p)
		return;
	*p = *pos;
	/* copied (once per file): the tree may outlive the records */
	if (doc->src_from != pos->file && (!doc->src_file || strcmp(doc->src_file, pos->file))) {
		doc->src_file = ms_arena_strdup(doc->arena, pos->file);
		doc->src_from = pos->file;
	}
	p->file = doc->src_file;
	p->sheet = pos->sheet ? ms_arena_strdup(doc->arena, pos->sheet) : NULL;
	doc->src = p->file ? p : NULL;
}

void dt_src_line(dt_doc *doc, int line)
{
	const ms_pos *cur = doc->src;
	if (!cur || cur->sheet || line <= 0 || cur->line == line)
		return;
	ms_pos *p = ms_arena_alloc(doc->arena, sizeof *p);
	if (!p)
		return;
	*p = *cur;
	p->line = line;
	doc->src = p;
}

dt_node *dt_add(dt_doc *doc, dt_node *parent, dt_type type)
{
	dt_node *n = ms_arena_alloc(doc->arena, sizeof *n);
	if (!n)
		return NULL;
	n->type = type;
	n->align = DT_JUSTIFY;
	n->src = doc->src;
	if (type == DT_CELL)
		n->colspan = 1;
	if (parent) {
		n->parent = parent;
		if (parent->last)
			parent->last->next = n;
		else
			parent->first = n;
		parent->last = n;
	}
	return n;
}

dt_node *dt_section(dt_doc *doc)
{
	dt_node *s = dt_add(doc, doc->root, DT_SECTION);
	if (s) {
		s->page.label = 'D';
		s->page.show_folio = 1;
	}
	return s;
}

dt_run *dt_run_add(dt_doc *doc, dt_node *node, const char *text, unsigned style, const char *link)
{
	if (!node)
		return NULL;
	dt_run *r = ms_arena_alloc(doc->arena, sizeof *r);
	if (!r)
		return NULL;
	r->text = ms_arena_strdup(doc->arena, text ? text : "");
	r->style = style;
	r->link = ms_arena_strdup(doc->arena, link);
	if (node->runs_last)
		node->runs_last->next = r;
	else
		node->runs = r;
	node->runs_last = r;
	return r;
}

/* The last character of the node's text so far (0 at its start), for a
 * quote that opens the next run. */
static unsigned last_char(const dt_node *node)
{
	const dt_run *r = node->runs_last;
	if (!r || !r->text || !*r->text)
		return 0;
	const char *t = r->text;
	size_t n = strlen(t), k = n - 1;
	while (k > 0 && ((unsigned char)t[k] & 0xC0) == 0x80)
		k--;
	uint32_t cp;
	ms_utf8_decode(t + k, n - k, &cp);
	return cp;
}

static void text_run(dt_doc *doc, dt_node *node, const char *s, size_t n, unsigned style,
                     const char *link)
{
	char *t = typo_text(s, n, last_char(node));
	if (t)
		dt_run_add(doc, node, t, style, link);
	else /* out of memory: the text as written, the arena will tell */
		dt_run_add(doc, node, dt_printf(doc, "%.*s", (int)n, s), style, link);
	free(t);
}

char *dt_typo(dt_doc *doc, const char *s)
{
	if (!s)
		return NULL;
	char *t = typo_text(s, strlen(s), 0);
	char *r = dt_strdup(doc, t ? t : s);
	free(t);
	return r;
}

dt_run *dt_text(dt_doc *doc, dt_node *node, const char *text, unsigned style, const char *link)
{
	if (!node || !text || (style & (DT_MONO | DT_NOHYPH | DT_BR | DT_SUP)))
		return dt_run_add(doc, node, text, style, link);
	const dt_run *before = node->runs_last;
	const char *s = text;
	size_t at, len;
	while (typo_find_link(s, &at, &len)) {
		if (at)
			text_run(doc, node, s, at, style, link);
		/* an address is never broken at its hyphens, and is a link
		 * (unless it already is the text of one) */
		char *target = link ? NULL : typo_link_target(s + at, len);
		char *word = ms_strndup(s + at, len);
		if (word)
			dt_run_add(doc, node, word, style | DT_NOHYPH, link ? link : target);
		free(word);
		free(target);
		s += at + len;
	}
	if (*s || node->runs_last == before)
		text_run(doc, node, s, strlen(s), style, link);
	return node->runs_last;
}

dt_node *dt_heading(dt_doc *doc, dt_node *parent, int level, const char *text, const char *id,
                    int toc)
{
	dt_node *h = dt_add(doc, parent, DT_HEADING);
	if (!h)
		return NULL;
	h->level = level;
	h->toc = toc;
	h->keep = 1; /* aligned as its style says (built in: left) */
	h->id = ms_arena_strdup(doc->arena, id);
	h->style = dt_printf(doc, "h%d", level);
	if (text)
		dt_text(doc, h, text, 0, NULL);
	return h;
}

dt_node *dt_para(dt_doc *doc, dt_node *parent, const char *style, const char *text)
{
	dt_node *p = dt_add(doc, parent, DT_PARA);
	if (!p)
		return NULL;
	p->style = ms_arena_strdup(doc->arena, style ? style : "body");
	if (text)
		dt_text(doc, p, text, 0, NULL);
	return p;
}

dt_node *dt_footnote(dt_doc *doc, dt_node *para, const char *mark)
{
	dt_run *r = dt_run_add(doc, para, mark, DT_SUP, NULL);
	if (!r)
		return NULL;
	r->note = dt_add(doc, NULL, DT_PARA);
	if (r->note)
		r->note->style = ms_arena_strdup(doc->arena, "footnote");
	return r->note;
}

dt_node *dt_table(dt_doc *doc, dt_node *parent, int ncols)
{
	dt_node *t = dt_add(doc, parent, DT_TABLE);
	if (t)
		t->ncols = ncols;
	return t;
}

dt_node *dt_row(dt_doc *doc, dt_node *table, int header)
{
	dt_node *r = dt_add(doc, table, DT_ROW);
	if (r)
		r->header = header;
	return r;
}

dt_node *dt_cell(dt_doc *doc, dt_node *row, const char *text, dt_align align)
{
	dt_node *c = dt_add(doc, row, DT_CELL);
	if (!c)
		return NULL;
	c->align = align;
	dt_node *p = dt_para(doc, c, row && row->header ? "table-head" : "table", text);
	if (p)
		p->align = align;
	return c;
}

/* Dump ------------------------------------------------------------------ */

static const char *type_name(dt_type t)
{
	static const char *names[] = {"doc",   "section", "heading", "para",     "list",
	                              "item",  "quote",   "code",    "rule",     "table",
	                              "row",   "cell",    "image",   "box",      "toc",
	                              "index", "chart",   "space",   "pagebreak"};
	return (unsigned)t < sizeof names / sizeof names[0] ? names[t] : "?";
}

static void dump_runs(const dt_run *r, ms_buf *out)
{
	for (; r; r = r->next) {
		if (r->style & DT_BR) {
			ms_buf_adds(out, "\\n");
			continue;
		}
		const char *open = (r->style & DT_B)      ? "**"
		                   : (r->style & DT_I)    ? "_"
		                   : (r->style & DT_MONO) ? "`"
		                   : (r->style & DT_SUP)  ? "^"
		                                          : "";
		ms_buf_printf(out, "%s%s%s", open, r->text, open);
		if (r->link)
			ms_buf_printf(out, "<%s>", r->link);
		if (r->note) {
			ms_buf_adds(out, "[note: ");
			dump_runs(r->note->runs, out);
			ms_buf_adds(out, "]");
		}
	}
}

static void dump_node(const dt_node *n, int depth, ms_buf *out)
{
	ms_buf_printf(out, "%*s%s", depth * 2, "", type_name(n->type));
	if (n->style)
		ms_buf_printf(out, " .%s", n->style);
	if (n->id)
		ms_buf_printf(out, " #%s", n->id);
	if (n->type == DT_HEADING)
		ms_buf_printf(out, " level=%d%s", n->level, n->toc ? " toc" : "");
	if (n->number)
		ms_buf_printf(out, " number=%s", n->number);
	if (n->type == DT_LIST && n->ordered)
		ms_buf_printf(out, " ordered start=%d", n->start);
	if (n->type == DT_ROW && n->header)
		ms_buf_adds(out, " header");
	if (n->type == DT_CELL && n->align == DT_RIGHT)
		ms_buf_adds(out, " right");
	if (n->type == DT_IMAGE)
		ms_buf_printf(out, " %s%s%s", n->path ? n->path : "", n->credit ? " credit=" : "",
		              n->credit ? n->credit : "");
	if (n->type == DT_CODE && n->text)
		ms_buf_printf(out, " %zu bytes", strlen(n->text));
	if (n->type == DT_TABLE && n->caption)
		ms_buf_printf(out, " caption=%s", n->caption);
	if (n->type == DT_CHART) {
		ms_buf_printf(out, " %s categories=%zu series=%zu", n->title ? n->title : "",
		              n->ncategories, n->nseries);
	}
	if (n->type == DT_CHART) {
		ms_buf_adds(out, " legend=");
		for (size_t k = 0; k < n->nseries; k++)
			ms_buf_printf(out, "%s%s", k ? "|" : "",
			              n->series[k].name ? n->series[k].name : "");
		for (size_t k = 0; k < n->ncategories; k++)
			ms_buf_printf(out, "\n%*s- %s", depth * 2 + 2, "",
			              n->categories[k] ? n->categories[k] : "");
	}
	if (n->keep && n->type != DT_HEADING)
		ms_buf_adds(out, " keep");
	if (n->type == DT_INDEX) {
		ms_buf_printf(out, " entries=%zu", n->nentries);
		for (size_t k = 0; k < n->nentries; k++) {
			const dt_index_entry *e = &n->entries[k];
			ms_buf_printf(out, "\n%*s- %s%s%s%s ->", depth * 2 + 2, "",
			              e->term ? e->term : "", e->sub ? " (" : "",
			              e->sub ? e->sub : "", e->sub ? ")" : "");
			for (size_t i = 0; i < e->nids; i++)
				ms_buf_printf(out, " #%s", e->ids[i]);
		}
	}
	if (n->type == DT_SECTION) {
		ms_buf_printf(out, " label=%c folio=%d", n->page.label ? n->page.label : '-',
		              n->page.show_folio);
		if (n->page.head_right)
			ms_buf_printf(out, " head=%s", n->page.head_right);
	}
	if (n->runs) {
		ms_buf_adds(out, ": ");
		dump_runs(n->runs, out);
	}
	ms_buf_addc(out, '\n');
}

void dt_dump(const dt_doc *doc, ms_buf *out)
{
	if (!doc || !doc->root)
		return;
	if (doc->title)
		ms_buf_printf(out, "title: %s\n", doc->title);
	/* Iterative pre-order walk: the tree can be as deep as the input. */
	const dt_node *n = doc->root;
	int depth = 0;
	while (n) {
		dump_node(n, depth, out);
		if (n->first) {
			n = n->first;
			depth++;
			continue;
		}
		while (n && !n->next && n != doc->root) {
			n = n->parent;
			depth--;
		}
		if (!n || n == doc->root)
			break;
		n = n->next;
	}
}
