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
 * element, which holds the annotation as an OBJR). Objects are libharu's,
 * made through hpdfx.h.
 *
 * libharu's arrays hold at most HPDF_LIMIT_MAX_ARRAY entries, and a digest
 * has tens of thousands of links: the parent tree is a number tree of
 * leaves of PT_LEAF keys, and an element whose /K fills up continues in a
 * NonStruct child (a grouping element with no meaning of its own). */
#include "tags.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "hpdfx.h"

/* A structure element's kids, in reading order. Most elements have one (a
 * cell's or a heading's words): it is the /K itself, and an array is made
 * at the second, the first put back in it (an array each was a third of
 * the objects of a digest's tree). A full array continues in a NonStruct
 * group. */
typedef struct kset {
	HPDF_Dict own;  /* the element, NULL before its first content */
	HPDF_Dict hold; /* its last NonStruct group, NULL: none */
	HPDF_Array arr; /* the /K array kids go in, NULL while there is at most one */
	void *first;    /* the one kid when it is an element (else first_id, an MCID) */
	int first_id, n;
} kset;

struct pdf_tags {
	HPDF_Doc pdf;
	const ly_elem *el;
	size_t nel;
	kset *ks;          /* each element's structure element and kids */
	HPDF_Page *pg;     /* the page its /Pg names */
	unsigned char *lv; /* a heading's level as written */
	HPDF_Dict root, doc;
	kset doc_ks; /* the document's kids */
	HPDF_Array page_arr;
	struct leaf {
		HPDF_Array nums;
		int lo, hi, n;
	} * leaf; /* the parent tree's leaves */
	size_t nleaf, capleaf;
	HPDF_Page page;
	HPDF_Dict scope[2]; /* header cells' attributes, /Scope /Row and /Column: shared */
	int key, mcid, last_h, notes, failed;
};

pdf_tags *tags_new(HPDF_Doc pdf, const ly_dlist *dl)
{
	pdf_tags *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	size_t n = dl->nelems ? dl->nelems : 1;
	t->pdf = pdf;
	t->el = dl->elems;
	t->nel = dl->nelems;
	t->ks = calloc(n, sizeof *t->ks);
	t->pg = calloc(n, sizeof *t->pg);
	t->lv = calloc(n, 1);
	t->root = pdfx_dict(pdf, 1);
	t->doc = pdfx_dict(pdf, 1);
	if (!t->ks || !t->pg || !t->lv || !t->root || !t->doc) {
		tags_free(t);
		return NULL;
	}
	t->doc_ks.own = t->doc;
	pdfx_put_name(t->root, "Type", "StructTreeRoot");
	pdfx_put(t->root, "K", t->doc);
	pdfx_put_name(t->doc, "Type", "StructElem");
	pdfx_put_name(t->doc, "S", "Document");
	pdfx_put(t->doc, "P", t->root);
	return t;
}

void tags_free(pdf_tags *t)
{
	if (!t)
		return;
	free(t->ks);
	free(t->leaf);
	free(t->pg);
	free(t->lv);
	free(t);
}

#define PT_LEAF 512 /* keys per leaf of the parent tree */

/* key → obj in the parent tree; keys come in ascending order. */
static void nums_add(pdf_tags *t, int key, void *obj)
{
	struct leaf *l = t->nleaf ? &t->leaf[t->nleaf - 1] : NULL;
	if (!l || l->n == PT_LEAF) {
		if (t->nleaf == t->capleaf) {
			size_t c = t->capleaf ? t->capleaf * 2 : 8;
			struct leaf *v = realloc(t->leaf, c * sizeof *v);
			if (!v) {
				t->failed = 1;
				return;
			}
			t->leaf = v;
			t->capleaf = c;
		}
		l = &t->leaf[t->nleaf];
		*l = (struct leaf){pdfx_array(t->pdf), key, key, 0};
		if (!l->nums) {
			t->failed = 1;
			return;
		}
		t->nleaf++;
	}
	if (pdfx_append_int(l->nums, key) != HPDF_OK || pdfx_append(l->nums, obj) != HPDF_OK) {
		t->failed = 1;
		return;
	}
	l->hi = key;
	l->n++;
}

/* The dictionary that holds k's kids now: the element or its last group. */
static HPDF_Dict holder(const kset *k)
{
	return k->hold ? k->hold : k->own;
}

/* The kids of element e (the document's for e < 0). */
static kset *kids_of(pdf_tags *t, int e)
{
	return e >= 0 && (size_t)e < t->nel ? &t->ks[e] : &t->doc_ks;
}

