/* docx.c — Word forms (see docx.h).
 *
 * The parts are read through the bounded zip reader (zip.h) and parsed by
 * libxml2 into trees with network access off, no entity substitution, no
 * DTD loading; a part with a DOCTYPE is refused, as in XLSX. The body is
 * walked once and written as Markdown, one output line mapped to the Word
 * paragraph it came from, then parsed by mdf_parse. */
#include "docx.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/buf.h"
#include "zip.h"

#define MAX_DEPTH 64     /* element nesting the walker follows */
#define MAX_PICTURES 500 /* pictures written out of one document */
#define MAX_STYLES 4096
#define MAX_NUMS 4096
#define MAX_NOTES 4096

/* What is ignored, warned about once each. */
enum {
	IGN_HEADER,
	IGN_COMMENT,
	IGN_DELETED,
	IGN_TEXTBOX,
	IGN_DRAWING,
	IGN_OBJECT,
	IGN_MATH,
	IGN_PICFMT,
	IGN_LINKED,
	IGN_LINK,
	IGN_COUNT
};

typedef struct style {
	char *id;
	int heading; /* 1..9, 0 */
	int quote, caption, instructions, list;
	char *based_on;
} style;

typedef struct rel {
	char *id, *target;
	int external;
} rel;

typedef struct numfmt {
	int num_id;
	int ordered[9];
} numfmt;

typedef struct note {
	int id;
	xmlNode *node;
} note;

typedef struct span {
	ms_buf text; /* escaped Markdown */
	int bold, italic;
	char *url;
} span;

typedef struct pic {
	char *path;
	char *alt, *title;
} pic;

typedef struct ctx {
	const char *path;
	ms_diags *d;
	rz_zip *z;
	docx_section_fn is_section;
	style *styles;
	size_t nstyles;
	rel *rels;
	size_t nrels;
	numfmt *nums;
	size_t nnums;
	note *notes;
	size_t nnotes;
	xmlDoc *notes_doc;
	/* output */
	ms_buf md;
	int *para;
	size_t npara, cappara;
	int cur_para; /* paragraph number being written */
	char *kind;   /* the Form: value */
	int warned[IGN_COUNT];
	char *media_dir;
	int npics;
	/* lists */
	int list_open;
	int list_width[10]; /* content offset at each level */
	int list_levels;
	/* quotes */
	int quote_open;
	/* pending footnote definitions of the paragraph just written */
	int pending_notes[64];
	int npending;
	int in_note; /* writing a footnote's text: no nested references */
	int oom;
} ctx;

/* XML helpers ------------------------------------------------------------ */

static int is(const xmlNode *n, const char *local)
{
	return n && n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, local);
}

/* An attribute by local name, whatever its namespace prefix. */
static const char *attr(const xmlNode *n, const char *local)
{
	if (!n || n->type != XML_ELEMENT_NODE)
		return NULL;
	for (const xmlAttr *a = n->properties; a; a = a->next)
		if (!strcmp((const char *)a->name, local) && a->children &&
		    a->children->type == XML_TEXT_NODE)
			return (const char *)a->children->content;
	return NULL;
}

static xmlNode *child(const xmlNode *n, const char *local)
{
	for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (is(c, local))
			return c;
	return NULL;
}

/* <w:b/> and <w:b w:val="true|1|on"/> are on; w:val="false|0|off" off. */
static int on_off(const xmlNode *n)
{
	if (!n)
		return 0;
	const char *v = attr(n, "val");
	return !v || !(!strcmp(v, "0") || !strcasecmp(v, "false") || !strcasecmp(v, "off") ||
	               !strcasecmp(v, "none"));
}

static void ignore(ctx *c, int what, const char *msg)
{
	if (c->warned[what])
		return;
	c->warned[what] = 1;
	ms_pos p = c->cur_para ? ms_pos_line(c->path, c->cur_para) : ms_pos_file(c->path);
	ms_diag_add(c->d, MS_WARNING, &p, "%s", msg);
}

static int has_doctype(const char *s, size_t n)
{
	for (size_t i = 0; i + 9 <= n; i++)
		if (s[i] == '<' && s[i + 1] == '!' && !strncmp(s + i, "<!DOCTYPE", 9))
			return 1;
	return 0;
}

/* Case-insensitive search for an ASCII needle. */
static char *find_ci(char *h, const char *needle)
{
	size_t n = strlen(needle);
	for (; h && *h; h++)
		if (!strncasecmp(h, needle, n))
			return h;
	return NULL;
}

