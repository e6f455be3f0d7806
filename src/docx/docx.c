/* docx.c — the document tree as a Word file (see docx.h).
 *
 * Parts: [Content_Types].xml, _rels/.rels, docProps/core.xml,
 * word/document.xml, styles.xml, numbering.xml, footnotes.xml,
 * settings.xml, footer1.xml, word/_rels/document.xml.rels and
 * the pictures under word/media/. Each XML part is written by an xmlTextWriter into memory,
 * then stored in the zip (minizip's zipOpenNewFileInZip64, deflated). */
#include "docx.h"

#include <libxml/xmlwriter.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h> /* minizip's */

#include "../img/img.h"
#include "../model/value.h"
#include "../util/buf.h"
#include "../util/job.h"

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#define MAX_DEPTH 40
#define MAX_IMAGE_BYTES (32u << 20)

/* A table's indent from the text's left edge (twips), as the UN template's. */
enum { TABLE_INDENT = 1134 };
#define WORD_MAX_PT (22 * 72.0) /* the largest page side Word takes */

typedef struct rel {
	char *target; /* URI, or media/imageN.ext */
	int external;
	int image;
	char *path; /* image file */
} rel;

typedef struct dx {
	const dt_doc *doc;
	ms_diags *d;
	xmlTextWriterPtr w; /* the part being written */
	xmlBufferPtr buf;
	xmlTextWriterPtr fw; /* footnotes.xml, written alongside */
	xmlBufferPtr fbuf;
	int nfoot;
	rel *rels;
	size_t nrels, caprels;
	int nlists;      /* list instances (numId 3...) */
	int *list_kinds; /* per instance: 1 ordered, 2 bullets; start in list_starts */
	int *list_starts;
	int nimages;
	int oom;
	int letter; /* a letter: no page number on the first page */
	/* the page (docx.h), in twips; text_w between the margins */
	long page_w, page_h, top, bottom, inner, outer, text_w;
} dx;

/* XML helpers ------------------------------------------------------------ */

static void S(xmlTextWriterPtr w, const char *name)
{
	xmlTextWriterStartElement(w, BAD_CAST name);
}
static void E(xmlTextWriterPtr w)
{
	xmlTextWriterEndElement(w);
}
static void A(xmlTextWriterPtr w, const char *name, const char *val)
{
	xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST val);
}
static void AI(xmlTextWriterPtr w, const char *name, long v)
{
	char b[32];
	snprintf(b, sizeof b, "%ld", v);
	A(w, name, b);
}
/* <name w:val="val"/> */
static void V(xmlTextWriterPtr w, const char *name, const char *val)
{
	S(w, name);
	if (val)
		A(w, "w:val", val);
	E(w);
}

static int part_begin(dx *x, xmlTextWriterPtr *w, xmlBufferPtr *b)
{
	*b = xmlBufferCreate();
	*w = *b ? xmlNewTextWriterMemory(*b, 0) : NULL;
	if (!*w) {
		if (*b)
			xmlBufferFree(*b);
		*b = NULL;
		x->oom = 1;
		return -1;
	}
	xmlTextWriterStartDocument(*w, NULL, "UTF-8", "yes");
	return 0;
}

static void part_end(xmlTextWriterPtr w)
{
	xmlTextWriterEndDocument(w);
	xmlFreeTextWriter(w);
}

/* Zip ---------------------------------------------------------------------- */

static int zput(zipFile z, const char *name, const void *data, size_t len)
{
	zip_fileinfo zi;
	memset(&zi, 0, sizeof zi);
	zi.tmz_date.tm_year = 1980; /* the same bytes on every run */
	zi.tmz_date.tm_mday = 1;
	if (zipOpenNewFileInZip64(z, name, &zi, NULL, 0, NULL, 0, NULL, Z_DEFLATED,
	                          Z_DEFAULT_COMPRESSION, len > 0xffffffffu) != ZIP_OK)
		return -1;
	int r = zipWriteInFileInZip(z, data, (unsigned)len) == ZIP_OK ? 0 : -1;
	if (zipCloseFileInZip(z) != ZIP_OK)
		r = -1;
	return r;
}

static int zput_buf(zipFile z, const char *name, xmlBufferPtr b)
{
	return b ? zput(z, name, xmlBufferContent(b), (size_t)xmlBufferLength(b)) : -1;
}

/* Relationships ------------------------------------------------------------- */

/* rId of a relationship; rId1..rId6 are the fixed parts. */
static int add_rel(dx *x, const char *target, int external, const char *path)
{
	for (size_t i = 0; external && i < x->nrels; i++)
		if (x->rels[i].external && !strcmp(x->rels[i].target, target))
			return (int)i + 7;
	if (x->nrels == x->caprels) {
		size_t c = x->caprels ? x->caprels * 2 : 16;
		rel *v = realloc(x->rels, c * sizeof *v);
		if (!v) {
			x->oom = 1;
			return 0;
		}
		x->rels = v;
		x->caprels = c;
	}
	rel *r = &x->rels[x->nrels++];
	r->target = ms_strdup(target);
	r->external = external;
	r->image = path != NULL;
	r->path = ms_strdup(path);
	if (!r->target)
		x->oom = 1;
	return (int)x->nrels + 6;
}

/* Images: size from the file's header ----------------------------------------- */

/* Pixel size of a PNG or JPEG held in data (src/img reads the headers);
 * 0, or -1 when it is neither. */
static int image_size(const unsigned char *p, size_t n, long *w, long *h, int *png)
{
	int iw, ih, orient;
	char err[160];
	if (img_info_mem(p, n, &iw, &ih, &orient, err, sizeof err) < 0 || iw <= 0 || ih <= 0)
		return -1;
	(void)orient; /* the box keeps the stored pixels' proportions */
	*w = iw;
	*h = ih;
	*png = n >= 8 && !memcmp(p, "\x89PNG", 4);
	return 0;
}

/* Styles ------------------------------------------------------------------------ */

typedef struct wstyle {
	const char *id, *name;
	int size; /* half-points */
	int bold, italic;
	const char *jc;    /* alignment */
	int before, after; /* twips */
	int left, hanging;
	int outline; /* heading level 1..: outline level, keep with next */
} wstyle;

/* The UN template's names where it has one (SingleTxtG, HChG, H1G, H23G,
 * H4G, FootnoteText), descriptive ones elsewhere. */
