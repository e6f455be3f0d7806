/* folder.c — writing the site's folder (folder.h).
 *
 * What the design keeps: the earlier site stays whole in DIR until the new
 * one is complete; DIR is replaced only when it holds the marker; no link
 * is followed and only regular files are written into. The spare adds: it
 * is taken over only when it is a real folder of this user's holding the
 * marker; a file taken over must be a regular file with no other name (a
 * backup made with hard links keeps its content: the name is removed
 * instead); a folder taken over must be a real folder; what the build did
 * not write is removed before the new site is put in place. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "folder.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/buf.h"

#define SPARE_SUFFIX ".mspdoc-spare"

/* The set of paths written ----------------------------------------------- */

static uint32_t set_hash(const char *p, size_t len)
{
	uint32_t h = MS_FNV_SEED;
	for (size_t i = 0; i < len; i++)
		h = ms_fnv_byte(h, (unsigned char)p[i]);
	return h;
}

static int set_has(const hf_set *s, const char *p, size_t len)
{
	if (!s->cap)
		return 0;
	for (size_t h = set_hash(p, len) & (s->cap - 1); s->v[h]; h = (h + 1) & (s->cap - 1))
		if (!strncmp(s->v[h], p, len) && !s->v[h][len])
			return 1;
	return 0;
}

static void set_add(hf_set *s, const char *p, size_t len)
{
	if (set_has(s, p, len))
		return;
	if ((s->used + 1) * 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		char **v = calloc(cap, sizeof *v);
		if (!v) {
			s->oom = 1;
			return;
		}
		for (size_t i = 0; i < s->cap; i++) {
			if (!s->v[i])
				continue;
			size_t h = set_hash(s->v[i], strlen(s->v[i])) & (cap - 1);
			while (v[h])
				h = (h + 1) & (cap - 1);
			v[h] = s->v[i];
		}
		free(s->v);
		s->v = v;
		s->cap = cap;
	}
	size_t h = set_hash(p, len) & (s->cap - 1);
	while (s->v[h])
		h = (h + 1) & (s->cap - 1);
	if (!(s->v[h] = ms_strndup(p, len))) {
		s->oom = 1;
		return;
	}
	s->used++;
}

/* Removing -------------------------------------------------------------- */

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb;
	(void)f;
	return flag == FTW_DP ? rmdir(p) : unlink(p);
}

static void rm_tree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Removes path, whatever it is (a link is removed, never followed). */
static void rm_any(const char *path)
{
	if (unlink(path) < 0 && errno != ENOENT)
		rm_tree(path);
}

/* Folders and files ----------------------------------------------------- */

static int mkdirs(char *path) /* modifies path temporarily */
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		int r = mkdir(path, 0755);
		*p = '/';
		if (r < 0 && errno != EEXIST)
			return -1;
	}
	return mkdir(path, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

/* Makes the folders of path below the new folder (from = where its part
 * inside the site starts); one there already must be a real folder, as a
 * spare's may be anything. Modifies path temporarily. */
static int mkdirs_in(hf_folder *f, char *path, size_t from)
{
	for (char *p = path + from;; p++) {
		if (*p && *p != '/')
			continue;
		char c = *p;
		*p = 0;
		struct stat st;
		int r = mkdir(path, 0755);
		if (r < 0 && errno == EEXIST && f->reused) {
			if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
				r = 0;
			else {
				rm_any(path);
				r = mkdir(path, 0755);
			}
		} else if (r < 0 && errno == EEXIST) {
			r = 0;
		}
		if (r == 0 && f->reused)
			set_add(&f->written, path + from, strlen(path + from));
		*p = c;
		if (r < 0)
			return -1;
		if (!c)
			return 0;
	}
}

/* A file of the spare to write over, or a new one; *size: its length. */
static int open_reused(const char *path, off_t *size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
	struct stat st;
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1 &&
	    (!(st.st_mode & 07777 & ~0644) || fchmod(fd, st.st_mode & 0644) == 0)) {
		*size = st.st_size;
		return fd;
	}
	/* a link, a folder, a file with another name elsewhere (a backup made
	 * with hard links keeps its content): its name is removed, a file made */
	if (fd >= 0)
		close(fd);
	rm_any(path);
	*size = 0;
	return open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
}