static xmlDoc *read_part(ctx *c, const char *name, int required)
{
	if (!rz_has(c->z, name)) {
		if (required) {
			ms_pos p = ms_pos_file(c->path);
			ms_diag_add(c->d, MS_ERROR, &p,
			            "this .docx has no %s: it is not a Word document, or it is "
			            "damaged; save it again from Word or LibreOffice",
			            name);
		}
		return NULL;
	}
	char *data = NULL;
	size_t len = 0;
	const char *why = NULL;
	if (rz_read(c->z, name, &data, &len, &why) < 0) {
		ms_pos p = ms_pos_file(c->path);
		ms_diag_add(c->d, MS_ERROR, &p, "cannot read %s in this Word file (%s)", name,
		            why ? why : "damaged");
		return NULL;
	}
	if (has_doctype(data, len)) {
		ms_pos p = ms_pos_file(c->path);
		ms_diag_add(c->d, MS_ERROR, &p,
		            "a part contains a DOCTYPE declaration, which Word never writes: the "
		            "file was tampered with or not written by a word processor");
		free(data);
		return NULL;
	}
	if (len > INT32_MAX) {
		free(data);
		return NULL;
	}
	xmlDoc *doc = xmlReadMemory(data, (int)len, name, NULL,
	                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	free(data);
	if (!doc) {
		ms_pos p = ms_pos_file(c->path);
		ms_diag_add(c->d, MS_ERROR, &p,
		            "%s is not well-formed XML: the Word file is damaged; save it again",
		            name);
	}
	return doc;
}

/* Styles, relationships, numbering, footnotes ----------------------------- */

static style *find_style(ctx *c, const char *id)
{
	for (size_t i = 0; id && i < c->nstyles; i++)
		if (!strcmp(c->styles[i].id, id))
			return &c->styles[i];
	return NULL;
}

static void classify(style *s, const char *name)
{
	char *k = ms_name_key(name ? name : s->id);
	if (!k)
		return;
	if (!strncmp(k, "heading", 7) && k[7] >= '1' && k[7] <= '9' && !k[8])
		s->heading = k[7] - '0';
	else if (!strcmp(k, "title"))
		s->heading = 1;
	if (strstr(k, "quote") || !strcmp(k, "blocktext"))
		s->quote = 1;
	if (strstr(k, "caption"))
		s->caption = 1;
	if (!strcmp(k, "templateinstructions"))
		s->instructions = 1;
	if (!strncmp(k, "listbullet", 10) || !strncmp(k, "listnumber", 10))
		s->list = k[4] == 'n' ? 2 : 1;
	free(k);
}

static void load_styles(ctx *c)
{
	xmlDoc *doc = read_part(c, "word/styles.xml", 0);
	if (!doc)
		return;
	xmlNode *root = xmlDocGetRootElement(doc);
	size_t cap = 0;
	for (xmlNode *s = root ? root->children : NULL; s; s = s->next) {
		if (!is(s, "style") || c->nstyles >= MAX_STYLES)
			continue;
		const char *id = attr(s, "styleId");
		if (!id)
			continue;
		if (c->nstyles == cap) {
			cap = cap ? cap * 2 : 64;
			style *v = realloc(c->styles, cap * sizeof *v);
			if (!v)
				break;
			c->styles = v;
		}
		style *st = &c->styles[c->nstyles++];
		memset(st, 0, sizeof *st);
		st->id = strdup(id);
		classify(st, attr(child(s, "name"), "val"));
		const char *b = attr(child(s, "basedOn"), "val");
		st->based_on = b ? strdup(b) : NULL;
		xmlNode *ppr = child(s, "pPr");
		const char *ol = attr(child(ppr, "outlineLvl"), "val");
		if (ol && !st->heading) {
			int lv = atoi(ol);
			if (lv >= 0 && lv < 9)
				st->heading = lv + 1;
		}
	}
	/* inherit through basedOn (a "Quote 2" based on "Quote") */
	for (int round = 0; round < 8; round++)
		for (size_t i = 0; i < c->nstyles; i++) {
			style *p = find_style(c, c->styles[i].based_on);
			if (!p || p == &c->styles[i])
				continue;
			if (!c->styles[i].heading)
				c->styles[i].heading = p->heading;
			c->styles[i].quote |= p->quote;
			c->styles[i].caption |= p->caption;
			c->styles[i].instructions |= p->instructions;
		}
	xmlFreeDoc(doc);
}

static void load_rels(ctx *c)
{
	xmlDoc *doc = read_part(c, "word/_rels/document.xml.rels", 0);
	if (!doc)
		return;
	xmlNode *root = xmlDocGetRootElement(doc);
	size_t cap = 0;
	for (xmlNode *r = root ? root->children : NULL; r; r = r->next) {
		if (!is(r, "Relationship") || !attr(r, "Id") || !attr(r, "Target"))
			continue;
		if (c->nrels == cap) {
			cap = cap ? cap * 2 : 32;
			rel *v = realloc(c->rels, cap * sizeof *v);
			if (!v)
				break;
			c->rels = v;
		}
		rel *x = &c->rels[c->nrels++];
		x->id = strdup(attr(r, "Id"));
		x->target = strdup(attr(r, "Target"));
		const char *mode = attr(r, "TargetMode");
		x->external = mode && !strcasecmp(mode, "External");
		const char *type = attr(r, "Type");
		if (type && (strstr(type, "/header") || strstr(type, "/footer")) && !x->external) {
			/* a header or footer with text: say it is not read */
			char *part = ms_printf("word/%s", x->target);
			xmlDoc *h = part ? read_part(c, part, 0) : NULL;
			free(part);
			if (h) {
				xmlChar *txt = xmlNodeGetContent((xmlNode *)h);
				int has = 0;
				for (const xmlChar *q = txt; q && *q && !has; q++)
					has = *q > ' ';
				xmlFree(txt);
				xmlFreeDoc(h);
				if (has)
					ignore(
					    c, IGN_HEADER,
					    "the page headers and footers are not read: put what "
					    "matters in the body");
			}
		}
		if (type && strstr(type, "/comments") && !x->external) {
			/* word processors write an empty comments part: warn only
			 * when it holds a comment */
			char *part = ms_printf("word/%s", x->target);
			xmlDoc *h = part ? read_part(c, part, 0) : NULL;
			free(part);
			xmlNode *root2 = h ? xmlDocGetRootElement(h) : NULL;
			if (root2 && child(root2, "comment"))
				ignore(
				    c, IGN_COMMENT,
				    "comments are not read: resolve them and put what matters in "
				    "the text");
			if (h)
				xmlFreeDoc(h);
		}
	}
	xmlFreeDoc(doc);
}

static const rel *find_rel(ctx *c, const char *id)
{
	for (size_t i = 0; id && i < c->nrels; i++)
		if (!strcmp(c->rels[i].id, id))
			return &c->rels[i];
	return NULL;
}

static void load_numbering(ctx *c)
{
	xmlDoc *doc = read_part(c, "word/numbering.xml", 0);
	if (!doc)
		return;
	xmlNode *root = xmlDocGetRootElement(doc);
	/* abstract numbering: which levels are ordered */
	typedef struct {
		int id;
		int ordered[9];
	} abs_t;
	abs_t *abs = NULL;
	size_t nabs = 0, capabs = 0, capnum = 0;
	for (xmlNode *a = root ? root->children : NULL; a; a = a->next) {
		if (!is(a, "abstractNum") || nabs >= MAX_NUMS)
			continue;
		if (nabs == capabs) {
			capabs = capabs ? capabs * 2 : 16;
			abs_t *v = realloc(abs, capabs * sizeof *v);
			if (!v)
				break;
			abs = v;
		}
		abs_t *x = &abs[nabs++];
		memset(x, 0, sizeof *x);
		const char *id = attr(a, "abstractNumId");
		x->id = id ? atoi(id) : -1;
		for (xmlNode *l = a->children; l; l = l->next) {
			if (!is(l, "lvl"))
				continue;
			const char *il = attr(l, "ilvl");
			int lv = il ? atoi(il) : 0;
			const char *fmt = attr(child(l, "numFmt"), "val");
			if (lv >= 0 && lv < 9)
				x->ordered[lv] =
				    fmt && strcmp(fmt, "bullet") && strcmp(fmt, "none");
		}
	}
	for (xmlNode *n = root ? root->children : NULL; n; n = n->next) {
		if (!is(n, "num") || c->nnums >= MAX_NUMS)
			continue;
		const char *nid = attr(n, "numId");
		const char *aid = attr(child(n, "abstractNumId"), "val");
		if (!nid || !aid)
			continue;
		if (c->nnums == capnum) {
			capnum = capnum ? capnum * 2 : 16;
			numfmt *v = realloc(c->nums, capnum * sizeof *v);
			if (!v)
				break;
			c->nums = v;
		}
		numfmt *x = &c->nums[c->nnums++];
		memset(x, 0, sizeof *x);
		x->num_id = atoi(nid);
		for (size_t i = 0; i < nabs; i++)
			if (abs[i].id == atoi(aid))
				memcpy(x->ordered, abs[i].ordered, sizeof x->ordered);
	}
	free(abs);
	xmlFreeDoc(doc);
}

static int list_ordered(ctx *c, int num_id, int lvl)
{
	for (size_t i = 0; i < c->nnums; i++)
		if (c->nums[i].num_id == num_id)
			return lvl >= 0 && lvl < 9 ? c->nums[i].ordered[lvl] : 0;
	return 0;
}

static void load_notes(ctx *c)
{
	c->notes_doc = read_part(c, "word/footnotes.xml", 0);
	xmlNode *root = c->notes_doc ? xmlDocGetRootElement(c->notes_doc) : NULL;
	size_t cap = 0;
	for (xmlNode *n = root ? root->children : NULL; n; n = n->next) {
		if (!is(n, "footnote") || c->nnotes >= MAX_NOTES)
			continue;
		const char *type = attr(n, "type");
		if (type && strcmp(type, "normal"))
			continue; /* separators */
		if (c->nnotes == cap) {
			cap = cap ? cap * 2 : 16;
			note *v = realloc(c->notes, cap * sizeof *v);
			if (!v)
				break;
			c->notes = v;
		}
		const char *id = attr(n, "id");
		c->notes[c->nnotes].id = id ? atoi(id) : -1;
		c->notes[c->nnotes].node = n;
		c->nnotes++;
	}
}

/* Output -------------------------------------------------------------------- */

/* Append text to the Markdown, mapping every new line to cur_para. */
static void out(ctx *c, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\n') {
			if (c->npara == c->cappara) {
				size_t cap = c->cappara ? c->cappara * 2 : 256;
				int *v = realloc(c->para, cap * sizeof *v);
				if (!v) {
					c->oom = 1;
					return;
				}
				c->para = v;
				c->cappara = cap;
			}
			c->para[c->npara++] = c->cur_para;
		}
	if (ms_buf_add(&c->md, s, n) < 0)
		c->oom = 1;
}