/* Add a kid to k: obj, or the marked-content id `id` when obj is NULL. A
 * direct object (an MCR, an OBJR) goes in an array at once, as libharu
 * frees the /K it replaces, unless it is sure to stay the only kid. */
static void kid_add(pdf_tags *t, kset *k, void *obj, int id, int direct)
{
	HPDF_Dict h = holder(k);
	HPDF_STATUS st = HPDF_OK;
	if (!h) {
		t->failed = 1;
		return;
	}
	if (!k->arr && k->n == 0 && !direct) {
		st = obj ? pdfx_put(h, "K", obj) : pdfx_put_int(h, "K", id);
		k->first = obj;
		k->first_id = id;
		k->n = 1;
		t->failed |= st != HPDF_OK;
		return;
	}
	if (!k->arr) { /* the second kid: an array, the first put back in it */
		k->arr = pdfx_array(t->pdf);
		if (!k->arr || pdfx_put(h, "K", k->arr) != HPDF_OK) {
			k->arr = NULL;
			t->failed = 1;
			return;
		}
		if (k->n)
			st = k->first ? pdfx_append(k->arr, k->first)
			              : pdfx_append_int(k->arr, k->first_id);
	}
	if (HPDF_Array_Items(k->arr) >= HPDF_LIMIT_MAX_ARRAY - 1) {
		/* full: a NonStruct group in its last place takes the next */
		HPDF_Dict g = pdfx_dict(t->pdf, 1);
		HPDF_Array gk = pdfx_array(t->pdf);
		if (!g || !gk || pdfx_append(k->arr, g) != HPDF_OK ||
		    pdfx_put(g, "K", gk) != HPDF_OK) {
			t->failed = 1;
			return;
		}
		pdfx_put_name(g, "S", "NonStruct");
		pdfx_put(g, "P", h);
		k->arr = gk;
		k->hold = g;
	}
	if (st == HPDF_OK)
		st = obj ? pdfx_append(k->arr, obj) : pdfx_append_int(k->arr, id);
	k->n++;
	t->failed |= st != HPDF_OK;
}

