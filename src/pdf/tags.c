/* tags.c — the structure tree of a tagged PDF (tags.h), after PDF
 * 32000-1 14.7–14.8 and PDF/UA-1 (ISO 14289-1).
 *
 * An element becomes a structure element when its first content is
 * written, attached to its parent (made the same way) at the end of the
 * parent's kids: kids are then in reading order, as the content is, and an
 * element with nothing drawn is left out. A heading's level is never more
 * than one below the previous heading's (PDF/UA: no skipped levels), a
 * list item's content goes into its LBody (its label into its Lbl), a
 * header cell says its scope, a figure carries its alternative text, a
 * note its ID. Each page has a parent-tree entry (its marked content's
 * elements, by MCID), each link annotation one of its own (its Link
 * element, which holds the annotation as an OBJR).
 *
 * The tree and the link annotations are kept here, a few dozen bytes
 * each, and written by tags_update into the incremental update of the
 * file libharu saved (update.h, PDF 32000-1 7.5.6): new objects, and new
 * versions of the placeholders libharu wrote for them (the root the
 * catalogue names, and each page's /Annots, an array written here of the
 * page's link annotations, which are new objects: as 17,000 nulls in
 * libharu's document they were four fifths of its objects). As
 * libharu objects (hpdf.h has no structure tree) each element or link
 * cost one to two kilobytes, since libharu gives every dictionary key and
 * every name 128 bytes and each its own allocation: they were most of the
 * memory and a fifth of the time of a 2,000-entry digest, which has
 * 60,000 elements and 17,000 links. What stays in libharu is what belongs
 * to its own objects: a page's /StructParents and /Tabs, and the
 * catalogue's entries.
 *
 * The parent tree is a number tree of leaves of PT_LEAF keys, and an
 * element with more than K_MAX kids holds them in NonStruct groups (a
 * grouping element with no meaning of its own): viewers have had limits
 * on the length of an array (PDF 32000-1 annex C). */
#include "tags.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "content.h"
#include "hpdfx.h"

#define PT_LEAF 512 /* keys per leaf of the parent tree */
#define K_MAX 8191  /* kids per /K array */

/* A structure element (a node), and a kid of one. */
typedef struct tnode {
	const char *s;          /* its structure type */
	const char *alt;        /* a Figure's alternative text */
	int parent;             /* its parent node; -1: the document, under the root */
	int first, last, nkids; /* its kids: a list in pdf_tags.kid */
	unsigned pg;            /* the object number its /Pg names, 0: none */
	int note;               /* a Note's number (its ID), 0: none */
	signed char scope;      /* a TH's: 0 row, 1 column; -1: not a header cell */
	unsigned pobj;          /* when written: the object its /P names */
} tnode;

enum { KID_NODE, KID_MCID, KID_OBJR };

typedef struct tkid {
	int next; /* the next kid of the same node, -1: the last */
	int kind; /* KID_* */
	int v;    /* the node, the MCID, or the link (an index in pdf_tags.link) */
	unsigned pg;
} tkid;

/* A link annotation. */
typedef struct tlink {
	float r[4];    /* its rectangle */
	float top;     /* the top of its destination (FitH) */
	unsigned dest; /* its destination's page object; 0: it opens a URI */
	unsigned page; /* the page object it is on */
	size_t uri;    /* the URI, an offset in pdf_tags.str */
	size_t words;  /* what it says (/Contents), an offset in pdf_tags.str */
	int key;       /* its parent-tree key */
} tlink;

struct pdf_tags {
	HPDF_Doc pdf;
	const ly_elem *el;
	size_t nel;
	int *node_of;      /* each layout element's node, -1 before its first content */
	unsigned char *lv; /* a heading's level as written */
	tnode *nd;         /* nd[0] is the document */
	size_t nnd, capnd;
	tkid *kid;
	size_t nkid, capkid;
	int *pt; /* the pages' parent-tree arrays, one after the other: node by MCID */
	size_t npt, cappt;
	struct ptkey {
		int start, n; /* a page's: its nodes in pt */
		int link;     /* a link annotation's: its Link node; -1: a page */
	} * key; /* by parent-tree key (a page's /StructParents, a link's /StructParent) */
	size_t nkey, capkey;
	tlink *link; /* in page order: link i is object numbering.links + i */
	size_t nlink, caplink;
	struct annots {
		unsigned id;         /* a page's /Annots: libharu's placeholder */
		size_t first, count; /* its links */
	} * annots;
	size_t nannots, capannots;
	ms_buf str;     /* the links' strings, each NUL-terminated */
	HPDF_Dict root; /* the placeholder root libharu writes, which tags_update replaces */
	HPDF_Page page;
	unsigned root_id, page_id;
	int page_annots; /* the current page has its /Annots (the last of annots) */
	int page_key, mcid, last_h, notes, failed;
};