static void outs(ctx *c, const char *s)
{
	out(c, s, strlen(s));
}

/* Escape text for Markdown: the ASCII punctuation Markdown acts on gets a
 * backslash (CommonMark allows one before any ASCII punctuation); '-', '+'
 * and '=' only where they would open a block, '.' and ')' only after a
 * number that starts the line ("1." opens a list). */
static void esc(ms_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (ch == '\r' || ch == '\t') {
			ms_buf_addc(b, ' ');
			continue;
		}
		int needed = ch && strchr("\\`*_[]<>!#|~&", ch) != NULL;
		if ((ch == '-' || ch == '+' || ch == '=') && b->len == 0)
			needed = 1;
		if ((ch == '.' || ch == ')') && b->len) {
			size_t k = b->len;
			while (k && b->s[k - 1] >= '0' && b->s[k - 1] <= '9')
				k--;
			needed = k == 0;
		}
		if (needed)
			ms_buf_addc(b, '\\');
		ms_buf_addc(b, ch);
	}
}

/* Inlines ------------------------------------------------------------------- */

typedef struct inl {
	span *v;
	size_t n, cap;
	pic *pics;
	size_t npics, cappics;
	int notes[64];
	int nnotes;
	ms_buf plain; /* the paragraph's text without markup */
} inl;

static span *cur_span(inl *in, int bold, int italic, const char *url)
{
	if (in->n) {
		span *l = &in->v[in->n - 1];
		if (l->bold == bold && l->italic == italic &&
		    ((!l->url && !url) || (l->url && url && !strcmp(l->url, url))))
			return l;
	}
	if (in->n == in->cap) {
		size_t cap = in->cap ? in->cap * 2 : 8;
		span *v = realloc(in->v, cap * sizeof *v);
		if (!v)
			return NULL;
		in->v = v;
		in->cap = cap;
	}
	span *s = &in->v[in->n++];
	ms_buf_init(&s->text);
	s->bold = bold;
	s->italic = italic;
	s->url = url ? strdup(url) : NULL;
	return s;
}

static void add_text(inl *in, int bold, int italic, const char *url, const char *t)
{
	span *s = cur_span(in, bold, italic, url);
	if (!s)
		return;
	ms_buf_adds(&s->text, t); /* raw; escaped when written */
	ms_buf_adds(&in->plain, t);
}

static int safe_url(const char *u)
{
	return u && (!strncasecmp(u, "http://", 7) || !strncasecmp(u, "https://", 8) ||
	             !strncasecmp(u, "mailto:", 7));
}

static void picture(ctx *c, inl *in, xmlNode *drawing);

static void walk_runs(ctx *c, inl *in, xmlNode *n, const char *url, int depth)
{
	if (depth > MAX_DEPTH)
		return;
	for (xmlNode *k = n->children; k; k = k->next) {
		if (k->type != XML_ELEMENT_NODE)
			continue;
		const char *nm = (const char *)k->name;
		if (!strcmp(nm, "r")) {
			xmlNode *rpr = child(k, "rPr");
			int bold = on_off(child(rpr, "b")), italic = on_off(child(rpr, "i"));
			for (xmlNode *e = k->children; e; e = e->next) {
				if (is(e, "t")) {
					xmlChar *t = xmlNodeGetContent(e);
					if (t)
						add_text(in, bold, italic, url, (const char *)t);
					xmlFree(t);
				} else if (is(e, "tab")) {
					add_text(in, bold, italic, url, " ");
				} else if (is(e, "br") || is(e, "cr")) {
					const char *ty = attr(e, "type");
					if (!ty || !strcmp(ty, "textWrapping"))
						add_text(in, bold, italic, url, "\n");
				} else if (is(e, "noBreakHyphen")) {
					add_text(in, bold, italic, url, "-");
				} else if (is(e, "footnoteReference")) {
					const char *id = attr(e, "id");
					if (id && !c->in_note && in->nnotes < 64) {
						in->notes[in->nnotes++] = atoi(id);
						char ref[32];
						snprintf(ref, sizeof ref, "\x01%d\x02", atoi(id));
						add_text(in, 0, 0, NULL, ref);
					}
				} else if (is(e, "drawing") || is(e, "pict")) {
					picture(c, in, e);
				} else if (is(e, "object")) {
					ignore(c, IGN_OBJECT,
					       "an embedded object (a spreadsheet, a file) is not "
					       "read: "
					       "copy its content into the text or a table");
				} else if (is(e, "AlternateContent")) {
					xmlNode *fb = child(e, "Fallback");
					xmlNode *ch = child(e, "Choice");
					walk_runs(c, in, ch ? ch : fb ? fb : e, url, depth + 1);
				}
			}
		} else if (!strcmp(nm, "hyperlink")) {
			const rel *r = find_rel(c, attr(k, "id"));
			const char *u = r && r->external ? r->target : NULL;
			if (u && !safe_url(u)) {
				ignore(c, IGN_LINK,
				       "a link that is not http, https or mailto is kept as plain "
				       "text");
				u = NULL;
			}
			walk_runs(c, in, k, u, depth + 1);
		} else if (!strcmp(nm, "del") || !strcmp(nm, "moveFrom")) {
			ignore(c, IGN_DELETED,
			       "the text deleted under tracked changes is left out; insertions are "
			       "read: accept or reject the changes to be sure");
		} else if (!strcmp(nm, "ins") || !strcmp(nm, "moveTo") || !strcmp(nm, "smartTag") ||
		           !strcmp(nm, "customXml") || !strcmp(nm, "fldSimple") ||
		           !strcmp(nm, "sdtContent") || !strcmp(nm, "sdt")) {
			walk_runs(c, in, k, url, depth + 1);
		} else if (!strcmp(nm, "oMath") || !strcmp(nm, "oMathPara")) {
			ignore(c, IGN_MATH, "an equation is not read: write it as text");
		}
	}
}

