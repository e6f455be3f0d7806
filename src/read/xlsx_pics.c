/* xlsx_pics.c — pictures pasted into a worksheet (see xlsx_pics.h).
 *
 * workbook.xml names the sheet and its relationship; the sheet's
 * relationships name its drawing; the drawing's <xdr:pic> elements give
 * each picture's alternative text, anchor cell and media part. Parts are
 * read through the bounded zip reader and parsed with network access off,
 * no entities, no DTD; a DOCTYPE is refused. */
#include "xlsx_pics.h"

#include <fcntl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../util/buf.h"
#include "zip.h"

#define MAX_PICS 200

static int is(const xmlNode *n, const char *local)
{
	return n && n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, local);
}

static const char *attr(const xmlNode *n, const char *local)
{
	for (const xmlAttr *a = n ? n->properties : NULL; a; a = a->next)
		if (!strcmp((const char *)a->name, local) && a->children &&
		    a->children->type == XML_TEXT_NODE)
			return (const char *)a->children->content;
	return NULL;
}

static xmlDoc *part(rz_zip *z, const char *name)
{
	char *data = NULL;
	size_t len = 0;
	const char *why = NULL;
	if (!rz_has(z, name) || rz_read(z, name, &data, &len, &why) < 0)
		return NULL;
	xmlDoc *doc = NULL;
	if (len < INT32_MAX && !strstr(data, "<!DOCTYPE"))
		doc = xmlReadMemory(data, (int)len, name, NULL,
		                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	free(data);
	return doc;
}

/* Walk every element under n depth-first, calling fn. */
typedef void (*visit_fn)(xmlNode *n, void *ctx);
static void walk(xmlNode *n, visit_fn fn, void *ctx, int depth)
{
	for (xmlNode *k = n; k && depth < 64; k = k->next) {
		if (k->type != XML_ELEMENT_NODE)
			continue;
		fn(k, ctx);
		walk(k->children, fn, ctx, depth + 1);
	}
}

/* The target of relationship id in a .rels part, resolved against the
 * folder of the part it belongs to ("xl/worksheets"). Owned. */
static char *rel_target(rz_zip *z, const char *rels, const char *id, const char *base)
{
	xmlDoc *doc = part(z, rels);
	char *out = NULL;
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
	for (xmlNode *r = root ? root->children : NULL; r && !out; r = r->next) {
		if (!is(r, "Relationship") || !attr(r, "Id") || strcmp(attr(r, "Id"), id))
			continue;
		const char *t = attr(r, "Target"), *mode = attr(r, "TargetMode");
		if (!t || (mode && !strcasecmp(mode, "External")))
			break;
		if (t[0] == '/') {
			out = strdup(t + 1);
		} else {
			/* resolve ../ against base */
			ms_buf b;
			ms_buf_init(&b);
			ms_buf_adds(&b, base);
			while (!strncmp(t, "../", 3)) {
				char *sl = b.s ? strrchr(b.s, '/') : NULL;
				if (sl) {
					b.len = (size_t)(sl - b.s);
					b.s[b.len] = 0;
				} else {
					ms_buf_clear(&b);
				}
				t += 3;
			}
			if (b.len)
				ms_buf_addc(&b, '/');
			ms_buf_adds(&b, t);
			out = ms_buf_take(&b);
		}
	}
	if (doc)
		xmlFreeDoc(doc);
	return out;
}

static char *dir_of(const char *p)
{
	const char *sl = strrchr(p, '/');
	return sl ? ms_strndup(p, (size_t)(sl - p)) : strdup("");
}

static char *rels_of(const char *p)
{
	const char *sl = strrchr(p, '/');
	if (!sl)
		return ms_printf("_rels/%s.rels", p);
	return ms_printf("%.*s/_rels/%s.rels", (int)(sl - p), p, sl + 1);
}

typedef struct find_sheet {
	const char *name;
	const char *rid;
} find_sheet;

static void visit_sheet(xmlNode *n, void *ctx)
{
	find_sheet *f = ctx;
	if (is(n, "sheet") && attr(n, "name") && !strcasecmp(attr(n, "name"), f->name) && !f->rid)
		f->rid = attr(n, "id");
}

typedef struct find_rel_type {
	const char *type;
	const char *id;
} find_rel_type;

static void visit_drawing(xmlNode *n, void *ctx)
{
	find_rel_type *f = ctx;
	if (is(n, "drawing") && !f->id)
		f->id = attr(n, "id");
}

typedef struct pics_ctx {
	xmlNode *pics[MAX_PICS];
	size_t n;
} pics_ctx;

static void visit_pic(xmlNode *n, void *ctx)
{
	pics_ctx *p = ctx;
	if ((is(n, "twoCellAnchor") || is(n, "oneCellAnchor") || is(n, "absoluteAnchor")) &&
	    p->n < MAX_PICS)
		p->pics[p->n++] = n;
}

typedef struct pic_bits {
	const char *descr, *embed;
	int row, col;
	int is_pic;
} pic_bits;

static void visit_bits(xmlNode *n, void *ctx)
{
	pic_bits *b = ctx;
	if (is(n, "pic"))
		b->is_pic = 1;
	else if (is(n, "cNvPr") && !b->descr)
		b->descr = attr(n, "descr");
	else if (is(n, "blip") && !b->embed)
		b->embed = attr(n, "embed");
	else if (is(n, "from")) {
		for (xmlNode *k = n->children; k; k = k->next) {
			if (is(k, "row") && k->children)
				b->row = atoi((const char *)k->children->content) + 1;
			if (is(k, "col") && k->children)
				b->col = atoi((const char *)k->children->content) + 1;
		}
	}
}

int xlsx_sheet_pictures(const char *path, const char *sheet, const char *media_dir, int *counter,
                        xlsx_pic **out, size_t *nout)
{
	*out = NULL;
	*nout = 0;
	char *data = NULL;
	size_t len = 0;
	int big = 0;
	if (ms_read_file(path, (size_t)256 << 20, &data, &len, &big) < 0)
		return -1;
	rz_limits zl = {10000, (size_t)64 << 20, (size_t)256 << 20};
	const char *why = NULL;
	rz_zip *z = rz_open_mem(data, len, &zl, &why);
	if (!z) {
		free(data);
		return -1;
	}
	xmlDoc *wb = part(z, "xl/workbook.xml");
	find_sheet fs = {sheet, NULL};
	if (wb)
		walk(xmlDocGetRootElement(wb), visit_sheet, &fs, 0);
	char *sheet_part =
	    fs.rid ? rel_target(z, "xl/_rels/workbook.xml.rels", fs.rid, "xl") : NULL;
	if (wb)
		xmlFreeDoc(wb);
	xmlDoc *sh = sheet_part ? part(z, sheet_part) : NULL;
	find_rel_type fd = {"drawing", NULL};
	if (sh)
		walk(xmlDocGetRootElement(sh), visit_drawing, &fd, 0);
	char *srels = sheet_part ? rels_of(sheet_part) : NULL;
	char *sdir = sheet_part ? dir_of(sheet_part) : NULL;
	char *drawing = fd.id && srels ? rel_target(z, srels, fd.id, sdir) : NULL;
	if (sh)
		xmlFreeDoc(sh);
	xmlDoc *dr = drawing ? part(z, drawing) : NULL;
	pics_ctx pc;
	pc.n = 0;
	if (dr)
		walk(xmlDocGetRootElement(dr), visit_pic, &pc, 0);
	char *drels = drawing ? rels_of(drawing) : NULL;
	char *ddir = drawing ? dir_of(drawing) : NULL;
	xlsx_pic *v = pc.n ? calloc(pc.n, sizeof *v) : NULL;
	size_t n = 0;
	for (size_t i = 0; v && i < pc.n; i++) {
		pic_bits b = {NULL, NULL, 0, 0, 0};
		walk(pc.pics[i]->children, visit_bits, &b, 0);
		if (!b.is_pic || !b.embed)
			continue;
		char *media = rel_target(z, drels, b.embed, ddir);
		char *img = NULL;
		size_t ilen = 0;
		if (!media || rz_read(z, media, &img, &ilen, &why) < 0) {
			free(media);
			continue;
		}
		free(media);
		const char *ext =
		    ilen >= 3 && (unsigned char)img[0] == 0xFF && (unsigned char)img[1] == 0xD8
		        ? "jpg"
		    : ilen >= 8 && !memcmp(img, "\x89PNG\r\n\x1a\n", 8) ? "png"
		                                                        : NULL;
		v[n].row = b.row;
		v[n].col = b.col;
		v[n].descr = b.descr ? strdup(b.descr) : NULL;
		if (ext) {
			char *p = ms_printf("%s/picture%d.%s", media_dir, ++*counter, ext);
			int fdo = p ? open(p, O_WRONLY | O_CREAT | O_EXCL, 0600) : -1;
			int ok = fdo >= 0 && ms_write_all(fdo, img, ilen) == 0;
			if (fdo >= 0)
				ok = close(fdo) == 0 && ok;
			if (ok)
				v[n].path = p;
			else
				free(p);
		}
		free(img);
		n++;
	}
	if (dr)
		xmlFreeDoc(dr);
	free(sheet_part);
	free(srels);
	free(sdir);
	free(drawing);
	free(drels);
	free(ddir);
	rz_close(z);
	free(data);
	*out = v;
	*nout = n;
	return 0;
}

void xlsx_pics_free(xlsx_pic *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].path);
		free(v[i].descr);
	}
	free(v);
}
