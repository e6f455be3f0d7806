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
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "doc/catalogue.h"
#include "doc/digest.h"
#include "doc/letter.h"
#include "doc/paper.h"
#include "doc/portal.h"
#include "doc/progress.h"
#include "doc/render.h"
#include "doc/templates.h"
#include "doc/tree.h"
#include "layout/layout.h"
#include "model/record.h"
#include "model/value.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/hugemap.h"
#include "util/job.h"

/* for --version only: the libraries' own version functions */
#include <cmark-gfm.h>
#include <hpdf.h>
#include <jpeglib.h>
#include <libxml/parser.h>
#include <openssl/crypto.h>
#include <png.h>
#include <xlsxwriter.h>
#include <zlib.h>

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
    "  portal PATH ... [-o DIR] [--as-of DATE] [--password-file F]\n"
    "                     the Cooperation Portal as a static website\n"
    "  progress PATH ... [-o PREFIX] [--period P] [--as-of DATE]\n"
    "  paper FILE.md [PATH ...] [-o FILE.pdf] [--period P] [--as-of DATE]\n"
    "  letter FORM.md [RECIPIENTS.xlsx|.csv] [-o DIR]\n"
    "                     a letter, or one per mission of the list (mail merge)\n"
    "\n"
    "options:\n"
    "  --strict          any error: write no output at all\n"
    "  --styles DIR      the style files (default: MSPDOC_STYLES, else the installed ones)\n"
    "  --dump-tree       print the document tree instead of writing (single-document commands)\n"
    "  --help, --version\n"
    "\n"
    "mspdoc help COMMAND (or COMMAND --help) prints that command's options.\n"
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
	int strict, dump_tree, help;
	unsigned given; /* the OPT_ bits of the options given */
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

#ifndef MSPDOC_DATADIR
#define MSPDOC_DATADIR "/usr/local/share/mspdoc"
#endif

/* Styles: --styles, MSPDOC_STYLES, the repository's styles/ when the
 * program is the in-tree build (build/mspdoc beside src/), the prefix's
 * share/mspdoc/styles when the installed tree was moved, then the data dir
 * compiled in (make PREFIX=...). Never the current folder's styles/: an
 * installed tool does not change with the folder it is run from. */
static char *styles_dir(const opts *o)
{
	if (o->styles)
		return ms_strdup(o->styles);
	const char *env = getenv("MSPDOC_STYLES");
	if (env && *env)
		return ms_strdup(env);
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = 0;
		char *dir = dirname(exe);
		char *src = ms_printf("%s/../src/main.c", dir);
		char *cand = ms_printf("%s/../styles", dir);
		int in_tree = src && cand && access(src, F_OK) == 0 && is_dir(cand);
		free(src);
		if (in_tree)
			return cand;
		free(cand);
		cand = ms_printf("%s/../share/mspdoc/styles", dir);
		if (cand && is_dir(cand))
			return cand;
		free(cand);
	}
	return ms_strdup(MSPDOC_DATADIR "/styles");
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
	const char *src = o->password_file;
	char *data = NULL;
	size_t len = 0;
	ms_pos p = ms_pos_file(src);
	if (src) {
		int big;
		if (ms_read_file(src, 4096, &data, &len, &big) < 0) {
			ms_diag_add(&diags, MS_USAGE, &p, "%s",
			            big ? "the password file is larger than 4 KB: it should hold "
			                  "only the password"
			            : errno == ENODEV
			                ? "the password file is not a regular file (a pipe or a "
			                  "device): put the password in an ordinary file"
			                : "cannot read the password file: check the path");
			return NULL;
		}
		if (len && data[len - 1] == '\n')
			data[--len] = 0;
		if (len && data[len - 1] == '\r')
			data[--len] = 0;
	} else {
		const char *env = getenv("MSPDOC_PASSWORD");
		if (!env || !*env)
			return NULL;
		data = ms_strdup(env);
		len = data ? strlen(data) : 0;
		p = ms_pos_file("MSPDOC_PASSWORD");
	}
	if (!data)
		return NULL;
	/* AES-256 PDF security (qpdf, R6) takes at most 127 bytes of UTF-8: a
	 * longer password makes a digest that no reader opens */
	const char *bad = NULL;
	size_t where;
	if (len == 0)
		bad = src ? "the password file is empty" : "the password is empty";
	else if (memchr(data, 0, len))
		bad = "the password holds a NUL byte: write it as plain text";
	else if (memchr(data, '\n', len) || memchr(data, '\r', len))
		bad = "the password file has more than one line: it should hold only the "
		      "password, on one line";
	else if (!ms_utf8_valid(data, len, &where))
		bad = "the password is not valid UTF-8: save the file as UTF-8";
	else if (len > 127)
		bad = "the password is longer than 127 bytes, the most a PDF's AES-256 "
		      "security takes: choose a shorter one";
	if (bad) {
		ms_diag_add(&diags, MS_USAGE, &p, "%s", bad);
		volatile char *w = data;
		for (size_t i = 0; i < len; i++)
			w[i] = 0;
		free(data);
		return NULL;
	}
	return data;
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
	rec_set *catalogue, *portal, *progress, *papers, *other, *letters;
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

