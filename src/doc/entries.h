/* entries.h — the portal's entries as of a date: validity and matching
 * (rules.md 18, 19, 22), shared by the digest (digest.c) and the portal site
 * (portal.c), so that both publish exactly the same entries and matches. */
#ifndef DG_ENTRIES_H
#define DG_ENTRIES_H

#include "../model/record.h"
#include "../model/vocab.h"

/* An entry's state on the as-of date; the first two are published. */
enum { ENT_VALID, ENT_EXPIRING, ENT_EXPIRED, ENT_NOT_YET };

typedef struct ent {
	const rec_entry *e;
	ms_day end; /* validity end (rules.md 18), MS_NO_DAY when unknown */
	int state;
	char *anchor;        /* "e-" + the reference, letters and digits only */
	char *fsub, *ftitle; /* submitter and title case-folded, for sorting */
	int *matches;        /* indices into the entry array, ranked */
	int *scores;
	size_t nmatches, capmatches;
} ent;

typedef struct ent_set {
	const rec_digest *form; /* the Digest form, or NULL */
	int lifespan, warning;
	ms_day as_of;
	ent *v; /* not rejected; by first area, kind, submitter, title, reference */
	size_t n;
	size_t nmatch_pairs;
} ent_set;

/* The set's Digest form (the first not rejected), or NULL. */
const rec_digest *ent_digest_form(const rec_set *s);

/* States and matches of every entry not rejected. Each need keeps its
 * ENT_MATCH_KEEP best offers; each offer lists the needs that kept it.
 * Returns 0, or -1 when out of memory. */
#define ENT_MATCH_KEEP 25
int ent_compute(const rec_set *s, ms_day as_of, ent_set *g);
void ent_free(ent_set *g);

/* An entry's lists as printed, "a; b; c" (malloc'd): the vocabulary items
 * set in bits, its areas in order, its countries ("Any" first when it
 * says so). */
char *ent_list_vocab(voc_kind k, unsigned bits);
char *ent_list_areas(const rec_areas *a);
char *ent_list_countries(const rec_entry *e);

#endif
