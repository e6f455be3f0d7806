/* typo.c — see typo.h.
 *
 * Quotes follow cmark-gfm's smart punctuation (CMARK_OPT_SMART): a quote
 * after a letter, digit or closing punctuation closes (and an apostrophe is
 * a closing single quote: "People’s", "Côte d’Ivoire"); after a space, an
 * opening bracket or dash, or at the start, it opens. Bodies and metadata
 * fields get the same rule because both reach the tree through dt_text. */
#include "typo.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/buf.h"

#define NBSP "\xC2\xA0"

static int is_alnum(unsigned c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       c >= 0x80;
}

/* A quote after this character opens. */
static int opens_after(unsigned cp)
{
	return cp == 0 || cp == ' ' || cp == '\t' || cp == '\n' || cp == 0xA0 || cp == '(' ||
	       cp == '[' || cp == '{' || cp == '-' || cp == '/' || cp == 0x2013 || cp == 0x2014 ||
	       cp == 0x2018 || cp == 0x201C;
}

static const char *const months[] = {"January",   "February", "March",    "April",
                                     "May",       "June",     "July",     "August",
                                     "September", "October",  "November", "December"};

static int month_at(const char *s, const char *end)
{
	for (int i = 0; i < 12; i++) {
		size_t n = strlen(months[i]);
		if ((size_t)(end - s) >= n && !memcmp(s, months[i], n) &&
		    (s + n == end || !is_alnum((unsigned char)s[n])))
			return 1;
	}
	return 0;
}

/* Should the space at s[i] (a single ASCII space) be a no-break space? */
static int keep_space(const char *s, size_t i, size_t n)
{
	if (i == 0 || i + 1 >= n)
		return 0;
	unsigned char next = (unsigned char)s[i + 1];
	if (next != '#' && !(next >= '0' && next <= '9') && !(next >= 'A' && next <= 'Z'))
		return 0; /* most spaces: no word before need be found */
	/* the word before the space */
	size_t w = i;
	while (w > 0 && s[w - 1] != ' ' && s[w - 1] != '(' && s[w - 1] != '\n')
		w--;
	size_t wl = i - w;
	const char *word = s + w;
	if (next == '#' && i + 2 < n && s[i + 2] >= '0' && s[i + 2] <= '9')
		return 1; /* Action #10 */
	if (next >= '0' && next <= '9') {
		if (wl == 3 && word[0] >= 'A' && word[0] <= 'Z' && word[1] >= 'A' &&
		    word[1] <= 'Z' && word[2] >= 'A' && word[2] <= 'Z')
			return 1; /* USD 95,000 */
		if ((wl == 2 && !memcmp(word, "p.", 2)) || (wl == 3 && !memcmp(word, "pp.", 3)) ||
		    (wl == 3 && (!memcmp(word, "No.", 3) || !memcmp(word, "no.", 3))))
			return 1; /* p. 14 */
	}
	if (next >= 'A' && next <= 'Z' && wl >= 1 && wl <= 2) {
		for (size_t k = 0; k < wl; k++)
			if (word[k] < '0' || word[k] > '9')
				return 0;
		return month_at(s + i + 1, s + n); /* 30 April */
	}
	return 0;
}

/* Length of an HTML tag at s ("<div class=\"x\">", "</div>", "<br/>"),
 * written as text: 0 when s does not start one ("<name@x.org>" and
 * "<https://...>" are addresses, not tags). Quotes and addresses inside a
 * tag are left as written: it is markup shown as text, like code. */
static size_t tag_len(const char *s, size_t n)
{
	if (n < 3 || s[0] != '<')
		return 0;
	size_t i = 1;
	if (s[i] == '/' || s[i] == '!')
		i++;
	size_t name = i;
	while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
	                 (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
		i++;
	if (i == name || i >= n || !strchr(" \t\n/>", s[i]))
		return 0;
	while (i < n && s[i] != '>' && s[i] != '<')
		i++;
	return i < n && s[i] == '>' ? i + 1 : 0;
}

char *typo_text(const char *s, size_t n, unsigned prev)
{
	ms_buf b;
	ms_buf_init(&b);
	ms_buf_reserve(&b, n + 16);
	/* the bytes that stay as written are copied a run at a time (a
	 * digest's texts are almost all such runs), from `run` to i */
	size_t run = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t tag = c == '<' ? tag_len(s + i, n - i) : 0;
		if (!tag && c != '\'' && c != '"' && !(c == ' ' && keep_space(s, i, n))) {
			if (c < 0x80) {
				prev = c;
				i++;
			} else {
				uint32_t cp;
				i += (size_t)ms_utf8_decode(s + i, n - i, &cp);
				prev = cp;
			}
			continue;
		}
		ms_buf_add(&b, s + run, i - run);
		if (tag) {
			ms_buf_add(&b, s + i, tag);
			prev = '>';
			i += tag;
		} else if (c == '\'' || c == '"') {
			unsigned char next = i + 1 < n ? (unsigned char)s[i + 1] : 0;
			int open;
			if (c == '\'')
				open = opens_after(prev) &&
				       !(next >= '0' && next <= '9' && prev != '(');
			else
				open = opens_after(prev) && next != ' ' && next != 0;
			if (c == '\'')
				ms_buf_adds(&b, open ? "\xE2\x80\x98" : "\xE2\x80\x99");
			else
				ms_buf_adds(&b, open ? "\xE2\x80\x9C" : "\xE2\x80\x9D");
			prev = c == '\'' ? (open ? 0x2018 : 0x2019) : (open ? 0x201C : 0x201D);
			i++;
		} else { /* a space that keeps its words together */
			ms_buf_adds(&b, NBSP);
			prev = 0xA0;
			i++;
		}
		run = i;
	}
	ms_buf_add(&b, s + run, n - run);
	if (b.oom) {
		ms_buf_free(&b);
		return NULL;
	}
	if (!b.s)
		return ms_strdup("");
	return ms_buf_take(&b);
}