/* The Word version beside a working paper's PDF (documents.md §7): the
 * same tree, its diagnostics given already by the PDF's build. */
static int paper_docx(const rec_paper *p, const prg_model *m, const ly_style *st, const char *pdf)
{
	ms_diags quiet;
	ms_diags_init(&quiet);
	dt_doc *doc = pap_tree(p, m, &quiet);
	ms_diags_free(&quiet);
	size_t n = strlen(pdf);
	char *path = n > 4 && !strcmp(pdf + n - 4, ".pdf")
	                 ? ms_printf("%.*s.docx", (int)(n - 4), pdf)
	                 : ms_printf("%s.docx", pdf);
	int r = doc && path ? doc_render_docx(doc, st, path, &diags) : -1;
	if (!doc || !path)
		ms_diag_add(&diags, MS_ENV, NULL, "out of memory");
	dt_doc_free(doc);
	free(path);
	return r;
}

/* Letters (documents.md §6): each Letter form of the set, mail-merged with
 * every recipients list the set holds. */
static void build_letters(const rec_set *s, const char *outdir, const char *styles, ms_buf *report)
{
	if (!s || !s->nletters)
		return;
	ly_style *st = load_style(styles, "letter");
	char *probe = ms_printf("%s/x", outdir);
	int ok = st && probe && ensure_parent(probe) == 0;
	free(probe);
	for (size_t i = 0; ok && i < s->nletters; i++) {
		const rec_letter *l = s->letters[i];
		if (l->b.rejected)
			continue;
		let_stats ls;
		if (let_build(l, s->recipients, s->nrecipients, st, outdir, &ls, &diags) == 0)
			let_report(l, &ls, outdir, report);
	}
	ly_style_free(st);
}

static void job_free(job *j)
{
	rec_set_free(j->catalogue);
	rec_set_free(j->portal);
	rec_set_free(j->progress);
	rec_set_free(j->papers);
	rec_set_free(j->other);
	rec_set_free(j->letters);
}

static int has_any(const rec_set *s)
{
	return s && s->nfiles > 0;
}

/* Build every document the sets have inputs for, into outdir (build) or to
 * the given prefix (single-document commands: only one set is non-NULL). */
/* Runs ---------------------------------------------------------------- */

/* The output folder is locked for the whole run (flock on a lock file in
 * it, released when the process ends, even when killed): a second run into
 * the same folder waits for the first, so the two never leave one's
 * documents beside the other's report. Under the lock, the temporary files
 * a killed run left (NAME.tmp.XXXXXX beside its outputs) are removed. */
#define LOCK_NAME ".mspdoc.lock"
#define LOCK_WAIT_SECONDS 600

static int is_stale_tmp(const char *name)
{
	const char *t = strstr(name, ".tmp.");
	if (!t || strlen(t + 5) != 6 || strchr(t + 5, '.') || strchr(t + 5, '/'))
		return 0;
	static const char *const kinds[] = {".pdf", ".xlsx", ".txt", ".docx", ".html"};
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
		size_t k = strlen(kinds[i]);
		if ((size_t)(t - name) > k && !strncmp(t - k, kinds[i], k))
			return 1;
	}
	return 0;
}

static void remove_stale(const char *dir, int depth)
{
	DIR *dd = opendir(dir);
	struct dirent *e;
	while (dd && (e = readdir(dd)) != NULL) {
		/* only names that could be ours are looked at: an output folder
		 * may be one the user keeps thousands of files in */
		if (e->d_name[0] == '.' ||
		    !(is_stale_tmp(e->d_name) || (depth == 0 && !strcmp(e->d_name, "papers"))))
			continue;
		char *p = ms_printf("%s/%s", dir, e->d_name);
		struct stat st;
		if (p && lstat(p, &st) == 0) {
			if (S_ISREG(st.st_mode) && is_stale_tmp(e->d_name))
				unlink(p);
			else if (S_ISDIR(st.st_mode) && depth == 0 && !strcmp(e->d_name, "papers"))
				remove_stale(p, 1);
		}
		free(p);
	}
	if (dd)
		closedir(dd);
}