/* Room for one more of n items of size sz in *v (capacity *cap): 0, or
 * -1 when out of memory. */
static int grow(void *v, size_t n, size_t *cap, size_t sz)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 256;
	void *p = realloc(*(void **)v, c * sz);
	if (!p)
		return -1;
	*(void **)v = p;
	*cap = c;
	return 0;
}

static void kid_add(pdf_tags *t, int node, int kind, int v, unsigned pg)
{
	if (grow(&t->kid, t->nkid, &t->capkid, sizeof *t->kid) < 0) {
		t->failed = 1;
		return;
	}
	int k = (int)t->nkid++;
	t->kid[k] = (tkid){-1, kind, v, pg};
	tnode *n = &t->nd[node];
	if (n->last >= 0)
		t->kid[n->last].next = k;
	else
		n->first = k;
	n->last = k;
	n->nkids++;
}

/* A new node of type s, the last kid of parent (-1: none, the document):
 * its index, -1 when out of memory. */
static int new_node(pdf_tags *t, int parent, const char *s)
{
	if (grow(&t->nd, t->nnd, &t->capnd, sizeof *t->nd) < 0) {
		t->failed = 1;
		return -1;
	}
	int i = (int)t->nnd++;
	t->nd[i] = (tnode){.s = s, .parent = parent, .first = -1, .last = -1, .scope = -1};
	if (parent >= 0)
		kid_add(t, parent, KID_NODE, i, 0);
	return i;
}

