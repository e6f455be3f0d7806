/* md2tree.c — cmark-gfm nodes to document-tree nodes (see md2tree.h).
 * Recursion follows the Markdown nesting, which the form reader caps at 32
 * levels before cmark sees the text (MDF_MAX_DEPTH). */
#include "md2tree.h"

#include <cmark-gfm-core-extensions.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../read/mdform.h"
#include "../util/buf.h"

#define MAX_DEPTH 80

typedef struct m2t {
	dt_doc *doc;
	const m2t_opts *o;
	cmark_node *root;
	int notes; /* footnote marks so far */
	/* footnotes being expanded (a note citing one of them is not expanded
	 * again: the reader reports such circles, this only keeps the output
	 * finite) and the bytes of footnote text so far, capped */
	cmark_node *open[8];
	int nopen;
	size_t note_bytes;
} m2t;

#define NOTE_BYTES_MAX ((size_t)4 << 20)

static void inlines(m2t *m, dt_node *para, cmark_node *n, unsigned style, const char *link,
                    int depth);

static void text_run(m2t *m, dt_node *para, const char *t, unsigned style, const char *link)
{
	if (!t || !*t)
		return;
	if (m->nopen) {
		m->note_bytes += strlen(t);
		if (m->note_bytes > NOTE_BYTES_MAX)
			return;
	}
	dt_text(m->doc, para, t, style, link);
}

/* The definition of a footnote reference: linked by mdf_sections (user
 * data) when the form was split into sections, else the N-th definition of
 * the document, N being the reference's literal (cmark-gfm numbers them). */
static cmark_node *footnote_def(m2t *m, cmark_node *ref)
{
	cmark_node *linked = cmark_node_get_user_data(ref);
	if (linked)
		return linked;
	const char *lit = cmark_node_get_literal(ref);
	int want = lit ? atoi(lit) : 0, k = 0;
	for (cmark_node *c = cmark_node_first_child(m->root); c && want > 0; c = cmark_node_next(c))
		if (cmark_node_get_type(c) == CMARK_NODE_FOOTNOTE_DEFINITION && ++k == want)
			return c;
	return NULL;
}

static void inlines(m2t *m, dt_node *para, cmark_node *n, unsigned style, const char *link,
                    int depth)
{
	if (depth > MAX_DEPTH)
		return;
	for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_TEXT:
			text_run(m, para, cmark_node_get_literal(c), style, link);
			break;
		case CMARK_NODE_CODE:
			text_run(m, para, cmark_node_get_literal(c), style | DT_MONO, link);
			break;
		case CMARK_NODE_SOFTBREAK: text_run(m, para, " ", style, link); break;
		case CMARK_NODE_LINEBREAK: dt_run_add(m->doc, para, "", DT_BR, NULL); break;
		case CMARK_NODE_EMPH: inlines(m, para, c, style | DT_I, link, depth + 1); break;
		case CMARK_NODE_STRONG: inlines(m, para, c, style | DT_B, link, depth + 1); break;
		case CMARK_NODE_LINK: { /* the model warned about any other target */
			const char *u = cmark_node_get_url(c);
			inlines(m, para, c, style, mdf_link_allowed(u) ? u : link, depth + 1);
			break;
		}
		case CMARK_NODE_IMAGE:
			inlines(m, para, c, style, link, depth + 1);
			break;                      /* alt text */
		case CMARK_NODE_HTML_INLINE: break; /* comments and tags are not text */
		case CMARK_NODE_FOOTNOTE_REFERENCE: {
			char mark[16];
			snprintf(mark, sizeof mark, "%d", ++m->notes);
			dt_node *note = dt_footnote(m->doc, para, mark);
			cmark_node *def = footnote_def(m, c);
			for (int i = 0; def && i < m->nopen; i++)
				if (m->open[i] == def)
					def = NULL;
			if (m->nopen == (int)(sizeof m->open / sizeof *m->open) ||
			    m->note_bytes > NOTE_BYTES_MAX)
				def = NULL;
			if (note && def) {
				m->open[m->nopen++] = def;
				for (cmark_node *p = cmark_node_first_child(def); p;
				     p = cmark_node_next(p))
					if (cmark_node_get_type(p) == CMARK_NODE_PARAGRAPH)
						inlines(m, note, p, 0, NULL, depth + 1);
				m->nopen--;
			}
			break;
		}
		default:
			inlines(m, para, c, style, link,
			        depth + 1); /* strikethrough and others: text */
			break;
		}
	}
}

static int is_number(const char *s)
{
	if (!s || !*s)
		return 0;
	int digits = 0;
	for (; *s; s++) {
		if (isdigit((unsigned char)*s))
			digits++;
		else if (!strchr(" ,.%-+$€", *s) && !((unsigned char)*s >= 0x80))
			return 0;
	}
	return digits > 0;
}

static void blocks(m2t *m, dt_node *parent, cmark_node *n, int depth);

