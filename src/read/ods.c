/* ods.c — LibreOffice / OpenDocument spreadsheets (see ods.h).
 *
 * content.xml is read with libxml2's streaming reader (network off, no
 * entity substitution, no DTD loading; a DOCTYPE is refused), so a large
 * register costs its cells, not a tree. Repeated rows and columns
 * (table:number-rows-repeated, table:number-columns-repeated) are expanded
 * only for cells that hold something, within the row, column and cell
 * caps: LibreOffice writes a sheet's unused tail as one row repeated a
 * million times. */
#include "ods.h"

#include <libxml/xmlreader.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/buf.h"
#include "sheetb.h"
#include "zip.h"

typedef struct cellv {
	rd_type type;
	double num;
	ms_day day;
	ms_buf text; /* text:p paragraphs joined with '\n' */
	int has_text;
} cellv;

static int name_is(xmlTextReaderPtr r, const char *local)
{
	const xmlChar *n = xmlTextReaderConstLocalName(r);
	return n && !strcmp((const char *)n, local);
}

static char *get_attr(xmlTextReaderPtr r, const char *local)
{
	/* by local name whatever the prefix: office:, table:, calcext: */
	if (xmlTextReaderMoveToFirstAttribute(r) != 1)
		return NULL;
	char *v = NULL;
	do {
		const xmlChar *n = xmlTextReaderConstLocalName(r);
		if (n && !strcmp((const char *)n, local)) {
			const xmlChar *val = xmlTextReaderConstValue(r);
			v = val ? strdup((const char *)val) : NULL;
			break;
		}
	} while (xmlTextReaderMoveToNextAttribute(r) == 1);
	xmlTextReaderMoveToElement(r);
	return v;
}

static long get_count(xmlTextReaderPtr r, const char *local, long cap)
{
	char *v = get_attr(r, local);
	long n = v ? strtol(v, NULL, 10) : 1;
	free(v);
	if (n < 1)
		n = 1;
	return n > cap ? cap : n;
}

/* "2013-06-26" or "2013-06-26T10:30:00" */
static ms_day parse_day(const char *s)
{
	int y, m, d;
	if (!s || sscanf(s, "%d-%d-%d", &y, &m, &d) != 3)
		return MS_NO_DAY;
	return ms_ymd_to_day(y, m, d);
}

/* The text of a cell: <text:p> paragraphs with spans, links, <text:s c=N/>
 * spaces, tabs and line breaks. Reads up to the cell's end element. */
static int read_cell_text(xmlTextReaderPtr r, cellv *cv, int cell_depth, size_t max_bytes)
{
	int paras = 0;
	while (xmlTextReaderRead(r) == 1) {
		int type = xmlTextReaderNodeType(r);
		int depth = xmlTextReaderDepth(r);
		if (type == XML_READER_TYPE_END_ELEMENT && depth == cell_depth)
			return 0;
		if (type == XML_READER_TYPE_ELEMENT) {
			if (name_is(r, "p") || name_is(r, "h")) {
				if (paras++)
					ms_buf_addc(&cv->text, '\n');
				cv->has_text = 1;
			} else if (name_is(r, "s")) {
				long n = get_count(r, "c", 1000);
				for (long i = 0; i < n; i++)
					ms_buf_addc(&cv->text, ' ');
			} else if (name_is(r, "tab")) {
				ms_buf_addc(&cv->text, '\t');
			} else if (name_is(r, "line-break")) {
				ms_buf_addc(&cv->text, '\n');
			} else if (name_is(r, "annotation")) {
				/* a comment on the cell: not its value */
				if (!xmlTextReaderIsEmptyElement(r)) {
					int ad = depth;
					while (xmlTextReaderRead(r) == 1)
						if (xmlTextReaderNodeType(r) ==
						        XML_READER_TYPE_END_ELEMENT &&
						    xmlTextReaderDepth(r) == ad)
							break;
				}
			}
		} else if (type == XML_READER_TYPE_TEXT ||
		           type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
		           type == XML_READER_TYPE_WHITESPACE) {
			const xmlChar *v = xmlTextReaderConstValue(r);
			if (v && (type == XML_READER_TYPE_TEXT || paras))
				ms_buf_adds(&cv->text, (const char *)v);
		}
		if (cv->text.len > max_bytes)
			return -1;
	}
	return -2;
}

typedef struct reader {
	const char *name;
	const rd_limits *lim;
	ms_diags *d;
	rd_book *book;
	size_t cells;
} reader;

static void whole(reader *rd, const char *msg)
{
	ms_pos p = ms_pos_file(rd->name);
	ms_diag_add(rd->d, MS_ERROR, &p, "%s", msg);
}