pdf_tags *tags_new(HPDF_Doc pdf, const ly_dlist *dl)
{
	pdf_tags *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	size_t n = dl->nelems ? dl->nelems : 1;
	t->pdf = pdf;
	ms_buf_init(&t->str);
	ms_buf_addc(&t->str, 0); /* offset 0: no string */
	t->el = dl->elems;
	t->nel = dl->nelems;
	/* room for every element and two kids each: growing by copies was
	 * most of what making the tree cost (the untouched part of a large
	 * block is never faulted in) */
	t->capnd = n + 256;
	t->capkid = 2 * n + 256;
	t->nd = malloc(t->capnd * sizeof *t->nd);
	t->kid = malloc(t->capkid * sizeof *t->kid);
	t->node_of = malloc(n * sizeof *t->node_of);
	t->lv = calloc(n, 1);
	t->root = pdfx_dict(pdf, 1);
	t->root_id = pdfx_id(t->root);
	if (!t->nd || !t->kid || !t->node_of || !t->lv || !t->root_id ||
	    new_node(t, -1, "Document") != 0) {
		tags_free(t);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		t->node_of[i] = -1;
	pdfx_put_name(t->root, "Type", "StructTreeRoot");
	return t;
}

void tags_free(pdf_tags *t)
{
	if (!t)
		return;
	free(t->node_of);
	free(t->lv);
	free(t->nd);
	free(t->kid);
	free(t->pt);
	free(t->key);
	free(t->link);
	free(t->annots);
	ms_buf_free(&t->str);
	free(t);
}

static int new_key(pdf_tags *t, int link)
{
	if (grow(&t->key, t->nkey, &t->capkey, sizeof *t->key) < 0) {
		t->failed = 1;
		return -1;
	}
	t->key[t->nkey] = (struct ptkey){(int)t->npt, 0, link};
	return (int)t->nkey++;
}

void tags_page(pdf_tags *t, HPDF_Page page)
{
	t->page = page;
	t->page_id = pdfx_id(page);
	t->page_annots = 0;
	t->mcid = 0;
	t->page_key = new_key(t, -1);
	if (t->page_key < 0)
		return;
	pdfx_put_int(page, "StructParents", t->page_key);
	pdfx_put_name(page, "Tabs", "S");
}

static int in_figure(const pdf_tags *t, int e)
{
	for (int k = 0; e >= 0 && (size_t)e < t->nel && k < 64; e = t->el[e].parent, k++)
		if (t->el[e].role == LE_FIGURE)
			return e;
	return -1;
}

int tags_key(const pdf_tags *t, const ly_op *o)
{
	if (o->kind == OP_LINK || o->kind == OP_DEST || o->kind == OP_LINE || o->kind == OP_PAGEREF)
		return TAG_NONE;
	if (o->artifact)
		return TAG_ARTIFACT;
	int e = o->elem >= 0 && (size_t)o->elem < t->nel ? o->elem : -1;
	if (o->kind == OP_RECT) { /* a chart's bars are its figure; other fills decoration */
		int f = in_figure(t, e);
		return f >= 0 ? f : TAG_ARTIFACT;
	}
	int f = in_figure(t, e); /* a figure's words are read as its alternative text */
	return f >= 0 ? f : e >= 0 ? e : TAG_LOOSE;
}

static const char *role_name(const pdf_tags *t, int e)
{
	static const char *const h[] = {"H1", "H2", "H3", "H4", "H5", "H6"};
	switch (t->el[e].role) {
	case LE_SECT: return "Sect";
	case LE_H: return h[(t->lv[e] ? t->lv[e] : 1) - 1];
	case LE_P: return "P";
	case LE_L: return "L";
	case LE_LI: return "LI";
	case LE_QUOTE: return "BlockQuote";
	case LE_CODE: return "Code";
	case LE_TABLE: return "Table";
	case LE_TR: return "TR";
	case LE_TH: return "TH";
	case LE_TD: return "TD";
	case LE_CAPTION: return "Caption";
	case LE_FIGURE: return "Figure";
	case LE_NOTE: return "Note";
	case LE_LINK: return "Link";
	case LE_TOC: return "TOC";
	case LE_TOCI: return "TOCI";
	case LE_INDEX: return "Index";
	case LE_LBL: return "Lbl";
	case LE_LBODY: return "LBody";
	case LE_THEAD: return "THead";
	case LE_TBODY: return "TBody";
	default: return "Div";
	}
}

/* The element's node, made (with its parents) at its first content; the
 * document's (0) for no element, -1 when out of memory. */
static int elem_node(pdf_tags *t, int e, int depth)
{
	if (e < 0 || (size_t)e >= t->nel || depth > 200)
		return 0;
	if (t->node_of[e] >= 0)
		return t->node_of[e];
	const ly_elem *x = &t->el[e];
	int p = elem_node(t, x->parent, depth + 1);
	if (p < 0)
		return -1;
	if (x->role == LE_H) {
		int l = x->level < 1 ? 1 : x->level > 6 ? 6 : x->level;
		if (l > t->last_h + 1)
			l = t->last_h + 1; /* never a skipped level */
		t->lv[e] = (unsigned char)l;
		t->last_h = l;
	}
	int n = new_node(t, depth < 200 ? p : 0, role_name(t, e));
	if (n < 0)
		return -1;
	t->node_of[e] = n;
	if (x->role == LE_TH) {
		/* a data cell says nothing more: /O /Table alone tells a reader
		 * nothing */
		t->nd[n].scope = x->level != 1;
	} else if (x->role == LE_FIGURE) {
		t->nd[n].alt = x->alt && x->alt[0] ? x->alt : "Illustration";
	} else if (x->role == LE_NOTE) {
		t->nd[n].note = ++t->notes;
	}
	return n;
}

int tags_mcid(pdf_tags *t, int key, const char **tag)
{
	int n;
	if (key == TAG_LOOSE) {
		n = new_node(t, 0, "P");
		*tag = "P";
	} else {
		n = elem_node(t, key, 0);
		*tag = n > 0 ? role_name(t, key) : "P";
	}
	if (n < 0 || t->page_key < 0 || grow(&t->pt, t->npt, &t->cappt, sizeof *t->pt) < 0) {
		t->failed = 1;
		return -1;
	}
	int id = t->mcid++;
	if (!t->nd[n].pg)
		t->nd[n].pg = t->page_id;
	kid_add(t, n, KID_MCID, id, t->page_id);
	t->pt[t->npt++] = n;
	t->key[t->page_key].n++;
	return id;
}

static size_t add_str(pdf_tags *t, const char *s)
{
	size_t at = t->str.len;
	ms_buf_add(&t->str, s, strlen(s) + 1);
	return t->str.oom ? 0 : at;
}

void tags_link(pdf_tags *t, const double r[4], unsigned dest, double top, const char *uri, int e,
               const char *contents)
{
	int n;
	if (e >= 0 && (size_t)e < t->nel && t->el[e].role == LE_LINK) {
		n = elem_node(t, e, 0);
	} else { /* a link drawn over words of another element: a Link of its own */
		int p = elem_node(t, e, 0);
		n = p < 0 ? -1 : new_node(t, p, "Link");
	}
	int k = n < 0 ? -1 : new_key(t, n);
	if (k < 0 || !t->page_id || grow(&t->link, t->nlink, &t->caplink, sizeof *t->link) < 0) {
		t->failed = 1;
		return;
	}
	if (!t->page_annots) {
		/* the page's first link: its /Annots, an object libharu writes
		 * empty and the update replaces with the page's annotations */
		HPDF_Dict a = grow(&t->annots, t->nannots, &t->capannots, sizeof *t->annots) < 0
		                  ? NULL
		                  : pdfx_dict(t->pdf, 1);
		unsigned id = a && pdfx_put(t->page, "Annots", a) == HPDF_OK ? pdfx_id(a) : 0;
		if (!id) {
			t->failed = 1;
			return;
		}
		t->annots[t->nannots++] = (struct annots){id, t->nlink, 0};
		t->page_annots = 1;
	}
	t->annots[t->nannots - 1].count++;
	tlink *l = &t->link[t->nlink];
	*l = (tlink){{(float)r[0], (float)r[1], (float)r[2], (float)r[3]},
	             (float)top,
	             dest,
	             t->page_id,
	             dest ? 0 : add_str(t, uri ? uri : ""),
	             add_str(t, contents && contents[0] ? contents : "Link"),
	             k};
	if (!t->nd[n].pg)
		t->nd[n].pg = t->page_id;
	kid_add(t, n, KID_OBJR, (int)t->nlink++, t->page_id);
}

static void xml_text(ms_buf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '<')
			ms_buf_adds(b, "&lt;");
		else if (*s == '>')
			ms_buf_adds(b, "&gt;");
		else if (*s == '&')
			ms_buf_adds(b, "&amp;");
		else if ((unsigned char)*s >= 0x20 || *s == '\t' || *s == '\n')
			ms_buf_addc(b, *s);
	}
}

