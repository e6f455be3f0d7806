/* portal.h — the Cooperation Portal as a static website (documents.md §8):
 * the digest's entries (entries.h) as pages handed to the HTML back-end
 * (html/hw.h), encrypted when the Digest form says Restricted. */
#ifndef DG_PORTAL_H
#define DG_PORTAL_H

#include "../model/record.h"
#include "../util/buf.h"

typedef struct por_stats {
	size_t published, needs, offers, experiences, fresh, expired, not_yet;
	size_t countries, pages, files, bytes;
	ms_day since; /* what is new is what was submitted or renewed after this */
	int restricted;
} por_stats;

/* PBKDF2 iterations for a restricted site (OWASP's figure for
 * PBKDF2-HMAC-SHA256 in 2023). */
#define POR_ITERATIONS 600000

/* "New" without a Previous edition date: submitted or renewed within this
 * many days before the as-of date. */
#define POR_NEW_DAYS 30

/* Writes the site into dir (replacing an earlier site there). styles is
 * the styles folder (portal.css and portal.js are copied from it).
 * password: required when the set is restricted (dig_restricted), else
 * ignored. Returns 0, or -1 with MS_ENV diagnostics. */
int por_build(const rec_set *s, const char *styles, const char *dir, ms_day as_of,
              const char *password, por_stats *st, ms_diags *d);

/* The portal part of report.txt. */
void por_report(const por_stats *st, const char *dir, ms_buf *out);

#endif