/* Add a cell (repeated n times across columns). Returns -1 on a cap. */
static int add_cells(reader *rd, rd_sheetb *sb, int row, int col, long n, const cellv *cv,
                     const char *sheet)
{
	if (cv->type == RD_EMPTY)
		return 0;
	for (long k = 0; k < n; k++) {
		int c = col + (int)k;
		if (c > rd->lim->max_cols) {
			ms_pos p = ms_pos_cell(rd->name, sheet, row, rd->lim->max_cols);
			ms_diag_add(rd->d, MS_ERROR, &p,
			            "a cell lies beyond column XFD (16,384 columns)");
			return -1;
		}
		if (++rd->cells > rd->lim->max_cells) {
			whole(rd, "the workbook has more than 5,000,000 cells: split it");
			return -1;
		}
		rd_cell cell = {0};
		cell.row = row;
		cell.col = c;
		cell.type = cv->type;
		cell.num = cv->num;
		cell.day = cv->type == RD_DATE ? cv->day : 0;
		if (cv->type == RD_TEXT || cv->type == RD_ERROR) {
			cell.text = cv->text.s ? cv->text.s : "";
			cell.len = cv->text.len;
		}
		if (rd_sheetb_add(sb, &cell, 1) < 0)
			return -1;
	}
	return 0;
}

static int read_content(reader *rd, const char *xml, size_t len)
{
	if (len > INT32_MAX)
		return -1;
	xmlTextReaderPtr r =
	    xmlReaderForMemory(xml, (int)len, "content.xml", NULL,
	                       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!r) {
		whole(rd, "out of memory reading the workbook");
		return -1;
	}
	int rc = 0, in_sheet = 0, row = 0;
	rd_sheetb sb;
	char *sheet = NULL;
	int ret;
	while ((ret = xmlTextReaderRead(r)) == 1) {
		int type = xmlTextReaderNodeType(r);
		if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
			whole(rd, "the workbook contains a DOCTYPE declaration, which OpenDocument "
			          "never has: the file was tampered with or not written by a "
			          "spreadsheet program");
			rc = -1;
			break;
		}
		if (type == XML_READER_TYPE_END_ELEMENT && name_is(r, "table") && in_sheet) {
			if (rd_sheetb_end(&sb) < 0) {
				rc = -1;
				break;
			}
			in_sheet = 0;
			free(sheet);
			sheet = NULL;
			continue;
		}
		if (type != XML_READER_TYPE_ELEMENT)
			continue;
		if (name_is(r, "table") && !in_sheet) {
			char *nm = get_attr(r, "name");
			sheet = strdup(nm ? nm : "Sheet");
			free(nm);
			const char *kept =
			    sheet ? ms_arena_strdup(rd_book_arena(rd->book), sheet) : NULL;
			if (!kept) {
				rc = -1;
				break;
			}
			rd_sheetb_begin(&sb, rd->book, kept, 0);
			in_sheet = 1;
			row = 0;
			if (xmlTextReaderIsEmptyElement(r)) {
				rd_sheetb_end(&sb);
				in_sheet = 0;
				free(sheet);
				sheet = NULL;
			}
			continue;
		}
		if (!in_sheet)
			continue;
		if (name_is(r, "table-row")) {
			long rep = get_count(r, "number-rows-repeated", 1 << 21);
			int row0 = row + 1;
			row += (int)(rep > INT32_MAX - row ? 0 : rep);
			if (xmlTextReaderIsEmptyElement(r))
				continue;
			/* read the row's cells */
			int rdepth = xmlTextReaderDepth(r), col = 0;
			typedef struct {
				int col;
				long n;
				cellv v;
			} pend;
			pend *cells = NULL;
			size_t nc = 0, cap = 0;
			while ((ret = xmlTextReaderRead(r)) == 1) {
				int t = xmlTextReaderNodeType(r);
				if (t == XML_READER_TYPE_END_ELEMENT &&
				    xmlTextReaderDepth(r) == rdepth)
					break;
				if (t != XML_READER_TYPE_ELEMENT ||
				    !(name_is(r, "table-cell") || name_is(r, "covered-table-cell")))
					continue;
				long n = get_count(r, "number-columns-repeated", 16384);
				cellv cv;
				memset(&cv, 0, sizeof cv);
				ms_buf_init(&cv.text);
				char *vt = get_attr(r, "value-type");
				char *val = get_attr(r, "value");
				char *dv = get_attr(r, "date-value");
				char *bv = get_attr(r, "boolean-value");
				int empty = xmlTextReaderIsEmptyElement(r);
				int cdepth = xmlTextReaderDepth(r);
				if (!empty &&
				    read_cell_text(r, &cv, cdepth, rd->lim->max_cell_bytes) == -1) {
					ms_pos p = ms_pos_cell(rd->name, sheet, row0, col + 1);
					ms_diag_add(rd->d, MS_ERROR, &p,
					            "the cell holds more than 8 MiB of text");
					rc = -1;
				}
				if (vt && (!strcmp(vt, "float") || !strcmp(vt, "percentage") ||
				           !strcmp(vt, "currency"))) {
					cv.type = RD_NUMBER;
					cv.num = val ? strtod(val, NULL) : 0;
				} else if (vt && !strcmp(vt, "date") &&
				           parse_day(dv) != MS_NO_DAY) {
					cv.type = RD_DATE;
					cv.day = parse_day(dv);
					cv.num = (double)cv.day + 25569; /* the 1900 serial */
				} else if (vt && !strcmp(vt, "boolean")) {
					cv.type = RD_BOOL;
					cv.num = bv && !strcmp(bv, "true");
				} else if (cv.has_text && cv.text.len) {
					cv.type = RD_TEXT;
				}
				free(vt);
				free(val);
				free(dv);
				free(bv);
				if (cv.type != RD_EMPTY) {
					if (nc == cap) {
						cap = cap ? cap * 2 : 16;
						pend *v = realloc(cells, cap * sizeof *v);
						if (!v) {
							ms_buf_free(&cv.text);
							rc = -1;
							break;
						}
						cells = v;
					}
					cells[nc].col = col + 1;
					cells[nc].n = n;
					cells[nc].v = cv;
					nc++;
				} else {
					ms_buf_free(&cv.text);
				}
				col += (int)n;
				if (rc < 0 || col > rd->lim->max_cols + 16384)
					break;
			}
			/* the row, repeated: only rows with cells cost anything */
			for (long k = 0; k < rep && nc && rc == 0; k++) {
				int rr = row0 + (int)k;
				if (rr > rd->lim->max_rows) {
					ms_pos p =
					    ms_pos_cell(rd->name, sheet, rd->lim->max_rows, 1);
					ms_diag_add(rd->d, MS_ERROR, &p,
					            "the sheet has more than 1,048,576 rows");
					rc = -1;
					break;
				}
				for (size_t i = 0; i < nc && rc == 0; i++)
					if (add_cells(rd, &sb, rr, cells[i].col, cells[i].n,
					              &cells[i].v, sheet) < 0)
						rc = -1;
			}
			for (size_t i = 0; i < nc; i++)
				ms_buf_free(&cells[i].v.text);
			free(cells);
			if (rc < 0)
				break;
		}
	}
	if (ret < 0 && rc == 0) {
		whole(rd, "the workbook's content is not well-formed XML: the file is damaged; "
		          "save it again");
		rc = -1;
	}
	if (in_sheet)
		rd_sheetb_discard(&sb);
	free(sheet);
	xmlFreeTextReader(r);
	return rc;
}