/* Write the spans as Markdown inlines into b. */
static void write_spans(ctx *c, inl *in, ms_buf *b)
{
	for (size_t i = 0; i < in->n; i++) {
		span *s = &in->v[i];
		const char *t = s->text.s ? s->text.s : "";
		size_t n = s->text.len, a = 0;
		while (a < n && t[a] == ' ')
			a++;
		while (n > a && t[n - 1] == ' ')
			n--;
		if (a)
			ms_buf_addc(b, ' ');
		if (n > a) {
			if (s->url)
				ms_buf_addc(b, '[');
			const char *mk = s->bold && s->italic ? "***"
			                 : s->bold            ? "**"
			                 : s->italic          ? "*"
			                                      : "";
			ms_buf_adds(b, mk);
			/* footnote marks \x01N\x02 become [^N] */
			size_t from = a;
			for (size_t k = a; k <= n; k++) {
				if (k == n || t[k] == '\x01') {
					esc(b, t + from, k - from);
					if (k == n)
						break;
					const char *e = memchr(t + k, '\x02', n - k);
					if (!e)
						break;
					ms_buf_printf(b, "[^%d]", atoi(t + k + 1));
					k = (size_t)(e - t);
					from = k + 1;
				}
			}
			ms_buf_adds(b, mk);
			if (s->url)
				ms_buf_printf(b, "](<%s>)", s->url);
		}
		if (s->text.len > n && n >= a)
			ms_buf_addc(b, ' ');
	}
	(void)c;
}

static void inl_free(inl *in)
{
	for (size_t i = 0; i < in->n; i++) {
		ms_buf_free(&in->v[i].text);
		free(in->v[i].url);
	}
	free(in->v);
	for (size_t i = 0; i < in->npics; i++) {
		free(in->pics[i].path);
		free(in->pics[i].alt);
		free(in->pics[i].title);
	}
	free(in->pics);
	ms_buf_free(&in->plain);
}

/* Pictures ------------------------------------------------------------------ */

static const char *tmp_root(void)
{
	const char *t = getenv("TMPDIR");
	return t && *t == '/' ? t : "/tmp";
}

static void find_blip(xmlNode *n, xmlNode **blip, xmlNode **docpr, int *chart, int depth)
{
	for (xmlNode *k = n ? n->children : NULL; k && depth < MAX_DEPTH; k = k->next) {
		if (k->type != XML_ELEMENT_NODE)
			continue;
		if (is(k, "blip") && !*blip)
			*blip = k;
		else if (is(k, "imagedata") && !*blip) /* VML <v:imagedata r:id> */
			*blip = k;
		else if (is(k, "docPr") && !*docpr)
			*docpr = k;
		else if (is(k, "chart") || is(k, "wsp") || is(k, "wgp"))
			*chart = 1;
		else if (is(k, "txbxContent"))
			*chart = 2;
		find_blip(k, blip, docpr, chart, depth + 1);
	}
}

