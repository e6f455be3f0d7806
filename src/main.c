/* main.c — the command line (cli.md). The only place that prints or exits.
 *
 * Every command follows the same steps: parse the arguments, read and
 * validate the inputs into record sets, decide (strict mode, restricted
 * digest without a password) before anything is written, build the
 * documents, write the report, print the diagnostics, choose the exit status:
 * 0 all accepted, 1 some input rejected, 2 usage, 3 environment (3 wins).
 */
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doc/catalogue.h"
#include "doc/digest.h"
#include "doc/paper.h"
#include "doc/progress.h"
#include "doc/templates.h"
#include "doc/tree.h"
#include "layout/layout.h"
#include "model/record.h"
#include "model/value.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/job.h"

#define MSPDOC_VERSION "0.1.0"

static const char usage_text[] =
    "usage: mspdoc COMMAND [OPTIONS] [PATH ...]\n"
    "\n"
    "commands:\n"
    "  build [-i DIR] [-o DIR] [--as-of DATE] [--period P] [--password-file F] [--strict]\n"
    "                     every document the inputs tree has inputs for\n"
    "  check [--as-of DATE] [PATH ...]   read and validate, write nothing\n"
    "  templates [-o DIR]                blank forms for every form kind\n"
    "  catalogue PATH ... [-o PREFIX]    the catalogue of best practices\n"
    "  digest PATH ... [-o PREFIX] [--as-of DATE] [--password-file F]\n"
    "  progress PATH ... [-o PREFIX] [--period P] [--as-of DATE]\n"
    "  paper FILE.md [PATH ...] [-o FILE.pdf] [--period P] [--as-of DATE]\n"
    "\n"
    "options:\n"
    "  --strict          any error: write no output at all\n"
    "  --styles DIR      the style files (default: ./styles, or MSPDOC_STYLES)\n"
    "  --dump-tree       print the document tree instead of writing (single-document commands)\n"
    "  --help, --version\n"
    "\n"
    "The password of a restricted digest comes from --password-file or the\n"
    "MSPDOC_PASSWORD environment variable, never from an argument.\n"
    "Exit status: 0 accepted, 1 some input rejected, 2 usage, 3 environment.\n"
    "See mspdoc(1).\n";

typedef struct opts {
	const char *cmd;
	const char *in, *out, *period, *password_file, *styles;
	ms_day as_of;
	int as_of_given; /* else a working paper's tables are as of its date */
	int strict, dump_tree;
	const char **paths;
	size_t npaths;
} opts;

static ms_diags diags;

/* Printing ------------------------------------------------------------- */

static void print_diags(const ms_diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		if (d->v[i].sev == MS_NOTE)
			continue;
		char *line = ms_diag_line(&d->v[i]);
		if (line)
			fprintf(stderr, "%s\n", line);
		free(line);
	}
}

static int exit_status(const ms_diags *d, int strict)
{
	if (d->count[MS_ENV])
		return 3;
	if (d->count[MS_USAGE])
		return 2;
	if (d->count[MS_ERROR])
		return 1;
	(void)strict;
	return 0;
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "mspdoc: error: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'mspdoc --help'.\n");
	return 2;
}

