/* mdform.c — the Markdown form reader (see mdform.h). */
#include "mdform.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/buf.h"

static int is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

static int is_fence(const char *s, size_t n)
{
	while (n && (s[n - 1] == '\r' || s[n - 1] == ' '))
		n--;
	return n == 3 && !memcmp(s, "---", 3);
}

/* Check text for what cmark must never see: invalid UTF-8, NUL and control
 * characters, too much nesting. Returns 0 or -1 with a diagnostic. */
static int precheck(const char *path, const char *text, size_t len, int line0, ms_diags *d)
{
	ms_pos pos = ms_pos_line(path, line0);
	if (len > MDF_MAX_BYTES) {
		ms_diag_add(d, MS_ERROR, &pos,
		            "the text is larger than 4 MiB: split it into several forms");
		return -1;
	}
	size_t bad;
	if (!ms_utf8_valid(text, len, &bad)) {
		for (size_t i = 0; i < bad; i++)
			pos.line += text[i] == '\n';
		ms_diag_add(d, MS_ERROR, &pos,
		            "not valid UTF-8: save the file as UTF-8 (in most editors: "
		            "Save As, Encoding: UTF-8)");
		return -1;
	}
	int line = line0;
	size_t ls = 0, ctl = ms_find_control(text, len, 1);
	for (;;) {
		const char *nl = memchr(text + ls, '\n', len - ls);
		size_t i = nl ? (size_t)(nl - text) : len;
		if (ctl < i) { /* found on this line, before its nesting is looked at */
			unsigned char c = (unsigned char)text[ctl];
			pos.line = line;
			ms_diag_add(d, MS_ERROR, &pos,
			            c ? "a control character (code %u) is in the text: remove it"
			              : "a NUL byte (code %u) is in the text: this is not a text "
			                "file",
			            c);
			return -1;
		}
		/* nesting of this line: '>' markers and list markers before text */
		int depth = 0;
		size_t j = ls;
		while (j < i) {
			if (text[j] == '>') {
				depth++;
				j++;
			} else if (text[j] == ' ' || text[j] == '\t') {
				j++;
			} else if ((text[j] == '-' || text[j] == '*' || text[j] == '+') &&
			           j + 1 < i && text[j + 1] == ' ') {
				depth++;
				j += 2;
			} else {
				break;
			}
		}
		size_t indent = 0;
		for (size_t k = ls; k < i && (text[k] == ' ' || text[k] == '\t'); k++)
			indent += text[k] == '\t' ? 4 : 1;
		if (depth > MDF_MAX_DEPTH || indent / 2 > MDF_MAX_DEPTH) {
			pos.line = line;
			ms_diag_add(
			    d, MS_ERROR, &pos,
			    "lists or quotes are nested more than %d levels deep: flatten them",
			    MDF_MAX_DEPTH);
			return -1;
		}
		if (i == len)
			return 0;
		line++;
		ls = i + 1;
	}
}

static cmark_node *parse_md(const char *text, size_t len)
{
	cmark_gfm_core_extensions_ensure_registered();
	cmark_parser *p = cmark_parser_new(CMARK_OPT_FOOTNOTES);
	if (!p)
		return NULL;
	static const char *exts[] = {"table", "strikethrough", "autolink"};
	for (size_t i = 0; i < 3; i++) {
		cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
		if (e)
			cmark_parser_attach_syntax_extension(p, e);
	}
	cmark_parser_feed(p, text, len);
	cmark_node *doc = cmark_parser_finish(p);
	cmark_parser_free(p);
	return doc;
}

/* Is this one line of plain prose, which cmark would turn into a single
 * paragraph holding the text as is? No line break, no leading or trailing
 * blank, no character Markdown (or GFM's autolinks, tables, strikethrough)
 * gives a meaning to, nothing at the start that opens a block. */