static const wstyle styles[] = {
    {"SingleTxtG", "_ Single Txt_G", 20, 0, 0, "both", 0, 120, 1134, 0, 0},
    {"HChG", "_ H _Ch_G", 28, 1, 0, "left", 360, 240, 1134, 0, 1},
    {"H1G", "_ H_1_G", 24, 1, 0, "left", 360, 240, 1134, 0, 2},
    {"H23G", "_ H_2/3_G", 20, 1, 0, "left", 240, 120, 1134, 0, 3},
    {"H4G", "_ H_4_G", 20, 0, 1, "left", 240, 120, 1134, 0, 4},
    {"Bullet1G", "_ Bullet 1_G", 20, 0, 0, "both", 0, 120, 1701, 170, 0},
    {"QuoteG", "Quote_G", 20, 0, 0, "both", 0, 120, 1701, 0, 0},
    {"Attribution", "Attribution", 20, 0, 1, "right", 0, 120, 1701, 0, 0},
    {"ConventionG", "Convention_G", 24, 0, 0, "left", 0, 0, 0, 0, 0},
    {"SymbolG", "Symbol_G", 32, 1, 0, "right", 0, 60, 0, 0, 0},
    {"DistributionG", "Distribution_G", 20, 0, 0, "right", 0, 0, 0, 0, 0},
    {"MeetingG", "Meeting_G", 24, 1, 0, "left", 120, 40, 0, 0, 0},
    {"VenueG", "Venue_G", 20, 0, 0, "left", 0, 40, 0, 0, 0},
    {"SubmittedG", "Submitted by_G", 20, 0, 0, "left", 0, 240, 1134, 0, 0},
    {"FootnoteText", "footnote text", 18, 0, 0, "left", 0, 0, 1134, 0, 0},
    {"Caption", "caption", 20, 1, 0, "left", 120, 60, 1134, 0, 0},
    {"TableText", "Table text", 18, 0, 0, "left", 40, 40, 0, 0, 0},
    {"TableHead", "Table heading", 18, 0, 1, "left", 40, 40, 0, 0, 0},
    {"Code", "Code", 18, 0, 0, "left", 0, 0, 1134, 0, 0},
    {"Letterhead", "Letterhead", 22, 0, 0, "left", 0, 0, 0, 0, 0},
    {"LetterDate", "Letter date", 24, 0, 0, "right", 360, 0, 0, 0, 0},
    {"LetterReference", "Letter reference", 20, 0, 0, "right", 0, 0, 0, 0, 0},
    {"LetterAddress", "Letter address", 24, 0, 0, "left", 360, 240, 0, 0, 0},
    {"LetterText", "Letter text", 24, 0, 0, "both", 0, 200, 0, 0, 0},
    {"Salutation", "Salutation", 24, 0, 0, "left", 120, 200, 0, 0, 0},
    {"Closing", "Closing", 24, 0, 0, "both", 0, 240, 0, 0, 0},
    {"Signature", "Signature", 24, 0, 0, "left", 0, 0, 0, 0, 0},
};

static const char *style_id(const dt_node *n)
{
	static const struct {
		const char *tree, *word;
	} map[] = {
	    {"paper-convention", "ConventionG"},
	    {"paper-symbol", "SymbolG"},
	    {"paper-meta", "DistributionG"},
	    {"paper-meeting", "MeetingG"},
	    {"paper-venue", "VenueG"},
	    {"paper-title", "HChG"},
	    {"paper-submitted", "SubmittedG"},
	    {"paper-h1", "H1G"},
	    {"paper-h2", "H23G"},
	    {"attribution", "Attribution"},
	    {"caption", "Caption"},
	    {"table", "TableText"},
	    {"table-head", "TableHead"},
	    {"code", "Code"},
	    {"letterhead", "Letterhead"},
	    {"letter-date", "LetterDate"},
	    {"letter-reference", "LetterReference"},
	    {"letter-address", "LetterAddress"},
	    {"letter-body", "LetterText"},
	    {"letter-salutation", "Salutation"},
	    {"letter-closing", "Closing"},
	    {"letter-signature", "Signature"},
	};
	if (n->type == DT_HEADING && (!n->style || strncmp(n->style, "paper-", 6)))
		return n->level <= 1 ? "H1G" : n->level == 2 ? "H23G" : "H4G";
	for (size_t i = 0; n->style && i < sizeof map / sizeof map[0]; i++)
		if (!strcmp(map[i].tree, n->style))
			return map[i].word;
	return "SingleTxtG";
}