static void picture(ctx *c, inl *in, xmlNode *drawing)
{
	xmlNode *blip = NULL, *docpr = NULL;
	int other = 0;
	find_blip(drawing, &blip, &docpr, &other, 0);
	if (other == 2)
		ignore(c, IGN_TEXTBOX,
		       "text in a text box is not read: move it into the body of the document");
	if (!blip) {
		if (other != 2)
			ignore(c, IGN_DRAWING,
			       "a chart, shape or drawing is not read: insert it as a JPEG or PNG "
			       "picture");
		return;
	}
	const char *rid = attr(blip, "embed");
	if (!rid)
		rid = attr(blip, "id");
	const rel *r = find_rel(c, rid);
	if (!r || r->external || attr(blip, "link")) {
		ignore(c, IGN_LINKED,
		       "a linked picture (not stored in the document) is not read: insert the "
		       "picture itself");
		return;
	}
	if (c->npics >= MAX_PICTURES)
		return;
	char *part = r->target[0] == '/' ? strdup(r->target + 1) : ms_printf("word/%s", r->target);
	char *data = NULL;
	size_t len = 0;
	const char *why = NULL;
	int ok = part && rz_read(c->z, part, &data, &len, &why) == 0;
	free(part);
	const char *ext = NULL;
	if (ok && len >= 3 && (unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xD8 &&
	    (unsigned char)data[2] == 0xFF)
		ext = "jpg";
	else if (ok && len >= 8 && !memcmp(data, "\x89PNG\r\n\x1a\n", 8))
		ext = "png";
	if (!ext) {
		free(data);
		ignore(c, IGN_PICFMT,
		       "a picture that is not JPEG or PNG (for example EMF or TIFF) is not read: "
		       "insert it as JPEG");
		return;
	}
	if (!c->media_dir) {
		char *tmpl = ms_printf("%s/mspdoc-docx-XXXXXX", tmp_root());
		if (tmpl && mkdtemp(tmpl))
			c->media_dir = tmpl;
		else
			free(tmpl);
	}
	char *path =
	    c->media_dir ? ms_printf("%s/picture%d.%s", c->media_dir, ++c->npics, ext) : NULL;
	int fd = path ? open(path, O_WRONLY | O_CREAT | O_EXCL, 0600) : -1;
	int wrote = fd >= 0 && ms_write_all(fd, data, len) == 0;
	if (fd >= 0)
		wrote = close(fd) == 0 && wrote;
	free(data);
	if (!wrote) {
		ms_pos p = ms_pos_line(c->path, c->cur_para);
		ms_diag_add(c->d, MS_ENV, &p,
		            "cannot write a picture of this document to %s: check free disk space",
		            tmp_root());
		free(path);
		return;
	}
	if (in->npics == in->cappics) {
		size_t cap = in->cappics ? in->cappics * 2 : 4;
		pic *v = realloc(in->pics, cap * sizeof *v);
		if (!v) {
			free(path);
			return;
		}
		in->pics = v;
		in->cappics = cap;
	}
	pic *pc = &in->pics[in->npics++];
	pc->path = path;
	const char *alt = attr(docpr, "descr");
	const char *title = attr(docpr, "title");
	if (!alt && is(blip, "imagedata"))
		alt = attr(blip, "title");
	pc->alt = alt ? strdup(alt) : NULL;
	pc->title = title ? strdup(title) : NULL;
}

/* Paragraphs ---------------------------------------------------------------- */

typedef struct para_info {
	style *st;
	int heading;
	int num_id, ilvl;
	int quote, caption, instructions;
} para_info;

static para_info para_style(ctx *c, xmlNode *p)
{
	para_info pi = {0};
	pi.num_id = 0;
	xmlNode *ppr = child(p, "pPr");
	pi.st = find_style(c, attr(child(ppr, "pStyle"), "val"));
	if (pi.st) {
		pi.heading = pi.st->heading;
		pi.quote = pi.st->quote;
		pi.caption = pi.st->caption;
		pi.instructions = pi.st->instructions;
	}
	const char *ol = attr(child(ppr, "outlineLvl"), "val");
	if (ol) {
		int lv = atoi(ol);
		pi.heading = lv >= 0 && lv < 9 ? lv + 1 : 0;
	}
	xmlNode *numpr = child(ppr, "numPr");
	if (numpr) {
		const char *nid = attr(child(numpr, "numId"), "val");
		const char *il = attr(child(numpr, "ilvl"), "val");
		pi.num_id = nid ? atoi(nid) : 0;
		pi.ilvl = il ? atoi(il) : 0;
		if (pi.ilvl < 0 || pi.ilvl > 8)
			pi.ilvl = 0;
	} else if (pi.st && pi.st->list) {
		pi.num_id = -pi.st->list; /* List Bullet / List Number without numPr */
	}
	return pi;
}

static void gather(ctx *c, xmlNode *p, inl *in)
{
	memset(in, 0, sizeof *in);
	ms_buf_init(&in->plain);
	walk_runs(c, in, p, NULL, 0);
}

static void end_list(ctx *c)
{
	if (c->list_open) {
		outs(c, "\n");
		c->list_open = 0;
		c->list_levels = 0;
	}
}

static void end_quote(ctx *c)
{
	if (c->quote_open) {
		outs(c, "\n");
		c->quote_open = 0;
	}
}

static void write_notes(ctx *c, int *ids, int n);

static char *trim_dup(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'))
		n--;
	return ms_strndup(s, n);
}

/* A picture's Markdown: ![caption](path "Credit: ...") */
static void write_picture(ctx *c, const pic *pc, const char *caption)
{
	const char *cap = caption && *caption ? caption : pc->alt ? pc->alt : "";
	char *capt = strdup(cap);
	char *credit = NULL;
	char *cr = find_ci(capt, "credit:");
	if (cr) {
		credit = trim_dup(cr + 7, strlen(cr + 7));
		*cr = 0;
		size_t l = strlen(capt);
		while (l && (capt[l - 1] == ' ' || capt[l - 1] == '(' || capt[l - 1] == '.' ||
		             capt[l - 1] == ';' || capt[l - 1] == ','))
			capt[--l] = 0;
		if (credit && strlen(credit) && credit[strlen(credit) - 1] == ')')
			credit[strlen(credit) - 1] = 0;
	} else if (pc->title && !strncasecmp(pc->title, "credit:", 7)) {
		credit = trim_dup(pc->title + 7, strlen(pc->title + 7));
	}
	if (capt && !strncasecmp(capt, "caption:", 8))
		memmove(capt, capt + 8, strlen(capt + 8) + 1);
	char *ct = capt ? trim_dup(capt, strlen(capt)) : NULL;
	ms_buf b;
	ms_buf_init(&b);
	ms_buf_adds(&b, "![");
	if (ct)
		esc(&b, ct, strlen(ct));
	ms_buf_printf(&b, "](<%s>", pc->path);
	if (credit && *credit) {
		ms_buf_adds(&b, " \"Credit: ");
		for (const char *q = credit; *q; q++) {
			if (*q == '"' || *q == '\\')
				ms_buf_addc(&b, '\\');
			ms_buf_addc(&b, *q == '\n' ? ' ' : *q);
		}
		ms_buf_addc(&b, '"');
	}
	ms_buf_adds(&b, ")\n\n");
	if (b.s)
		outs(c, b.s);
	ms_buf_free(&b);
	free(capt);
	free(ct);
	free(credit);
}

static int is_caption_para(ctx *c, xmlNode *p, char **text)
{
	if (!is(p, "p"))
		return 0;
	para_info pi = para_style(c, p);
	inl in;
	gather(c, p, &in);
	const char *t = in.plain.s ? in.plain.s : "";
	while (*t == ' ')
		t++;
	int yes = (pi.caption || !strncasecmp(t, "caption:", 8)) && in.npics == 0;
	if (yes)
		*text = trim_dup(t, strlen(t));
	inl_free(&in);
	return yes;
}

static void write_heading(ctx *c, int level, const char *text)
{
	char *t = trim_dup(text, strlen(text));
	if (!t || !*t) {
		free(t);
		return;
	}
	int sec = c->kind && c->is_section && c->is_section(c->kind, t, 1);
	/* a section name opens its section at level 2, as in Markdown forms;
	 * any other heading must not be taken for one */
	int lv = sec ? 2 : level < 1 ? 1 : level > 6 ? 6 : level;
	if (!sec && lv == 2)
		lv = 3;
	ms_buf b;
	ms_buf_init(&b);
	for (int i = 0; i < lv; i++)
		ms_buf_addc(&b, '#');
	ms_buf_addc(&b, ' ');
	esc(&b, t, strlen(t));
	ms_buf_adds(&b, "\n\n");
	if (b.s)
		outs(c, b.s);
	ms_buf_free(&b);
	free(t);
}

/* One body paragraph. *skip is set when the next sibling was consumed as a
 * picture's caption. */
static void write_para(ctx *c, xmlNode *p, xmlNode *next, int *skip)
{
	para_info pi = para_style(c, p);
	inl in;
	gather(c, p, &in);
	ms_buf line;
	ms_buf_init(&line);
	write_spans(c, &in, &line);
	const char *txt = line.s ? line.s : "";
	int blank = 1;
	for (const char *q = in.plain.s; q && *q && blank; q++)
		blank = *q == ' ' || *q == '\n' || *q == '\t';
	if (pi.instructions) {
		end_list(c);
		end_quote(c);
		if (!blank) {
			/* the template's instructions: a comment, as in the Markdown
			 * templates, so an untouched section counts as empty */
			ms_buf b;
			ms_buf_init(&b);
			ms_buf_adds(&b, "<!-- ");
			for (const char *q = in.plain.s; *q; q++)
				ms_buf_addc(&b,
				            (*q == '\n' || (*q == '-' && q[1] == '-')) ? ' ' : *q);
			ms_buf_adds(&b, " -->\n\n");
			if (b.s)
				outs(c, b.s);
			ms_buf_free(&b);
		}
	} else if (pi.heading && !blank) {
		end_list(c);
		end_quote(c);
		write_heading(c, pi.heading, in.plain.s);
	} else if (!blank && pi.num_id) {
		end_quote(c);
		int ordered = pi.num_id > 0 ? list_ordered(c, pi.num_id, pi.ilvl) : pi.num_id == -2;
		int lvl = pi.ilvl;
		if (lvl > c->list_levels)
			lvl = c->list_levels; /* no skipped levels */
		int indent = 0;
		for (int i = 0; i < lvl; i++)
			indent += c->list_width[i];
		ms_buf b;
		ms_buf_init(&b);
		for (int i = 0; i < indent; i++)
			ms_buf_addc(&b, ' ');
		ms_buf_adds(&b, ordered ? "1. " : "- ");
		c->list_width[lvl] = ordered ? 3 : 2;
		c->list_levels = lvl + 1;
		/* line breaks inside an item: continuation lines, indented */
		for (const char *q = txt; *q; q++) {
			ms_buf_addc(&b, *q == '\n' ? ' ' : *q);
		}
		ms_buf_addc(&b, '\n');
		if (b.s)
			outs(c, b.s);
		ms_buf_free(&b);
		c->list_open = 1;
	} else if (!blank && pi.quote) {
		end_list(c);
		if (c->quote_open)
			outs(c, ">\n");
		outs(c, "> ");
		for (const char *q = txt; *q; q++)
			if (*q == '\n')
				outs(c, "\\\n> ");
			else
				out(c, q, 1);
		outs(c, "\n");
		c->quote_open = 1;
	} else if (!blank) {
		end_list(c);
		end_quote(c);
		for (const char *q = txt; *q; q++)
			if (*q == '\n')
				outs(c, "\\\n");
			else
				out(c, q, 1);
		outs(c, "\n\n");
	}
	if (in.nnotes)
		write_notes(c, in.notes, in.nnotes);
	/* pictures after the paragraph's text, each its own paragraph */
	if (in.npics) {
		end_list(c);
		end_quote(c);
		char *caption = NULL;
		if (next && is_caption_para(c, next, &caption))
			*skip = 1;
		for (size_t i = 0; i < in.npics; i++)
			write_picture(c, &in.pics[i], i + 1 == in.npics ? caption : NULL);
		free(caption);
	}
	ms_buf_free(&line);
	inl_free(&in);
}

static void write_notes(ctx *c, int *ids, int n)
{
	if (c->in_note)
		return;
	int list = c->list_open, quote = c->quote_open;
	if (list || quote) {
		/* definitions must not break a list or a quote: keep for later */
		for (int i = 0; i < n && c->npending < 64; i++)
			c->pending_notes[c->npending++] = ids[i];
		return;
	}
	c->in_note = 1;
	for (int i = 0; i < n; i++) {
		xmlNode *nn = NULL;
		for (size_t k = 0; k < c->nnotes && !nn; k++)
			if (c->notes[k].id == ids[i])
				nn = c->notes[k].node;
		if (!nn)
			continue;
		ms_buf b;
		ms_buf_init(&b);
		ms_buf_printf(&b, "[^%d]: ", ids[i]);
		int first = 1;
		for (xmlNode *p = nn->children; p; p = p->next) {
			if (!is(p, "p"))
				continue;
			inl in;
			gather(c, p, &in);
			ms_buf t;
			ms_buf_init(&t);
			write_spans(c, &in, &t);
			if (t.s && t.len) {
				if (!first)
					ms_buf_adds(&b, " ");
				for (const char *q = t.s; *q; q++)
					ms_buf_addc(&b, *q == '\n' ? ' ' : *q);
				first = 0;
			}
			ms_buf_free(&t);
			inl_free(&in);
		}
		ms_buf_adds(&b, "\n\n");
		if (b.s)
			outs(c, b.s);
		ms_buf_free(&b);
	}
	c->in_note = 0;
}

static void flush_notes(ctx *c)
{
	if (c->npending && !c->list_open && !c->quote_open) {
		int ids[64], n = c->npending;
		memcpy(ids, c->pending_notes, (size_t)n * sizeof *ids);
		c->npending = 0;
		write_notes(c, ids, n);
	}
}

/* Tables -------------------------------------------------------------------- */

static char *cell_text(ctx *c, xmlNode *tc, int md)
{
	ms_buf b;
	ms_buf_init(&b);
	for (xmlNode *p = tc->children; p; p = p->next) {
		if (!is(p, "p"))
			continue;
		c->cur_para++;
		inl in;
		gather(c, p, &in);
		if (md) {
			ms_buf t;
			ms_buf_init(&t);
			write_spans(c, &in, &t);
			if (t.len) {
				if (b.len)
					ms_buf_adds(&b, " ");
				for (const char *q = t.s; *q; q++) {
					if (*q == '|' && (q == t.s || q[-1] != '\\'))
						ms_buf_addc(&b, '\\');
					ms_buf_addc(&b, *q == '\n' ? ' ' : *q);
				}
			}
			ms_buf_free(&t);
		} else if (in.plain.len) {
			if (b.len)
				ms_buf_adds(&b, "\n");
			ms_buf_add(&b, in.plain.s, in.plain.len);
		}
		inl_free(&in);
	}
	char *s = ms_buf_take(&b);
	return s ? s : strdup("");
}

static void write_table(ctx *c, xmlNode *tbl)
{
	end_list(c);
	end_quote(c);
	int nrows = 0, ncols = 0;
	for (xmlNode *tr = tbl->children; tr; tr = tr->next) {
		if (!is(tr, "tr"))
			continue;
		int cols = 0;
		for (xmlNode *tc = tr->children; tc; tc = tc->next)
			if (is(tc, "tc")) {
				const char *gs = attr(child(child(tc, "tcPr"), "gridSpan"), "val");
				int sp = gs ? atoi(gs) : 1;
				cols += sp > 0 && sp < 64 ? sp : 1;
			}
		if (cols > ncols)
			ncols = cols;
		nrows++;
	}
	if (!nrows || !ncols || ncols > 64)
		return;
	int row = 0;
	for (xmlNode *tr = tbl->children; tr; tr = tr->next) {
		if (!is(tr, "tr"))
			continue;
		ms_buf b;
		ms_buf_init(&b);
		ms_buf_adds(&b, "|");
		int cols = 0;
		int first_para = c->cur_para + 1;
		for (xmlNode *tc = tr->children; tc; tc = tc->next) {
			if (!is(tc, "tc"))
				continue;
			char *t = cell_text(c, tc, 1);
			ms_buf_printf(&b, " %s |", t && *t ? t : " ");
			free(t);
			const char *gs = attr(child(child(tc, "tcPr"), "gridSpan"), "val");
			int sp = gs ? atoi(gs) : 1;
			sp = sp > 0 && sp < 64 ? sp : 1;
			cols += sp;
			for (int k = 1; k < sp; k++)
				ms_buf_adds(&b, "   |");
		}
		for (; cols < ncols; cols++)
			ms_buf_adds(&b, "   |");
		ms_buf_addc(&b, '\n');
		int save = c->cur_para;
		c->cur_para = first_para;
		if (b.s)
			outs(c, b.s);
		if (row == 0) {
			ms_buf_clear(&b);
			ms_buf_adds(&b, "|");
			for (int k = 0; k < ncols; k++)
				ms_buf_adds(&b, " --- |");
			ms_buf_addc(&b, '\n');
			if (b.s)
				outs(c, b.s);
		}
		c->cur_para = save;
		ms_buf_free(&b);
		row++;
	}
	outs(c, "\n");
}

/* Fields at the top ---------------------------------------------------------- */

/* "Key: value": a key of letters, spaces, '-' and '_' up to 40 bytes. */
static int key_value(const char *s, size_t *klen, const char **val)
{
	while (*s == ' ')
		s++;
	size_t i = 0;
	while (s[i] && s[i] != ':' && i <= 40) {
		unsigned char ch = (unsigned char)s[i];
		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == ' ' ||
		      ch == '-' || ch == '_' || ch >= 0x80))
			return 0;
		i++;
	}
	if (s[i] != ':' || i == 0 || i > 40 || s[0] == ' ')
		return 0;
	*klen = i;
	*val = s + i + 1;
	return 1;
}

