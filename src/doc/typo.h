/* typo.h — the editorial rules every text of a document tree goes through
 * (dt_text in tree.h): curly quotes and apostrophes, no-break spaces where a
 * line must not split, and e-mail addresses and web addresses found as
 * links. Pure string functions, so that the unit tests can call them. */
#ifndef DT_TYPO_H
#define DT_TYPO_H

#include <stddef.h>

/* Curly quotes for the straight ones, and no-break spaces (U+00A0) in
 * "30 April", "USD 95,000", "p. 14", "No. 3" and "Action #10", of s[0..n).
 * prev is the character before s (0 at a paragraph's start), for a quote
 * that opens the text. Text already curly stays. Returns a new string
 * (the caller's), or NULL when out of memory. */
char *typo_text(const char *s, size_t n, unsigned prev);

/* The first e-mail address or web address (http://, https://, www.) in s:
 * its offset in *at and length in *len (trailing punctuation left out).
 * Returns 1, or 0 when there is none. */
int typo_find_link(const char *s, size_t *at, size_t *len);

/* The link target of the address found by typo_find_link: "mailto:..." or
 * "https://..." (www.), or the address itself. A new string, or NULL. */
char *typo_link_target(const char *s, size_t len);

/* Names joined in words: "A", "A and B", "A, B and C". A new string. */
char *typo_join(const char *const *v, size_t n);

/* The name with its article written once: "the Implementation Support
 * Unit" (also from "The Implementation..."), "Mexico", "the Philippines". */
char *typo_the(const char *who, int is_country);

/* "Issued by the Implementation Support Unit", "Issued by Mexico": verb,
 * then the article once, whether or not who starts with "the"; none before
 * a country's name. A new string, or NULL. */
char *typo_by(const char *verb, const char *who, int is_country);

#endif