static int plain_line(const char *t, size_t len)
{
	if (len == 0 || len > 4096 || t[0] == ' ' || t[len - 1] == ' ' ||
	    (t[0] >= '0' && t[0] <= '9') || t[0] == '-' || t[0] == '+' || t[0] == '=')
		return 0;
	/* 1: what Markdown acts on, and control characters; 2: a "www." may
	 * start there (an autolink) */
	static const unsigned char special[256] = {
	    [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1, [0x07] = 1,
	    [0x08] = 1, [0x09] = 1, [0x0A] = 1, [0x0B] = 1, [0x0C] = 1, [0x0D] = 1, [0x0E] = 1,
	    [0x0F] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1, [0x15] = 1,
	    [0x16] = 1, [0x17] = 1, [0x18] = 1, [0x19] = 1, [0x1A] = 1, [0x1B] = 1, [0x1C] = 1,
	    [0x1D] = 1, [0x1E] = 1, [0x1F] = 1, [0x00] = 1, ['\\'] = 1, ['`'] = 1,  ['*'] = 1,
	    ['_'] = 1,  ['['] = 1,  [']'] = 1,  ['<'] = 1,  ['>'] = 1,  ['!'] = 1,  ['#'] = 1,
	    ['&'] = 1,  ['|'] = 1,  ['~'] = 1,  [':'] = 1,  ['@'] = 1,  [0x7F] = 1, ['w'] = 2,
	    ['W'] = 2};
	for (size_t i = 0; i < len; i++) {
		unsigned char v = special[(unsigned char)t[i]];
		if (v == 1 || (v == 2 && i + 4 <= len && !strncasecmp(t + i, "www.", 4)))
			return 0;
	}
	return 1;
}

/* The tree cmark makes of a plain line, built without a parser: a cell of
 * prose costs less than setting up cmark and its extensions. */
static cmark_node *plain_doc(const char *text, size_t len)
{
	char *lit = ms_strndup(text, len);
	cmark_node *doc = cmark_node_new(CMARK_NODE_DOCUMENT),
	           *para = cmark_node_new(CMARK_NODE_PARAGRAPH),
	           *txt = cmark_node_new(CMARK_NODE_TEXT);
	int ok = lit && doc && para && txt && cmark_node_set_literal(txt, lit) &&
	         cmark_node_append_child(para, txt) && cmark_node_append_child(doc, para);
	free(lit);
	if (ok)
		return doc;
	cmark_node_free(txt);
	cmark_node_free(para);
	cmark_node_free(doc);
	return NULL;
}

cmark_node *mdf_parse_markdown(const char *text, size_t len, const ms_pos *pos, ms_diags *d)
{
	if (precheck(pos ? pos->file : "?", text, len, pos && pos->line ? pos->line : 1, d) < 0)
		return NULL;
	cmark_node *doc = plain_line(text, len) ? plain_doc(text, len) : parse_md(text, len);
	if (!doc)
		ms_diag_add(d, MS_ENV, pos, "out of memory");
	return doc;
}

char *mdf_from_utf16(const char *text, size_t len, size_t *out_len, int *is16)
{
	const unsigned char *u = (const unsigned char *)text;
	*is16 = len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF));
	if (!*is16)
		return NULL;
	int le = u[0] == 0xFF;
	if (len % 2)
		return NULL;
	ms_buf b;
	ms_buf_init(&b);
	for (size_t i = 2; i + 1 < len; i += 2) {
		uint32_t c =
		    le ? (uint32_t)u[i] | (uint32_t)u[i + 1] << 8 : (uint32_t)u[i] << 8 | u[i + 1];
		if (c >= 0xD800 && c <= 0xDBFF && i + 3 < len) {
			uint32_t c2 = le ? (uint32_t)u[i + 2] | (uint32_t)u[i + 3] << 8
			                 : (uint32_t)u[i + 2] << 8 | u[i + 3];
			if (c2 < 0xDC00 || c2 > 0xDFFF)
				goto bad;
			c = 0x10000 + ((c - 0xD800) << 10) + (c2 - 0xDC00);
			i += 2;
		} else if (c >= 0xD800 && c <= 0xDFFF) {
			goto bad;
		}
		ms_buf_add_utf8(&b, c);
	}
	if (b.oom)
		goto bad;
	*out_len = b.len;
	return ms_buf_take(&b);