int hf_put(hf_folder *f, const char *rel, const void *data, size_t n)
{
	char path[PATH_MAX];
	int len = snprintf(path, sizeof path, "%s/%s", f->fresh, rel);
	if (len < 0 || (size_t)len >= sizeof path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	size_t from = strlen(f->fresh) + 1;
	char *slash = strrchr(path, '/');
	if (slash >= path + from) {
		*slash = 0;
		/* the folder of the page before is there already */
		int r = strcmp(path, f->lastdir) ? mkdirs_in(f, path, from) : 0;
		if (r == 0)
			memcpy(f->lastdir, path, strlen(path) + 1); /* both PATH_MAX */
		*slash = '/';
		if (r < 0)
			return -1;
	}
	off_t size = 0;
	int fd = f->reused ? open_reused(path, &size)
	                   : open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	/* written over from its start, then cut to its length: a file emptied
	 * first would give its blocks back and take new ones */
	int r = ms_write_all(fd, data, n);
	if (r == 0 && size > (off_t)n && ftruncate(fd, (off_t)n) < 0)
		r = -1;
	if (close(fd) < 0)
		r = -1;
	if (f->reused)
		set_add(&f->written, rel, strlen(rel));
	return r;
}

/* Removes below path (the new folder, then its folders: base = where the
 * part inside the site starts) what this build did not write. */
static int prune(hf_folder *f, char *path, size_t base)
{
	DIR *dd = opendir(path);
	if (!dd)
		return -1;
	size_t len = strlen(path);
	int rc = 0;
	for (struct dirent *e; (e = readdir(dd));) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		size_t n = strlen(e->d_name);
		if (len + 1 + n >= PATH_MAX) {
			rc = -1;
			continue;
		}
		path[len] = '/';
		memcpy(path + len + 1, e->d_name, n + 1);
		const char *rel = path + base;
		struct stat st;
		if (!set_has(&f->written, rel, strlen(rel)))
			rm_any(path);
		else if ((e->d_type == DT_DIR || (e->d_type == DT_UNKNOWN &&
		                                  lstat(path, &st) == 0 && S_ISDIR(st.st_mode))) &&
		         prune(f, path, base) < 0)
			rc = -1;
		path[len] = 0;
	}
	closedir(dd);
	return rc;
}

/* The spare is taken over only when it is a real folder of this user's
 * holding the marker, as DIR itself. */