static int email_local(unsigned char c)
{
	return is_alnum(c) && c < 0x80 ? 1
	                               : c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

static int email_domain(unsigned char c)
{
	return (is_alnum(c) && c < 0x80) || c == '.' || c == '-';
}

static int url_char(unsigned char c)
{
	return c > ' ' && c != '<' && c != '>' && c != '"' && c != '`';
}

static int starts_with(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

int typo_find_link(const char *s, size_t *at, size_t *len)
{
	/* most texts hold no address: libc's scans tell at once */
	if (!strchr(s, '@') && !strstr(s, "http") && !strstr(s, "www."))
		return 0;
	size_t n = strlen(s);
	for (size_t i = 0; s[i]; i++) {
		if (s[i] == '<') {
			size_t tag = tag_len(s + i, n - i);
			if (tag) { /* an address in markup shown as text is no link */
				i += tag - 1;
				continue;
			}
		}
		int word_start =
		    (s[i] == 'h' || s[i] == 'w') && (i == 0 || !is_alnum((unsigned char)s[i - 1]));
		if (word_start && (starts_with(s + i, "https://") ||
		                   starts_with(s + i, "http://") || starts_with(s + i, "www."))) {
			size_t e = i;
			while (url_char((unsigned char)s[e]))
				e++;
			/* trailing punctuation ends the sentence, not the address */
			while (e > i && strchr(".,;:!?)'", s[e - 1]))
				e--;
			size_t min = starts_with(s + i, "www.") ? 5 : 9;
			if (e - i >= min) {
				*at = i;
				*len = e - i;
				return 1;
			}
		}
		if (s[i] == '@' && i > 0 && email_local((unsigned char)s[i - 1])) {
			size_t a = i;
			while (a > 0 && email_local((unsigned char)s[a - 1]))
				a--;
			while (a < i && s[a] == '.')
				a++;
			size_t e = i + 1;
			int dot = 0;
			while (email_domain((unsigned char)s[e]))
				e++;
			while (e > i + 1 && (s[e - 1] == '.' || s[e - 1] == '-'))
				e--;
			for (size_t k = i + 1; k < e; k++)
				dot |= s[k] == '.';
			if (a < i && dot && e > i + 3) {
				*at = a;
				*len = e - a;
				return 1;
			}
		}
	}
	return 0;
}

char *typo_link_target(const char *s, size_t len)
{
	char *t = ms_strndup(s, len);
	if (!t)
		return NULL;
	char *r = starts_with(t, "http://") || starts_with(t, "https://") ? ms_strdup(t)
	          : starts_with(t, "www.") ? ms_concat("https://", t, NULL)
	                                   : ms_concat("mailto:", t, NULL);
	free(t);
	return r;
}

char *typo_join(const char *const *v, size_t n)
{
	ms_buf b;
	ms_buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		if (i)
			ms_buf_adds(&b, i + 1 == n ? " and " : ", ");
		ms_buf_adds(&b, v[i] ? v[i] : "");
	}
	if (b.oom) {
		ms_buf_free(&b);
		return NULL;
	}
	return b.s ? ms_buf_take(&b) : ms_strdup("");
}

/* Country names read with "the": "the United Kingdom...", "the Russian
 * Federation", "the Philippines"; one with a parenthesis ("Bolivia
 * (Plurinational State of)") reads without. */
static int country_takes_the(const char *name)
{
	static const char *const words[] = {"Republic",    "Kingdom",     "United",    "Federation",
	                                    "States",      "Islands",     "Emirates",  "Holy See",
	                                    "Netherlands", "Philippines", "Gambia",    "Bahamas",
	                                    "Comoros",     "Maldives",    "Seychelles"};
	if (strchr(name, '('))
		return 0;
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (strstr(name, words[i]))
			return 1;
	return 0;
}

/* An organisation named for what it is ("Implementation Support Unit",
 * "International Committee of the Red Cross") reads with "the"; one named
 * like a brand ("Handicap International", "Norwegian People's Aid") without. */
static int body_takes_the(const char *name)
{
	static const char *const words[] = {
	    "Unit",       "Committee",  "Office",      "Secretariat",  "Centre",       "Center",
	    "Programme",  "Program",    "Fund",        "Organization", "Organisation", "Agency",
	    "Ministry",   "Department", "Directorate", "Coalition",    "Campaign",     "Union",
	    "Nations",    "Bureau",     "Council",     "Commission",   "Institute",    "Foundation",
	    "Presidency", "President",  "oordinators", "Co-Chairs",    "Government",   "Federation",
	    "Group"};
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (strstr(name, words[i]))
			return 1;
	return 0;
}

char *typo_the(const char *who, int is_country)
{
	if (!who)
		return NULL;
	if (!strncasecmp(who, "the ", 4))
		return ms_concat("the ", who + 4, NULL);
	int the = is_country ? country_takes_the(who) : body_takes_the(who);
	return ms_concat(the ? "the " : "", who, NULL);
}

char *typo_by(const char *verb, const char *who, int is_country)
{
	char *t = typo_the(who, is_country);
	char *r = t ? ms_concat(verb, " ", t, NULL) : NULL;
	free(t);
	return r;
}