static void write_styles(dx *x, xmlTextWriterPtr w)
{
	S(w, "w:styles");
	A(w, "xmlns:w", NS_W);
	S(w, "w:docDefaults");
	S(w, "w:rPrDefault");
	S(w, "w:rPr");
	S(w, "w:rFonts");
	A(w, "w:ascii", "Times New Roman");
	A(w, "w:hAnsi", "Times New Roman");
	A(w, "w:cs", "Times New Roman");
	A(w, "w:eastAsia", "Times New Roman");
	E(w);
	V(w, "w:sz", "20");
	S(w, "w:lang");
	A(w, "w:val", "en-GB");
	E(w);
	E(w);
	E(w);
	S(w, "w:pPrDefault");
	S(w, "w:pPr");
	S(w, "w:spacing");
	A(w, "w:after", "0");
	A(w, "w:line", "240");
	A(w, "w:lineRule", "auto");
	E(w);
	E(w);
	E(w);
	E(w);
	/* Normal, then the template's paragraph styles */
	S(w, "w:style");
	A(w, "w:type", "paragraph");
	A(w, "w:default", "1");
	A(w, "w:styleId", "Normal");
	V(w, "w:name", "Normal");
	V(w, "w:qFormat", NULL);
	E(w);
	/* Word's own headings, which the template's are based on: readers
	 * (pandoc, screen readers' outlines) know a heading by them */
	for (int lv = 1; lv <= 4; lv++) {
		char id[16], name[16], ol[8];
		snprintf(id, sizeof id, "Heading%d", lv);
		snprintf(name, sizeof name, "heading %d", lv);
		snprintf(ol, sizeof ol, "%d", lv - 1);
		S(w, "w:style");
		A(w, "w:type", "paragraph");
		A(w, "w:styleId", id);
		V(w, "w:name", name);
		V(w, "w:basedOn", "Normal");
		V(w, "w:next", "SingleTxtG");
		V(w, "w:qFormat", NULL);
		S(w, "w:pPr");
		V(w, "w:keepNext", NULL);
		V(w, "w:outlineLvl", ol);
		E(w);
		S(w, "w:rPr");
		V(w, "w:b", NULL);
		E(w);
		E(w);
	}
	for (size_t i = 0; i < sizeof styles / sizeof styles[0]; i++) {
		const wstyle *s = &styles[i];
		S(w, "w:style");
		A(w, "w:type", "paragraph");
		A(w, "w:styleId", s->id);
		V(w, "w:name", s->name);
		char based[16] = "Normal";
		if (s->outline)
			snprintf(based, sizeof based, "Heading%d", s->outline);
		V(w, "w:basedOn", based);
		V(w, "w:next", s->outline ? "SingleTxtG" : s->id);
		V(w, "w:qFormat", NULL);
		S(w, "w:pPr");
		if (s->outline) {
			V(w, "w:keepNext", NULL);
			V(w, "w:keepLines", NULL);
		}
		S(w, "w:spacing");
		AI(w, "w:before", s->before);
		AI(w, "w:after", s->after);
		E(w);
		if (s->left || s->hanging) {
			S(w, "w:ind");
			AI(w, "w:left", s->left);
			if (s->hanging)
				AI(w, "w:hanging", s->hanging);
			E(w);
		}
		V(w, "w:jc", s->jc);
		if (s->outline) {
			char lv[16];
			snprintf(lv, sizeof lv, "%d", s->outline - 1);
			V(w, "w:outlineLvl", lv);
		}
		E(w);
		S(w, "w:rPr");
		if (s->bold)
			V(w, "w:b", NULL);
		if (s->italic)
			V(w, "w:i", NULL);
		char sz[16];
		snprintf(sz, sizeof sz, "%d", s->size);
		V(w, "w:sz", sz);
		E(w);
		E(w);
	}
	/* character styles and the table styles */
	S(w, "w:style");
	A(w, "w:type", "character");
	A(w, "w:styleId", "FootnoteReference");
	V(w, "w:name", "footnote reference");
	S(w, "w:rPr");
	V(w, "w:vertAlign", "superscript");
	E(w);
	E(w);
	S(w, "w:style");
	A(w, "w:type", "character");
	A(w, "w:styleId", "Hyperlink");
	V(w, "w:name", "Hyperlink");
	S(w, "w:rPr");
	V(w, "w:color", "0000FF");
	V(w, "w:u", "single");
	E(w);
	E(w);
	static const char *tstyles[][2] = {{"TableGrid", "Table Grid"},
	                                   {"TableBlocks", "Blocks side by side"}};
	for (int t = 0; t < 2; t++) {
		S(w, "w:style");
		A(w, "w:type", "table");
		A(w, "w:styleId", tstyles[t][0]);
		V(w, "w:name", tstyles[t][1]);
		S(w, "w:tblPr");
		S(w, "w:tblBorders");
		static const char *sides[] = {"w:top",   "w:left",    "w:bottom",
		                              "w:right", "w:insideH", "w:insideV"};
		for (int k = 0; k < 6; k++) {
			S(w, sides[k]);
			A(w, "w:val", t == 0 && k != 1 && k != 3 && k != 5 ? "single" : "nil");
			if (t == 0) {
				A(w, "w:sz", "4");
				A(w, "w:space", "0");
				A(w, "w:color", "808080");
			}
			E(w);
		}
		E(w);
		S(w, "w:tblCellMar");
		S(w, "w:left");
		A(w, "w:w", t == 0 ? "85" : "0");
		A(w, "w:type", "dxa");
		E(w);
		S(w, "w:right");
		A(w, "w:w", "85");
		A(w, "w:type", "dxa");
		E(w);
		E(w);
		E(w);
		E(w);
	}
	E(w);
	(void)x;
}

/* Numbering: abstract 0 = a paper's numbered paragraphs (1., 2., ... one
 * sequence through the paper, numId 1); 1 = ordered lists; 2 = bullets.
 * Each list is an instance of its own (numId 3...), so that it restarts. */
static void write_numbering(dx *x, xmlTextWriterPtr w)
{
	S(w, "w:numbering");
	A(w, "xmlns:w", NS_W);
	for (int a = 0; a < 3; a++) {
		S(w, "w:abstractNum");
		AI(w, "w:abstractNumId", a);
		V(w, "w:multiLevelType", a == 0 ? "singleLevel" : "multilevel");
		for (int lv = 0; lv < (a == 0 ? 1 : 9); lv++) {
			S(w, "w:lvl");
			AI(w, "w:ilvl", lv);
			V(w, "w:start", "1");
			V(w, "w:numFmt", a == 2 ? "bullet" : "decimal");
			char t[16];
			if (a == 2)
				snprintf(t, sizeof t, "%s",
				         lv % 2 ? "\xE2\x80\x93" : "\xE2\x80\xA2");
			else
				snprintf(t, sizeof t, "%%%d.", lv + 1);
			V(w, "w:lvlText", t);
			V(w, "w:lvlJc", "left");
			S(w, "w:pPr");
			S(w, "w:ind");
			AI(w, "w:left", a == 0 ? 1134 : 1701 + 454 * lv);
			AI(w, "w:hanging", a == 0 ? 1134 : 454);
			E(w);
			E(w);
			E(w);
		}
		E(w);
	}
	S(w, "w:num");
	A(w, "w:numId", "1");
	V(w, "w:abstractNumId", "0");
	E(w);
	S(w, "w:num");
	A(w, "w:numId", "2");
	V(w, "w:abstractNumId", "2");
	E(w);
	for (int i = 0; i < x->nlists; i++) {
		S(w, "w:num");
		AI(w, "w:numId", i + 3);
		V(w, "w:abstractNumId", x->list_kinds[i] == 1 ? "1" : "2");
		if (x->list_kinds[i] == 1) {
			S(w, "w:lvlOverride");
			A(w, "w:ilvl", "0");
			char st[16];
			snprintf(st, sizeof st, "%d",
			         x->list_starts[i] > 0 ? x->list_starts[i] : 1);
			V(w, "w:startOverride", st);
			E(w);
		}
		E(w);
	}
	E(w);
}

/* Document body ------------------------------------------------------------------ */

static void runs(dx *x, xmlTextWriterPtr w, const dt_run *r, int in_note);
static void blocks(dx *x, xmlTextWriterPtr w, const dt_node *n, int depth, int list_id, int ilvl);

