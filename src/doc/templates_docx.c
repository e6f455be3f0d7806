/* templates_docx.c — the Word templates of `mspdoc templates` (forms.md 6).
 *
 * Each is the Markdown template's content as a Word document: a "Form:"
 * paragraph and one "Name: " paragraph per field at the top, a blank
 * paragraph, then each section as a Heading 2 followed by its guidance in
 * the "Template Instructions" style, which the Word reader takes for the
 * template's own text (an untouched section reads as empty). The zip is
 * written with minizip, entries in a fixed order with a fixed date, so the
 * same program writes the same bytes. */
#include "templates_docx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h> /* minizip's */

#include "../model/vocab.h"
#include "../util/buf.h"
#include "../util/job.h"

static void xml_text(ms_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': ms_buf_adds(b, "&amp;"); break;
		case '<': ms_buf_adds(b, "&lt;"); break;
		case '>': ms_buf_adds(b, "&gt;"); break;
		case '"': ms_buf_adds(b, "&quot;"); break;
		default: ms_buf_addc(b, *s);
		}
	}
}

static void para(ms_buf *b, const char *style, const char *text)
{
	ms_buf_adds(b, "<w:p>");
	if (style)
		ms_buf_printf(b, "<w:pPr><w:pStyle w:val=\"%s\"/></w:pPr>", style);
	if (text && *text) {
		ms_buf_adds(b, "<w:r><w:t xml:space=\"preserve\">");
		xml_text(b, text);
		ms_buf_adds(b, "</w:t></w:r>");
	}
	ms_buf_adds(b, "</w:p>");
}

static const char *type_words(const sch_field *f)
{
	switch (f->type) {
	case SCH_DATE: return "a date, e.g. 2013-06-26 or 26 June 2013";
	case SCH_AMOUNT: return "an amount with its currency, e.g. USD 95,000";
	case SCH_COUNTRY: return "a country";
	case SCH_COUNTRIES: return "countries, separated by ';'";
	case SCH_VOCABS: return "one or more values, separated by ';'";
	case SCH_VOCAB: return "one value";
	default: return NULL;
	}
}

static char *document_xml(const sch_form *f)
{
	ms_buf b;
	ms_buf_init(&b);
	ms_buf_adds(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	                "<w:document xmlns:w=\"http://schemas.openxmlformats.org/"
	                "wordprocessingml/2006/main\"><w:body>");
	char *line = ms_printf("Form: %s", f->name);
	para(&b, NULL, line);
	free(line);
	for (size_t i = 0; i < f->nfields; i++) {
		if (!strcmp(f->fields[i].name, "Type"))
			continue;
		line = ms_printf("%s: ", f->fields[i].name);
		para(&b, NULL, line);
		free(line);
	}
	para(&b, NULL, NULL);
	char *intro = ms_printf(
	    "How to fill in this %s form: write each value after the colon of its "
	    "paragraph above, one paragraph per field, and keep the empty paragraph after "
	    "them. Write in English. Text in this style is the template's guidance: it "
	    "is never printed, and you may delete it.",
	    f->name);
	para(&b, "TemplateInstructions", intro);
	free(intro);
	for (size_t i = 0; i < f->nfields; i++) {
		const sch_field *fd = &f->fields[i];
		if (!strcmp(fd->name, "Type"))
			continue;
		ms_buf g;
		ms_buf_init(&g);
		ms_buf_printf(&g, "%s (%s): %s", fd->name, fd->required ? "required" : "optional",
		              fd->help ? fd->help : "");
		const char *tw = type_words(fd);
		if (tw)
			ms_buf_printf(&g, "; %s", tw);
		if (fd->type == SCH_VOCAB || fd->type == SCH_VOCABS) {
			char *list = voc_list_text((voc_kind)fd->vocab);
			ms_buf_printf(&g, ". Values: %s", list ? list : "");
			free(list);
		}
		if (fd->example && *fd->example)
			ms_buf_printf(&g, ". Example: %s", fd->example);
		ms_buf_addc(&g, '.');
		para(&b, "TemplateInstructions", g.s);
		ms_buf_free(&g);
	}
	for (size_t i = 0; i < f->nsections; i++) {
		para(&b, "Heading2", f->sections[i].name);
		char *h = ms_printf("%s (%s). Use the styles Heading 3, List Bullet, List Number "
		                    "and Quote; insert photos as JPEG pictures, with a caption "
		                    "paragraph below each: 'Caption: ... Credit: ...'.",
		                    f->sections[i].help ? f->sections[i].help : "",
		                    f->sections[i].required ? "required" : "optional");
		para(&b, "TemplateInstructions", h);
		free(h);
	}
	if (f->kind == K_PAPER)
		para(&b, "TemplateInstructions",
		     "The paper's text goes here: each paragraph is numbered in the paper; "
		     "headings are not.");
	ms_buf_adds(&b, "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1418\" "
	                "w:right=\"1418\" w:bottom=\"1418\" w:left=\"1418\" w:header=\"709\" "
	                "w:footer=\"709\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>\n");
	return ms_buf_take(&b);
}

