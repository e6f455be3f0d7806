/* buf.c — buffers, strings and UTF-8 helpers (see buf.h). */
#include "buf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>

void ms_buf_init(ms_buf *b)
{
	memset(b, 0, sizeof *b);
}

void ms_buf_free(ms_buf *b)
{
	if (!b)
		return;
	free(b->s);
	memset(b, 0, sizeof *b);
}

void ms_buf_clear(ms_buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = 0;
}

int ms_buf_grow(ms_buf *b, size_t extra)
{
	if (b->oom)
		return -1;
	if (extra > ((size_t)-1) / 4) {
		b->oom = 1;
		return -1;
	}
	if (b->len + extra + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1) {
		if (cap > ((size_t)-1) / 2) {
			b->oom = 1;
			return -1;
		}
		cap *= 2;
	}
	char *s = realloc(b->s, cap);
	if (!s) {
		b->oom = 1;
		return -1;
	}
	b->s = s;
	b->cap = cap;
	b->s[b->len] = 0; /* the buffer is a C string from its first allocation */
	return 0;
}

int ms_buf_add_grown(ms_buf *b, const void *p, size_t n)
{
	if (ms_buf_grow(b, n) < 0)
		return -1;
	if (n)
		memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = 0;
	return 0;
}

int ms_buf_vprintf(ms_buf *b, const char *fmt, va_list ap)
{
	/* formatted once into the room there is; again only when it did not
	 * fit (formatting twice every time was most of what printing cost) */
	if (ms_buf_reserve(b, 64) < 0)
		return -1;
	size_t room = b->cap - b->len;
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(b->s + b->len, room, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		b->s[b->len] = 0;
		return -1;
	}
	if ((size_t)n >= room) {
		if (ms_buf_reserve(b, (size_t)n) < 0)
			return -1;
		vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
	return 0;
}

int ms_buf_printf(ms_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = ms_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return r;
}

char *ms_buf_take(ms_buf *b)
{
	char *s;
	if (b->oom) {
		free(b->s);
		s = NULL;
	} else if (!b->s) {
		s = calloc(1, 1);
	} else {
		s = b->s;
	}
	memset(b, 0, sizeof *b);
	return s;
}

int ms_buf_add_utf8(ms_buf *b, uint32_t cp)
{
	char u[4];
	int n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return ms_buf_add(b, u, (size_t)n);
}

char *ms_strdup(const char *s)
{
	return s ? ms_strndup(s, strlen(s)) : NULL;
}

char *ms_strndup(const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *r = malloc(n + 1);
	if (!r)
		return NULL;
	memcpy(r, s, n);
	r[n] = 0;
	return r;
}

char *ms_printf(const char *fmt, ...)
{
	ms_buf b;
	ms_buf_init(&b);
	va_list ap;
	va_start(ap, fmt);
	ms_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return ms_buf_take(&b);
}

char *ms_concat(const char *s, ...)
{
	va_list ap;
	size_t n = 0;
	va_start(ap, s);
	for (const char *p = s; p; p = va_arg(ap, const char *))
		n += strlen(p);
	va_end(ap);
	char *r = malloc(n + 1), *q = r;
	if (!r)
		return NULL;
	va_start(ap, s);
	for (const char *p = s; p; p = va_arg(ap, const char *)) {
		size_t k = strlen(p);
		memcpy(q, p, k);
		q += k;
	}
	va_end(ap);
	*q = 0;
	return r;
}

/* UTF-8 ---------------------------------------------------------------- */

static int utf8_seq(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	int n;
	uint32_t v, min;
	if ((c & 0xE0) == 0xC0) {
		n = 2;
		v = c & 0x1F;
		min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		n = 3;
		v = c & 0x0F;
		min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		n = 4;
		v = c & 0x07;
		min = 0x10000;
	} else {
		return -1;
	}
	if ((size_t)n > len)
		return -1;
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return -1;
	*cp = v;
	return n;
}

int ms_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	if (len == 0) {
		*cp = 0;
		return 0;
	}
	int n = utf8_seq((const unsigned char *)s, len, cp);
	if (n < 0) {
		*cp = 0xFFFD;
		return 1;
	}
	return n;
}