static void run_props(xmlTextWriterPtr w, unsigned style, int link)
{
	if (!(style & (DT_B | DT_I | DT_MONO | DT_SUP | DT_SMALL)) && !link)
		return;
	S(w, "w:rPr");
	if (link)
		V(w, "w:rStyle", "Hyperlink");
	if (style & DT_MONO) {
		S(w, "w:rFonts");
		A(w, "w:ascii", "Courier New");
		A(w, "w:hAnsi", "Courier New");
		E(w);
	}
	if (style & DT_B)
		V(w, "w:b", NULL);
	if (style & DT_I)
		V(w, "w:i", NULL);
	if (style & DT_SMALL)
		V(w, "w:sz", "16");
	if (style & DT_SUP)
		V(w, "w:vertAlign", "superscript");
	E(w);
}

static void text_run(xmlTextWriterPtr w, const char *text, unsigned style, int link)
{
	S(w, "w:r");
	run_props(w, style, link);
	S(w, "w:t");
	A(w, "xml:space", "preserve");
	xmlTextWriterWriteString(w, BAD_CAST text);
	E(w);
	E(w);
}

static void footnote(dx *x, xmlTextWriterPtr w, const dt_node *note)
{
	int id = ++x->nfoot;
	S(w, "w:r");
	S(w, "w:rPr");
	V(w, "w:rStyle", "FootnoteReference");
	E(w);
	S(w, "w:footnoteReference");
	AI(w, "w:id", id);
	E(w);
	E(w);
	/* the note itself, in footnotes.xml */
	xmlTextWriterPtr f = x->fw;
	S(f, "w:footnote");
	AI(f, "w:id", id);
	S(f, "w:p");
	S(f, "w:pPr");
	V(f, "w:pStyle", "FootnoteText");
	E(f);
	S(f, "w:r");
	S(f, "w:rPr");
	V(f, "w:rStyle", "FootnoteReference");
	E(f);
	S(f, "w:footnoteRef");
	E(f);
	E(f);
	text_run(f, " ", 0, 0);
	if (note && note->type == DT_PARA)
		runs(x, f, note->runs, 1);
	else if (note)
		for (const dt_node *c = note->first; c; c = c->next)
			if (c->type == DT_PARA)
				runs(x, f, c->runs, 1);
	E(f);
	E(f);
}

static void runs(dx *x, xmlTextWriterPtr w, const dt_run *r, int in_note)
{
	for (; r; r = r->next) {
		if (r->note && !in_note) {
			footnote(x, w, r->note);
			continue;
		}
		if (r->style & DT_BR) {
			S(w, "w:r");
			S(w, "w:br");
			E(w);
			E(w);
			continue;
		}
		if (!r->text || !*r->text)
			continue;
		int link = 0;
		if (r->link && !in_note && r->link[0] == '#') {
			S(w, "w:hyperlink");
			A(w, "w:anchor", r->link + 1);
			link = 1;
		} else if (r->link && !in_note &&
		           (!strncmp(r->link, "http://", 7) || !strncmp(r->link, "https://", 8) ||
		            !strncmp(r->link, "mailto:", 7))) {
			char id[24];
			snprintf(id, sizeof id, "rId%d", add_rel(x, r->link, 1, NULL));
			S(w, "w:hyperlink");
			A(w, "r:id", id);
			link = 1;
		}
		text_run(w, r->text, r->style, link);
		if (link)
			E(w);
	}
}

static void para(dx *x, xmlTextWriterPtr w, const dt_node *n, const char *style, int numid,
                 int ilvl, int keep)
{
	S(w, "w:p");
	S(w, "w:pPr");
	V(w, "w:pStyle", style ? style : style_id(n));
	if (keep || n->keep)
		V(w, "w:keepNext", NULL);
	if (numid > 0) {
		S(w, "w:numPr");
		char lv[16], id[16];
		snprintf(lv, sizeof lv, "%d", ilvl);
		snprintf(id, sizeof id, "%d", numid);
		V(w, "w:ilvl", lv);
		V(w, "w:numId", id);
		E(w);
	}
	if (n->align == DT_RIGHT || n->align == DT_CENTER)
		V(w, "w:jc", n->align == DT_RIGHT ? "right" : "center");
	E(w);
	if (n->id) {
		S(w, "w:bookmarkStart");
		AI(w, "w:id", (long)(ms_fnv(n->id, 2166136261u) & 0x7fffffff));
		A(w, "w:name", n->id);
		E(w);
		S(w, "w:bookmarkEnd");
		AI(w, "w:id", (long)(ms_fnv(n->id, 2166136261u) & 0x7fffffff));
		E(w);
	}
	runs(x, w, n->runs, 0);
	E(w);
}

static void plain_para(xmlTextWriterPtr w, const char *style, const char *text, unsigned rs)
{
	S(w, "w:p");
	S(w, "w:pPr");
	V(w, "w:pStyle", style);
	E(w);
	if (text && *text)
		text_run(w, text, rs, 0);
	E(w);
}

static int new_list(dx *x, int kind, int start)
{
	int *k = realloc(x->list_kinds, (size_t)(x->nlists + 1) * sizeof *k);
	if (k)
		x->list_kinds = k;
	int *s = realloc(x->list_starts, (size_t)(x->nlists + 1) * sizeof *s);
	if (s)
		x->list_starts = s;
	if (!k || !s) {
		x->oom = 1;
		return 0;
	}
	x->list_kinds[x->nlists] = kind;
	x->list_starts[x->nlists] = start;
	return 3 + x->nlists++;
}

/* A table's width: the text's, less the indent of a data table. */
static long table_width(const dx *x, int blocks_style)
{
	return blocks_style ? x->text_w : x->text_w - TABLE_INDENT;
}

static void table_open(const dx *x, xmlTextWriterPtr w, int ncols, const double *weights,
                       int blocks_style)
{
	long tw = table_width(x, blocks_style);
	S(w, "w:tbl");
	S(w, "w:tblPr");
	V(w, "w:tblStyle", blocks_style ? "TableBlocks" : "TableGrid");
	S(w, "w:tblW");
	AI(w, "w:w", tw);
	A(w, "w:type", "dxa");
	E(w);
	if (!blocks_style) {
		S(w, "w:tblInd");
		AI(w, "w:w", TABLE_INDENT);
		A(w, "w:type", "dxa");
		E(w);
	}
	V(w, "w:tblLayout", "fixed");
	E(w);
	S(w, "w:tblGrid");
	double sum = 0;
	for (int c = 0; c < ncols; c++)
		sum += weights && weights[c] > 0 ? weights[c] : 1;
	for (int c = 0; c < ncols; c++) {
		double wt = weights && weights[c] > 0 ? weights[c] : 1;
		S(w, "w:gridCol");
		AI(w, "w:w", (long)((double)tw * wt / sum));
		E(w);
	}
	E(w);
}