static int spare_ours(const char *spare)
{
	struct stat st;
	char mark[PATH_MAX];
	if (lstat(spare, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
		return 0;
	int n = snprintf(mark, sizeof mark, "%s/" HF_MARKER, spare);
	return n > 0 && (size_t)n < sizeof mark && lstat(mark, &st) == 0 && S_ISREG(st.st_mode);
}

int hf_open(hf_folder *f, const char *dir)
{
	memset(f, 0, sizeof *f);
	f->dir = ms_strdup(dir);
	if (!f->dir) {
		errno = ENOMEM;
		return -1;
	}
	/* "out/portal/" is the folder out/portal: its new copy goes beside it */
	for (size_t n = strlen(f->dir); n > 1 && f->dir[n - 1] == '/'; n--)
		f->dir[n - 1] = 0;
	char *slash = strrchr(f->dir, '/');
	const char *base = slash ? slash + 1 : f->dir;
	if (slash && slash != f->dir) {
		*slash = 0;
		mkdirs(f->dir);
		*slash = '/';
	}
	f->spare = ms_printf("%.*s.%s" SPARE_SUFFIX, (int)(base - f->dir), f->dir, base);
	f->fresh = ms_printf("%s.new-XXXXXX", f->dir);
	if (!f->spare || !f->fresh) {
		errno = ENOMEM;
		return -1;
	}
	if (!mkdtemp(f->fresh)) {
		free(f->fresh);
		f->fresh = NULL;
		return -1;
	}
	/* the spare replaces the empty new folder: a concurrent run can no
	 * longer take it */
	if (spare_ours(f->spare) && rename(f->spare, f->fresh) == 0)
		f->reused = 1;
	return 0;
}

/* Puts the new folder in dir's place. */
static int swap_in(hf_folder *f, ms_diags *d)
{
	const char *fresh = f->fresh, *dir = f->dir;
	struct stat st;
	ms_pos pos = ms_pos_file(dir);
	if (lstat(dir, &st) < 0) {
		if (errno == ENOENT && rename(fresh, dir) == 0)
			return 0;
		ms_diag_add(d, MS_ENV, &pos, "cannot write the site's folder (%s)",
		            strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		ms_diag_add(d, MS_ENV, &pos,
		            "is not a folder: give the site a folder of its own (-o DIR)");
		return -1;
	}
	if (rmdir(dir) == 0) { /* an empty folder */
		if (rename(fresh, dir) == 0)
			return 0;
		ms_diag_add(d, MS_ENV, &pos, "cannot write the site's folder (%s)",
		            strerror(errno));
		return -1;
	}
	char mark[PATH_MAX];
	snprintf(mark, sizeof mark, "%s/" HF_MARKER, dir);
	if (lstat(mark, &st) < 0 || !S_ISREG(st.st_mode)) {
		ms_diag_add(d, MS_ENV, &pos,
		            "the folder holds files that mspdoc did not write: the site replaces "
		            "its whole folder, so give it a new or empty folder (-o DIR)");
		return -1;
	}
	/* the earlier site steps aside whole: as the spare when that name is
	 * free (anything there that is not ours stays untouched) */
	int to_spare = lstat(f->spare, &st) < 0 && errno == ENOENT;
	char *old = to_spare ? ms_strdup(f->spare) : ms_printf("%s.old-XXXXXX", dir);
	if (!old || (!to_spare && !mkdtemp(old)) || rename(dir, old) < 0) {
		ms_diag_add(d, MS_ENV, &pos, "cannot replace the earlier site (%s)",
		            strerror(errno));
		if (old && !to_spare)
			rmdir(old);
		free(old);
		return -1;
	}
	if (rename(fresh, dir) < 0) {
		ms_diag_add(d, MS_ENV, &pos, "cannot put the new site in place (%s)",
		            strerror(errno));
		rename(old, dir); /* the earlier site stays */
		free(old);
		return -1;
	}
	/* the spare is its owner's alone */
	if (!to_spare || chmod(old, 0700) < 0)
		rm_tree(old);
	free(old);
	return 0;
}

int hf_commit(hf_folder *f, const char *marker, ms_diags *d)
{
	ms_pos pos = ms_pos_file(f->dir);
	if (hf_put(f, HF_MARKER, marker, strlen(marker)) < 0) {
		ms_diag_add(d, MS_ENV, &pos,
		            "cannot write the site's files (%s): check free disk space and "
		            "permissions",
		            strerror(errno));
		hf_abort(f);
		return -1;
	}
	char path[PATH_MAX];
	int n = snprintf(path, sizeof path, "%s", f->fresh);
	/* the spare's pages no longer published */
	if (f->reused && (f->written.oom || n < 0 || (size_t)n >= sizeof path ||
	                  prune(f, path, (size_t)n + 1) < 0)) {
		ms_diag_add(d, MS_ENV, &pos, "cannot remove the earlier site's pages (%s)",
		            f->written.oom ? "out of memory" : strerror(errno));
		hf_abort(f);
		return -1;
	}
	if (chmod(f->fresh, 0755) < 0) {
		ms_diag_add(d, MS_ENV, &pos, "cannot write the site's folder (%s)",
		            strerror(errno));
		hf_abort(f);
		return -1;
	}
	if (swap_in(f, d) < 0) {
		hf_abort(f);
		return -1;
	}
	return 0;
}

void hf_abort(hf_folder *f)
{
	if (f->fresh)
		rm_tree(f->fresh);
}

void hf_free(hf_folder *f)
{
	for (size_t i = 0; i < f->written.cap; i++)
		free(f->written.v[i]);
	free(f->written.v);
	free(f->dir);
	free(f->fresh);
	free(f->spare);
	memset(f, 0, sizeof *f);
}