static void field_line(ctx *c, const char *k, size_t kl, const char *v)
{
	char *key = trim_dup(k, kl);
	char *val = trim_dup(v, strlen(v));
	if (key && val) {
		ms_buf b;
		ms_buf_init(&b);
		ms_buf_printf(&b, "%s: ", key);
		for (const char *q = val; *q; q++)
			ms_buf_addc(&b, *q == '\n' || *q == '\r' ? ' ' : *q);
		ms_buf_addc(&b, '\n');
		if (b.s)
			outs(c, b.s);
		ms_buf_free(&b);
		if (!strcasecmp(key, "form") && !c->kind)
			c->kind = strdup(val);
	}
	free(key);
	free(val);
}

/* The first word after "Form:" (kinds are one word). */
static char *kind_word(const char *v)
{
	while (*v == ' ')
		v++;
	size_t n = 0;
	while (v[n] && v[n] != ' ' && v[n] != ';' && v[n] != ',')
		n++;
	return n ? ms_strndup(v, n) : NULL;
}

/* Split a line in which "Key: value" pairs were run together, at the
 * known field names of the kind (the longest name ending at each ':').
 * Writes each field; returns the number written. */
static int split_fields(ctx *c, const char *line)
{
	const char *t = line;
	while (*t == ' ')
		t++;
	if (strncasecmp(t, "form:", 5) && !c->kind)
		return 0;
	char *kind = c->kind ? strdup(c->kind) : kind_word(t + 5);
	if (!kind || !c->is_section) {
		free(kind);
		return 0;
	}
	/* starts[i]: where a key begins; keys end at ':' */
	size_t n = strlen(t), nk = 0;
	size_t ks[64], ke[64];
	for (size_t j = 0; j < n && nk < 64; j++) {
		if (t[j] != ':')
			continue;
		size_t best = SIZE_MAX;
		for (size_t s0 = j; s0-- > 0 && j - s0 <= 40;) {
			if (s0 != 0 && t[s0 - 1] != ' ')
				continue;
			if (nk && s0 < ke[nk - 1] + 1)
				break;
			char *name = ms_strndup(t + s0, j - s0);
			int known =
			    name && (!strcasecmp(name, "form") || c->is_section(kind, name, 0));
			free(name);
			if (known)
				best = s0;
		}
		if (best != SIZE_MAX) {
			ks[nk] = best;
			ke[nk] = j;
			nk++;
		}
	}
	int wrote = 0;
	if (nk && ks[0] == 0)
		for (size_t i = 0; i < nk; i++) {
			size_t vs = ke[i] + 1, ve = i + 1 < nk ? ks[i + 1] : n;
			char *val = ms_strndup(t + vs, ve - vs);
			if (val) {
				field_line(c, t + ks[i], ke[i] - ks[i], val);
				wrote++;
			}
			free(val);
		}
	free(kind);
	return wrote;
}