int tags_finish(pdf_tags *t, const ly_dlist *dl)
{
	HPDF_Doc pdf = t->pdf;
	HPDF_Dict cat = pdfx_catalog(pdf);
	pdfx_put(cat, "StructTreeRoot", t->root);
	HPDF_Dict mi = pdfx_dict(pdf, 0);
	pdfx_put_bool(mi, "Marked", 1);
	pdfx_put(cat, "MarkInfo", mi);
	const char *lang = dl->lang && dl->lang[0] ? dl->lang : "en";
	pdfx_put(cat, "Lang", pdfx_string(pdf, lang));
	HPDF_Dict vp = pdfx_dict(pdf, 0);
	pdfx_put_bool(vp, "DisplayDocTitle", 1);
	pdfx_put(cat, "ViewerPreferences", vp);
	/* libharu writes the header of the oldest version its features need
	 * and has no public setter; the catalogue's /Version (PDF 32000-1
	 * 7.7.2) raises it to the version PDF/UA-1 is built on */
	pdfx_put_name(cat, "Version", "1.7");
	ms_buf x;
	ms_buf_init(&x);
	ms_buf_adds(&x, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
	                "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
	                "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
	                "<rdf:Description rdf:about=\"\" "
	                "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
	                "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" "
	                "xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n"
	                "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
	xml_text(&x, dl->title ? dl->title : "");
	ms_buf_adds(&x, "</rdf:li></rdf:Alt></dc:title>\n");
	if (dl->author) {
		ms_buf_adds(&x, "<dc:creator><rdf:Seq><rdf:li>");
		xml_text(&x, dl->author);
		ms_buf_adds(&x, "</rdf:li></rdf:Seq></dc:creator>\n");
	}
	ms_buf_adds(&x, "<dc:language><rdf:Bag><rdf:li>");
	xml_text(&x, lang);
	ms_buf_adds(&x, "</rdf:li></rdf:Bag></dc:language>\n"
	                "<xmp:CreatorTool>mspdoc</xmp:CreatorTool>\n"
	                "<pdfuaid:part>1</pdfuaid:part>\n"
	                "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
	                "<?xpacket end=\"w\"?>");
	if (!x.oom) {
		HPDF_Dict m = pdfx_stream(pdf, x.s, x.len);
		pdfx_put_name(m, "Type", "Metadata");
		pdfx_put_name(m, "Subtype", "XML");
		pdfx_put(cat, "Metadata", m);
	}
	ms_buf_free(&x);
	return t->failed ? -1 : 0;
}

/* Writing the update -------------------------------------------------------- */

static void add_u(ms_buf *b, unsigned long long v)
{
	char d[20];
	ms_buf_add(b, d, ms_utoa(d, v));
}

static void add_ref(ms_buf *b, unsigned obj)
{
	add_u(b, obj);
	ms_buf_adds(b, " 0 R");
}

/* A text string (PDF 32000-1 7.9.2.2): printable ASCII as a literal
 * string, anything else as UTF-16BE with its byte order mark. */
static void add_text(ms_buf *b, const char *s)
{
	size_t n = strlen(s);
	int ascii = 1;
	for (size_t i = 0; i < n && ascii; i++)
		ascii = (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f;
	if (ascii) {
		ms_buf_addc(b, '(');
		for (size_t i = 0; i < n; i++) {
			if (s[i] == '(' || s[i] == ')' || s[i] == '\\')
				ms_buf_addc(b, '\\');
			ms_buf_addc(b, s[i]);
		}
		ms_buf_addc(b, ')');
		return;
	}
	static const char hex[] = "0123456789ABCDEF";
	ms_buf_adds(b, "<FEFF");
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		i += (size_t)ms_utf8_decode(s + i, n - i, &cp);
		unsigned u[2] = {cp, 0};
		int k = 1;
		if (cp > 0xFFFF) {
			u[0] = 0xD800 + ((cp - 0x10000) >> 10);
			u[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
			k = 2;
		}
		for (int j = 0; j < k; j++) {
			char h[4] = {hex[u[j] >> 12], hex[(u[j] >> 8) & 15], hex[(u[j] >> 4) & 15],
			             hex[u[j] & 15]};
			ms_buf_add(b, h, 4);
		}
	}
	ms_buf_addc(b, '>');
}

/* The object numbers of the update, from libharu's /Size on. */
typedef struct numbering {
	unsigned base;   /* node i is base + i */
	unsigned links;  /* link i is links + i */
	unsigned *group; /* a node's first NonStruct group, 0: none */
	unsigned scope;  /* the two header-cell attribute objects (Row, Column) */
	unsigned ptree;  /* the parent tree, then its leaves */
	unsigned leaves; /* 0 when the parent tree is one leaf */
	unsigned ids;    /* the ID tree, 0: no element has an ID */
} numbering;

static size_t ngroups(const tnode *n)
{
	return n->nkids > K_MAX ? ((size_t)n->nkids + K_MAX - 1) / K_MAX : 0;
}

/* A kid of node n (its /Pg pg), as an entry of a /K. */
static void add_kid(const pdf_tags *t, ms_buf *b, const tkid *k, const numbering *u, unsigned pg)
{
	if (k->kind == KID_NODE) {
		add_ref(b, u->base + (unsigned)k->v);
	} else if (k->kind == KID_MCID && k->pg == pg) {
		add_u(b, (unsigned)k->v);
	} else if (k->kind == KID_MCID) { /* content on another page */
		ms_buf_adds(b, "<</Type/MCR/Pg ");
		add_ref(b, k->pg);
		ms_buf_adds(b, "/MCID ");
		add_u(b, (unsigned)k->v);
		ms_buf_adds(b, ">>");
	} else {
		ms_buf_adds(b, "<</Type/OBJR/Obj ");
		add_ref(b, u->links + (unsigned)k->v);
		if (k->pg != pg) {
			ms_buf_adds(b, "/Pg ");
			add_ref(b, k->pg);
		}
		ms_buf_adds(b, ">>");
	}
}

/* A literal string of bytes (a URI: PDF 32000-1 12.6.4.7, 7-bit ASCII),
 * anything outside printable ASCII escaped. */
static void add_bytes(ms_buf *b, const char *s)
{
	ms_buf_addc(b, '(');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '(' || c == ')' || c == '\\') {
			ms_buf_addc(b, '\\');
			ms_buf_addc(b, (char)c);
		} else if (c < 0x20 || c >= 0x7f) {
			char e[4] = {'\\', (char)('0' + (c >> 6)), (char)('0' + ((c >> 3) & 7)),
			             (char)('0' + (c & 7))};
			ms_buf_add(b, e, 4);
		} else {
			ms_buf_addc(b, (char)c);
		}
	}
	ms_buf_addc(b, ')');
}

