/* folder.h — the site's folder (private to src/html/): a new site is
 * written into a folder beside DIR and put in DIR's place whole, so a
 * reader never sees half a site and a page no longer published disappears.
 *
 * The site before the one replaced is not deleted but kept as the spare
 * (.NAME.mspdoc-spare beside DIR, mode 0700: its owner's alone), and the
 * next build writes its pages over the spare's files instead of creating
 * new ones: a rebuild then frees and takes neither inodes nor blocks. On
 * ext4 without a journal, mounted with discard, deleting the 2,000 files
 * of a site written back to disk waits for a discard of each, and every
 * file created after scans past the inodes freed in the last minutes
 * (docs/DECISIONS.md). */
#ifndef HW_FOLDER_H
#define HW_FOLDER_H

#include <limits.h>
#include <stddef.h>

#include "../util/diag.h"

/* In every site this back-end writes: a folder holding it is ours. */
#define HF_MARKER ".mspdoc-site"

typedef struct hf_set { /* relative paths written by this build */
	char **v;
	size_t cap, used;
	int oom;
} hf_set;

typedef struct hf_folder {
	char *dir;   /* DIR, without a trailing slash */
	char *fresh; /* DIR.new-XXXXXX: the site being written */
	char *spare; /* .NAME.mspdoc-spare beside DIR */
	int reused;  /* fresh is the spare: its files are taken over */
	hf_set written;
	char lastdir[PATH_MAX];
} hf_folder;

/* Makes the new folder beside dir (the spare when there is one of ours).
 * 0, or -1 with errno. */
int hf_open(hf_folder *f, const char *dir);
/* Writes the file rel (relative, '/'-separated, inside the site) into the
 * new folder. 0, or -1 with errno. */
int hf_put(hf_folder *f, const char *rel, const void *data, size_t n);
/* Removes from the new folder what this build did not write and puts it
 * in dir's place. An existing dir is replaced only when it holds the
 * marker; the earlier site then becomes the spare. 0, or -1 with an MS_ENV
 * diagnostic (the new folder is then removed). */
int hf_commit(hf_folder *f, const char *marker, ms_diags *d);
/* Removes the new folder (after a failure). */
void hf_abort(hf_folder *f);
/* Frees what f holds. */
void hf_free(hf_folder *f);

#endif