static void cell_open(const dx *x, xmlTextWriterPtr w, int ncols, const double *weights, int c,
                      int blocks_style)
{
	long tw = table_width(x, blocks_style);
	double sum = 0;
	for (int k = 0; k < ncols; k++)
		sum += weights && weights[k] > 0 ? weights[k] : 1;
	double wt = weights && c < ncols && weights[c] > 0 ? weights[c] : 1;
	S(w, "w:tc");
	S(w, "w:tcPr");
	S(w, "w:tcW");
	AI(w, "w:w", (long)((double)tw * wt / sum));
	A(w, "w:type", "dxa");
	E(w);
	E(w);
}

static void table(dx *x, xmlTextWriterPtr w, const dt_node *t, int depth)
{
	int nc = t->ncols;
	for (const dt_node *r = t->first; r; r = r->next) {
		int c = 0;
		for (const dt_node *cell = r->first; cell; cell = cell->next)
			c++;
		if (c > nc)
			nc = c;
	}
	if (nc <= 0)
		return;
	int blocks_style = t->style && !strcmp(t->style, "letter-blocks");
	if (t->caption)
		plain_para(w, "Caption", t->caption, 0);
	table_open(x, w, nc, t->col_weights, blocks_style);
	for (const dt_node *r = t->first; r; r = r->next) {
		S(w, "w:tr");
		if (r->header) {
			S(w, "w:trPr");
			V(w, "w:tblHeader", NULL);
			E(w);
		}
		if (blocks_style) {
			S(w, "w:trPr");
			V(w, "w:cantSplit", NULL);
			E(w);
		}
		int c = 0;
		for (const dt_node *cell = r->first; cell; cell = cell->next, c++) {
			cell_open(x, w, nc, t->col_weights, c, blocks_style);
			int any = 0;
			for (const dt_node *b = cell->first; b; b = b->next)
				if (b->type == DT_PARA) {
					dt_node tmp = *b;
					if (cell->align == DT_RIGHT || cell->align == DT_CENTER)
						tmp.align = cell->align;
					para(x, w, &tmp,
					     b->style    ? style_id(b)
					     : r->header ? "TableHead"
					                 : "TableText",
					     0, 0, 0);
					any = 1;
				} else {
					blocks(x, w, b, depth + 1, 0, 0);
					any = 1;
				}
			if (!any)
				plain_para(w, "TableText", "", 0);
			E(w);
		}
		for (; c < nc; c++) { /* a short row: every row fills the grid */
			cell_open(x, w, nc, t->col_weights, c, blocks_style);
			plain_para(w, "TableText", "", 0);
			E(w);
		}
		E(w);
	}
	E(w);
	/* Word runs two tables into one unless a paragraph stands between */
	plain_para(w, "Normal", "", 0);
}

/* A chart: its title, then a table of its values (categories down, series
 * across): what a Word reader can check and re-use. */
static void chart(dx *x, xmlTextWriterPtr w, const dt_node *n)
{
	plain_para(w, "Caption", n->title ? n->title : "Chart", 0);
	int nc = (int)n->nseries + 1;
	table_open(x, w, nc, NULL, 0);
	S(w, "w:tr");
	S(w, "w:trPr");
	V(w, "w:tblHeader", NULL);
	E(w);
	for (int c = 0; c < nc; c++) {
		cell_open(x, w, nc, NULL, c, 0);
		plain_para(w, "TableHead", c ? n->series[c - 1].name : "", 0);
		E(w);
	}
	E(w);
	for (size_t k = 0; k < n->ncategories; k++) {
		S(w, "w:tr");
		for (int c = 0; c < nc; c++) {
			cell_open(x, w, nc, NULL, c, 0);
			if (c == 0) {
				plain_para(w, "TableText", n->categories[k], 0);
			} else {
				char num[48];
				ms_fmt_number(n->series[c - 1].values ? n->series[c - 1].values[k]
				                                      : 0,
				              num, sizeof num);
				char *t = ms_printf("%s%s", num, n->unit ? n->unit : "");
				S(w, "w:p");
				S(w, "w:pPr");
				V(w, "w:pStyle", "TableText");
				V(w, "w:jc", "right");
				E(w);
				text_run(w, t ? t : num, 0, 0);
				E(w);
				free(t);
			}
			E(w);
		}
		E(w);
	}
	E(w);
	plain_para(w, "Normal", "", 0);
	(void)x;
}