void tags_page(pdf_tags *t, HPDF_Page page)
{
	t->page = page;
	t->mcid = 0;
	t->page_arr = pdfx_array(t->pdf);
	pdfx_put_int(page, "StructParents", t->key);
	pdfx_put_name(page, "Tabs", "S");
	/* the page's entry now: the number tree's keys stay in ascending order
	 * when its links take the next ones */
	if (t->page_arr)
		nums_add(t, t->key, t->page_arr);
	else
		t->failed = 1;
	t->key++;
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

/* A new structure element of type s, the next kid of pk; its kids go in
 * *mine. */
static HPDF_Dict new_elem(pdf_tags *t, kset *pk, const char *s, kset *mine)
{
	HPDF_Dict d = pdfx_dict(t->pdf, 1);
	if (!d) {
		t->failed = 1;
		return NULL;
	}
	kid_add(t, pk, d, 0, 0);
	/* no /Type (optional, PDF 32000-1 table 323): each dictionary entry
	 * costs libharu a 128-byte key and each name a 128-byte value, and a
	 * book has tens of thousands of elements */
	pdfx_put_name(d, "S", s);
	pdfx_put(d, "P", holder(pk)); /* the group it went into, if one opened */
	*mine = (kset){.own = d};
	return d;
}

/* The element's structure element, made (with its parents) at its first
 * content. */
static HPDF_Dict elem(pdf_tags *t, int e, int depth)
{
	if (e < 0 || (size_t)e >= t->nel || depth > 200)
		return t->doc;
	if (t->ks[e].own)
		return t->ks[e].own;
	int p = t->el[e].parent;
	if (!elem(t, p, depth + 1))
		return NULL;
	const ly_elem *x = &t->el[e];
	if (x->role == LE_H) {
		int l = x->level < 1 ? 1 : x->level > 6 ? 6 : x->level;
		if (l > t->last_h + 1)
			l = t->last_h + 1; /* never a skipped level */
		t->lv[e] = (unsigned char)l;
		t->last_h = l;
	}
	HPDF_Dict d =
	    new_elem(t, depth < 200 ? kids_of(t, p) : &t->doc_ks, role_name(t, e), &t->ks[e]);
	if (!d)
		return NULL;
	if (x->role == LE_TH) {
		/* one attribute object for every header cell of a scope (an
		 * attribute object may be shared, PDF 32000-1 14.7.5): a digest has
		 * 16,000 header cells. A data cell has none: /O /Table alone says
		 * nothing a reader needs. */
		int col = x->level != 1;
		if (!t->scope[col] && (t->scope[col] = pdfx_dict(t->pdf, 1)) != NULL) {
			pdfx_put_name(t->scope[col], "O", "Table");
			pdfx_put_name(t->scope[col], "Scope", col ? "Column" : "Row");
		}
		if (pdfx_put(d, "A", t->scope[col]) != HPDF_OK)
			t->failed = 1;
	} else if (x->role == LE_FIGURE) {
		pdfx_put(d, "Alt",
		         pdfx_string(t->pdf, x->alt && x->alt[0] ? x->alt : "Illustration"));
	} else if (x->role == LE_NOTE) {
		char id[32];
		snprintf(id, sizeof id, "note-%d", ++t->notes);
		pdfx_put(d, "ID", pdfx_string(t->pdf, id));
	}
	return d;
}

int tags_mcid(pdf_tags *t, int key, const char **tag)
{
	HPDF_Dict d;
	kset loose, *k;
	int e = key;
	if (key == TAG_LOOSE) {
		d = new_elem(t, &t->doc_ks, "P", &loose);
		k = &loose;
		*tag = "P";
	} else {
		d = elem(t, e, 0);
		k = kids_of(t, e);
		*tag = d ? role_name(t, e) : "P";
	}
	if (!d || !t->page_arr) {
		t->failed = 1;
		return -1;
	}
	int id = t->mcid++;
	int grouped = k->hold != NULL; /* a group has no /Pg: MCRs */
	if (key == TAG_LOOSE || (!t->pg[e] && !grouped)) {
		pdfx_put(d, "Pg", t->page);
		if (key != TAG_LOOSE)
			t->pg[e] = t->page;
		kid_add(t, k, NULL, id, 0);
	} else if (t->pg[e] == t->page && !grouped) {
		kid_add(t, k, NULL, id, 0);
	} else { /* content on a later page: a marked-content reference */
		HPDF_Dict r = pdfx_dict(t->pdf, 0);
		pdfx_put_name(r, "Type", "MCR");
		pdfx_put(r, "Pg", t->page);
		pdfx_put_int(r, "MCID", id);
		kid_add(t, k, r, 0, 1);
	}
	if (pdfx_append(t->page_arr, d) != HPDF_OK)
		t->failed = 1;
	return id;
}

void tags_link(pdf_tags *t, HPDF_Annotation a, int e, const char *contents)
{
	HPDF_Dict link;
	kset own, *k;
	int own_pg = 0; /* the Link's /Pg is this page: the OBJR needs none */
	if (e >= 0 && (size_t)e < t->nel && t->el[e].role == LE_LINK) {
		link = elem(t, e, 0);
		k = &t->ks[e];
		own_pg = t->pg[e] == t->page && !k->hold;
	} else { /* a link drawn over words of another element: a Link of its own */
		link = elem(t, e, 0) ? new_elem(t, kids_of(t, e), "Link", &own) : NULL;
		k = &own;
	}
	if (!link) {
		t->failed = 1;
		return;
	}
	HPDF_Dict r = pdfx_dict(t->pdf, 0);
	pdfx_put_name(r, "Type", "OBJR");
	pdfx_put(r, "Obj", a);
	if (!own_pg)
		pdfx_put(r, "Pg", t->page);
	kid_add(t, k, r, 0, k != &own); /* a Link of its own has no other kid */
	pdfx_put_int(a, "StructParent", t->key);
	pdfx_put(a, "Contents", pdfx_string(t->pdf, contents && contents[0] ? contents : "Link"));
	nums_add(t, t->key++, link);
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
	HPDF_Dict ptree = pdfx_dict(pdf, 1);
	if (t->nleaf == 1) {
		pdfx_put(ptree, "Nums", t->leaf[0].nums);
	} else if (t->nleaf > 1) { /* a root of leaves, each with its /Limits */
		HPDF_Array kids = pdfx_array(pdf);
		for (size_t i = 0; i < t->nleaf && kids; i++) {
			HPDF_Dict l = pdfx_dict(pdf, 1);
			HPDF_Array lim = pdfx_array(pdf);
			pdfx_append_int(lim, t->leaf[i].lo);
			pdfx_append_int(lim, t->leaf[i].hi);
			pdfx_put(l, "Limits", lim);
			pdfx_put(l, "Nums", t->leaf[i].nums);
			if (pdfx_append(kids, l) != HPDF_OK)
				t->failed = 1;
		}
		pdfx_put(ptree, "Kids", kids);
	}
	pdfx_put(t->root, "ParentTree", ptree);
	pdfx_put_int(t->root, "ParentTreeNextKey", t->key);
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