static void write_link(const pdf_tags *t, size_t i, const numbering *u, pdfu_out *o)
{
	const tlink *l = &t->link[i];
	ms_buf *b = pdfu_begin(o, u->links + (unsigned)i);
	ms_buf_adds(b, "<</Type/Annot/Subtype/Link/Rect[");
	for (int k = 0; k < 4; k++) {
		if (k)
			ms_buf_addc(b, ' ');
		pdfc_num(b, l->r[k]);
	}
	ms_buf_adds(b, "]/Border[0 0 0]/P ");
	add_ref(b, l->page);
	ms_buf_adds(b, "/StructParent ");
	add_u(b, (unsigned)l->key);
	ms_buf_adds(b, "/Contents");
	add_text(b, t->str.s + l->words);
	if (l->dest) {
		ms_buf_adds(b, "/Dest[");
		add_ref(b, l->dest);
		ms_buf_adds(b, "/FitH ");
		pdfc_num(b, l->top);
		ms_buf_addc(b, ']');
	} else {
		ms_buf_adds(b, "/A<</S/URI/URI");
		add_bytes(b, t->str.s + l->uri);
		ms_buf_adds(b, ">>");
	}
	ms_buf_adds(b, ">>");
	pdfu_end(o);
}

static void write_node(const pdf_tags *t, int i, const numbering *u, pdfu_out *o)
{
	const tnode *n = &t->nd[i];
	ms_buf *b = pdfu_begin(o, u->base + (unsigned)i);
	ms_buf_adds(b, "<</S/");
	ms_buf_adds(b, n->s);
	ms_buf_adds(b, "/P ");
	add_ref(b, n->pobj);
	if (n->pg) {
		ms_buf_adds(b, "/Pg ");
		add_ref(b, n->pg);
	}
	if (n->scope >= 0) {
		ms_buf_adds(b, "/A ");
		add_ref(b, u->scope + (unsigned)n->scope);
	}
	if (n->alt) {
		ms_buf_adds(b, "/Alt");
		add_text(b, n->alt);
	}
	if (n->note) {
		char id[32];
		snprintf(id, sizeof id, "note-%d", n->note);
		ms_buf_adds(b, "/ID");
		add_text(b, id);
	}
	if (u->group[i]) { /* its kids in groups, the groups its /K */
		size_t g = ngroups(n);
		ms_buf_adds(b, "/K[");
		for (size_t j = 0; j < g; j++) {
			if (j)
				ms_buf_addc(b, ' ');
			add_ref(b, u->group[i] + (unsigned)j);
		}
		ms_buf_adds(b, "]>>");
		pdfu_end(o);
		int k = n->first;
		for (size_t j = 0; j < g; j++) {
			b = pdfu_begin(o, u->group[i] + (unsigned)j);
			ms_buf_adds(b, "<</S/NonStruct/P ");
			add_ref(b, u->base + (unsigned)i);
			ms_buf_adds(b, "/K[");
			for (int m = 0; m < K_MAX && k >= 0; m++, k = t->kid[k].next) {
				if (m)
					ms_buf_addc(b, ' ');
				add_kid(t, b, &t->kid[k], u, 0); /* a group has no /Pg */
			}
			ms_buf_adds(b, "]>>");
			pdfu_end(o);
		}
		return;
	}
	if (n->nkids == 1) {
		ms_buf_adds(b, "/K ");
		add_kid(t, b, &t->kid[n->first], u, n->pg);
	} else if (n->nkids > 1) {
		ms_buf_adds(b, "/K[");
		for (int k = n->first; k >= 0; k = t->kid[k].next) {
			if (k != n->first)
				ms_buf_addc(b, ' ');
			add_kid(t, b, &t->kid[k], u, n->pg);
		}
		ms_buf_addc(b, ']');
	}
	ms_buf_adds(b, ">>");
	pdfu_end(o);
}