static void image(dx *x, xmlTextWriterPtr w, const dt_node *n)
{
	char *data = NULL;
	size_t len = 0;
	int big = 0, png = 0;
	long pw = 0, ph = 0;
	if (!n->path || ms_read_file(n->path, MAX_IMAGE_BYTES, &data, &len, &big) < 0 ||
	    image_size((const unsigned char *)data, len, &pw, &ph, &png) < 0) {
		free(data);
		ms_pos p = ms_pos_file(n->path ? n->path : "?");
		ms_diag_add(
		    x->d, MS_WARNING, &p,
		    "the picture could not be read for the Word version and is left out of it");
		return;
	}
	free(data);
	char target[48];
	snprintf(target, sizeof target, "media/image%d.%s", ++x->nimages, png ? "png" : "jpeg");
	int rid = add_rel(x, target, 0, n->path);
	/* width: the style's fraction of the text width, height to scale */
	double frac = n->max_width > 0 && n->max_width < 1 ? n->max_width : 0.8;
	long cx = (long)((double)x->text_w * 635 * frac); /* twips to EMU */
	long cy = (long)((double)cx * (double)ph / (double)pw);
	/* no taller than the text area less room for the caption (1 inch) */
	long cymax = (x->page_h - x->top - x->bottom - 1440) * 635;
	if (cymax < 635 * 1440)
		cymax = 635 * 1440;
	if (cy > cymax) {
		cx = (long)((double)cx * (double)cymax / (double)cy);
		cy = cymax;
	}
	ms_buf alt;
	ms_buf_init(&alt);
	for (const dt_run *r = n->runs; r; r = r->next)
		if (r->text)
			ms_buf_adds(&alt, r->text);
	if (!alt.len && n->caption)
		ms_buf_adds(&alt, n->caption);
	if (!alt.len)
		ms_buf_adds(&alt, "Picture");
	char rids[24], ids[16];
	snprintf(rids, sizeof rids, "rId%d", rid);
	snprintf(ids, sizeof ids, "%d", x->nimages);
	S(w, "w:p");
	S(w, "w:pPr");
	V(w, "w:pStyle", "Normal");
	V(w, "w:jc", "center");
	E(w);
	S(w, "w:r");
	S(w, "w:drawing");
	S(w, "wp:inline");
	S(w, "wp:extent");
	AI(w, "cx", cx);
	AI(w, "cy", cy);
	E(w);
	S(w, "wp:docPr");
	A(w, "id", ids);
	A(w, "name", target + 6);
	A(w, "descr", alt.s ? alt.s : "Picture");
	E(w);
	S(w, "a:graphic");
	A(w, "xmlns:a", "http://schemas.openxmlformats.org/drawingml/2006/main");
	S(w, "a:graphicData");
	A(w, "uri", "http://schemas.openxmlformats.org/drawingml/2006/picture");
	S(w, "pic:pic");
	A(w, "xmlns:pic", "http://schemas.openxmlformats.org/drawingml/2006/picture");
	S(w, "pic:nvPicPr");
	S(w, "pic:cNvPr");
	A(w, "id", ids);
	A(w, "name", target + 6);
	A(w, "descr", alt.s ? alt.s : "Picture");
	E(w);
	S(w, "pic:cNvPicPr");
	E(w);
	E(w);
	S(w, "pic:blipFill");
	S(w, "a:blip");
	A(w, "r:embed", rids);
	E(w);
	S(w, "a:stretch");
	S(w, "a:fillRect");
	E(w);
	E(w);
	E(w);
	S(w, "pic:spPr");
	S(w, "a:xfrm");
	S(w, "a:off");
	A(w, "x", "0");
	A(w, "y", "0");
	E(w);
	S(w, "a:ext");
	AI(w, "cx", cx);
	AI(w, "cy", cy);
	E(w);
	E(w);
	S(w, "a:prstGeom");
	A(w, "prst", "rect");
	E(w);
	E(w);
	E(w); /* pic:pic */
	E(w);
	E(w);
	E(w); /* wp:inline */
	E(w);
	E(w);
	E(w);
	ms_buf_free(&alt);
	if (n->runs) {
		dt_node cap = *n;
		cap.style = "caption";
		cap.id = NULL;
		para(x, w, &cap, "Caption", 0, 0, 0);
	}
	if (n->credit)
		plain_para(w, "Attribution", n->credit, 0);
}

/* A block. list_id/ilvl: the list item the block stands in (0: none). */
static void block(dx *x, xmlTextWriterPtr w, const dt_node *n, int depth, int list_id, int ilvl,
                  int first_in_item)
{
	if (depth > MAX_DEPTH)
		return;
	switch (n->type) {
	case DT_PARA: {
		int numid = 0;
		const char *style = NULL;
		if (n->number) {
			numid = 1; /* the paper's numbered paragraphs */
		} else if (list_id) {
			/* the item's text keeps its paragraph's style (a letter's);
			 * a paper's bullets take the template's Bullet1G */
			numid = first_in_item ? list_id : 0;
			style = style_id(n);
			if (!strcmp(style, "SingleTxtG") && x->list_kinds[list_id - 3] == 2)
				style = "Bullet1G";
		}
		para(x, w, n, style, numid, ilvl, 0);
		break;
	}
	case DT_HEADING: para(x, w, n, NULL, 0, 0, 1); break;
	case DT_LIST: {
		int id = new_list(x, n->ordered ? 1 : 2, n->start);
		if (!id)
			break;
		int lv = list_id ? ilvl + 1 : 0;
		for (const dt_node *it = n->first; it; it = it->next) {
			int first = 1;
			for (const dt_node *b = it->first; b; b = b->next, first = 0)
				block(x, w, b, depth + 1, id, lv > 8 ? 8 : lv, first);
			if (!it->first)
				plain_para(w, "SingleTxtG", "", 0);
		}
		break;
	}
	case DT_QUOTE:
		for (const dt_node *b = n->first; b; b = b->next) {
			if (b->type == DT_PARA)
				para(x, w, b,
				     b->style && !strcmp(b->style, "attribution") ? "Attribution"
				                                                  : "QuoteG",
				     0, 0, 0);
			else
				block(x, w, b, depth + 1, list_id, ilvl, 0);
		}
		break;
	case DT_CODE: {
		const char *s = n->text ? n->text : "";
		while (*s) {
			size_t len = strcspn(s, "\n");
			char *line = ms_strndup(s, len);
			plain_para(w, "Code", line ? line : "", DT_MONO);
			free(line);
			s += len + (s[len] == '\n');
		}
		break;
	}
	case DT_RULE:
		S(w, "w:p");
		S(w, "w:pPr");
		S(w, "w:pBdr");
		S(w, "w:bottom");
		A(w, "w:val", "single");
		A(w, "w:sz", "4");
		A(w, "w:space", "1");
		A(w, "w:color", "auto");
		E(w);
		E(w);
		E(w);
		E(w);
		break;
	case DT_TABLE: table(x, w, n, depth); break;
	case DT_IMAGE: image(x, w, n); break;
	case DT_CHART: chart(x, w, n); break;
	case DT_BOX:
	case DT_ITEM:
	case DT_SECTION: blocks(x, w, n->first, depth + 1, list_id, ilvl); break;
	case DT_PAGEBREAK:
		S(w, "w:p");
		S(w, "w:r");
		S(w, "w:br");
		A(w, "w:type", "page");
		E(w);
		E(w);
		E(w);
		break;
	default: break; /* SPACE: the styles' spacing; TOC, INDEX: Word's own fields */
	}
}

static void blocks(dx *x, xmlTextWriterPtr w, const dt_node *n, int depth, int list_id, int ilvl)
{
	for (int first = 1; n; n = n->next, first = 0)
		block(x, w, n, depth, list_id, ilvl, first);
}