static void block(m2t *m, dt_node *parent, cmark_node *c, int depth)
{
	dt_doc *doc = m->doc;
	dt_src_line(doc, cmark_node_get_start_line(c));
	switch (cmark_node_get_type(c)) {
	case CMARK_NODE_PARAGRAPH: {
		cmark_node *only = cmark_node_first_child(c);
		if (only && !cmark_node_next(only) &&
		    cmark_node_get_type(only) == CMARK_NODE_IMAGE) {
			dt_node *img = dt_add(doc, parent, DT_IMAGE);
			if (!img)
				return;
			img->path = dt_strdup(doc, cmark_node_get_url(only));
			const char *title = cmark_node_get_title(only);
			img->credit = title && *title ? dt_strdup(doc, title) : NULL;
			inlines(m, img, only, 0, NULL, depth + 1);
			return;
		}
		dt_node *p =
		    dt_para(doc, parent, m->o && m->o->para_style ? m->o->para_style : NULL, NULL);
		if (p)
			inlines(m, p, c, 0, NULL, depth + 1);
		return;
	}
	case CMARK_NODE_HEADING: {
		int lv = cmark_node_get_heading_level(c) + (m->o ? m->o->head_shift : 0);
		dt_node *h = dt_heading(doc, parent, lv > 4 ? 4 : lv, NULL, NULL, 0);
		if (h)
			inlines(m, h, c, 0, NULL, depth + 1);
		return;
	}
	case CMARK_NODE_LIST: {
		dt_node *l = dt_add(doc, parent, DT_LIST);
		if (!l)
			return;
		l->ordered = cmark_node_get_list_type(c) == CMARK_ORDERED_LIST;
		l->start = cmark_node_get_list_start(c);
		l->tight = cmark_node_get_list_tight(c);
		for (cmark_node *it = cmark_node_first_child(c); it; it = cmark_node_next(it)) {
			dt_node *item = dt_add(doc, l, DT_ITEM);
			if (item)
				blocks(m, item, it, depth + 1);
		}
		return;
	}
	case CMARK_NODE_BLOCK_QUOTE: {
		dt_node *q = dt_add(doc, parent, DT_QUOTE);
		if (!q)
			return;
		blocks(m, q, c, depth + 1);
		/* the attribution: a last paragraph starting with a dash */
		dt_node *last = q->last;
		if (last && last->type == DT_PARA && last->runs && last->runs->text) {
			char *t = last->runs->text;
			if (!strncmp(t, "\xE2\x80\x94", 3) || !strncmp(t, "--", 2)) {
				if (t[0] == '-') {
					char *e = dt_printf(doc, "\xE2\x80\x94%s", t + 2);
					if (e)
						last->runs->text = e;
				}
				last->style = dt_strdup(doc, "attribution"); /* right */
			}
		}
		return;
	}
	case CMARK_NODE_CODE_BLOCK: {
		dt_node *code = dt_add(doc, parent, DT_CODE);
		if (!code)
			return;
		code->text = dt_strdup(doc, cmark_node_get_literal(c));
		const char *info = cmark_node_get_fence_info(c);
		code->caption = info && *info ? dt_strdup(doc, info) : NULL;
		code->style = dt_strdup(doc, "code");
		/* papers read their position for diagnostics */
		code->level = cmark_node_get_start_line(c);
		return;
	}
	case CMARK_NODE_THEMATIC_BREAK: dt_add(doc, parent, DT_RULE); return;
	case CMARK_NODE_FOOTNOTE_DEFINITION: return; /* placed with its reference */
	case CMARK_NODE_HTML_BLOCK: return;          /* comments (template guidance) */
	default: break;
	}
	const char *type = cmark_node_get_type_string(c);
	if (type && !strcmp(type, "table")) {
		int ncols = cmark_gfm_extensions_get_table_columns(c);
		uint8_t *al = cmark_gfm_extensions_get_table_alignments(c);
		dt_node *t = dt_table(doc, parent, ncols);
		if (!t)
			return;
		int first = 1;
		for (cmark_node *r = cmark_node_first_child(c); r;
		     r = cmark_node_next(r), first = 0) {
			dt_src_line(doc, cmark_node_get_start_line(r)); /* each row's line */
			dt_node *row = dt_row(doc, t, first);
			int col = 0;
			for (cmark_node *cell = cmark_node_first_child(r); cell && row;
			     cell = cmark_node_next(cell), col++) {
				dt_node *dc = dt_add(doc, row, DT_CELL);
				dt_node *p =
				    dc ? dt_para(doc, dc, first ? "table-head" : "table", NULL)
				       : NULL;
				if (!p)
					continue;
				inlines(m, p, cell, 0, NULL, depth + 1);
				char a = al && col < ncols ? (char)al[col] : 0;
				dc->align = a == 'r' ? DT_RIGHT : a == 'c' ? DT_CENTER : DT_LEFT;
				if (!a && !first && p->runs && is_number(p->runs->text))
					dc->align = DT_RIGHT; /* numbers right-aligned */
				p->align = dc->align;
			}
		}
	}
}

static void blocks(m2t *m, dt_node *parent, cmark_node *n, int depth)
{
	if (depth > MAX_DEPTH)
		return;
	for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c))
		block(m, parent, c, depth);
}

int md2tree_append(dt_doc *doc, dt_node *parent, cmark_node *md, const m2t_opts *opts)
{
	if (!md)
		return 0;
	m2t m = {.doc = doc, .o = opts, .root = md};
	const ms_pos *src = doc->src; /* each block's line, then the record's again */
	blocks(&m, parent, md, 0);
	doc->src = src;
	return dt_doc_oom(doc) ? -1 : 0;
}