/* Eight bytes at a time: text is mostly ASCII prose. */
static inline uint64_t load8(const char *s)
{
	uint64_t x;
	memcpy(&x, s, 8);
	return x;
}

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

int ms_utf8_valid(const char *s, size_t len, size_t *bad_off)
{
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		if (i + 8 <= len && !(load8(s + i) & HIGHS)) {
			i += 8;
			continue;
		}
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		int n = utf8_seq((const unsigned char *)s + i, len - i, &cp);
		if (n < 0) {
			if (bad_off)
				*bad_off = i;
			return 0;
		}
		i += (size_t)n;
	}
	return 1;
}

/* Eight bytes at a time: is any below 0x20 (the classic "has less" test,
 * exact for the word as a whole), or 0x7F (zero once xored)? */
static inline int any_control8(uint64_t x)
{
	uint64_t y = x ^ (0x7F * ONES);
	return (((x - 0x20 * ONES) & ~x) | ((y - ONES) & ~y)) & HIGHS ? 1 : 0;
}

size_t ms_find_control(const char *s, size_t len, int newline_ok)
{
	size_t i = 0;
	while (i < len) {
		if (i + 8 <= len && !any_control8(load8(s + i))) {
			i += 8;
			continue;
		}
		/* one of these (up to) eight may be one, or an allowed tab */
		size_t end = i + 8 < len ? i + 8 : len;
		for (; i < end; i++) {
			unsigned char c = (unsigned char)s[i];
			if ((c < 0x20 && c != '\t' && c != '\r' && (c != '\n' || !newline_ok)) ||
			    c == 0x7F)
				return i;
		}
	}
	return len;
}