static void write_document(dx *x, xmlTextWriterPtr w)
{
	S(w, "w:document");
	A(w, "xmlns:w", NS_W);
	A(w, "xmlns:r", NS_R);
	A(w, "xmlns:wp", "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing");
	S(w, "w:body");
	int nsec = 0;
	for (const dt_node *s = x->doc->root ? x->doc->root->first : NULL; s; s = s->next) {
		if (s->type == DT_SECTION) {
			if (nsec++) {
				S(w, "w:p");
				S(w, "w:r");
				S(w, "w:br");
				A(w, "w:type", "page");
				E(w);
				E(w);
				E(w);
			}
			if (s->page.no_first_folio)
				x->letter = 1;
			blocks(x, w, s->first, 1, 0, 0);
		} else {
			block(x, w, s, 1, 0, 0, 0);
		}
	}
	S(w, "w:sectPr");
	S(w, "w:footerReference");
	A(w, "w:type", "default");
	A(w, "r:id", "rId6");
	E(w);
	S(w, "w:pgSz");
	AI(w, "w:w", x->page_w);
	AI(w, "w:h", x->page_h);
	if (x->page_w > x->page_h)
		A(w, "w:orient", "landscape");
	E(w);
	S(w, "w:pgMar"); /* left and right: inside and outside when mirrored */
	AI(w, "w:top", x->top);
	AI(w, "w:right", x->outer);
	AI(w, "w:bottom", x->bottom);
	AI(w, "w:left", x->inner);
	A(w, "w:header", "709");
	A(w, "w:footer", "709");
	A(w, "w:gutter", "0");
	E(w);
	if (x->letter) /* a first page of its own: no number on it */
		V(w, "w:titlePg", NULL);
	E(w);
	E(w);
	E(w);
}

static void write_footer(xmlTextWriterPtr w)
{
	S(w, "w:ftr");
	A(w, "xmlns:w", NS_W);
	S(w, "w:p");
	S(w, "w:pPr");
	V(w, "w:jc", "center");
	E(w);
	S(w, "w:fldSimple");
	A(w, "w:instr", " PAGE ");
	text_run(w, "1", 0, 0);
	E(w);
	E(w);
	E(w);
}

static void footnotes_open(xmlTextWriterPtr f)
{
	S(f, "w:footnotes");
	A(f, "xmlns:w", NS_W);
	A(f, "xmlns:r", NS_R);
	for (int id = -1; id <= 0; id++) {
		S(f, "w:footnote");
		A(f, "w:type", id < 0 ? "separator" : "continuationSeparator");
		AI(f, "w:id", id);
		S(f, "w:p");
		S(f, "w:r");
		S(f, id < 0 ? "w:separator" : "w:continuationSeparator");
		E(f);
		E(f);
		E(f);
		E(f);
	}
}

static void write_settings(const dx *x, xmlTextWriterPtr w)
{
	S(w, "w:settings");
	A(w, "xmlns:w", NS_W);
	if (x->inner != x->outer) /* as the PDF: inner is the left of odd pages */
		V(w, "w:mirrorMargins", NULL);
	S(w, "w:defaultTabStop");
	A(w, "w:val", "567");
	E(w);
	S(w, "w:footnotePr");
	S(w, "w:footnote");
	A(w, "w:id", "-1");
	E(w);
	S(w, "w:footnote");
	A(w, "w:id", "0");
	E(w);
	E(w);
	S(w, "w:compat");
	S(w, "w:compatSetting");
	A(w, "w:name", "compatibilityMode");
	A(w, "w:uri", "http://schemas.microsoft.com/office/word");
	A(w, "w:val", "15");
	E(w);
	E(w);
	E(w);
}

static void write_rels(dx *x, xmlTextWriterPtr w)
{
	S(w, "Relationships");
	A(w, "xmlns", "http://schemas.openxmlformats.org/package/2006/relationships");
	static const char *fixed[][2] = {{"styles", "styles.xml"},
	                                 {"numbering", "numbering.xml"},
	                                 {"footnotes", "footnotes.xml"},
	                                 {"settings", "settings.xml"},
	                                 {"fontTable", NULL},
	                                 {"footer", "footer1.xml"}};
	for (int i = 0; i < 6; i++) {
		if (!fixed[i][1])
			continue;
		char id[16], type[128];
		snprintf(id, sizeof id, "rId%d", i + 1);
		snprintf(type, sizeof type, REL "%s", fixed[i][0]);
		S(w, "Relationship");
		A(w, "Id", id);
		A(w, "Type", type);
		A(w, "Target", fixed[i][1]);
		E(w);
	}
	for (size_t i = 0; i < x->nrels; i++) {
		char id[24];
		snprintf(id, sizeof id, "rId%zu", i + 7);
		S(w, "Relationship");
		A(w, "Id", id);
		A(w, "Type", x->rels[i].image ? REL "image" : REL "hyperlink");
		A(w, "Target", x->rels[i].target);
		if (x->rels[i].external)
			A(w, "TargetMode", "External");
		E(w);
	}
	E(w);
}

static void write_content_types(xmlTextWriterPtr w)
{
	S(w, "Types");
	A(w, "xmlns", "http://schemas.openxmlformats.org/package/2006/content-types");
	static const char *defaults[][2] = {
	    {"rels", "application/vnd.openxmlformats-package.relationships+xml"},
	    {"xml", "application/xml"},
	    {"png", "image/png"},
	    {"jpeg", "image/jpeg"}};
	for (int i = 0; i < 4; i++) {
		S(w, "Default");
		A(w, "Extension", defaults[i][0]);
		A(w, "ContentType", defaults[i][1]);
		E(w);
	}
#define WML "application/vnd.openxmlformats-officedocument.wordprocessingml."
	static const char *over[][2] = {
	    {"/word/document.xml", WML "document.main+xml"},
	    {"/word/styles.xml", WML "styles+xml"},
	    {"/word/numbering.xml", WML "numbering+xml"},
	    {"/word/footnotes.xml", WML "footnotes+xml"},
	    {"/word/settings.xml", WML "settings+xml"},
	    {"/word/footer1.xml", WML "footer+xml"},
	    {"/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"}};
#undef WML
	for (int i = 0; i < 7; i++) {
		S(w, "Override");
		A(w, "PartName", over[i][0]);
		A(w, "ContentType", over[i][1]);
		E(w);
	}
	E(w);
}

static void write_package_rels(xmlTextWriterPtr w)
{
	S(w, "Relationships");
	A(w, "xmlns", "http://schemas.openxmlformats.org/package/2006/relationships");
	S(w, "Relationship");
	A(w, "Id", "rId1");
	A(w, "Type", REL "officeDocument");
	A(w, "Target", "word/document.xml");
	E(w);
	S(w, "Relationship");
	A(w, "Id", "rId2");
	A(w, "Type",
	  "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties");
	A(w, "Target", "docProps/core.xml");
	E(w);
	E(w);
}