static int lock_fd = -1, lock_busy = 0;

/* 0 when the folder is ours (or cannot be locked: writing it will then
 * fail and say why); -1 with MS_ENV when another run holds it too long. */
static int lock_outputs(const char *dir)
{
	if (lock_fd >= 0 || mkdir_p(dir) < 0)
		return 0;
	char *lp = ms_printf("%s/%s", dir, LOCK_NAME);
	int fd = lp ? open(lp, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0644) : -1;
	free(lp);
	if (fd < 0)
		return 0;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		fprintf(stderr,
		        "mspdoc: another mspdoc run is writing into %s: waiting for it to "
		        "finish\n",
		        dir);
		int ok = 0;
		for (int i = 0; i < LOCK_WAIT_SECONDS * 5 && !ok; i++) {
			struct timespec ts = {0, 200000000};
			nanosleep(&ts, NULL);
			ok = flock(fd, LOCK_EX | LOCK_NB) == 0;
		}
		if (!ok) {
			close(fd);
			lock_busy = 1;
			ms_pos p = ms_pos_file(dir);
			ms_diag_add(&diags, MS_ENV, &p,
			            "another mspdoc run has been writing into this folder for %d "
			            "minutes: let it finish, or choose another folder with -o",
			            LOCK_WAIT_SECONDS / 60);
			return -1;
		}
	}
	lock_fd = fd;
	remove_stale(dir, 0);
	return 0;
}

static void build_documents(const opts *o, job *j, const char *outdir, const char *prefix,
                            const char *styles, ms_buf *report)
{
	char *password = NULL;
	if (has_any(j->portal) && dig_restricted(j->portal)) {
		password = read_password(o);
		if (!password && !diags.count[MS_USAGE])
			ms_diag_add(
			    &diags, MS_USAGE, NULL,
			    "the %s is restricted (Restricted: yes) but no password was given: "
			    "put it in a file and pass --password-file FILE, or set "
			    "MSPDOC_PASSWORD",
			    strcmp(o->cmd, "portal") ? "digest" : "portal");
	}
	if (diags.count[MS_USAGE] || errors_block_output(o)) {
		if (errors_block_output(o) && !diags.count[MS_USAGE])
			ms_buf_adds(report, "--strict: errors found, no document written.\n\n");
		wipe_free(password);
		return;
	}
	{ /* the folder the outputs go into: locked before anything is written */
		char *copy = prefix ? ms_strdup(prefix) : NULL;
		const char *dir = outdir ? outdir : copy ? dirname(copy) : ".";
		int busy = lock_outputs(dir) < 0;
		free(copy);
		if (busy) {
			wipe_free(password);
			return;
		}
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
			    pap_build(p, pm, st, path, &pages, &diags) == 0 &&
			    paper_docx(p, pm, st, path) == 0)
				ms_buf_printf(report,
				              "Working paper %s: %s, %d page(s), and .docx\n\n",
				              p->symbol, prefix ? path : p->name, pages);
			if (pm != model)
				prg_model_free(pm);
			free(path);
		}
		ly_style_free(st);
	}
	prg_model_free(model);
	if (has_any(j->letters)) {
		char *dir = prefix ? ms_strdup(prefix) : ms_printf("%s/letters", outdir);
		if (dir)
			build_letters(j->letters, dir, styles, report);
		free(dir);
	}
	int site_only = !strcmp(o->cmd, "portal");
	if (has_any(j->portal) && j->portal->nentries && !site_only) {
		char *pfx = prefix ? ms_strdup(prefix) : ms_printf("%s/digest", outdir);
		ly_style *st = load_style(styles, "digest");
		dig_stats ds;
		if (st && pfx && ensure_parent(pfx) == 0 &&
		    dig_build(j->portal, st, pfx, o->as_of, password, &ds, &diags) == 0)
			dig_report(&ds, report);
		ly_style_free(st);
		free(pfx);
	}
	/* the portal site: with build, beside the digest; alone with portal */
	if (has_any(j->portal) && j->portal->nentries && (site_only || !prefix)) {
		char *dir = prefix ? ms_strdup(prefix) : ms_printf("%s/portal", outdir);
		por_stats ps;
		if (dir && ensure_parent(dir) == 0 &&
		    por_build(j->portal, styles, dir, o->as_of, password, &ps, &diags) == 0)
			por_report(&ps, prefix ? dir : "portal", report);
		free(dir);
	}
	wipe_free(password);
}

