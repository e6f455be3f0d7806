/* outputs.c — see outputs.h. */
#include "outputs.h"

#include "../util/job.h"
#include "render.h"

#include <stdlib.h>

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