/* A paragraph of the header: one or more "Key: value" lines (split at line
 * breaks). Returns 1 when it was read as fields. */
static int header_para(ctx *c, xmlNode *p)
{
	para_info pi = para_style(c, p);
	if (pi.heading || pi.num_id || pi.quote)
		return 0;
	inl in;
	gather(c, p, &in);
	int ok = in.npics == 0 && in.plain.s;
	const char *t = in.plain.s ? in.plain.s : "";
	/* every line must be Key: value */
	const char *q = t;
	while (ok && *q) {
		const char *e = strchr(q, '\n');
		size_t n = e ? (size_t)(e - q) : strlen(q);
		char *ln = ms_strndup(q, n);
		size_t kl;
		const char *v;
		int blank = 1;
		for (size_t i = 0; ln && ln[i]; i++)
			blank &= ln[i] == ' ';
		if (!ln || (!blank && !key_value(ln, &kl, &v)))
			ok = 0;
		free(ln);
		q += n + (e ? 1 : 0);
	}
	if (ok) {
		q = t;
		while (*q) {
			const char *e = strchr(q, '\n');
			size_t n = e ? (size_t)(e - q) : strlen(q);
			char *ln = ms_strndup(q, n);
			size_t kl;
			const char *v;
			if (ln && key_value(ln, &kl, &v) && split_fields(c, ln) == 0) {
				const char *k = ln;
				while (*k == ' ')
					k++;
				field_line(c, k, kl, v);
			}
			free(ln);
			q += n + (e ? 1 : 0);
		}
	}
	inl_free(&in);
	return ok;
}

/* A two-column Field | Value table at the top. Returns 1 when read. */
static int header_table(ctx *c, xmlNode *tbl)
{
	int rows = 0, good = 0;
	for (xmlNode *tr = tbl->children; tr; tr = tr->next) {
		if (!is(tr, "tr"))
			continue;
		int cols = 0;
		for (xmlNode *tc = tr->children; tc; tc = tc->next)
			cols += is(tc, "tc");
		rows++;
		good += cols == 2;
	}
	if (!rows || good != rows)
		return 0;
	int first = 1;
	for (xmlNode *tr = tbl->children; tr; tr = tr->next) {
		if (!is(tr, "tr"))
			continue;
		xmlNode *cells[2] = {NULL, NULL};
		int k = 0;
		for (xmlNode *tc = tr->children; tc && k < 2; tc = tc->next)
			if (is(tc, "tc"))
				cells[k++] = tc;
		int para0 = c->cur_para + 1;
		char *key = cell_text(c, cells[0], 0), *val = cell_text(c, cells[1], 0);
		int save = c->cur_para;
		c->cur_para = para0;
		char *kk = key ? ms_name_key(key) : NULL;
		int head = first && kk && !strcmp(kk, "field");
		first = 0;
		if (key && *key && !head) {
			size_t kl = strlen(key);
			field_line(c, key, kl, val ? val : "");
		}
		c->cur_para = save;
		free(kk);
		free(key);
		free(val);
	}
	return 1;
}

/* The body ------------------------------------------------------------------- */

static void walk_body(ctx *c, xmlNode *body)
{
	int header = 1, any_field = 0;
	for (xmlNode *n = body->children; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (is(n, "sdt")) { /* content controls: their content is the body */
			xmlNode *content = child(n, "sdtContent");
			if (content) {
				/* walk it in place, as if its children stood here */
				for (xmlNode *k = content->children; k; k = k->next)
					if (is(k, "p") || is(k, "tbl")) {
						if (is(k, "p")) {
							c->cur_para++;
							int skip = 0;
							if (!(header && header_para(c, k)))
								write_para(c, k, NULL, &skip);
						} else {
							write_table(c, k);
						}
					}
			}
			continue;
		}
		if (is(n, "p")) {
			c->cur_para++;
			if (header) {
				inl in;
				gather(c, n, &in);
				int blank = 1;
				for (const char *q = in.plain.s; q && *q && blank; q++)
					blank = *q == ' ' || *q == '\n';
				int pics = (int)in.npics;
				inl_free(&in);
				if (blank && !pics && !any_field)
					continue; /* empty lines before the fields */
				if (!blank && header_para(c, n)) {
					any_field = 1;
					continue;
				}
				if (blank && !pics) {
					header = 0; /* the blank line after the fields */
					outs(c, "\n");
					continue;
				}
				header = 0;
				outs(c, "\n");
			}
			int skip = 0;
			write_para(c, n, n->next, &skip);
			flush_notes(c);
			if (skip) {
				/* the caption paragraph: counted, not written */
				xmlNode *nx = n->next;
				while (nx && nx->type != XML_ELEMENT_NODE)
					nx = nx->next;
				if (nx) {
					c->cur_para++;
					n = nx;
				}
			}
		} else if (is(n, "tbl")) {
			if (header && header_table(c, n)) {
				any_field = 1;
				continue;
			}
			if (header) {
				header = 0;
				outs(c, "\n");
			}
			write_table(c, n);
			flush_notes(c);
		}
	}
	end_list(c);
	end_quote(c);
	flush_notes(c);
}

