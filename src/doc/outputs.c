/* outputs.c — see outputs.h. */
#include "outputs.h"

#include "../util/job.h"
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "typo.h"

struct out_pair {
	out_xlsx_fn fn;
	const void *data;
	const char *path;
	xw_book *book; /* out */
	ms_diags d;    /* the job's own: nothing is shared but read-only data */
	ms_job job;
};

static int run(void *p)
{
	out_pair *j = p;
	j->book = j->fn(j->data, j->path, &j->d);
	return j->book ? 0 : -1;
}

out_pair *out_pair_start(out_xlsx_fn xlsx, const void *data, const char *xlsx_path)
{
	out_pair *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	*p = (out_pair){.fn = xlsx, .data = data, .path = xlsx_path};
	ms_diags_init(&p->d);
	ms_job_start(&p->job, run, p);
	return p;
}

int out_pair_finish(out_pair *p, const dt_doc *doc, const ly_style *st, const char *pdf,
                    const char *password, ly_result *res, ms_diags *d)
{
	if (!p)
		return -1;
	int rc = doc ? doc_render_pdf(doc, st, pdf, password, res, d) : -1;
	ms_job_join(&p->job);
	if (rc == 0) {
		ms_diags_move(d, &p->d);
		rc = p->book ? xw_commit(p->book, d) : -1;
	} else {
		xw_abort(p->book);
	}
	ms_diags_free(&p->d);
	free(p);
	return rc;
}

int out_write_pair(const dt_doc *doc, const ly_style *st, const char *pdf, const char *password,
                   ly_result *res, out_xlsx_fn xlsx, const void *data, const char *xlsx_path,
                   ms_diags *d)
{
	out_pair *p = out_pair_start(xlsx, data, xlsx_path);
	if (!p)
		ms_diag_add(d, MS_ENV, NULL, "out of memory");
	return out_pair_finish(p, doc, st, pdf, password, res, d);
}

void out_sheet_print(xw_sheet *s, const char *mark)
{
	xw_print_setup(s, 1);
	xw_header_footer(s, mark, mark);
}

void out_note_sheet(xw_book *b, const char *mark)
{
	static const char *h[] = {"Note"};
	xw_sheet *s = xw_add_sheet(b, "Note", h, 1, NULL);
	if (!s)
		return;
	xw_text(s, 1, 0, mark);
	xw_text(s, 2, 0,
	        "This workbook is the Implementation Support Unit's working file. Do not "
	        "forward it; the digest (PDF) is what circulates.");
	out_sheet_print(s, mark);
}

void out_split_contact(const char *contact, char **name, char **email)
{
	*name = *email = NULL;
	if (!contact || !*contact)
		return;
	size_t at, len;
	if (!typo_find_link(contact, &at, &len) || contact[at + len - 1] == '/' ||
	    !memchr(contact + at, '@', len)) {
		*name = ms_strdup(contact);
		return;
	}
	*email = ms_strndup(contact + at, len);
	/* the name: the rest, without the brackets and separators around the
	 * address */
	ms_buf b;
	ms_buf_init(&b);
	ms_buf_add(&b, contact, at);
	ms_buf_adds(&b, contact + at + len);
	char *t = b.s ? b.s : NULL;
	if (t) {
		for (char *q; (q = strstr(t, "<>"));)
			memmove(q, q + 2, strlen(q + 2) + 1);
		size_t n = strlen(t);
		while (n && strchr(" ,;:<>()\t", t[n - 1]))
			t[--n] = 0;
		char *p = t;
		while (*p && strchr(" ,;:<>()\t", *p))
			p++;
		if (*p)
			*name = ms_strdup(p);
	}
	ms_buf_free(&b);
}