static void finish_report(const opts *o, job *j, ms_buf *report, const char *path)
{
	if (lock_busy) /* another run's folder: nothing of ours goes in */
		return;
	ms_buf body;
	ms_buf_init(&body);
	report_head(&body, o);
	ms_buf_add(&body, report->s ? report->s : "", report->len);
	report_diags(&body);
	rec_set *sets[] = {j->catalogue, j->portal, j->progress, j->papers, j->letters, j->other};
	for (size_t i = 0; i < 6; i++)
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
	static const char *folders[] = {"catalogue", "portal", "progress", "papers", "letters"};
	job j = {0};
	rec_set **slots[] = {&j.catalogue, &j.portal, &j.progress, &j.papers, &j.letters};
	for (size_t i = 0; i < 5; i++) {
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
		for (size_t i = 0; i < 5 && !known; i++)
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
			    "not read: inputs go in %s/catalogue/, portal/, progress/, papers/ or "
			    "letters/",
			    o->in);
			rec_note_file(j.other, path, FILE_NOT_READ,
			              "outside the five input folders");
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
	if (!o->npaths && !is_dir(def[0]))
		return usage_error("%s", "no PATH given and no inputs folder here: name the files "
		                         "or folders to check");
	const char *const *paths = o->npaths ? o->paths : def;
	size_t n = o->npaths ? o->npaths : 1;
	rec_set *s = load_paths(paths, n, NULL);
	size_t records = 0, rejected = 0;
	if (s) {
		records = s->ncontributions + s->nbooks + s->nentries + s->ndigests + s->nactions +
		          s->nstatuses + s->nreports + s->nfundings + s->npapers + s->nletters +
		          s->nrecipients;
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
	} else if (strcmp(o->cmd, "portal") == 0) {
		j.portal = load_paths(o->paths, o->npaths, "portal");
		prefix_default = "out/portal";
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
		prg_model *m = j.progress
		                   ? prg_compute(j.progress, o->period,
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
			/* the site's -o DIR/ is the folder DIR: its report goes beside it */
			for (size_t n = base && !strcmp(o->cmd, "portal") ? strlen(base) : 0;
			     n > 1 && base[n - 1] == '/'; n--)
				base[n - 1] = 0;
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

/* letter FORM.md [RECIPIENTS.xlsx|.csv] [-o DIR] */
static int cmd_letter(const opts *o, const char *styles)
{
	if (o->npaths < 1 || o->npaths > 2)
		return usage_error("%s", o->npaths
		                             ? "'letter' takes one Letter form and at most one "
		                               "recipients list"
		                             : "'letter' needs a Letter form (FORM.md)");
	job j = {0};
	j.letters = load_paths(o->paths, 1, "letters");
	if (j.letters && o->npaths == 2) {
		char *root = root_of(o->paths[1]);
		if (access(o->paths[1], F_OK) < 0) {
			ms_pos p = ms_pos_file(o->paths[1]);
			ms_diag_add(&diags, MS_ERROR, &p, "no such file: check the path");
		} else if (!root || rec_load_recipients(j.letters, o->paths[1], root, &diags) < 0) {
			ms_diag_add(&diags, MS_ENV, NULL, "out of memory while reading %s",
			            o->paths[1]);
		}
		free(root);
	}
	if (j.letters && !j.letters->nletters && !diags.count[MS_ERROR]) {
		ms_pos p = ms_pos_file(o->paths[0]);
		ms_diag_add(&diags, MS_ERROR, &p,
		            "no Letter form read: the file must start with 'Form: Letter' "
		            "('mspdoc templates' writes one)");
	}
	if (j.letters && o->npaths == 2 && !j.letters->nrecipients && !diags.count[MS_ERROR]) {
		ms_pos p = ms_pos_file(o->paths[1]);
		ms_diag_add(&diags, MS_ERROR, &p,
		            "no mission read from the recipients list: it needs the columns "
		            "Mission, Address, Salutation and E-mail in its first row, and a row "
		            "for each mission");
	}
	const char *dir = o->out ? o->out : "out/letters";
	if (o->dump_tree) {
		if (j.letters && j.letters->nletters) {
			dt_doc *doc =
			    let_tree(j.letters->letters[0],
			             j.letters->nrecipients ? j.letters->recipients[0] : NULL);
			ms_buf b;
			ms_buf_init(&b);
			if (doc)
				dt_dump(doc, &b);
			fwrite(b.s ? b.s : "", 1, b.len, stdout);
			ms_buf_free(&b);
			dt_doc_free(doc);
		}
	} else if (!errors_block_output(o)) {
		ms_buf report;
		ms_buf_init(&report);
		build_letters(j.letters, dir, styles, &report);
		char *rp = ms_printf("%s/report.txt", dir);
		if (rp && j.letters)
			finish_report(o, &j, &report, rp);
		free(rp);
		ms_buf_free(&report);
	}
	int status = exit_status(&diags, o->strict);
	job_free(&j);
	print_diags(&diags);
	return status;
}

/* Help, suggestions and versions ----------------------------------------
 *
 * Each command's page (`mspdoc help COMMAND`, `COMMAND --help`) is made from
 * command_docs[] and option_docs[]; the same tables say which options a
 * command takes and give the names a mistyped one is compared with. A new
 * command: add it to usage_text, to command_docs[] and to main(). */

enum {
	OPT_IN = 1u << 0,
	OPT_OUT = 1u << 1,
	OPT_AS_OF = 1u << 2,
	OPT_PERIOD = 1u << 3,
	OPT_PASSWORD_FILE = 1u << 4,
	OPT_STRICT = 1u << 5,
	OPT_STYLES = 1u << 6,
	OPT_DUMP_TREE = 1u << 7,
};

typedef struct option_doc {
	unsigned bit;
	const char *name, *arg, *text;
} option_doc;

static const option_doc option_docs[] = {
    {OPT_IN, "-i", "DIR", "the inputs tree (default: inputs)"},
    {OPT_OUT, "-o", NULL, NULL}, /* its text is the command's */
    {OPT_AS_OF, "--as-of", "DATE",
     "the date (YYYY-MM-DD) that decides which portal\n"
     "entries are valid and which Article 7 reports are\n"
     "overdue (default: today, or the date of\n"
     "SOURCE_DATE_EPOCH when it is set)"},
    {OPT_PERIOD, "--period", "P",
     "the progress period, as written in the Period\n"
     "column: a year such as 2012, or a date (default:\n"
     "the latest in the data)"},
    {OPT_PASSWORD_FILE, "--password-file", "F",
     "the file holding a restricted digest's password\n"
     "(else the MSPDOC_PASSWORD variable; never an\n"
     "argument)"},
    {OPT_STRICT, "--strict", NULL, "any error: write no output at all (exit 1)"},
    {OPT_STYLES, "--styles", "DIR",
     "the style files (else MSPDOC_STYLES, else the\n"
     "installed ones; mspdoc --version names them)"},
    {OPT_DUMP_TREE, "--dump-tree", NULL,
     "print the document tree as text instead of\n"
     "writing files"},
};

typedef struct command_doc {
	const char *name, *args, *what;
	const char *out_arg, *out; /* what -o names, and its text */
	unsigned opts;
} command_doc;

#define OPT_DOC (OPT_OUT | OPT_AS_OF | OPT_STRICT | OPT_STYLES | OPT_DUMP_TREE)

static const command_doc command_docs[] = {
    {"build", "",
     "Reads the inputs tree and writes every document it has inputs for:\n"
     "  DIR/catalogue/  ->  catalogue.pdf, catalogue.xlsx\n"
     "  DIR/portal/     ->  digest.pdf, digest.xlsx, portal/ (the website)\n"
     "  DIR/progress/   ->  progress.pdf, progress.xlsx\n"
     "  DIR/papers/     ->  papers/NAME.pdf, papers/NAME.docx\n"
     "  DIR/letters/    ->  letters/NAME.pdf, .docx (and per mission)\n"
     "and report.txt: every file read, what was accepted or rejected and why.",
     "DIR", "where the documents go (default: out)",
     OPT_IN | OPT_OUT | OPT_AS_OF | OPT_PERIOD | OPT_PASSWORD_FILE | OPT_STRICT | OPT_STYLES},
    {"check", " [PATH ...]",
     "Reads and validates files and folders (default: inputs), prints every\n"
     "message and a count, and writes nothing.",
     NULL, NULL, OPT_AS_OF},
    {"templates", "",
     "Writes blank forms, Markdown and XLSX, for every kind of form, to send\n"
     "to States and organisations.",
     "DIR", "the folder (default: out/templates)", OPT_OUT},
    {"catalogue", " PATH ...",
     "Builds the catalogue of best practices from Contribution forms, one Book\n"
     "form and their photos: PREFIX.pdf, PREFIX.xlsx and PREFIX.report.txt.",
     "PREFIX", "the output files' path without extension\n(default: out/catalogue)", OPT_DOC},
    {"digest", " PATH ...",
     "Builds the Cooperation Portal digest from Need, Offer and Experience\n"
     "entries and one Digest form: PREFIX.pdf, PREFIX.xlsx, PREFIX.report.txt.",
     "PREFIX", "the output files' path without extension\n(default: out/digest)",
     OPT_DOC | OPT_PASSWORD_FILE},
    {"portal", " PATH ...",
     "Writes the Cooperation Portal as a static website from Need, Offer and\n"
     "Experience entries and one Digest form: one folder of pages to publish\n"
     "as it is (encrypted when the Digest says Restricted: yes), with\n"
     "DIR.report.txt beside it.",
     "DIR", "the site's folder, replaced as a whole\n(default: out/portal)",
     OPT_OUT | OPT_AS_OF | OPT_STRICT | OPT_STYLES | OPT_PASSWORD_FILE},
    {"progress", " PATH ...",
     "Builds the progress-report tables from Actions, Status, Reports and\n"
     "Funding tables: PREFIX.pdf, PREFIX.xlsx and PREFIX.report.txt.",
     "PREFIX", "the output files' path without extension\n(default: out/progress)",
     OPT_DOC | OPT_PERIOD},
    {"paper", " FILE.md [PATH ...]",
     "Typesets one working paper; the PATHs after it are the progress data\n"
     "its tables and charts are made from.",
     "FILE.pdf", "the PDF file (default: out/papers/NAME.pdf)", OPT_DOC | OPT_PERIOD},
    {"letter", " FORM.md [RECIPIENTS.xlsx|.csv]",
     "Writes a letter from a Letter form as NAME.pdf and NAME.docx; with a\n"
     "recipients list (Mission, Address, Salutation, E-mail), also one letter\n"
     "per mission in NAME/, all of them in NAME-all.pdf, and the mailing\n"
     "register NAME-register.xlsx.",
     "DIR", "the folder (default: out/letters)", OPT_OUT | OPT_STRICT | OPT_STYLES | OPT_DUMP_TREE},
};

static const command_doc *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof command_docs / sizeof *command_docs; i++)
		if (!strcmp(command_docs[i].name, name))
			return &command_docs[i];
	return NULL;
}

static void print_option(FILE *f, const char *name, const char *arg, const char *text)
{
	char head[40];
	snprintf(head, sizeof head, "%s%s%s", name, arg ? " " : "", arg ? arg : "");
	fprintf(f, "  %-20s", head);
	for (const char *t = text; *t; t++) { /* continuation lines indented */
		fputc(*t, f);
		if (*t == '\n')
			fprintf(f, "  %-20s", "");
	}
	fputc('\n', f);
}

static void print_command_help(const command_doc *c, FILE *f)
{
	int col = fprintf(f, "usage: mspdoc %s%s", c->name, c->args);
	int indent = (int)strlen("usage: mspdoc ") + (int)strlen(c->name);
	for (size_t i = 0; i < sizeof option_docs / sizeof *option_docs; i++) {
		const option_doc *d = &option_docs[i];
		const char *arg = d->bit == OPT_OUT ? c->out_arg : d->arg;
		if (!(c->opts & d->bit) || d->bit == OPT_DUMP_TREE)
			continue;
		char item[48];
		int len = snprintf(item, sizeof item, " [%s%s%s]", d->name, arg ? " " : "",
		                   arg ? arg : "");
		if (col + len > 79)
			col = fprintf(f, "\n%*s", indent, "") - 1;
		col += fprintf(f, "%s", item);
	}
	fprintf(f, "\n\n%s\n\noptions:\n", c->what);
	for (size_t i = 0; i < sizeof option_docs / sizeof *option_docs; i++) {
		const option_doc *d = &option_docs[i];
		if (c->opts & d->bit)
			print_option(f, d->name, d->bit == OPT_OUT ? c->out_arg : d->arg,
			             d->bit == OPT_OUT ? c->out : d->text);
	}
	print_option(f, "--help", NULL, "this text");
	fprintf(f, "\nExit status: 0 accepted, 1 some input rejected, 2 usage, 3 environment.\n"
	           "See mspdoc(1).\n");
}

/* Edit distance with adjacent transpositions (optimal string alignment):
 * "bulid" is one edit from "build". Names here are short; longer strings
 * are not compared. */
static size_t edit_distance(const char *a, const char *b)
{
	enum { MAX = 32 };
	size_t n = strlen(a), m = strlen(b);
	if (n >= MAX || m >= MAX)
		return MAX;
	size_t d[MAX + 1][MAX + 1];
	for (size_t i = 0; i <= n; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= n; i++)
		for (size_t j = 1; j <= m; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t v = d[i - 1][j - 1] + cost;
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[n][m];
}

/* The nearest of names to what was typed, or NULL when none is close:
 * at most 2 edits and fewer than half the name's letters, or what was
 * typed is the start of exactly one name ("cat" for catalogue). */
static const char *nearest(const char *typed, const char *const *names, size_t n)
{
	const char *best = NULL, *prefix = NULL;
	size_t best_d = (size_t)-1, nprefix = 0, len = strlen(typed);
	for (size_t i = 0; i < n; i++) {
		size_t d = edit_distance(typed, names[i]);
		size_t nl = strlen(names[i]);
		if (d <= 2 && 2 * d < nl && d < best_d) {
			best = names[i];
			best_d = d;
		}
		if (len >= 3 && len < nl && !strncmp(typed, names[i], len)) {
			prefix = names[i];
			nprefix++;
		}
	}
	return best ? best : nprefix == 1 ? prefix : NULL;
}

static const char *suggest_command(const char *typed)
{
	const char *names[sizeof command_docs / sizeof *command_docs + 1];
	size_t n = 0;
	for (; n < sizeof command_docs / sizeof *command_docs; n++)
		names[n] = command_docs[n].name;
	names[n++] = "help";
	return nearest(typed, names, n);
}

static const char *suggest_option(const char *typed)
{
	const char *names[sizeof option_docs / sizeof *option_docs + 2];
	size_t n = 0;
	for (; n < sizeof option_docs / sizeof *option_docs; n++)
		names[n] = option_docs[n].name;
	names[n++] = "--help";
	names[n++] = "--version";
	/* long options are compared without their dashes: "-as-of" and
	 * "as-of" are near "--as-of" too */
	const char *t = typed;
	while (*t == '-')
		t++;
	const char *bare[sizeof names / sizeof *names];
	for (size_t i = 0; i < n; i++) {
		bare[i] = names[i];
		while (*bare[i] == '-')
			bare[i]++;
	}
	const char *b = strlen(t) > 1 ? nearest(t, bare, n) : NULL;
	for (size_t i = 0; b && i < n; i++)
		if (bare[i] == b)
			return names[i];
	return NULL;
}

/* "unknown command 'X'" with the nearest name when there is one. */
static int unknown_name(const char *what, const char *typed, const char *near)
{
	fprintf(stderr, "mspdoc: error: unknown %s '%s'", what, typed);
	if (near)
		fprintf(stderr, ": did you mean '%s'?", near);
	fprintf(stderr, "\nTry 'mspdoc --help'.\n");
	return 2;
}

/* libxml2's run-time version is a number: 20914 is 2.9.14. */
static void print_versions(const char *styles)
{
	printf("mspdoc %s\n\nlibraries (the version running, else the one built with):\n",
	       MSPDOC_VERSION);
	int x = atoi(xmlParserVersion);
	printf("  libharu        %s\n", HPDF_GetVersion());
	printf("  libxlsxwriter  %s\n", lxw_version());
	printf("  libxml2        %d.%d.%d\n", x / 10000, x / 100 % 100, x % 100);
	printf("  cmark-gfm      %s\n", cmark_version_string());
	printf("  zlib           %s\n", zlibVersion());
	printf("  libpng         %s\n", png_get_libpng_ver(NULL));
#ifdef LIBJPEG_TURBO_VERSION
#define MS_STR_(x) #x
#define MS_STR(x) MS_STR_(x)
	printf("  libjpeg-turbo  %s (built with)\n", MS_STR(LIBJPEG_TURBO_VERSION));
#endif
	printf("  OpenSSL        %s\n", OpenSSL_version(OPENSSL_VERSION_STRING));
	printf("  minizip        (gives no version)\n");
	printf("  libhyphen      (gives no version)\n");
	printf("  libqpdf        loaded only to encrypt a restricted digest\n");
	char real[PATH_MAX];
	printf("\nstyles: %s\n", realpath(styles, real) ? real : styles);
}

/* Arguments ------------------------------------------------------------ */

/* The bit of a known option taking a value, or 0. */
static unsigned option_bit(const char *a)
{
	for (size_t i = 0; i < sizeof option_docs / sizeof *option_docs; i++)
		if (!strcmp(a, option_docs[i].name))
			return option_docs[i].bit;
	return 0;
}

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
		/* --as-of=DATE is --as-of DATE */
		char name[32];
		const char *eq = !strncmp(a, "--", 2) ? strchr(a, '=') : NULL;
		if (eq && (size_t)(eq - a) < sizeof name) {
			memcpy(name, a, (size_t)(eq - a));
			name[eq - a] = 0;
			a = name;
			val = eq + 1;
		}
		o->given |= option_bit(a);
		int takes = !strcmp(a, "-i") || !strcmp(a, "-o") || !strcmp(a, "--as-of") ||
		            !strcmp(a, "--period") || !strcmp(a, "--password-file") ||
		            !strcmp(a, "--styles");
		if (takes && !val) {
			if (i + 1 >= argc)
				return usage_error("option %s needs a value", a);
			val = argv[++i];
		} else if (!takes && val && option_bit(a)) {
			return usage_error("option %s takes no value", a);
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
		else if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			o->help = 1;
		else if (!strncmp(a, "--password", 10))
			return usage_error("%s: the password is never given as an argument; use "
			                   "--password-file FILE or the MSPDOC_PASSWORD variable",
			                   a);
		else if (a[0] == '-' && a[1])
			return unknown_name("option", a, suggest_option(a));
		else
			o->paths[o->npaths++] = a;
	}
	if (!o->in)
		o->in = "inputs";
	return 0;
}

/* An option the command does not take is a usage error: `templates -i
 * forms` would otherwise write blank forms and ignore the folder. Only the
 * options of option_docs[] are checked. */
static int check_options(const command_doc *c, const opts *o)
{
	for (size_t i = 0; i < sizeof option_docs / sizeof *option_docs; i++) {
		const option_doc *d = &option_docs[i];
		if ((o->given & d->bit) && !(c->opts & d->bit)) {
			fprintf(stderr,
			        "mspdoc: error: '%s' does not take %s\nTry 'mspdoc %s --help'.\n",
			        c->name, d->name, c->name);
			return 2;
		}
	}
	return 0;
}

/* Every PATH must exist before anything is read or written: a mistyped
 * folder is a usage error (exit 2), not an empty document and a report. */
static int check_paths(const opts *o)
{
	int bad = 0;
	for (size_t i = 0; i < o->npaths; i++) {
		struct stat st;
		if (stat(o->paths[i], &st) < 0) {
			fprintf(stderr, "mspdoc: error: %s: %s: check the path\n", o->paths[i],
			        errno == ENOENT || errno == ENOTDIR ? "no such file or folder"
			                                            : strerror(errno));
			bad = 1;
		}
	}
	if (bad)
		fprintf(stderr, "Nothing was written.\n");
	return bad ? 2 : 0;
}

int main(int argc, char **argv)
{
	ms_heap_setup();
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    (!strcmp(argv[1], "help") && argc == 2)) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "help")) { /* help COMMAND */
		const command_doc *c = find_command(argv[2]);
		if (!c)
			return unknown_name("command", argv[2], suggest_command(argv[2]));
		print_command_help(c, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		opts none = {0};
		char *styles = styles_dir(&none);
		print_versions(styles ? styles : "?");
		free(styles);
		return 0;
	}
	if (argv[1][0] == '-')
		return unknown_name("option", argv[1], suggest_option(argv[1]));
	/* A file-size limit (or a full quota) must fail a write, not kill the
	 * run before it can remove its temporary file and say what happened. */
	signal(SIGXFSZ, SIG_IGN);
	opts o;
	if (parse_args(argc, argv, &o) != 0) {
		free(o.paths);
		return 2;
	}
	const command_doc *cd = find_command(o.cmd);
	if (o.help) {
		if (cd)
			print_command_help(cd, stdout);
		else
			fputs(usage_text, stdout);
		free(o.paths);
		return 0;
	}
	int pre = 0;
	int takes_paths = cd && (strstr(cd->args, "PATH") || !strcmp(o.cmd, "letter"));
	if (cd && (pre = check_options(cd, &o)) == 0 && o.npaths && !takes_paths &&
	    strcmp(o.cmd, "build"))
		pre = usage_error("this command takes no PATH (got '%s'); -o DIR names the folder",
		                  o.paths[0]);
	if (cd && !pre && takes_paths)
		pre = check_paths(&o);
	if (pre) {
		free(o.paths);
		return pre;
	}
	ms_diags_init(&diags);
	char *styles = styles_dir(&o);
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
	} else if (!strcmp(o.cmd, "letter")) {
		status = cmd_letter(&o, styles);
	} else if (!strcmp(o.cmd, "catalogue") || !strcmp(o.cmd, "digest") ||
	           !strcmp(o.cmd, "portal") || !strcmp(o.cmd, "progress") ||
	           !strcmp(o.cmd, "paper")) {
		status = cmd_single(&o, styles);
	} else {
		status = unknown_name("command", o.cmd, suggest_command(o.cmd));
	}
	free(styles);
	free(o.paths);
	ms_diags_free(&diags);
	ly_cleanup();
	return status;
}