/* Entry points --------------------------------------------------------------- */

static void ctx_free(ctx *c)
{
	for (size_t i = 0; i < c->nstyles; i++) {
		free(c->styles[i].id);
		free(c->styles[i].based_on);
	}
	free(c->styles);
	for (size_t i = 0; i < c->nrels; i++) {
		free(c->rels[i].id);
		free(c->rels[i].target);
	}
	free(c->rels);
	free(c->nums);
	free(c->notes);
	if (c->notes_doc)
		xmlFreeDoc(c->notes_doc);
	ms_buf_free(&c->md);
	free(c->para);
	free(c->kind);
}

/* Rewrite the Markdown lines of mdf_parse's diagnostics to paragraphs. */
static void move_diags(ms_diags *to, ms_diags *from, const docx_form *f, const char *path)
{
	size_t pl = strlen(path);
	for (size_t i = 0; i < from->n; i++) {
		ms_diag *dg = &from->v[i];
		if (dg->where && !strncmp(dg->where, path, pl) && dg->where[pl] == ':') {
			int line = atoi(dg->where + pl + 1);
			ms_pos p = ms_pos_line(path, docx_line(f, line));
			ms_diag_add(to, dg->sev, &p, "%s", dg->msg);
		} else {
			ms_pos p = ms_pos_file(path);
			ms_diag_add(to, dg->sev, &p, "%s", dg->msg);
		}
	}
	ms_diags_free(from);
}

docx_form *docx_read_mem(const char *name, const void *data, size_t len, docx_section_fn is_section,
                         ms_diags *d)
{
	ctx c;
	memset(&c, 0, sizeof c);
	c.path = name;
	c.d = d;
	c.is_section = is_section;
	ms_buf_init(&c.md);
	ms_pos fp = ms_pos_file(name);
	if (len >= 8 && !memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) {
		ms_diag_add(d, MS_ERROR, &fp,
		            "this is a password-protected or legacy Word 97-2003 file: remove the "
		            "password, or open it in Word and save it as .docx (Word Document)");
		return NULL;
	}
	rz_limits zl = {10000, DOCX_MAX_PART, (size_t)256 << 20};
	const char *why = NULL;
	c.z = rz_open_mem(data, len, &zl, &why);
	if (!c.z) {
		ms_diag_add(d, MS_ERROR, &fp,
		            "not a Word document (%s): save it again as .docx (Word Document)",
		            why ? why : "not a zip file");
		return NULL;
	}
	docx_form *f = NULL;
	xmlDoc *doc = read_part(&c, "word/document.xml", 1);
	if (!doc)
		goto done;
	load_styles(&c);
	load_rels(&c);
	load_numbering(&c);
	load_notes(&c);
	xmlNode *root = xmlDocGetRootElement(doc);
	xmlNode *body = child(root, "body");
	if (!body) {
		ms_diag_add(d, MS_ERROR, &fp, "the Word document has no body: it is damaged");
		xmlFreeDoc(doc);
		goto done;
	}
	walk_body(&c, body);
	xmlFreeDoc(doc);
	outs(&c, "\n");
	if (c.oom || c.md.oom) {
		ms_diag_add(d, MS_ENV, &fp, "out of memory while reading the Word document");
		goto done;
	}
	f = calloc(1, sizeof *f);
	if (!f)
		goto done;
	f->para = c.para;
	f->npara = c.npara;
	c.para = NULL;
	f->media_dir = c.media_dir;
	c.media_dir = NULL;
	if (!c.kind) {
		ms_pos p = ms_pos_line(name, 1);
		ms_diag_add(d, MS_ERROR, &p,
		            "no 'Form:' paragraph at the top: start the document with a paragraph "
		            "'Form: Contribution' (or the form's kind), then one 'Key: value' "
		            "paragraph per field ('mspdoc templates' writes a Word template)");
		if (f->media_dir)
			docx_media_remove(f->media_dir);
		docx_free(f);
		f = NULL;
		goto done;
	}
	ms_diags local;
	ms_diags_init(&local);
	f->form = mdf_parse(name, c.md.s ? c.md.s : "", c.md.len, &local);
	move_diags(d, &local, f, name);
	if (!f->form) {
		if (f->media_dir)
			docx_media_remove(f->media_dir);
		free(f->media_dir);
		f->media_dir = NULL;
		docx_free(f);
		f = NULL;
		goto done;
	}
	for (size_t i = 0; i < f->form->nfields; i++)
		f->form->fields[i].line = docx_line(f, f->form->fields[i].line);
	if (getenv("MSPDOC_DOCX_DEBUG")) /* the Markdown made, for support */
		fprintf(stderr, "%s", c.md.s ? c.md.s : "");
done:
	if (c.media_dir) {
		docx_media_remove(c.media_dir);
		free(c.media_dir);
	}
	ctx_free(&c);
	rz_close(c.z);
	return f;
}

docx_form *docx_read(const char *path, docx_section_fn is_section, ms_diags *d)
{
	char *data = NULL;
	size_t len = 0;
	int big = 0;
	ms_pos fp = ms_pos_file(path);
	if (ms_read_file(path, (size_t)256 << 20, &data, &len, &big) < 0) {
		ms_diag_add(d, MS_ERROR, &fp,
		            big ? "the Word file is larger than 256 MiB: make the pictures smaller"
		                : "cannot read the file: check that it exists and can be read");
		return NULL;
	}
	docx_form *f = docx_read_mem(path, data, len, is_section, d);
	free(data);
	return f;
}

int docx_line(const docx_form *f, int md_line)
{
	if (!f || md_line < 1 || f->npara == 0)
		return md_line < 1 ? 0 : 1;
	size_t i = (size_t)md_line - 1;
	if (i >= f->npara)
		i = f->npara - 1;
	return f->para[i] > 0 ? f->para[i] : 1;
}

void docx_free(docx_form *f)
{
	if (!f)
		return;
	mdf_free(f->form);
	free(f->para);
	free(f->media_dir);
	free(f);
}

void docx_media_remove(const char *dir)
{
	if (!dir || !*dir)
		return;
	DIR *dd = opendir(dir);
	struct dirent *e;
	while (dd && (e = readdir(dd)) != NULL) {
		if (strncmp(e->d_name, "picture", 7))
			continue;
		char *p = ms_printf("%s/%s", dir, e->d_name);
		if (p)
			unlink(p);
		free(p);
	}
	if (dd)
		closedir(dd);
	rmdir(dir);
}