/* Files ---------------------------------------------------------------- */

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int mkdir_p(const char *dir)
{
	char tmp[PATH_MAX];
	size_t n = strlen(dir);
	if (n == 0 || n >= sizeof tmp)
		return -1;
	memcpy(tmp, dir, n + 1);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(tmp, 0777) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(tmp, 0777) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

/* Make the folder an output goes into; MS_ENV when impossible. */
static int ensure_parent(const char *path)
{
	char *copy = ms_strdup(path);
	if (!copy)
		return -1;
	char *dir = dirname(copy);
	int r = 0;
	if (strcmp(dir, ".") && mkdir_p(dir) < 0) {
		ms_pos p = ms_pos_file(dir);
		ms_diag_add(&diags, MS_ENV, &p,
		            "cannot create the output folder (%s): check the path and permissions",
		            strerror(errno));
		r = -1;
	}
	free(copy);
	return r;
}

/* Write text to path through a temporary file renamed into place. */
static int write_text_file(const char *path, const char *text, size_t len)
{
	if (ensure_parent(path) < 0)
		return -1;
	char *tmp = ms_printf("%s.tmp.XXXXXX", path);
	int fd = tmp ? mkstemp(tmp) : -1;
	if (fd >= 0)
		fchmod(fd, 0644); /* mkstemp makes 0600: outputs are for everyone */
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	int ok = f && fwrite(text, 1, len, f) == len;
	if (f)
		ok = (fclose(f) == 0) && ok;
	else if (fd >= 0)
		close(fd);
	if (ok && ms_replace(tmp, path) == 0) {
		free(tmp);
		return 0;
	}
	ms_pos p = ms_pos_file(path);
	ms_diag_add(&diags, MS_ENV, &p,
	            "cannot write the file (%s): check free disk space and permissions",
	            strerror(errno));
	if (tmp && fd >= 0)
		unlink(tmp);
	free(tmp);
	return -1;
}

/* Styles: --styles, MSPDOC_STYLES, ./styles, then next to the binary. */
static char *styles_dir(const opts *o, const char *argv0)
{
	if (o->styles)
		return ms_strdup(o->styles);
	const char *env = getenv("MSPDOC_STYLES");
	if (env && *env)
		return ms_strdup(env);
	if (is_dir("styles"))
		return ms_strdup("styles");
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = 0;
		char *dir = dirname(exe);
		char *cand = ms_printf("%s/../styles", dir);
		if (cand && is_dir(cand))
			return cand;
		free(cand);
		cand = ms_printf("%s/../share/mspdoc/styles", dir);
		if (cand && is_dir(cand))
			return cand;
		free(cand);
	}
	(void)argv0;
	return ms_strdup("/usr/share/mspdoc/styles");
}

static ly_style *load_style(const char *dir, const char *name)
{
	char *path = ms_printf("%s/%s.style", dir, name);
	ly_style *st = path ? ly_style_load(path, &diags) : NULL;
	free(path);
	return st;
}

/* The restricted digest's password: --password-file (one trailing newline
 * stripped), else MSPDOC_PASSWORD. Never from argv, never printed. */
static char *read_password(const opts *o)
{
	if (o->password_file) {
		char *data;
		size_t len;
		int big;
		if (ms_read_file(o->password_file, 4096, &data, &len, &big) < 0) {
			ms_pos p = ms_pos_file(o->password_file);
			ms_diag_add(&diags, MS_USAGE, &p,
			            big ? "the password file is larger than 4 KB: it should hold "
			                  "only the password"
			                : "cannot read the password file: check the path");
			return NULL;
		}
		if (len && data[len - 1] == '\n')
			data[--len] = 0;
		if (len && data[len - 1] == '\r')
			data[--len] = 0;
		if (len == 0) {
			free(data);
			ms_pos p = ms_pos_file(o->password_file);
			ms_diag_add(&diags, MS_USAGE, &p, "the password file is empty");
			return NULL;
		}
		return data;
	}
	const char *env = getenv("MSPDOC_PASSWORD");
	return env && *env ? ms_strdup(env) : NULL;
}

static void wipe_free(char *s)
{
	if (!s)
		return;
	volatile char *p = s;
	while (*p)
		*p++ = 0;
	free(s);
}

/* Reading -------------------------------------------------------------- */

/* Root of the inputs tree for a PATH given on the command line (rules.md
 * 31): the folder itself, or the folder of a file. */
static char *root_of(const char *path)
{
	if (is_dir(path))
		return ms_strdup(path);
	char *copy = ms_strdup(path);
	char *r = copy ? ms_strdup(dirname(copy)) : NULL;
	free(copy);
	return r;
}

