/* buf.h — growable byte buffers, allocation that never returns NULL silently,
 * UTF-8 helpers, and small string utilities shared by every module. */
#ifndef MS_BUF_H
#define MS_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Out of memory: library code never exits. Every allocating function here
 * returns NULL (or -1) and callers report MS_ENV. */

typedef struct ms_buf {
	char *s;    /* always NUL-terminated when len > 0 or after any append */
	size_t len; /* bytes used, excluding the NUL */
	size_t cap;
	int oom; /* set when an allocation failed: later appends are no-ops */
} ms_buf;

void ms_buf_init(ms_buf *b);
void ms_buf_free(ms_buf *b); /* NULL-safe */
void ms_buf_clear(ms_buf *b);
int ms_buf_grow(ms_buf *b, size_t extra); /* ms_buf_reserve when there is no room */
int ms_buf_add_grown(ms_buf *b, const void *p, size_t n);
/* Room for extra more bytes and the NUL: 0, or -1 (oom set). Inline: the
 * writers of page contents and of the structure tree call these for
 * every few bytes, and there is nearly always room. */
static inline int ms_buf_reserve(ms_buf *b, size_t extra)
{
	return !b->oom && extra < b->cap - b->len ? 0 : ms_buf_grow(b, extra);
}
static inline int ms_buf_add(ms_buf *b, const void *p, size_t n)
{
	if (b->oom || n >= b->cap - b->len)
		return ms_buf_add_grown(b, p, n);
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = 0;
	return 0;
}
static inline int ms_buf_adds(ms_buf *b, const char *s)
{
	return s ? ms_buf_add(b, s, strlen(s)) : 0;
}
static inline int ms_buf_addc(ms_buf *b, char c)
{
	if (b->oom || 1 >= b->cap - b->len)
		return ms_buf_add_grown(b, &c, 1);
	b->s[b->len++] = c;
	b->s[b->len] = 0;
	return 0;
}
int ms_buf_printf(ms_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int ms_buf_vprintf(ms_buf *b, const char *fmt, va_list ap);
/* FNV-1a, the one string hash of the project: a byte more, or a C string
 * more, onto h (MS_FNV_SEED to start). */
#define MS_FNV_SEED 2166136261u
static inline uint32_t ms_fnv_byte(uint32_t h, unsigned char c)
{
	return (h ^ c) * 16777619u;
}
static inline uint32_t ms_fnv(const char *s, uint32_t h)
{
	for (; *s; s++)
		h = ms_fnv_byte(h, (unsigned char)*s);
	return h;
}

/* The decimal digits of v at out (at most 20, no terminating NUL): their
 * count. For writers of numbers in place, without printf. */
static inline size_t ms_utoa(char *out, unsigned long long v)
{
	/* two digits a step: the structure tree's object numbers are most of
	 * a tagged PDF's numbers */
	static const char pairs[] = "00010203040506070809101112131415161718192021222324"
	                            "25262728293031323334353637383940414243444546474849"
	                            "50515253545556575859606162636465666768697071727374"
	                            "75767778798081828384858687888990919293949596979899";
	char r[20], *p = r + sizeof r;
	while (v >= 100) {
		unsigned q = (unsigned)(v % 100);
		v /= 100;
		p -= 2;
		memcpy(p, pairs + 2 * q, 2);
	}
	if (v >= 10) {
		p -= 2;
		memcpy(p, pairs + 2 * v, 2);
	} else {
		*--p = (char)('0' + v);
	}
	size_t k = (size_t)(r + sizeof r - p);
	memcpy(out, p, k);
	return k;
}

/* Take the string (owned by the caller, never NULL unless oom); resets b. */
char *ms_buf_take(ms_buf *b);
/* Encode a code point as UTF-8. */
int ms_buf_add_utf8(ms_buf *b, uint32_t cp);

/* strdup/strndup that tolerate NULL input (returning NULL). */
char *ms_strdup(const char *s);
char *ms_strndup(const char *s, size_t n);
char *ms_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The strings before the terminating NULL, joined in a new string (the
 * caller's); pass "" for an empty one, never NULL. NULL when out of memory.
 * A tenth of ms_printf's work for formats of "%s" only. */
char *ms_concat(const char *s, ...) __attribute__((sentinel));

/* UTF-8 ---------------------------------------------------------------- */

/* Decode one code point at s (len bytes available). Returns bytes consumed
 * (1..4) and sets *cp; on an invalid sequence returns 1 and sets *cp to
 * 0xFFFD... callers wanting validation use ms_utf8_valid. */
int ms_utf8_decode(const char *s, size_t len, uint32_t *cp);
/* 1 when s[0..len) is valid UTF-8 (no overlongs, no surrogates). If invalid
 * and bad_off is non-NULL, *bad_off = offset of the first bad byte. */
int ms_utf8_valid(const char *s, size_t len, size_t *bad_off);
/* Number of code points. */
size_t ms_utf8_len(const char *s, size_t len);
/* The offset of the first control character in s[0..len) (below 0x20 but
 * tab, CR and, when newline_ok, line feed; or DEL), or len when none. */
size_t ms_find_control(const char *s, size_t len, int newline_ok);

/* Fold a UTF-8 string for matching: lowercase, diacritics removed (Latin-1
 * and Latin Extended-A letters to their base letter, ß -> ss, ø -> o, æ -> ae,
 * œ -> oe), curly apostrophes -> ', dashes -> -. Returns an owned string. */
char *ms_fold(const char *s);
/* Field/section name key: ms_fold, then ' ', '-', '_' removed entirely.
 * "Valid until" == "valid-until" == "VALID_UNTIL" -> "validuntil". Owned. */
char *ms_name_key(const char *s);
/* The same key for an ASCII name, written into buf without allocating;
 * NULL when the name is not ASCII or does not fit (use ms_name_key). */
const char *ms_name_key_ascii(const char *s, char *buf, size_t size);
/* Compare for sorting (rules.md 10): diacritics-folded, case-insensitive
 * first, then byte order. */
int ms_sort_cmp(const char *a, const char *b);
/* The same order, for callers that keep the folded forms (fa = ms_fold(a)). */
int ms_sort_cmp_folded(const char *fa, const char *a, const char *fb, const char *b);

/* Trim ASCII whitespace in place (returns s). */
char *ms_trim(char *s);
/* Split on ';' into trimmed, non-empty owned parts. Returns the count, the
 * array in *out (owned, free each then the array with ms_strv_free). */
size_t ms_split_semi(const char *s, char ***out);
void ms_strv_free(char **v, size_t n);

/* Shortest decimal text that reads back as d ("1.1", "2011", "0.5"). */
void ms_fmt_number(double d, char *buf, size_t size);

/* Read a whole file (at most max bytes; larger -> -1 with *too_big = 1). The
 * buffer is NUL-terminated and owned by the caller. */
int ms_read_file(const char *path, size_t max, char **data, size_t *len, int *too_big);
/* All n bytes to fd, through short writes and interruptions: 0, or -1
 * with errno set. */
int ms_write_all(int fd, const void *p, size_t n);

#endif