/* Parent-tree key k's value: a page's array of elements by MCID, or a
 * link annotation's element. */
static void write_key_value(const pdf_tags *t, size_t k, const numbering *u, ms_buf *b)
{
	const struct ptkey *p = &t->key[k];
	if (p->link >= 0) {
		add_ref(b, u->base + (unsigned)p->link);
		return;
	}
	ms_buf_addc(b, '[');
	for (int j = 0; j < p->n; j++) {
		if (j)
			ms_buf_addc(b, ' ');
		add_ref(b, u->base + (unsigned)t->pt[p->start + j]);
	}
	ms_buf_addc(b, ']');
}

static void write_nums(const pdf_tags *t, size_t lo, size_t hi, const numbering *u, ms_buf *b)
{
	ms_buf_adds(b, "/Nums[");
	for (size_t k = lo; k < hi; k++) {
		add_u(b, k);
		ms_buf_addc(b, ' ');
		write_key_value(t, k, u, b);
		ms_buf_addc(b, k + 1 < hi ? '\n' : ']');
	}
	if (lo == hi)
		ms_buf_addc(b, ']');
}

typedef struct idref {
	char id[24];
	unsigned obj;
} idref;

static int idref_cmp(const void *a, const void *b)
{
	return strcmp(((const idref *)a)->id, ((const idref *)b)->id);
}