bad:
	ms_buf_free(&b);
	return NULL;
}

int mdf_has_form_key(const char *text, size_t len)
{
	int is16;
	size_t ul;
	char *u = mdf_from_utf16(text, len > 4096 ? 4096 : len, &ul, &is16);
	if (is16) { /* a prefix is enough to see the first key */
		int r = u && mdf_has_form_key(u, ul);
		free(u);
		return r;
	}
	size_t i = 0;
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		i = 3;
	/* skip an opening --- line and blank lines before it */
	const char *e = memchr(text + i, '\n', len - i);
	size_t ll = e ? (size_t)(e - text - i) : len - i;
	if (is_fence(text + i, ll))
		i += ll + 1;
	while (i < len && (text[i] == ' ' || text[i] == '\t'))
		i++;
	return len - i >= 5 && !strncasecmp(text + i, "form", 4) &&
	       (text[i + 4] == ':' || (text[i + 4] == ' ' && memchr(text + i + 4, ':', 8)));
}

static int add_field(mdf_form *f, size_t *cap, const char *k, size_t kl, const char *v, size_t vl,
                     int line)
{
	if (f->nfields == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		mdf_field *nv = realloc(f->fields, c * sizeof *nv);
		if (!nv)
			return -1;
		f->fields = nv;
		*cap = c;
	}
	mdf_field *fd = &f->fields[f->nfields];
	fd->key = ms_trim(ms_strndup(k, kl));
	fd->value = ms_trim(ms_strndup(v, vl));
	fd->line = line;
	if (!fd->key || !fd->value) {
		free(fd->key);
		free(fd->value);
		return -1;
	}
	f->nfields++;
	return 0;
}

void mdf_free(mdf_form *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nfields; i++) {
		free(f->fields[i].key);
		free(f->fields[i].value);
	}
	free(f->fields);
	free(f->path);
	if (f->doc)
		cmark_node_free(f->doc);
	free(f);
}

/* Footnotes: a footnote that cites itself, or a footnote that cites it (at
 * any remove), would be expanded without end where it is printed (each
 * citation repeats the text it cites). Each such citation is an error
 * naming the footnote's line, and is removed. What the remaining citations
 * expand to is added up (a footnote cited twice by each of twenty others
 * is a million copies): more than MDF_MAX_BYTES is an error too, and the
 * citations inside footnotes are then dropped. Linear in the text: one
 * depth-first walk over the footnotes, with an explicit stack. */
typedef struct fn_edge {
	size_t from, to; /* definitions, 0-based; from == SIZE_MAX: the body */
	cmark_node *ref;
} fn_edge;

static int edge_cmp(const void *a, const void *b)
{
	const fn_edge *x = a, *y = b;
	return x->from < y->from ? -1 : x->from > y->from ? 1 : 0;
}