size_t ms_utf8_len(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

/* Base letters for U+00C0..U+017F (lowercase); 0 = keep as is. Multi-letter
 * folds (ß, æ, œ, ĳ, þ) are handled in fold_cp. */
static const char latin_base[] = "aaaaaa*ceeeeiiii"
                                 "dnooooo*ouuuuy**"
                                 "aaaaaa*ceeeeiiii"
                                 "dnooooo/ouuuuy*y"
                                 "aaaaaaccccccccdd"
                                 "ddeeeeeeeeeegggg"
                                 "gggghhhhiiiiiiii"
                                 "ii**jjkkklllllll"
                                 "lllnnnnnnnnnoooo"
                                 "oo**rrrrrrssssss"
                                 "ssttttttuuuuuuuu"
                                 "uuuuwwyyyzzzzzzs";

static void fold_cp(ms_buf *b, uint32_t cp)
{
	if (cp < 0x80) {
		ms_buf_addc(b, (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp));
		return;
	}
	switch (cp) {
	case 0xDF: ms_buf_adds(b, "ss"); return;
	case 0xC6:
	case 0xE6: ms_buf_adds(b, "ae"); return;
	case 0x152:
	case 0x153: ms_buf_adds(b, "oe"); return;
	case 0x132:
	case 0x133: ms_buf_adds(b, "ij"); return;
	case 0xDE:
	case 0xFE: ms_buf_adds(b, "th"); return;
	case 0xD7: ms_buf_addc(b, 'x'); return;
	case 0xF7: ms_buf_addc(b, '/'); return;
	case 0x2018:
	case 0x2019:
	case 0x201B:
	case 0x2032:
	case 0xB4:
	case 0x60: ms_buf_addc(b, '\''); return;
	case 0x201C:
	case 0x201D: ms_buf_addc(b, '"'); return;
	case 0x2010:
	case 0x2011:
	case 0x2012:
	case 0x2013:
	case 0x2014:
	case 0x2212: ms_buf_addc(b, '-'); return;
	case 0xA0:
	case 0x202F:
	case 0x2009: ms_buf_addc(b, ' '); return;
	default: break;
	}
	if (cp >= 0xC0 && cp <= 0x17F && latin_base[cp - 0xC0] != '*' &&
	    latin_base[cp - 0xC0] != '/') {
		ms_buf_addc(b, latin_base[cp - 0xC0]);
		return;
	}
	if (cp >= 0x0410 && cp <= 0x042F) /* Cyrillic capitals -> small */
		cp += 0x20;
	else if (cp >= 0x0391 && cp <= 0x03A9) /* Greek capitals */
		cp += 0x20;
	ms_buf_add_utf8(b, cp);
}

/* Text that is not ASCII goes through libunistring: compatibility
 * decomposition (NFKD) so that a decomposed "Côte d'Ivoire" and a composed
 * one are the same letters, combining marks dropped (diacritics are
 * ignored), then the special letters and punctuation of fold_cp, then full
 * Unicode case folding (Cyrillic, Greek, Vietnamese, ...). */
static char *fold_unicode(const char *s, size_t len)
{
	size_t dn = 0;
	uint8_t *dec = u8_normalize(UNINORM_NFKD, (const uint8_t *)s, len, NULL, &dn);
	if (!dec)
		return NULL;
	ms_buf b;
	ms_buf_init(&b);
	ms_buf_reserve(&b, dn);
	for (size_t i = 0; i < dn;) {
		uint32_t cp;
		int n = ms_utf8_decode((const char *)dec + i, dn - i, &cp);
		i += (size_t)(n > 0 ? n : 1);
		if (n > 0 && uc_is_general_category((ucs4_t)cp, UC_CATEGORY_Mn))
			continue;
		fold_cp(&b, cp);
	}
	free(dec);
	if (b.oom || !b.s) {
		ms_buf_free(&b);
		return NULL;
	}
	size_t fn = 0;
	uint8_t *f = u8_casefold((const uint8_t *)b.s, b.len, NULL, NULL, NULL, &fn);
	ms_buf_free(&b);
	if (!f)
		return NULL;
	char *out = malloc(fn + 1);
	if (out) {
		memcpy(out, f, fn);
		out[fn] = 0;
	}
	free(f);
	return out;
}

char *ms_fold(const char *s)
{
	ms_buf b;
	ms_buf_init(&b);
	if (!s)
		return NULL;
	size_t len = strlen(s);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80 && ms_utf8_valid(s, len, NULL)) {
			char *u = fold_unicode(s, len);
			if (u)
				return u;
			break;
		}
	ms_buf_reserve(&b, len);
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80 && b.len + 1 < b.cap) { /* ASCII: no decoding, no call */
			b.s[b.len++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			b.s[b.len] = 0;
			i++;
			continue;
		}
		uint32_t cp;
		int n = ms_utf8_decode(s + i, len - i, &cp);
		fold_cp(&b, cp);
		i += (size_t)(n > 0 ? n : 1);
	}
	return ms_buf_take(&b);
}

/* The characters a name key leaves out. */
static int name_sep(char c)
{
	return c == ' ' || c == '-' || c == '_' || c == '\t';
}

char *ms_name_key(const char *s)
{
	char *f = ms_fold(s);
	if (!f)
		return NULL;
	char *w = f;
	for (char *r = f; *r; r++)
		if (!name_sep(*r))
			*w++ = *r;
	*w = 0;
	return f;
}

const char *ms_name_key_ascii(const char *s, char *buf, size_t size)
{
	size_t n = 0;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c >= 0x80 || n + 1 >= size)
			return NULL;
		if (!name_sep((char)c))
			buf[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c); /* ms_fold of ASCII */
	}
	buf[n] = 0;
	return buf;
}

int ms_sort_cmp_folded(const char *fa, const char *a, const char *fb, const char *b)
{
	int c = (fa && fb) ? strcmp(fa, fb) : 0;
	return c ? c : strcmp(a ? a : "", b ? b : "");
}

int ms_sort_cmp(const char *a, const char *b)
{
	char *fa = ms_fold(a), *fb = ms_fold(b);
	int c = ms_sort_cmp_folded(fa, a, fb, b);
	free(fa);
	free(fb);
	return c;
}