static rec_set *load_paths(const char *const *paths, size_t n, const char *expect)
{
	rec_set *s = rec_set_new();
	if (!s) {
		ms_diag_add(&diags, MS_ENV, NULL, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		if (access(paths[i], F_OK) < 0) {
			ms_pos p = ms_pos_file(paths[i]);
			ms_diag_add(&diags, MS_ERROR, &p, "no such file or folder: check the path");
			continue;
		}
		char *root = root_of(paths[i]);
		if (!root || rec_load(s, paths[i], root, expect, &diags) < 0)
			ms_diag_add(&diags, MS_ENV, NULL, "out of memory while reading %s",
			            paths[i]);
		free(root);
	}
	rec_set_link(s, &diags);
	return s;
}

/* Report --------------------------------------------------------------- */

static void report_head(ms_buf *r, const opts *o)
{
	char day[16];
	ms_buf_printf(r, "mspdoc %s report\n", o->cmd);
	ms_buf_printf(r, "as of: %s\n", val_day_iso(o->as_of, day));
	if (o->period)
		ms_buf_printf(r, "period: %s\n", o->period);
	ms_buf_adds(r, "\n");
}

static void report_diags(ms_buf *r)
{
	ms_buf_printf(r, "Diagnostics: %zu error(s), %zu warning(s)\n",
	              diags.count[MS_ERROR] + diags.count[MS_USAGE] + diags.count[MS_ENV],
	              diags.count[MS_WARNING]);
	for (size_t i = 0; i < diags.n; i++) {
		char *line = ms_diag_line(&diags.v[i]);
		if (line)
			ms_buf_printf(r, "  %s\n", line);
		free(line);
	}
	ms_buf_adds(r, "\n");
}

/* Commands ------------------------------------------------------------- */

static int errors_block_output(const opts *o)
{
	return o->strict && (diags.count[MS_ERROR] || diags.count[MS_USAGE] || diags.count[MS_ENV]);
}

typedef struct job {
	rec_set *catalogue, *portal, *progress, *papers, *other;
} job;

/* The progress data a working paper embeds: as of the paper's date unless
 * --as-of says otherwise (a paper of July 2013 shows the reports due by
 * then, not those overdue today). The model for the whole run when it
 * serves; else a new one the caller frees. Its diagnostics are the run's
 * model's, already given, so they are not repeated. */
static prg_model *paper_model(const opts *o, const job *j, const rec_paper *p, prg_model *model)
{
	if (!model || o->as_of_given || p->date == MS_NO_DAY || p->date == o->as_of)
		return model;
	ms_diags quiet;
	ms_diags_init(&quiet);
	prg_model *m = prg_compute(j->progress, o->period, p->date, &quiet);
	ms_diags_free(&quiet);
	return m ? m : model;
}

static void job_free(job *j)
{
	rec_set_free(j->catalogue);
	rec_set_free(j->portal);
	rec_set_free(j->progress);
	rec_set_free(j->papers);
	rec_set_free(j->other);
}

static int has_any(const rec_set *s)
{
	return s && s->nfiles > 0;
}

/* Build every document the sets have inputs for, into outdir (build) or to
 * the given prefix (single-document commands: only one set is non-NULL). */
static void build_documents(const opts *o, job *j, const char *outdir, const char *prefix,
                            const char *styles, ms_buf *report)
{
	char *password = NULL;
	if (has_any(j->portal) && dig_restricted(j->portal)) {
		password = read_password(o);
		if (!password && !diags.count[MS_USAGE])
			ms_diag_add(
			    &diags, MS_USAGE, NULL,
			    "the digest is restricted (Restricted: yes) but no password was given: "
			    "put it in a file and pass --password-file FILE, or set "
			    "MSPDOC_PASSWORD");
	}
	if (diags.count[MS_USAGE] || errors_block_output(o)) {
		if (errors_block_output(o) && !diags.count[MS_USAGE])
			ms_buf_adds(report, "--strict: errors found, no document written.\n\n");
		wipe_free(password);
		return;
	}

	/* The document builders, one per inputs folder. */
	if (has_any(j->catalogue) && j->catalogue->ncontributions) {
		char *pfx = prefix ? ms_strdup(prefix) : ms_printf("%s/catalogue", outdir);
		ly_style *st = load_style(styles, "book");
		cat_stats cs;
		if (st && pfx && ensure_parent(pfx) == 0 &&
		    cat_build(j->catalogue, st, pfx, &cs, &diags) == 0)
			cat_report(&cs, report);
		ly_style_free(st);
		free(pfx);
	}
	prg_model *model = NULL;
	if (has_any(j->progress) &&
	    (j->progress->nstatuses || j->progress->nreports || j->progress->nfundings))
		model = prg_compute(j->progress, o->period, o->as_of_given ? o->as_of : MS_NO_DAY,
		                    &diags);
	if (model && (!j->papers || !prefix)) {
		char *pfx = prefix ? ms_strdup(prefix) : ms_printf("%s/progress", outdir);
		ly_style *st = load_style(styles, "report");
		prg_stats ps;
		if (st && pfx && ensure_parent(pfx) == 0 &&
		    prg_build(j->progress, model, st, pfx, &ps, &diags) == 0)
			prg_report(&ps, report);
		ly_style_free(st);
		free(pfx);
	}
	if (has_any(j->papers) && j->papers->npapers) {
		ly_style *st = load_style(styles, "paper");
		for (size_t i = 0; st && i < j->papers->npapers; i++) {
			const rec_paper *p = j->papers->papers[i];
			if (p->b.rejected)
				continue;
			char *path = prefix ? ms_strdup(prefix)
			                    : ms_printf("%s/papers/%s.pdf", outdir, p->name);
			int pages = 0;
			prg_model *pm = paper_model(o, j, p, model);
			if (path && ensure_parent(path) == 0 &&
			    pap_build(p, pm, st, path, &pages, &diags) == 0)
				ms_buf_printf(report, "Working paper %s: %s, %d page(s)\n\n",
				              p->symbol, prefix ? path : p->name, pages);
			if (pm != model)
				prg_model_free(pm);
			free(path);
		}
		ly_style_free(st);
	}
	prg_model_free(model);
	if (has_any(j->portal) && j->portal->nentries) {
		char *pfx = prefix ? ms_strdup(prefix) : ms_printf("%s/digest", outdir);
		ly_style *st = load_style(styles, "digest");
		dig_stats ds;
		if (st && pfx && ensure_parent(pfx) == 0 &&
		    dig_build(j->portal, st, pfx, o->as_of, password, &ds, &diags) == 0)
			dig_report(&ds, report);
		ly_style_free(st);
		free(pfx);
	}
	wipe_free(password);
}

static void finish_report(const opts *o, job *j, ms_buf *report, const char *path)
{
	ms_buf body;
	ms_buf_init(&body);
	report_head(&body, o);
	ms_buf_add(&body, report->s ? report->s : "", report->len);
	report_diags(&body);
	rec_set *sets[] = {j->catalogue, j->portal, j->progress, j->papers, j->other};
	for (size_t i = 0; i < 5; i++)
		if (sets[i] && sets[i]->nfiles)
			rec_set_report(sets[i], &body);
	if (!body.oom)
		write_text_file(path, body.s, body.len);
	ms_buf_free(&body);
}

static int cmd_build(const opts *o, const char *styles)
{
	if (!is_dir(o->in))
		return usage_error("the inputs folder '%s' does not exist (use -i DIR)", o->in);
	ly_prepare(NULL); /* the styles' dictionary, loaded while the inputs are read */
	static const char *folders[] = {"catalogue", "portal", "progress", "papers"};
	job j = {0};
	rec_set **slots[] = {&j.catalogue, &j.portal, &j.progress, &j.papers};
	for (size_t i = 0; i < 4; i++) {
		char *dir = ms_printf("%s/%s", o->in, folders[i]);
		if (dir && is_dir(dir)) {
			const char *p = dir;
			*slots[i] = rec_set_new();
			if (*slots[i] && rec_load(*slots[i], p, o->in, folders[i], &diags) < 0)
				ms_diag_add(&diags, MS_ENV, NULL, "out of memory while reading %s",
				            p);
			if (*slots[i])
				rec_set_link(*slots[i], &diags);
		}
		free(dir);
	}
	/* Anything else at the top of the inputs tree is accounted for too. */
	j.other = rec_set_new();
	DIR *top = j.other ? opendir(o->in) : NULL;
	struct dirent *e;
	while (top && (e = readdir(top)) != NULL) {
		int known = e->d_name[0] == '.';
		for (size_t i = 0; i < 4 && !known; i++)
			known = !strcmp(e->d_name, folders[i]);
		if (known)
			continue;
		char *path = ms_printf("%s/%s", o->in, e->d_name);
		if (!path)
			continue;
		if (!strncasecmp(e->d_name, "README", 6)) {
			rec_note_file(j.other, path, FILE_SKIPPED,
			              "README files are documentation, not forms");
		} else {
			ms_pos p = ms_pos_file(path);
			ms_diag_add(
			    &diags, MS_WARNING, &p,
			    "not read: inputs go in %s/catalogue/, portal/, progress/ or papers/",
			    o->in);
			rec_note_file(j.other, path, FILE_NOT_READ,
			              "outside the four input folders");
		}
		free(path);
	}
	if (top)
		closedir(top);
	ms_buf report;
	ms_buf_init(&report);
	build_documents(o, &j, o->out, NULL, styles, &report);
	if (!diags.count[MS_USAGE] && !errors_block_output(o)) {
		char *rp = ms_printf("%s/report.txt", o->out);
		finish_report(o, &j, &report, rp);
		free(rp);
	}
	ms_buf_free(&report);
	job_free(&j);
	print_diags(&diags);
	return exit_status(&diags, o->strict);
}

static int cmd_check(const opts *o)
{
	static const char *def[] = {"inputs"};
	const char *const *paths = o->npaths ? o->paths : def;
	size_t n = o->npaths ? o->npaths : 1;
	rec_set *s = load_paths(paths, n, NULL);
	size_t records = 0, rejected = 0;
	if (s) {
		records = s->ncontributions + s->nbooks + s->nentries + s->ndigests + s->nactions +
		          s->nstatuses + s->nreports + s->nfundings + s->npapers;
		for (size_t i = 0; i < s->nfiles; i++)
			rejected += s->files[i].nrejected;
		/* portal validity as of the date: expiring entries are warnings */
		if (s->nentries)
			dig_check(s, o->as_of, &diags);
	}
	print_diags(&diags);
	fprintf(stderr,
	        "mspdoc check: %zu file(s), %zu record(s), %zu rejected, %zu error(s), %zu "
	        "warning(s)\n",
	        s ? s->nfiles : 0, records, rejected,
	        diags.count[MS_ERROR] + diags.count[MS_ENV] + diags.count[MS_USAGE],
	        diags.count[MS_WARNING]);
	rec_set_free(s);
	return exit_status(&diags, 0);
}

static int cmd_templates(const opts *o)
{
	const char *dir = o->out ? o->out : "out/templates";
	if (mkdir_p(dir) < 0) {
		ms_pos p = ms_pos_file(dir);
		ms_diag_add(&diags, MS_ENV, &p, "cannot create the folder (%s)", strerror(errno));
	} else {
		tpl_write_all(dir, &diags);
	}
	print_diags(&diags);
	if (!diags.count[MS_ENV])
		fprintf(stderr, "mspdoc: templates written to %s\n", dir);
	return exit_status(&diags, 0);
}

/* catalogue | digest | progress | paper */
static int cmd_single(const opts *o, const char *styles)
{
	if (o->npaths == 0)
		return usage_error("'%s' needs at least one PATH (a file or a folder)", o->cmd);
	ly_prepare(NULL);
	job j = {0};
	const char *prefix_default = NULL;
	char *prefix = NULL;
	int is_paper = strcmp(o->cmd, "paper") == 0;
	if (strcmp(o->cmd, "catalogue") == 0) {
		j.catalogue = load_paths(o->paths, o->npaths, "catalogue");
		prefix_default = "out/catalogue";
	} else if (strcmp(o->cmd, "digest") == 0) {
		j.portal = load_paths(o->paths, o->npaths, "portal");
		prefix_default = "out/digest";
	} else if (strcmp(o->cmd, "progress") == 0) {
		j.progress = load_paths(o->paths, o->npaths, "progress");
		prefix_default = "out/progress";
	} else {
		j.papers = load_paths(o->paths, 1, "papers");
		if (o->npaths > 1)
			j.progress = load_paths(o->paths + 1, o->npaths - 1, "progress");
		char *copy = ms_strdup(o->paths[0]);
		char *base = copy ? basename(copy) : NULL;
		char *dot = base ? strrchr(base, '.') : NULL;
		if (dot)
			*dot = 0;
		prefix = ms_printf("out/papers/%s.pdf", base ? base : "paper");
		free(copy);
	}
	if (!prefix)
		prefix = ms_strdup(o->out ? o->out : prefix_default);
	else if (o->out) {
		free(prefix);
		prefix = ms_strdup(o->out);
	}
	int status;
	if (o->dump_tree) {
		prg_model *m =
		    j.progress ? prg_compute(j.progress, o->period,
		                            o->as_of_given ? o->as_of : MS_NO_DAY, &diags)
		               : NULL;
		prg_model *pm =
		    j.papers && j.papers->npapers ? paper_model(o, &j, j.papers->papers[0], m) : m;
		dt_doc *doc = j.catalogue ? cat_tree(j.catalogue, &diags)
		              : j.portal  ? dig_tree(j.portal, o->as_of, &diags)
		              : j.papers && j.papers->npapers
		                  ? pap_tree(j.papers->papers[0], pm, &diags)
		              : m ? prg_tree(j.progress, m, &diags)
		                  : NULL;
		if (pm != m)
			prg_model_free(pm);
		prg_model_free(m);
		if (doc) {
			ms_buf b;
			ms_buf_init(&b);
			dt_dump(doc, &b);
			fwrite(b.s ? b.s : "", 1, b.len, stdout);
			ms_buf_free(&b);
			dt_doc_free(doc);
		}
	} else {
		ms_buf report;
		ms_buf_init(&report);
		build_documents(o, &j, NULL, prefix, styles, &report);
		if (!diags.count[MS_USAGE] && !errors_block_output(o)) {
			char *base = ms_strdup(prefix);
			if (is_paper && base && strlen(base) > 4 &&
			    strcmp(base + strlen(base) - 4, ".pdf") == 0)
				base[strlen(base) - 4] = 0;
			char *rp = ms_printf("%s.report.txt", base ? base : prefix);
			finish_report(o, &j, &report, rp);
			free(rp);
			free(base);
		}
		ms_buf_free(&report);
	}
	status = exit_status(&diags, o->strict);
	job_free(&j);
	free(prefix);
	print_diags(&diags);
	return status;
}

/* Arguments ------------------------------------------------------------ */

static int parse_args(int argc, char **argv, opts *o)
{
	memset(o, 0, sizeof *o);
	o->as_of = val_today();
	o->paths = calloc((size_t)argc, sizeof *o->paths);
	if (!o->paths)
		return -1;
	o->cmd = argv[1];
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;
		int takes = !strcmp(a, "-i") || !strcmp(a, "-o") || !strcmp(a, "--as-of") ||
		            !strcmp(a, "--period") || !strcmp(a, "--password-file") ||
		            !strcmp(a, "--styles");
		if (takes) {
			if (i + 1 >= argc)
				return usage_error("option %s needs a value", a);
			val = argv[++i];
		}
		if (!strcmp(a, "-i"))
			o->in = val;
		else if (!strcmp(a, "-o"))
			o->out = val;
		else if (!strcmp(a, "--period"))
			o->period = val;
		else if (!strcmp(a, "--password-file"))
			o->password_file = val;
		else if (!strcmp(a, "--styles"))
			o->styles = val;
		else if (!strcmp(a, "--as-of")) {
			char msg[200];
			if (val_date(val, &o->as_of, msg, sizeof msg) < 0)
				return usage_error("--as-of: %s", msg);
			o->as_of_given = 1;
		} else if (!strcmp(a, "--strict"))
			o->strict = 1;
		else if (!strcmp(a, "--dump-tree"))
			o->dump_tree = 1;
		else if (!strncmp(a, "--password", 10))
			return usage_error("%s: the password is never given as an argument; use "
			                   "--password-file FILE or the MSPDOC_PASSWORD variable",
			                   a);
		else if (a[0] == '-' && a[1])
			return usage_error("unknown option '%s'", a);
		else
			o->paths[o->npaths++] = a;
	}
	if (!o->in)
		o->in = "inputs";
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("mspdoc %s\n", MSPDOC_VERSION);
		return 0;
	}
	/* A file-size limit (or a full quota) must fail a write, not kill the
	 * run before it can remove its temporary file and say what happened. */
	signal(SIGXFSZ, SIG_IGN);
	opts o;
	if (parse_args(argc, argv, &o) != 0) {
		free(o.paths);
		return 2;
	}
	ms_diags_init(&diags);
	char *styles = styles_dir(&o, argv[0]);
	int status;
	if (!strcmp(o.cmd, "build")) {
		if (!o.out)
			o.out = "out";
		if (o.npaths)
			status =
			    usage_error("build takes no PATH (got '%s'): use -i DIR", o.paths[0]);
		else
			status = cmd_build(&o, styles);
	} else if (!strcmp(o.cmd, "check")) {
		status = cmd_check(&o);
	} else if (!strcmp(o.cmd, "templates")) {
		status = cmd_templates(&o);
	} else if (!strcmp(o.cmd, "catalogue") || !strcmp(o.cmd, "digest") ||
	           !strcmp(o.cmd, "progress") || !strcmp(o.cmd, "paper")) {
		status = cmd_single(&o, styles);
	} else {
		status = usage_error("unknown command '%s'", o.cmd);
	}
	free(styles);
	free(o.paths);
	ms_diags_free(&diags);
	ly_cleanup();
	ms_replace_wait(); /* the files the outputs replaced, released */
	return status;
}