static void footnotes_check(mdf_form *f, ms_diags *d)
{
	size_t n = 0, cap = 0;
	cmark_node **defs = NULL;
	for (cmark_node *c = cmark_node_first_child(f->doc); c; c = cmark_node_next(c)) {
		if (cmark_node_get_type(c) != CMARK_NODE_FOOTNOTE_DEFINITION)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			cmark_node **v = realloc(defs, cap * sizeof *v);
			if (!v)
				goto out;
			defs = v;
		}
		defs[n++] = c;
	}
	if (!n)
		goto out;
	fn_edge *e = NULL;
	size_t ne = 0, ce = 0;
	size_t *own = calloc(n, sizeof *own), *tot = calloc(n, sizeof *tot);
	size_t *start = calloc(n + 1, sizeof *start), *stack = calloc(n, sizeof *stack),
	       *pos = calloc(n, sizeof *pos);
	unsigned char *color = calloc(n, 1), *bad = calloc(n, 1);
	if (!own || !tot || !start || !stack || !pos || !color || !bad)
		goto done;
	/* the citations, and each footnote's own text */
	size_t in_def = SIZE_MAX;
	cmark_node *def_end = NULL;
	cmark_iter *it = cmark_iter_new(f->doc);
	cmark_event_type ev;
	size_t di = 0;
	while (it && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *r = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(r);
		if (t == CMARK_NODE_FOOTNOTE_DEFINITION) {
			if (ev == CMARK_EVENT_ENTER) {
				while (di < n && defs[di] != r)
					di++;
				in_def = di < n ? di : SIZE_MAX;
				def_end = r;
			} else if (r == def_end) {
				in_def = SIZE_MAX;
			}
			continue;
		}
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if ((t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) && in_def != SIZE_MAX) {
			const char *lit = cmark_node_get_literal(r);
			own[in_def] += lit ? strlen(lit) : 0;
		} else if (t == CMARK_NODE_FOOTNOTE_REFERENCE) {
			const char *lit = cmark_node_get_literal(r);
			long k = lit ? strtol(lit, NULL, 10) : 0;
			if (k < 1 || (size_t)k > n)
				continue;
			if (ne == ce) {
				ce = ce ? ce * 2 : 64;
				fn_edge *v = realloc(e, ce * sizeof *v);
				if (!v)
					break;
				e = v;
			}
			e[ne++] = (fn_edge){in_def, (size_t)k - 1, r};
		}
	}
	if (it)
		cmark_iter_free(it);
	/* the body's citations sort last (from == SIZE_MAX) */
	if (ne)
		qsort(e, ne, sizeof *e, edge_cmp);
	size_t nbody = 0;
	for (size_t i = 0; i < ne; i++) {
		if (e[i].from == SIZE_MAX)
			nbody++;
		else
			start[e[i].from + 1]++;
	}
	for (size_t i = 0; i < n; i++)
		start[i + 1] += start[i];
	/* depth-first from every footnote: grey = on the path; an edge to a
	 * grey footnote closes a circle and is cut */
	for (size_t s0 = 0; s0 < n; s0++) {
		if (color[s0])
			continue;
		size_t sp = 0;
		stack[sp++] = s0;
		color[s0] = 1;
		pos[s0] = start[s0];
		while (sp) {
			size_t v = stack[sp - 1];
			if (pos[v] < start[v + 1]) {
				fn_edge *x = &e[pos[v]++];
				if (!x->ref)
					continue;
				if (color[x->to] == 1) {
					bad[v] = 1;
					cmark_node_free(x->ref);
					x->ref = NULL;
				} else if (color[x->to] == 0) {
					color[x->to] = 1;
					pos[x->to] = start[x->to];
					stack[sp++] = x->to;
				}
				continue;
			}
			/* all it cites is done: its expanded size */
			size_t sz = own[v];
			for (size_t i = start[v]; i < start[v + 1]; i++)
				if (e[i].ref)
					sz = tot[e[i].to] > SIZE_MAX / 4 - sz ? SIZE_MAX / 4
					                                      : sz + tot[e[i].to];
			tot[v] = sz;
			color[v] = 2;
			sp--;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (bad[i]) {
			ms_pos p = ms_pos_line(f->path, cmark_node_get_start_line(defs[i]));
			ms_diag_add(d, MS_ERROR, &p,
			            "this footnote cites itself, or a footnote that cites it: a "
			            "footnote cannot contain its own reference (the reference is "
			            "left out)");
		}
	size_t all = 0, worst = 0;
	for (size_t i = ne - nbody; i < ne; i++) {
		size_t t = tot[e[i].to];
		all = t > SIZE_MAX / 4 - all ? SIZE_MAX / 4 : all + t;
		if (t > tot[worst])
			worst = e[i].to;
	}
	if (all > MDF_MAX_BYTES) {
		ms_pos p = ms_pos_line(f->path, cmark_node_get_start_line(defs[worst]));
		ms_diag_add(d, MS_ERROR, &p,
		            "the footnotes citing other footnotes add up to more than 4 MiB of "
		            "text: cite each note from the text, not from other notes (the "
		            "citations inside footnotes are left out)");
		for (size_t i = 0; i < ne - nbody; i++)
			if (e[i].ref) {
				cmark_node_free(e[i].ref);
				e[i].ref = NULL;
			}
	}
done:
	free(e);
	free(own);
	free(tot);
	free(start);
	free(stack);
	free(pos);
	free(color);
	free(bad);
out:
	free(defs);
}

/* The continuation lines gathered in cont become the last field's value. */
static int flush_cont(mdf_form *f, ms_buf *cont)
{
	if (!cont->len || !f->nfields) {
		ms_buf_clear(cont);
		return 0;
	}
	if (cont->oom)
		return -1;
	char *v = ms_buf_take(cont);
	if (!v)
		return -1;
	free(f->fields[f->nfields - 1].value);
	f->fields[f->nfields - 1].value = v;
	return 0;
}

mdf_form *mdf_parse(const char *path, const char *text, size_t len, ms_diags *d)
{
	if (precheck(path, text, len, 1, d) < 0)
		return NULL;
	mdf_form *f = calloc(1, sizeof *f);
	char *body = malloc(len + 1);
	if (!f || !body) {
		free(f);
		free(body);
		ms_diag_add(d, MS_ENV, NULL, "out of memory");
		return NULL;
	}
	f->path = ms_strdup(path);
	size_t cap = 0, i = 0;
	int line = 1, fenced = 0, in_meta = 1, err = 0;
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		i = 3;
	/* The body keeps the file's line numbers: metadata lines become blank. */
	memcpy(body, text, len);
	body[len] = 0;
	size_t body_start = len;
	ms_buf cont; /* the last field's value while continuation lines come */
	ms_buf_init(&cont);
	while (i < len && in_meta) {
		const char *ls = text + i;
		const char *nl = memchr(ls, '\n', len - i);
		size_t ll = nl ? (size_t)(nl - ls) : len - i;
		size_t next = i + ll + (nl ? 1 : 0);
		int is_cont =
		    (ls[0] == ' ' || ls[0] == '\t') && ll && !is_blank(ls, ll) && f->nfields;
		if (!is_cont && flush_cont(f, &cont) < 0) {
			ms_diag_add(d, MS_ENV, NULL, "out of memory");
			err = 1;
			break;
		}
		if (line == 1 && is_fence(ls, ll)) {
			fenced = 1;
		} else if (fenced && is_fence(ls, ll)) {
			in_meta = 0;
		} else if (is_blank(ls, ll)) {
			in_meta = 0;
		} else if ((ls[0] == ' ' || ls[0] == '\t') && f->nfields) {
			/* appended to a buffer that grows geometrically, put in the
			 * field once its last line is read: joining line by line
			 * copied the value again for every line (quadratic) */
			mdf_field *fd = &f->fields[f->nfields - 1];
			if (!cont.len)
				ms_buf_adds(&cont, fd->value);
			size_t a = 0, z = ll;
			while (a < z && (ls[a] == ' ' || ls[a] == '\t'))
				a++;
			while (z > a &&
			       (ls[z - 1] == ' ' || ls[z - 1] == '\t' || ls[z - 1] == '\r'))
				z--;
			if (z > a) {
				if (cont.len)
					ms_buf_addc(&cont, ' ');
				ms_buf_add(&cont, ls + a, z - a);
			}
			i = next;
			line++;
			continue;
		} else {
			const char *colon = memchr(ls, ':', ll);
			if (!colon) {
				ms_pos p = ms_pos_line(path, line);
				ms_diag_add(d, MS_ERROR, &p,
				            "this line of the form's header has no ':': write "
				            "'Key: value', and "
				            "leave a blank line before the text");
				err = 1;
				break;
			}
			if (add_field(f, &cap, ls, (size_t)(colon - ls), colon + 1,
			              ll - (size_t)(colon - ls) - 1, line) < 0) {
				ms_diag_add(d, MS_ENV, NULL, "out of memory");
				err = 1;
				break;
			}
		}
		i = next;
		line++;
		if (!in_meta)
			body_start = i;
	}
	if (!err && flush_cont(f, &cont) < 0) {
		ms_diag_add(d, MS_ENV, NULL, "out of memory");
		err = 1;
	}
	ms_buf_free(&cont);
	if (!err && f->nfields == 0) {
		ms_pos p = ms_pos_line(path, 1);
		ms_diag_add(d, MS_ERROR, &p,
		            "the file has no 'Key: value' header: start it with 'Form: "
		            "Contribution' (or the form's kind)");
		err = 1;
	}
	if (err) {
		free(body);
		mdf_free(f);
		return NULL;
	}
	for (size_t k = 0; k < body_start && k < len; k++)
		if (body[k] != '\n')
			body[k] = ' ';
	f->body_line = line;
	f->doc = parse_md(body, len);
	free(body);
	if (!f->doc) {
		ms_diag_add(d, MS_ENV, NULL, "out of memory");
		mdf_free(f);
		return NULL;
	}
	footnotes_check(f, d);
	return f;
}

int mdf_link_allowed(const char *url)
{
	if (!url)
		return 0;
	size_t n = strlen(url);
	if (n > MDF_MAX_URL)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)url[i] <= 0x20 || url[i] == 0x7f)
			return 0;
	return (n > 7 && !strncasecmp(url, "http://", 7)) ||
	       (n > 8 && !strncasecmp(url, "https://", 8)) ||
	       (n > 7 && !strncasecmp(url, "mailto:", 7));
}