char *ms_trim(char *s)
{
	if (!s)
		return s;
	char *p = s;
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	size_t n = strlen(p);
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' || p[n - 1] == '\n'))
		n--;
	memmove(s, p, n);
	s[n] = 0;
	return s;
}

size_t ms_split_semi(const char *s, char ***out)
{
	*out = NULL;
	if (!s)
		return 0;
	size_t cap = 4, n = 0;
	char **v = malloc(cap * sizeof *v);
	if (!v)
		return 0;
	const char *p = s;
	for (;;) {
		const char *e = strchr(p, ';');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char *part = ms_strndup(p, len);
		if (part && *ms_trim(part)) {
			if (n == cap) {
				char **nv = realloc(v, cap * 2 * sizeof *v);
				if (!nv) {
					free(part);
					break;
				}
				v = nv;
				cap *= 2;
			}
			v[n++] = part;
		} else {
			free(part);
		}
		if (!e)
			break;
		p = e + 1;
	}
	*out = v;
	return n;
}

void ms_strv_free(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void ms_fmt_number(double d, char *buf, size_t size)
{
	/* integers, most numbers in a sheet: written directly */
	if (d > -1e15 && d < 1e15 && d == (double)(long long)d) {
		/* by hand: snprintf's machinery was most of typing a number cell */
		long long v = (long long)d;
		unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
		char t[24];
		size_t n = 0;
		do
			t[n++] = (char)('0' + u % 10);
		while ((u /= 10) != 0);
		if (v < 0)
			t[n++] = '-';
		if (n < size) {
			for (size_t i = 0; i < n; i++)
				buf[i] = t[n - 1 - i];
			buf[n] = 0;
		} else {
			snprintf(buf, size, "%lld", v);
		}
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	/* %g may use exponents for large integers: write them plainly. */
	if (strchr(buf, 'e') && d < 1e18 && d > -1e18 && d == (double)(long long)d)
		snprintf(buf, size, "%lld", (long long)d);
}

int ms_write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t k = write(fd, c, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		c += k;
		n -= (size_t)k;
	}
	return 0;
}

int ms_read_file(const char *path, size_t max, char **data, size_t *len, int *too_big)
{
	*data = NULL;
	*len = 0;
	if (too_big)
		*too_big = 0;
	/* O_NONBLOCK: opening a FIFO must not wait for a writer; then only a
	 * regular file is read (a FIFO, a device or a folder is refused, with
	 * errno ENODEV) */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = ENODEV;
		return -1;
	}
	if ((size_t)st.st_size > max) {
		if (too_big)
			*too_big = 1;
		close(fd);
		return -1;
	}
	/* read(2) straight into a buffer of the size fstat gives (plus the
	 * NUL): no stdio buffer, no copy, and no power-of-two rounding, which
	 * would put a 100 KB photo above malloc's mmap threshold and make
	 * every read land on fresh pages. A file that grows meanwhile is read
	 * on, up to max. */
	if (max > (size_t)-1 / 2)
		max = (size_t)-1 / 2;
	size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 65536, n = 0;
	char *b = malloc(cap);
	int err = b ? 0 : ENOMEM;
	while (!err) {
		if (n + 1 == cap) { /* full: one byte more, or the end */
			char c;
			ssize_t k = read(fd, &c, 1);
			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0) {
				err = k < 0 ? (errno ? errno : EIO) : 0;
				break;
			}
			if (n >= max) {
				err = EFBIG;
				break;
			}
			size_t nc = cap > max / 2 ? max + 2 : cap * 2;
			char *v = realloc(b, nc);
			if (!v) {
				err = ENOMEM;
				break;
			}
			b = v;
			cap = nc;
			b[n++] = c;
			continue;
		}
		ssize_t k = read(fd, b + n, cap - 1 - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			err = errno ? errno : EIO;
		else if (k == 0)
			break;
		else
			n += (size_t)k;
	}
	close(fd);
	if (!err && n > max)
		err = EFBIG;
	if (err == EFBIG && too_big)
		*too_big = 1;
	if (err) {
		free(b);
		errno = err;
		return -1;
	}
	b[n] = 0;
	*len = n;
	*data = b;
	return 0;
}
