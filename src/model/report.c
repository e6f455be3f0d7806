/* report.c — the inputs part of report.txt (see rec_set_report). */
#include "../util/buf.h"
#include "record.h"

static const char *state_word(rec_file_state s)
{
	switch (s) {
	case FILE_READ: return "read";
	case FILE_ASSET: return "asset (photo)";
	case FILE_SKIPPED: return "skipped";
	case FILE_NOT_READ: return "NOT READ";
	default: return "FAILED";
	}
}

static void list_rejected(ms_buf *out, rec_base **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i]->rejected) {
			char where[512];
			ms_pos_format(&v[i]->pos, where, sizeof where);
			ms_buf_printf(out, "  %s: %s rejected: %s\n", where,
			              rec_kind_name(v[i]->kind), v[i]->reason ? v[i]->reason : "");
		}
}

void rec_set_report(const rec_set *s, ms_buf *out)
{
	size_t totals[K_COUNT] = {0}, rejected = 0;
	ms_buf_adds(out, "Inputs\n");
	for (size_t i = 0; i < s->nfiles; i++) {
		const rec_file *f = &s->files[i];
		ms_buf_printf(out, "  %s: %s", f->path, state_word(f->state));
		int first = 1;
		for (int k = 0; k < K_COUNT; k++)
			if (f->nrecords[k]) {
				ms_buf_printf(out, "%s%zu %s", first ? ", " : "; ", f->nrecords[k],
				              rec_kind_name(k));
				totals[k] += f->nrecords[k];
				first = 0;
			}
		if (f->nrejected)
			ms_buf_printf(out, " (%zu rejected)", f->nrejected);
		rejected += f->nrejected;
		if (f->note)
			ms_buf_printf(out, " — %s", f->note);
		for (size_t k = 0; k < f->nskipped_sheets; k++)
			ms_buf_printf(out, "%s'%s'",
			              k ? ", " : "; sheets skipped: ", f->skipped_sheets[k]);
		ms_buf_adds(out, "\n");
	}
	ms_buf_printf(out, "  total: %zu file(s)", s->nfiles);
	for (int k = 0; k < K_COUNT; k++)
		if (totals[k])
			ms_buf_printf(out, ", %zu %s", totals[k], rec_kind_name(k));
	ms_buf_printf(out, "; %zu rejected\n", rejected);
	if (rejected) {
		ms_buf_adds(out, "Rejected records\n");
		list_rejected(out, (rec_base **)s->contributions, s->ncontributions);
		list_rejected(out, (rec_base **)s->books, s->nbooks);
		list_rejected(out, (rec_base **)s->entries, s->nentries);
		list_rejected(out, (rec_base **)s->digests, s->ndigests);
		list_rejected(out, (rec_base **)s->actions, s->nactions);
		list_rejected(out, (rec_base **)s->statuses, s->nstatuses);
		list_rejected(out, (rec_base **)s->reports, s->nreports);
		list_rejected(out, (rec_base **)s->fundings, s->nfundings);
		list_rejected(out, (rec_base **)s->papers, s->npapers);
	}
	ms_buf_adds(out, "\n");
}