mdf_form *mdf_read(const char *path, ms_diags *d)
{
	char *data;
	size_t len;
	int big;
	if (ms_read_file(path, MDF_MAX_BYTES, &data, &len, &big) < 0) {
		ms_pos p = ms_pos_file(path);
		ms_diag_add(d, MS_ERROR, &p,
		            big ? "the file is larger than 4 MiB: split it into several forms"
		                : "cannot read the file: check that it exists and is readable");
		return NULL;
	}
	/* Notepad's "Unicode": UTF-16 with a byte order mark, read as UTF-8 */
	int is16;
	size_t ul;
	char *u = mdf_from_utf16(data, len, &ul, &is16);
	if (is16) {
		free(data);
		if (!u) {
			ms_pos p = ms_pos_file(path);
			ms_diag_add(d, MS_ERROR, &p,
			            "the file is UTF-16 but damaged (an odd number of bytes or a "
			            "broken character): save it again as UTF-8");
			return NULL;
		}
		data = u;
		len = ul;
	}
	mdf_form *f = mdf_parse(path, data, len, d);
	free(data);
	return f;
}

char *mdf_plain_text(cmark_node *node)
{
	ms_buf b;
	ms_buf_init(&b);
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE: ms_buf_adds(&b, cmark_node_get_literal(n)); break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK: ms_buf_addc(&b, ' '); break;
		default: break;
		}
	}
	cmark_iter_free(it);
	return ms_buf_take(&b);
}