static const char styles_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
    "<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Liberation Serif\" "
    "w:hAnsi=\"Liberation Serif\"/><w:sz w:val=\"22\"/><w:lang w:val=\"en-GB\"/></w:rPr>"
    "</w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"120\"/></w:pPr></w:pPrDefault>"
    "</w:docDefaults>"
    "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name "
    "w:val=\"Normal\"/><w:qFormat/></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/>"
    "<w:spacing w:before=\"360\"/><w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr><w:b/>"
    "<w:sz w:val=\"32\"/></w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/>"
    "<w:spacing w:before=\"240\"/><w:outlineLvl w:val=\"1\"/></w:pPr><w:rPr><w:b/>"
    "<w:sz w:val=\"28\"/></w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Heading3\"><w:name w:val=\"heading 3\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/>"
    "<w:outlineLvl w:val=\"2\"/></w:pPr><w:rPr><w:b/><w:sz w:val=\"24\"/></w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Quote\"><w:name w:val=\"Quote\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:ind w:left=\"720\" "
    "w:right=\"720\"/></w:pPr><w:rPr><w:i/></w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Caption\"><w:name w:val=\"caption\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:qFormat/><w:rPr><w:i/><w:sz w:val=\"18\"/></w:rPr>"
    "</w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"ListBullet\"><w:name w:val=\"List Bullet\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:ind w:left=\"360\" "
    "w:hanging=\"360\"/></w:pPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"ListNumber\"><w:name w:val=\"List Number\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:ind w:left=\"360\" "
    "w:hanging=\"360\"/></w:pPr></w:style>"
    "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"TemplateInstructions\">"
    "<w:name w:val=\"Template Instructions\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>"
    "<w:pPr><w:pBdr><w:left w:val=\"single\" w:sz=\"12\" w:space=\"4\" "
    "w:color=\"1F4E79\"/></w:pBdr><w:shd w:val=\"clear\" w:color=\"auto\" "
    "w:fill=\"EAF1F8\"/></w:pPr><w:rPr><w:i/><w:color w:val=\"44546A\"/>"
    "<w:sz w:val=\"18\"/></w:rPr></w:style>"
    "</w:styles>\n";

static const char content_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" "
    "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Default Extension=\"jpeg\" ContentType=\"image/jpeg\"/>"
    "<Default Extension=\"png\" ContentType=\"image/png\"/>"
    "<Override PartName=\"/word/document.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
    "<Override PartName=\"/word/styles.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
    "</Types>\n";

static const char root_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>\n";

static const char doc_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/styles\" Target=\"styles.xml\"/></Relationships>\n";

static int add_entry(zipFile z, const char *name, const char *data)
{
	zip_fileinfo zi;
	memset(&zi, 0, sizeof zi);
	/* a fixed date (1 January 2000): the same template, the same bytes */
	zi.tmz_date.tm_year = 2000;
	zi.tmz_date.tm_mon = 0;
	zi.tmz_date.tm_mday = 1;
	if (zipOpenNewFileInZip(z, name, &zi, NULL, 0, NULL, 0, NULL, Z_DEFLATED, 6) != ZIP_OK)
		return -1;
	int r = zipWriteInFileInZip(z, data, (unsigned)strlen(data)) == ZIP_OK ? 0 : -1;
	if (zipCloseFileInZip(z) != ZIP_OK)
		r = -1;
	return r;
}

int tpl_write_docx(const char *dir, const sch_form *f, ms_diags *d)
{
	char *path = ms_printf("%s/%s.docx", dir, f->file);
	char *tmp = path ? ms_printf("%s.tmp", path) : NULL;
	char *doc = document_xml(f);
	zipFile z = tmp && doc ? zipOpen(tmp, APPEND_STATUS_CREATE) : NULL;
	int r = z ? 0 : -1;
	if (z) {
		r |= add_entry(z, "[Content_Types].xml", content_types);
		r |= add_entry(z, "_rels/.rels", root_rels);
		r |= add_entry(z, "word/document.xml", doc);
		r |= add_entry(z, "word/_rels/document.xml.rels", doc_rels);
		r |= add_entry(z, "word/styles.xml", styles_xml);
		if (zipClose(z, NULL) != ZIP_OK)
			r = -1;
	}
	if (r == 0 && ms_replace(tmp, path) != 0)
		r = -1;
	if (r != 0) {
		ms_pos p = ms_pos_file(path ? path : dir);
		ms_diag_add(
		    d, MS_ENV, &p,
		    "cannot write the Word template: check free disk space and permissions");
		if (tmp)
			remove(tmp);
	}
	free(doc);
	free(tmp);
	free(path);
	return r;
}