/* The ID tree (PDF 32000-1 14.7.2, required when elements have IDs): a
 * name tree of one node, its names in byte order. */
static void write_ids(const pdf_tags *t, const numbering *u, pdfu_out *o)
{
	idref *v = malloc((size_t)t->notes * sizeof *v);
	size_t n = 0;
	for (size_t i = 0; v && i < t->nnd; i++)
		if (t->nd[i].note && n < (size_t)t->notes) {
			snprintf(v[n].id, sizeof v[n].id, "note-%d", t->nd[i].note);
			v[n++].obj = u->base + (unsigned)i;
		}
	if (v)
		qsort(v, n, sizeof *v, idref_cmp);
	ms_buf *b = pdfu_begin(o, u->ids);
	ms_buf_adds(b, "<</Names[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			ms_buf_addc(b, ' ');
		add_text(b, v[i].id);
		ms_buf_addc(b, ' ');
		add_ref(b, v[i].obj);
	}
	ms_buf_adds(b, "]>>");
	pdfu_end(o);
	free(v);
}

/* Without the tree, the pages' /Annots are still arrays: empty ones (the
 * links are lost with the tags; pdf.c warns that the PDF is untagged). */
static int no_tags(const pdf_tags *t, pdfu_out *out)
{
	for (size_t p = 0; p < t->nannots; p++) {
		ms_buf *b = pdfu_begin(out, t->annots[p].id);
		ms_buf_adds(b, "[]");
		pdfu_end(out);
	}
	return -1;
}