void mdf_sections(mdf_form *f, const char *const *names, size_t n, cmark_node **out, int *lines)
{
	char **keys = calloc(n ? n : 1, sizeof *keys);
	for (size_t i = 0; i < n; i++) {
		out[i] = NULL;
		lines[i] = 0;
		if (keys)
			keys[i] = ms_name_key(names[i]);
	}
	/* Footnotes: cmark-gfm numbers references and gathers the definitions
	 * at the end of the document. Link each reference to its definition
	 * (user data), and move each definition into the section of its first
	 * reference, so that sections can be used apart. */
	cmark_node *defs[256];
	size_t ndefs = 0;
	for (cmark_node *c = cmark_node_first_child(f->doc); c; c = cmark_node_next(c))
		if (cmark_node_get_type(c) == CMARK_NODE_FOOTNOTE_DEFINITION && ndefs < 256)
			defs[ndefs++] = c;
	int home[256];
	for (size_t i = 0; i < ndefs; i++)
		home[i] = -1;
	cmark_event_type ev;
	cmark_iter *it = ndefs ? cmark_iter_new(f->doc) : NULL;
	while (it && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *r = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER &&
		    cmark_node_get_type(r) == CMARK_NODE_FOOTNOTE_REFERENCE) {
			const char *lit = cmark_node_get_literal(r);
			int k = lit ? atoi(lit) : 0;
			if (k >= 1 && (size_t)k <= ndefs)
				cmark_node_set_user_data(r, defs[k - 1]);
		}
	}
	if (it)
		cmark_iter_free(it);
	size_t cur = 0;
	cmark_node *child = cmark_node_first_child(f->doc);
	while (child && n) {
		cmark_node *next = cmark_node_next(child);
		int is_section = 0;
		if (keys && cmark_node_get_type(child) == CMARK_NODE_HEADING &&
		    cmark_node_get_heading_level(child) == 2) {
			char *t = mdf_plain_text(child);
			char *k = ms_name_key(t);
			for (size_t i = 0; k && i < n; i++)
				if (keys[i] && !strcmp(keys[i], k)) {
					cur = i;
					is_section = 1;
					if (!lines[i])
						lines[i] = cmark_node_get_start_line(child);
					break;
				}
			free(t);
			free(k);
		}
		if (cmark_node_get_type(child) == CMARK_NODE_FOOTNOTE_DEFINITION) {
			child = next; /* placed with its first reference below */
			continue;
		}
		for (cmark_iter *ri = ndefs ? cmark_iter_new(child) : NULL; ri; ri = NULL) {
			while ((ev = cmark_iter_next(ri)) != CMARK_EVENT_DONE) {
				cmark_node *r = cmark_iter_get_node(ri);
				if (ev != CMARK_EVENT_ENTER ||
				    cmark_node_get_type(r) != CMARK_NODE_FOOTNOTE_REFERENCE)
					continue;
				const char *lit = cmark_node_get_literal(r);
				int k = lit ? atoi(lit) : 0;
				if (k >= 1 && (size_t)k <= ndefs && home[k - 1] < 0)
					home[k - 1] = is_section ? -1 : (int)cur;
			}
			cmark_iter_free(ri);
		}
		cmark_node_unlink(child);
		if (is_section) {
			cmark_node_free(child);
			if (!out[cur])
				out[cur] = cmark_node_new(CMARK_NODE_DOCUMENT);
		} else {
			if (!out[cur])
				out[cur] = cmark_node_new(CMARK_NODE_DOCUMENT);
			if (out[cur])
				cmark_node_append_child(out[cur], child);
			else
				cmark_node_free(child);
		}
		child = next;
	}
	for (size_t i = 0; i < ndefs; i++) {
		cmark_node_unlink(defs[i]);
		size_t h = home[i] >= 0 ? (size_t)home[i] : 0;
		if (n && !out[h])
			out[h] = cmark_node_new(CMARK_NODE_DOCUMENT);
		if (n && out[h])
			cmark_node_append_child(out[h], defs[i]);
		else
			cmark_node_free(defs[i]);
	}
	for (size_t i = 0; keys && i < n; i++)
		free(keys[i]);
	free(keys);
}