rd_book *ods_read_mem(const char *name, const void *data, size_t len, const rd_limits *lim,
                      ms_diags *d)
{
	rd_limits def = rd_limits_default();
	if (!lim)
		lim = &def;
	reader rd = {name, lim, d, NULL, 0};
	ms_pos fp = ms_pos_file(name);
	if (len >= 8 && !memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) {
		ms_diag_add(d, MS_ERROR, &fp,
		            "this is a legacy or password-protected file, not an OpenDocument "
		            "spreadsheet: save it as .ods or .xlsx without a password");
		return NULL;
	}
	rz_limits zl = {lim->max_entries, lim->max_entry_bytes, lim->max_total_bytes};
	const char *why = NULL;
	rz_zip *z = rz_open_mem(data, len, &zl, &why);
	if (!z) {
		ms_diag_add(d, MS_ERROR, &fp,
		            "not a zip file (%s): save the workbook again as .ods or .xlsx",
		            why ? why : "damaged");
		return NULL;
	}
	rd_book *b = NULL;
	char *manifest = NULL, *content = NULL;
	size_t mlen = 0, clen = 0;
	if (rz_read(z, "META-INF/manifest.xml", &manifest, &mlen, &why) == 0 && manifest &&
	    strstr(manifest, "encryption-data")) {
		ms_diag_add(d, MS_ERROR, &fp,
		            "the workbook is password-protected: remove the password (File > "
		            "Properties > Security in LibreOffice) and send it again");
		goto done;
	}
	if (rz_read(z, "content.xml", &content, &clen, &why) < 0) {
		ms_diag_add(d, MS_ERROR, &fp,
		            "this .ods has no readable content.xml (%s): save it again from "
		            "LibreOffice",
		            why ? why : "missing");
		goto done;
	}
	b = rd_book_new(name);
	if (!b) {
		ms_diag_add(d, MS_ENV, &fp, "out of memory");
		goto done;
	}
	rd.book = b;
	if (read_content(&rd, content, clen) < 0) {
		rd_book_free(b);
		b = NULL;
	}
done:
	free(manifest);
	free(content);
	rz_close(z);
	return b;
}

rd_book *ods_read(const char *path, const rd_limits *lim, ms_diags *d)
{
	char *data = NULL;
	size_t len = 0;
	int big = 0;
	ms_pos fp = ms_pos_file(path);
	if (ms_read_file(path, (size_t)512 << 20, &data, &len, &big) < 0) {
		ms_diag_add(d, MS_ERROR, &fp,
		            big ? "the workbook is larger than 512 MiB: split it"
		                : "cannot read the file: check that it exists and can be read");
		return NULL;
	}
	rd_book *b = ods_read_mem(path, data, len, lim, d);
	free(data);
	return b;
}