int tags_update(const pdf_tags *t, unsigned first_free, pdfu_out *out)
{
	if (t->failed || !first_free || t->str.oom)
		return no_tags(t, out);
	numbering u = {.base = first_free};
	u.group = calloc(t->nnd ? t->nnd : 1, sizeof *u.group);
	if (!u.group)
		return no_tags(t, out);
	unsigned next = u.base + (unsigned)t->nnd;
	for (size_t i = 0; i < t->nnd; i++) {
		size_t g = ngroups(&t->nd[i]);
		if (g) {
			u.group[i] = next;
			next += (unsigned)g;
		}
	}
	u.links = next;
	next += (unsigned)t->nlink;
	u.scope = next;
	next += 2;
	u.ptree = next++;
	size_t nleaf = t->nkey > PT_LEAF ? (t->nkey + PT_LEAF - 1) / PT_LEAF : 0;
	u.leaves = nleaf ? next : 0;
	next += (unsigned)nleaf;
	u.ids = t->notes ? next++ : 0;
	/* each node's /P: its parent, or the parent's group it is in */
	tnode *nd = t->nd;
	nd[0].pobj = t->root_id;
	for (size_t i = 0; i < t->nnd; i++) {
		int j = 0;
		for (int k = nd[i].first; k >= 0; k = t->kid[k].next, j++)
			if (t->kid[k].kind == KID_NODE)
				nd[t->kid[k].v].pobj = u.group[i]
				                           ? u.group[i] + (unsigned)(j / K_MAX)
				                           : u.base + (unsigned)i;
	}
	/* the root, a new version of libharu's placeholder */
	ms_buf *b = pdfu_begin(out, t->root_id);
	ms_buf_adds(b, "<</Type/StructTreeRoot/K ");
	add_ref(b, u.base);
	ms_buf_adds(b, "/ParentTree ");
	add_ref(b, u.ptree);
	ms_buf_adds(b, "/ParentTreeNextKey ");
	add_u(b, t->nkey);
	if (u.ids) {
		ms_buf_adds(b, "/IDTree ");
		add_ref(b, u.ids);
	}
	ms_buf_adds(b, ">>");
	pdfu_end(out);
	for (size_t i = 0; i < t->nlink; i++)
		write_link(t, i, &u, out);
	for (size_t p = 0; p < t->nannots; p++) { /* each page's /Annots */
		b = pdfu_begin(out, t->annots[p].id);
		ms_buf_addc(b, '[');
		for (size_t i = 0; i < t->annots[p].count; i++) {
			if (i)
				ms_buf_addc(b, ' ');
			add_ref(b, u.links + (unsigned)(t->annots[p].first + i));
		}
		ms_buf_addc(b, ']');
		pdfu_end(out);
	}
	for (size_t i = 0; i < t->nnd; i++)
		write_node(t, (int)i, &u, out);
	for (int s = 0; s < 2; s++) {
		b = pdfu_begin(out, u.scope + (unsigned)s);
		ms_buf_adds(b, s ? "<</O/Table/Scope/Column>>" : "<</O/Table/Scope/Row>>");
		pdfu_end(out);
	}
	b = pdfu_begin(out, u.ptree);
	ms_buf_adds(b, "<<");
	if (!nleaf) {
		write_nums(t, 0, t->nkey, &u, b);
	} else { /* a root of leaves, each with its /Limits */
		ms_buf_adds(b, "/Kids[");
		for (size_t l = 0; l < nleaf; l++) {
			if (l)
				ms_buf_addc(b, ' ');
			add_ref(b, u.leaves + (unsigned)l);
		}
		ms_buf_addc(b, ']');
	}
	ms_buf_adds(b, ">>");
	pdfu_end(out);
	for (size_t l = 0; l < nleaf; l++) {
		size_t lo = l * PT_LEAF, hi = lo + PT_LEAF < t->nkey ? lo + PT_LEAF : t->nkey;
		b = pdfu_begin(out, u.leaves + (unsigned)l);
		ms_buf_adds(b, "<</Limits[");
		add_u(b, lo);
		ms_buf_addc(b, ' ');
		add_u(b, hi - 1);
		ms_buf_addc(b, ']');
		write_nums(t, lo, hi, &u, b);
		ms_buf_adds(b, ">>");
		pdfu_end(out);
	}
	if (u.ids)
		write_ids(t, &u, out);
	free(u.group);
	return 0;
}