static void write_core(const dt_doc *doc, xmlTextWriterPtr w)
{
	S(w, "cp:coreProperties");
	A(w, "xmlns:cp", "http://schemas.openxmlformats.org/package/2006/metadata/core-properties");
	A(w, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
	A(w, "xmlns:dcterms", "http://purl.org/dc/terms/");
	A(w, "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
	const char *fields[][2] = {{"dc:title", doc->title},
	                           {"dc:subject", doc->subject},
	                           {"dc:creator", doc->author},
	                           {"cp:keywords", doc->keywords}};
	for (int i = 0; i < 4; i++)
		if (fields[i][1] && *fields[i][1]) {
			S(w, fields[i][0]);
			xmlTextWriterWriteString(w, BAD_CAST fields[i][1]);
			E(w);
		}
	if (doc->created != MS_NO_DAY) {
		char day[16], stamp[32];
		snprintf(stamp, sizeof stamp, "%sT00:00:00Z", val_day_iso(doc->created, day));
		S(w, "dcterms:created");
		A(w, "xsi:type", "dcterms:W3CDTF");
		xmlTextWriterWriteString(w, BAD_CAST stamp);
		E(w);
	}
	E(w);
}

/* Writing --------------------------------------------------------------------------- */

/* Points to twips. */
static long twips(double pt)
{
	return lround(pt * 20);
}

int docx_write(const dt_doc *doc, const dx_page *page, const char *path, ms_diags *d)
{
	dx x;
	memset(&x, 0, sizeof x);
	x.doc = doc;
	x.d = d;
	/* A4 with 25 mm margins unless the style says otherwise */
	dx_page a4 = {595.276, 841.89, 70.9, 70.9, 70.9, 70.9};
	const dx_page *pg = page ? page : &a4;
	/* Word's pages are 22 inches a side at most: a larger paper is
	 * scaled down, margins with it */
	double side = pg->width > pg->height ? pg->width : pg->height, k = 1;
	if (side > WORD_MAX_PT) {
		k = WORD_MAX_PT / side;
		ms_pos pos = ms_pos_file(path);
		ms_diag_add(
		    d, MS_WARNING, &pos,
		    "the style's paper (%.1fin x %.1fin) is larger than Word allows (22in a "
		    "side): the Word version's pages are scaled down to fit",
		    pg->width / 72, pg->height / 72);
	}
	x.page_w = twips(pg->width * k);
	x.page_h = twips(pg->height * k);
	x.top = twips(pg->top * k);
	x.bottom = twips(pg->bottom * k);
	x.inner = twips(pg->inner * k);
	x.outer = twips(pg->outer * k);
	x.text_w = x.page_w - x.inner - x.outer;
	if (x.text_w < 1440 + TABLE_INDENT) /* the style loader allows no less */
		x.text_w = 1440 + TABLE_INDENT;
	xmlTextWriterPtr w;
	xmlBufferPtr body = NULL, foot = NULL, parts[8] = {NULL};
	/* the body first: it decides the lists, notes and relationships */
	if (part_begin(&x, &w, &body) == 0 && part_begin(&x, &x.fw, &foot) == 0) {
		footnotes_open(x.fw);
		write_document(&x, w);
		E(x.fw);
		part_end(x.fw);
		part_end(w);
	} else if (x.fw) {
		part_end(x.fw);
	}
	static const char *names[8] = {"[Content_Types].xml", "_rels/.rels",
	                               "docProps/core.xml",   "word/_rels/document.xml.rels",
	                               "word/styles.xml",     "word/numbering.xml",
	                               "word/settings.xml",   "word/footer1.xml"};
	for (int i = 0; i < 8 && !x.oom; i++) {
		if (part_begin(&x, &w, &parts[i]) < 0)
			break;
		switch (i) {
		case 0: write_content_types(w); break;
		case 1: write_package_rels(w); break;
		case 2: write_core(doc, w); break;
		case 3: write_rels(&x, w); break;
		case 4: write_styles(&x, w); break;
		case 5: write_numbering(&x, w); break;
		case 6: write_settings(&x, w); break;
		default: write_footer(w); break;
		}
		part_end(w);
	}
	int rc = -1;
	char *tmp = ms_printf("%s.tmp.XXXXXX", path);
	int fd = tmp && !x.oom ? mkstemp(tmp) : -1;
	if (fd >= 0) {
		fchmod(fd, 0644);
		close(fd);
		zipFile z = zipOpen64(tmp, APPEND_STATUS_CREATE);
		rc = z ? 0 : -1;
		for (int i = 0; i < 8 && rc == 0; i++) {
			rc = zput_buf(z, names[i], parts[i]);
			if (i == 3 && rc == 0)
				rc = zput_buf(z, "word/document.xml", body);
			if (i == 3 && rc == 0)
				rc = zput_buf(z, "word/footnotes.xml", foot);
		}
		for (size_t i = 0; i < x.nrels && rc == 0; i++) {
			if (!x.rels[i].image)
				continue;
			char *data;
			size_t len;
			int big;
			if (ms_read_file(x.rels[i].path, MAX_IMAGE_BYTES, &data, &len, &big) < 0) {
				rc = -1;
				break;
			}
			char *name = ms_printf("word/%s", x.rels[i].target);
			rc = name ? zput(z, name, data, len) : -1;
			free(name);
			free(data);
		}
		if (z && zipClose(z, NULL) != ZIP_OK)
			rc = -1;
		if (rc == 0 && ms_replace(tmp, path) == 0) {
			rc = 0;
		} else {
			rc = -1;
			unlink(tmp);
		}
	}
	if (rc < 0) {
		ms_pos p = ms_pos_file(path);
		ms_diag_add(d, MS_ENV, &p,
		            x.oom ? "out of memory while writing the Word file"
		                  : "cannot write the Word file: check free disk space and "
		                    "permissions");
	}
	free(tmp);
	if (body)
		xmlBufferFree(body);
	if (foot)
		xmlBufferFree(foot);
	for (int i = 0; i < 8; i++)
		if (parts[i])
			xmlBufferFree(parts[i]);
	for (size_t i = 0; i < x.nrels; i++) {
		free(x.rels[i].target);
		free(x.rels[i].path);
	}
	free(x.rels);
	free(x.list_kinds);
	free(x.list_starts);
	return rc;
}
