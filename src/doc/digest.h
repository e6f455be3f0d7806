/* digest.h — the Cooperation Portal digest (documents.md §2, rules.md 18–24):
 * entries valid as of a date, expiring ones flagged, expired ones listed in
 * the XLSX only, needs matched to offers, a restricted digest encrypted. */
#ifndef DG_DIGEST_H
#define DG_DIGEST_H

#include "../layout/layout.h"
#include "../model/record.h"
#include "../util/buf.h"

typedef struct dig_stats {
	size_t entries, valid, expiring, expired, not_yet, rejected;
	size_t needs, offers, experiences, matches;
	int pages;
	int restricted;
} dig_stats;

/* 1 when the set's Digest form says Restricted: yes. */
int dig_restricted(const rec_set *s);

/* Build PREFIX.pdf (encrypted with password when restricted; password must
 * then be non-NULL) and PREFIX.xlsx. Returns 0, or -1 with MS_ENV
 * diagnostics. The password is never written anywhere but the encryption. */
int dig_build(const rec_set *s, const ly_style *st, const char *prefix, ms_day as_of,
              const char *password, dig_stats *stats, ms_diags *d);

/* For `mspdoc check`: a warning for each valid entry expiring within the
 * Digest's warning window, a note for each expired or not-yet-published one
 * (expired entries are not errors: cli.md). */
void dig_check(const rec_set *s, ms_day as_of, ms_diags *d);

/* The document tree alone (mspdoc digest --dump-tree). Owned; NULL on OOM. */
dt_doc *dig_tree(const rec_set *s, ms_day as_of, ms_diags *d);

/* The digest part of report.txt. */
void dig_report(const dig_stats *stats, ms_buf *out);

#endif
