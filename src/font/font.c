/* font.c — see font.h. */
#include "font.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FONT_BYTES (64u << 20) /* larger than any font we ship or expect */
#define WCACHE 0x10000             /* the BMP: widths cached on first use */

/* One face's metrics: what measuring needs, nothing else of the file. */
typedef struct ttface {
	unsigned upem, nglyphs;
	uint16_t *adv; /* nglyphs advances, font units */
	unsigned nseg;
	uint16_t *end, *start, *delta, *range; /* cmap format 4 segments */
	uint16_t *gids;                        /* its glyph id array */
	unsigned ngids;
	size_t loca, loca_len, glyf, glyf_len; /* where the outlines are (ft_subset) */
	int long_loca;                         /* loca of 32-bit offsets */
} ttface;

/* The fallback faces' files (FT_FALLBACKS), Debian's paths, and each
 * one's face in its file (a collection's index). */
static const char *const fallback_path[FT_FALLBACKS] = {
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc", /* face 0: AR PL UMing CN */
    "/usr/share/fonts/opentype/ipafont-mincho/ipam.ttf",
    "/usr/share/fonts/truetype/nanum/NanumMyeongjo.ttf",
};
static const unsigned fallback_index[FT_FALLBACKS] = {0, 0, 0, 0};

struct ft_fonts {
	char *path[FT_ALL];
	unsigned index[FT_ALL]; /* the face in a collection (.ttc) */
	ttface *face[FT_ALL];
	short *w[FT_ALL]; /* widths in 1/1000 em, -1 = not yet */
	int tried[FT_ALL];
	const char *why[FT_ALL]; /* why a face failed to load */
	int failed;
};

/* Bounded big-endian reads: out of the file reads as 0 and sets *bad. */
typedef struct rd {
	const unsigned char *p;
	size_t n;
	int bad;
	size_t base; /* the face's table directory (a collection has several) */
} rd;

static unsigned u16(rd *r, size_t at)
{
	if (at > r->n || r->n - at < 2) {
		r->bad = 1;
		return 0;
	}
	return (unsigned)r->p[at] << 8 | r->p[at + 1];
}

static uint32_t u32(rd *r, size_t at)
{
	return (uint32_t)u16(r, at) << 16 | u16(r, at + 2);
}

/* The offset and length of a table, 0 when missing or out of the file. */
static size_t table(rd *r, const char *tag, size_t *len)
{
	unsigned n = u16(r, r->base + 4);
	for (unsigned i = 0; i < n && !r->bad; i++) {
		size_t e = r->base + 12 + (size_t)i * 16;
		if (e + 16 > r->n)
			break;
		if (!memcmp(r->p + e, tag, 4)) {
			size_t off = u32(r, e + 8), l = u32(r, e + 12);
			if (off > r->n || l > r->n - off)
				return 0;
			*len = l;
			return off;
		}
	}
	return 0;
}

static void face_free(ttface *fc)
{
	if (!fc)
		return;
	free(fc->adv);
	free(fc->end);
	free(fc->gids);
	free(fc);
}

static uint16_t *u16s(rd *r, size_t at, unsigned n)
{
	uint16_t *v = malloc((n ? n : 1) * sizeof *v);
	for (unsigned i = 0; v && i < n; i++)
		v[i] = (uint16_t)u16(r, at + 2 * (size_t)i);
	return v;
}

/* The face's Unicode cmap subtable of format 4: (3,1), else (0,*), else
 * (3,0); 0 when none. */
static size_t find_cmap(rd *r, size_t cm, size_t cmlen)
{
	static const int want[][2] = {{3, 1}, {0, -1}, {3, 0}};
	unsigned n = u16(r, cm + 2);
	for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
		for (unsigned i = 0; i < n && !r->bad; i++) {
			size_t e = cm + 4 + (size_t)i * 8;
			unsigned pid = u16(r, e), eid = u16(r, e + 2);
			size_t off = u32(r, e + 4);
			if ((int)pid == want[k][0] && (want[k][1] < 0 || (int)eid == want[k][1]) &&
			    off < cmlen && u16(r, cm + off) == 4)
				return cm + off;
		}
	return 0;
}

static ttface *face_parse(rd *r, const char **why)
{
	size_t hl = 0, hhl = 0, ml = 0, mxl = 0, cml = 0;
	size_t head = table(r, "head", &hl), hhea = table(r, "hhea", &hhl);
	size_t hmtx = table(r, "hmtx", &ml), maxp = table(r, "maxp", &mxl);
	size_t cmap = table(r, "cmap", &cml);
	if (!head || !hhea || !hmtx || !maxp || !cmap || hl < 54 || hhl < 36 || mxl < 6) {
		*why = "not a TrueType font (a table is missing): use a .ttf file";
		return NULL;
	}
	ttface *fc = calloc(1, sizeof *fc);
	if (!fc) {
		*why = "out of memory";
		return NULL;
	}
	fc->upem = u16(r, head + 18);
	fc->nglyphs = u16(r, maxp + 4);
	unsigned nh = u16(r, hhea + 34);
	if (fc->upem < 16 || fc->nglyphs == 0 || nh == 0 || nh > fc->nglyphs ||
	    (size_t)nh * 4 > ml) {
		*why = "damaged font (its metrics do not fit the file)";
		face_free(fc);
		return NULL;
	}
	fc->adv = malloc(fc->nglyphs * sizeof *fc->adv);
	for (unsigned i = 0; fc->adv && i < fc->nglyphs; i++)
		fc->adv[i] = (uint16_t)(i < nh ? u16(r, hmtx + 4 * (size_t)i) : fc->adv[nh - 1]);
	size_t sub = find_cmap(r, cmap, cml);
	if (!sub) {
		*why = "the font has no Unicode character map (cmap format 4)";
		face_free(fc);
		return NULL;
	}
	size_t slen = u16(r, sub + 2);
	fc->nseg = u16(r, sub + 6) / 2;
	size_t ends = sub + 14, starts = ends + 2 * (size_t)fc->nseg + 2;
	size_t deltas = starts + 2 * (size_t)fc->nseg, ranges = deltas + 2 * (size_t)fc->nseg;
	size_t gids = ranges + 2 * (size_t)fc->nseg;
	if (fc->nseg == 0 || slen < gids - sub || sub + slen > r->n) {
		*why = "damaged font (its character map does not fit the file)";
		face_free(fc);
		return NULL;
	}
	fc->ngids = (unsigned)((slen - (gids - sub)) / 2);
	/* the four segment arrays in one block */
	fc->end = malloc(4 * (size_t)fc->nseg * sizeof *fc->end);
	if (fc->end) {
		fc->start = fc->end + fc->nseg;
		fc->delta = fc->start + fc->nseg;
		fc->range = fc->delta + fc->nseg;
		for (unsigned i = 0; i < fc->nseg; i++) {
			fc->end[i] = (uint16_t)u16(r, ends + 2 * (size_t)i);
			fc->start[i] = (uint16_t)u16(r, starts + 2 * (size_t)i);
			fc->delta[i] = (uint16_t)u16(r, deltas + 2 * (size_t)i);
			fc->range[i] = (uint16_t)u16(r, ranges + 2 * (size_t)i);
		}
	}
	fc->gids = u16s(r, gids, fc->ngids);
	/* read from the file when needed (ft_parts), not now */
	fc->long_loca = u16(r, head + 50) == 1;
	fc->loca = table(r, "loca", &fc->loca_len);
	fc->glyf = table(r, "glyf", &fc->glyf_len);
	if (!fc->adv || !fc->end || !fc->gids || r->bad) {
		*why = r->bad ? "damaged font (a table runs past the end of the file)"
		              : "out of memory";
		face_free(fc);
		return NULL;
	}
	return fc;
}

static unsigned face_glyph(const ttface *fc, uint32_t cp)
{
	if (cp > 0xFFFF)
		return 0;
	unsigned lo = 0, hi = fc->nseg; /* the first segment ending at or after cp */
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		if (fc->end[mid] < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == fc->nseg || fc->start[lo] > cp)
		return 0;
	unsigned g;
	if (fc->range[lo] == 0) {
		g = (cp + fc->delta[lo]) & 0xFFFF;
	} else {
		/* idRangeOffset counts bytes from its own place in the file */
		size_t idx = fc->range[lo] / 2 + (cp - fc->start[lo]);
		if (idx < fc->nseg - lo)
			return 0;
		idx -= fc->nseg - lo;
		if (idx >= fc->ngids || fc->gids[idx] == 0)
			return 0;
		g = (fc->gids[idx] + fc->delta[lo]) & 0xFFFF;
	}
	return g < fc->nglyphs ? g : 0;
}

/* Bytes [off, off + n) of the file into buf at off, as far as the file
 * (of size len) goes; 0 on a read error. */
static int read_at(int fd, char *buf, size_t len, size_t off, size_t n)
{
	if (off >= len)
		return 1;
	if (n > len - off)
		n = len - off;
	while (n) {
		ssize_t got = pread(fd, buf + off, n, (off_t)off);
		if (got < 0)
			return 0;
		if (got == 0)
			break; /* the file shrank: the rest reads as zeros */
		off += (size_t)got;
		n -= (size_t)got;
	}
	return 1;
}

/* The parts of a font file that measuring reads: its header, the face's
 * table directory (*base: where it is) and the tables face_parse reads,
 * each at its offset in a zeroed buffer of the file's size whose other
 * pages are never touched (a collection of CJK faces is 21 MB; this reads
 * a few hundred KB of it). NULL, with *why, when it cannot be read. */
static char *read_font(const char *path, unsigned index, size_t *len, size_t *base,
                       const char **why)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		*why = "cannot read the font file";
		return NULL;
	}
	if ((unsigned long long)st.st_size > MAX_FONT_BYTES) {
		close(fd);
		*why = "the font file is larger than 64 MB";
		return NULL;
	}
	size_t n = (size_t)st.st_size;
	char *buf = calloc(n ? n : 1, 1);
	rd r = {(const unsigned char *)buf, n, 0, 0};
	int ok = buf && read_at(fd, buf, n, 0, 12);
	if (ok && u32(&r, 0) == 0x74746366) { /* 'ttcf': a collection */
		ok = read_at(fd, buf, n, 12 + 4 * (size_t)index, 4);
		r.base = index < u32(&r, 8) ? u32(&r, 12 + 4 * (size_t)index) : 0;
		ok = ok && read_at(fd, buf, n, r.base, 12);
	}
	ok = ok && read_at(fd, buf, n, r.base + 12, 16 * (size_t)u16(&r, r.base + 4));
	static const char *const need[] = {"head", "hhea", "hmtx", "maxp", "cmap"};
	for (size_t k = 0; ok && k < sizeof need / sizeof need[0]; k++) {
		size_t tl = 0, at = table(&r, need[k], &tl);
		ok = !at || read_at(fd, buf, n, at, tl);
	}
	close(fd);
	if (!ok) {
		free(buf);
		*why = buf ? "cannot read the font file" : "out of memory";
		return NULL;
	}
	*len = n;
	*base = r.base;
	return buf;
}

ft_fonts *ft_fonts_new(const char *const paths[FT_FACES])
{
	ft_fonts *f = calloc(1, sizeof *f);
	for (int i = 0; f && i < FT_ALL; i++) {
		const char *p = i >= FT_FACES ? fallback_path[i - FT_FACES] : paths ? paths[i] : "";
		f->path[i] = strdup(p ? p : "");
		f->index[i] = i >= FT_FACES ? fallback_index[i - FT_FACES] : 0;
		if (!f->path[i]) {
			ft_fonts_free(f);
			return NULL;
		}
	}
	return f;
}

void ft_fonts_free(ft_fonts *f)
{
	if (!f)
		return;
	for (int i = 0; i < FT_ALL; i++) {
		free(f->path[i]);
		face_free(f->face[i]);
		free(f->w[i]);
	}
	free(f);
}

const char *ft_path(const ft_fonts *f, int face)
{
	return face >= 0 && face < FT_ALL ? f->path[face] : "";
}

int ft_collection(const ft_fonts *f, int face, unsigned *index)
{
	if (face < 0 || face >= FT_ALL)
		return 0;
	size_t n = strlen(f->path[face]);
	*index = f->index[face];
	return n > 4 &&
	       (!strcmp(f->path[face] + n - 4, ".ttc") || !strcmp(f->path[face] + n - 4, ".TTC"));
}

int ft_load(ft_fonts *f, int fi, const char **why)
{
	const char *ignored = "";
	const char **w = why ? why : &ignored;
	if (fi < 0 || fi >= FT_ALL) {
		*w = "no such face";
		return -1;
	}
	if (f->tried[fi]) {
		*w = f->face[fi] ? "" : f->why[fi];
		return f->face[fi] ? 0 : -1;
	}
	f->tried[fi] = 1;
	size_t len = 0, base = 0;
	char *data = read_font(f->path[fi], f->index[fi], &len, &base, w);
	if (data) {
		rd r = {(const unsigned char *)data, len, 0, base};
		/* a collection's face's directory, else the file's */
		uint32_t tag =
		    u32(&r, 0) == 0x74746366 ? base && base < len ? u32(&r, base) : 0 : u32(&r, 0);
		if (tag != 0x00010000 && tag != 0x74727565) /* 1.0 or 'true' */
			*w = "not a TrueType font: use a .ttf or .ttc file with TrueType "
			     "outlines (OpenType/CFF is not supported)";
		else
			f->face[fi] = face_parse(&r, w);
		free(data);
	}
	if (f->face[fi]) {
		f->w[fi] = malloc(WCACHE * sizeof(short));
		if (f->w[fi])
			memset(f->w[fi], 0xFF, WCACHE * sizeof(short)); /* all -1 */
	}
	if (f->face[fi] && !f->w[fi])
		*w = "out of memory";
	if (!f->face[fi] || !f->w[fi]) {
		f->why[fi] = *w;
		face_free(f->face[fi]);
		f->face[fi] = NULL;
		f->failed |= fi < FT_FACES; /* a fallback is optional */
		return -1;
	}
	return 0;
}

int ft_failed(const ft_fonts *f)
{
	return f->failed;
}

unsigned ft_glyph(ft_fonts *f, int fi, uint32_t cp)
{
	if (fi < 0 || fi >= FT_ALL || ft_load(f, fi, NULL) < 0)
		return 0;
	return face_glyph(f->face[fi], cp);
}

/* A private-use character means what its sender's font made it mean (a
 * Word symbol font's bullet, a logo): no font here shows that, whatever
 * glyph it may have there, so it is reported, never drawn as some other
 * shape or as nothing. */
static int private_use(uint32_t cp)
{
	return cp >= 0xE000 && cp <= 0xF8FF;
}

int ft_cover(ft_fonts *f, int fi, uint32_t cp)
{
	if (fi < 0 || fi >= FT_ALL)
		fi = 0;
	if (private_use(cp))
		return -1;
	if (ft_glyph(f, fi, cp))
		return fi;
	for (int k = FT_FACES; k < FT_ALL; k++)
		if (k != fi && ft_glyph(f, k, cp))
			return k;
	return -1;
}

/* A glyph's advance in 1/1000 em, as a PDF's /W array gives it. */
static int advance(const ttface *fc, unsigned g)
{
	int units = (int)((unsigned long)fc->adv[g] * 1000 / fc->upem);
	return units > 0x7FFF ? 0x7FFF : units;
}

int ft_units(ft_fonts *f, int fi, uint32_t cp)
{
	if (fi < 0 || fi >= FT_ALL)
		fi = 0;
	if (cp > 0xFFFF)
		cp = 0xFFFD;
	short *w = f->w[fi];
	if (w && w[cp] >= 0)
		return w[cp];
	if (ft_load(f, fi, NULL) < 0)
		return 500;
	const ttface *fc = f->face[fi];
	unsigned g = private_use(cp) ? 0 : face_glyph(fc, cp); /* as ft_cover */
	int units;
	if (g) {
		units = advance(fc, g);
	} else { /* drawn by a fallback, or as U+FFFD, or its .notdef */
		int k = ft_cover(f, fi, cp);
		if (k < 0)
			k = cp != 0xFFFD ? ft_cover(f, fi, 0xFFFD) : -1;
		if (k >= 0 && k != fi)
			units = advance(f->face[k], face_glyph(f->face[k], cp)
			                                ? face_glyph(f->face[k], cp)
			                                : face_glyph(f->face[k], 0xFFFD));
		else
			units = advance(fc, k == fi ? face_glyph(fc, 0xFFFD) : 0);
	}
	f->w[fi][cp] = (short)units;
	return units;
}

const short *ft_width_table(ft_fonts *f, int fi)
{
	return fi >= 0 && fi < FT_ALL ? f->w[fi] : NULL;
}

/* Runs of measured ASCII are summed straight from the table, other
 * characters decoded and measured one at a time. */
long ft_text_units(ft_fonts *f, int fi, const char *s, size_t len)
{
	long w = 0;
	const short *wt = ft_width_table(f, fi);
	size_t i = 0;
	while (i < len) {
		for (; wt && i < len; i++) {
			unsigned c = (unsigned char)s[i];
			if (c >= 0x80 || wt[c] < 0)
				break;
			w += wt[c];
		}
		if (i < len) {
			w += ft_char_units(f, fi, wt, ft_next_char(s, len, &i));
			wt = ft_width_table(f, fi); /* made by the first measure */
		}
	}
	return w;
}

/* Subsets for embedding (ft_subset). */

#define PART_BYTES 1024 /* a composite glyph's records read: 64 parts or more */

static void put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xFFFF);
}

static uint32_t checksum(const unsigned char *p, size_t n)
{
	uint32_t s = 0;
	for (size_t i = 0; i < n; i += 4) {
		uint32_t w = 0;
		for (size_t k = 0; k < 4; k++)
			w = w << 8 | (i + k < n ? p[i + k] : 0);
		s += w;
	}
	return s;
}

/* Glyph g's bytes in the file's glyf table (loca read whole): its offset
 * and length there, 0 when it has no outline or they do not fit. */
static size_t glyph_span(const ttface *fc, const unsigned char *loca, size_t loca_len, unsigned g,
                         size_t *off)
{
	rd r = {loca, loca_len, 0, 0};
	size_t a, b;
	if (fc->long_loca) {
		a = u32(&r, (size_t)g * 4);
		b = u32(&r, (size_t)g * 4 + 4);
	} else {
		a = 2 * (size_t)u16(&r, (size_t)g * 2);
		b = 2 * (size_t)u16(&r, (size_t)g * 2 + 2);
	}
	if (r.bad || b <= a || b > fc->glyf_len)
		return 0;
	*off = a;
	return b - a;
}

/* The PostScript name (name ID 6) as PDF name characters, into out. */
static void ps_name(const unsigned char *nm, size_t len, char *out, size_t cap)
{
	rd r = {nm, len, 0, 0};
	size_t n = 0;
	unsigned count = u16(&r, 2), strs = u16(&r, 4);
	for (unsigned i = 0; i < count && !r.bad && !n; i++) {
		size_t e = 6 + (size_t)i * 12;
		unsigned pid = u16(&r, e), id = u16(&r, e + 6);
		size_t l = u16(&r, e + 8), o = strs + (size_t)u16(&r, e + 10);
		if (id != 6 || r.bad || o > len || l > len - o || (pid != 1 && pid != 3))
			continue;
		size_t step = pid == 3 ? 2 : 1; /* UTF-16BE, or Mac Roman */
		for (size_t k = step - 1; k < l && n + 1 < cap; k += step) {
			unsigned char c = nm[o + k];
			if ((step == 1 || !nm[o + k - 1]) &&
			    ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			     (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
				out[n++] = (char)c;
		}
	}
	out[n] = 0;
}

int ft_subset(ft_fonts *f, int fi, const unsigned char *used, ms_buf *out, ft_embed *m,
              const char **why)
{
	const char *ignored = "";
	const char **w = why ? why : &ignored;
	if (ft_load(f, fi, w) < 0)
		return -1;
	ttface *fc = f->face[fi];
	*w = "cannot read the font file";
	int fd = open(f->path[fi], O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* the face's table directory */
	unsigned char hdr[12 + 16 * 64];
	struct stat st;
	size_t base = 0;
	int bad = fstat(fd, &st) != 0;
	size_t flen = bad ? 0 : (size_t)st.st_size;
	rd dir = {hdr, 0, 0, 0};
	if (!bad && pread(fd, hdr, 12, 0) == 12) {
		dir.n = 12;
		if (u32(&dir, 0) == 0x74746366) { /* a collection: the face's offset */
			unsigned char o[4];
			rd ro = {o, 4, 0, 0};
			bad = pread(fd, o, 4, 12 + 4 * (off_t)f->index[fi]) != 4;
			base = bad ? 0 : u32(&ro, 0);
			bad = bad || pread(fd, hdr, 12, (off_t)base) != 12;
		}
	} else {
		bad = 1;
	}
	unsigned ntab = bad ? 0 : u16(&dir, 4);
	if (ntab > 64)
		ntab = 64; /* a face with more tables: the first 64 looked at */
	bad =
	    bad || pread(fd, hdr + 12, 16 * (size_t)ntab, (off_t)base + 12) != (ssize_t)(16 * ntab);
	static const char *const copy[] = {"OS/2", "cvt ", "fpgm", "head", "hhea", "hmtx",
	                                   "maxp", "name", "post", "prep", "loca"};
	enum { OS2, CVT, FPGM, HEAD, HHEA, HMTX, MAXP, NAME, POST, PREP, LOCA, NT };
	unsigned char *t[NT] = {0};
	size_t tl[NT] = {0};
	for (int k = 0; k < NT && !bad; k++) {
		size_t l = 0;
		size_t at = 0;
		/* the directory's entries (table() checks them against the file) */
		for (unsigned i = 0; i < ntab; i++)
			if (!memcmp(hdr + 12 + 16 * (size_t)i, copy[k], 4)) {
				rd e = {hdr + 12 + 16 * (size_t)i, 16, 0, 0};
				at = u32(&e, 8);
				l = u32(&e, 12);
				if (at > flen || l > flen - at)
					bad = 1;
				break;
			}
		if (!at || bad)
			continue;
		t[k] = malloc(l ? l : 1);
		if (!t[k] || (l && pread(fd, t[k], l, (off_t)at) != (ssize_t)l))
			bad = 1;
		tl[k] = l;
	}
	if (!bad && (!t[HEAD] || tl[HEAD] < 54 || !t[HHEA] || tl[HHEA] < 36 || !t[MAXP] ||
	             tl[MAXP] < 6 || !t[HMTX] || !t[LOCA] || !fc->glyf))
		bad = 1;
	/* the glyphs kept: .notdef, the characters', and the parts of
	 * composites at any depth */
	unsigned ng = fc->nglyphs;
	unsigned char *keep = bad ? NULL : calloc(ng, 1);
	unsigned *stack = bad ? NULL : malloc(ng * sizeof *stack);
	unsigned top = 0, maxg = 0;
	if (!keep || !stack)
		bad = 1;
	if (!bad) {
		keep[0] = 1;
		for (uint32_t cp = 0; cp < 0x10000; cp++)
			if (!used[cp >> 3])
				cp |= 7; /* none of these eight */
			else if (used[cp >> 3] & (1u << (cp & 7))) {
				unsigned g = face_glyph(fc, cp);
				if (g && !keep[g]) {
					keep[g] = 1;
					stack[top++] = g;
				}
			}
	}
	while (top && !bad) {
		unsigned g = stack[--top];
		size_t off = 0, gl = glyph_span(fc, t[LOCA], tl[LOCA], g, &off);
		unsigned char buf[PART_BYTES];
		size_t n = gl < PART_BYTES ? gl : PART_BYTES;
		if (n < 10 || pread(fd, buf, n, (off_t)(fc->glyf + off)) != (ssize_t)n)
			continue;
		rd r = {buf, n, 0, 0};
		if (u16(&r, 0) < 0x8000) /* an outline, not a composite */
			continue;
		size_t p = 10;
		unsigned flags;
		do {
			flags = u16(&r, p);
			unsigned c = u16(&r, p + 2);
			if (r.bad)
				break;
			if (c < ng && !keep[c]) {
				keep[c] = 1;
				stack[top++] = c;
			}
			p += 4 + (flags & 1 ? 4 : 2);
			p += flags & 8 ? 2 : flags & 0x40 ? 4 : flags & 0x80 ? 8 : 0;
		} while (flags & 0x20);
	}
	for (unsigned g = 0; !bad && g < ng; g++)
		if (keep[g])
			maxg = g;
	unsigned n = maxg + 1; /* glyph ids stay; the file ends at the last kept */
	/* glyf and loca (32-bit offsets), glyphs 4-byte aligned */
	ms_buf glyf;
	ms_buf_init(&glyf);
	unsigned char *loca = bad ? NULL : malloc(((size_t)n + 1) * 4);
	if (!loca)
		bad = 1;
	for (unsigned g = 0; !bad && g < n; g++) {
		put32(loca + 4 * (size_t)g, (uint32_t)glyf.len);
		size_t off = 0, gl = keep[g] ? glyph_span(fc, t[LOCA], tl[LOCA], g, &off) : 0;
		if (!gl)
			continue;
		if (ms_buf_reserve(&glyf, gl + 4) < 0 ||
		    pread(fd, glyf.s + glyf.len, gl, (off_t)(fc->glyf + off)) != (ssize_t)gl) {
			bad = 1;
			break;
		}
		glyf.len += gl;
		while (glyf.len & 3)
			glyf.s[glyf.len++] = 0;
	}
	if (!bad)
		put32(loca + 4 * (size_t)n, (uint32_t)glyf.len);
	close(fd);
	/* the metrics a PDF's font descriptor gives */
	if (!bad) {
		rd h = {t[HEAD], tl[HEAD], 0, 0}, hh = {t[HHEA], tl[HHEA], 0, 0};
		rd os = {t[OS2], tl[OS2], 0, 0}, po = {t[POST], tl[POST], 0, 0};
		double k = 1000.0 / fc->upem;
		memset(m, 0, sizeof *m);
		for (int i = 0; i < 4; i++)
			m->bbox[i] = (int)((int16_t)u16(&h, 36 + 2 * (size_t)i) * k);
		m->ascent = (int)((int16_t)u16(&hh, 4) * k);
		m->descent = (int)((int16_t)u16(&hh, 6) * k);
		m->cap_height = m->ascent;
		if (t[OS2] && tl[OS2] >= 90 && u16(&os, 0) >= 2) {
			m->cap_height = (int)((int16_t)u16(&os, 88) * k);
			m->x_height = (int)((int16_t)u16(&os, 86) * k);
		}
		unsigned weight = t[OS2] && tl[OS2] >= 6 ? u16(&os, 4) : 400;
		m->stem_v = weight >= 600 ? 120 : 80;
		int fixed = 0;
		if (t[POST] && tl[POST] >= 16) {
			m->italic_angle = (int32_t)u32(&po, 4) / 65536.0;
			fixed = u32(&po, 12) != 0;
		}
		unsigned family = t[OS2] && tl[OS2] >= 32 ? u16(&os, 30) >> 8 : 0;
		m->flags = 32 | (fixed ? 1 : 0) | (family >= 1 && family <= 7 ? 2 : 0) |
		           ((u16(&h, 44) & 2) || m->italic_angle != 0 ? 64 : 0);
		m->glyphs = n;
		ps_name(t[NAME], tl[NAME], m->name, sizeof m->name);
	}
	/* the cmap: a segment a character kept, for readers that look */
	ms_buf cm;
	ms_buf_init(&cm);
	if (!bad) {
		unsigned nseg = 1;
		for (uint32_t cp = 0; cp < 0xFFFF; cp++)
			if (!used[cp >> 3])
				cp |= 7;
			else
				nseg += (used[cp >> 3] >> (cp & 7)) & 1;
		unsigned char e[12];
		put16(e, 0);
		put16(e + 2, 1);
		put16(e + 4, 3); /* Windows, Unicode BMP */
		put16(e + 6, 1);
		put32(e + 8, 12);
		ms_buf_add(&cm, e, 12);
		size_t len = 16 + 8 * (size_t)nseg;
		unsigned sr = 1, es = 0;
		while (sr * 2 <= nseg)
			sr *= 2, es++;
		put16(e, 4);
		put16(e + 2, len > 0xFFFF ? 0xFFFF : (unsigned)len);
		put16(e + 4, 0);
		put16(e + 6, 2 * nseg);
		put16(e + 8, 2 * sr);
		put16(e + 10, es);
		ms_buf_add(&cm, e, 12);
		put16(e, 2 * (nseg - sr));
		ms_buf_add(&cm, e, 2);
		size_t ends = cm.len;
		if (ms_buf_reserve(&cm, 8 * (size_t)nseg + 2) == 0) {
			memset(cm.s + cm.len, 0, 8 * (size_t)nseg + 2);
			cm.len += 8 * (size_t)nseg + 2;
			unsigned char *pe = (unsigned char *)cm.s + ends;
			unsigned char *ps = pe + 2 * (size_t)nseg + 2, *pd = ps + 2 * (size_t)nseg;
			unsigned i = 0;
			for (uint32_t cp = 0; cp < 0xFFFF; cp++)
				if (!used[cp >> 3])
					cp |= 7;
				else if (used[cp >> 3] & (1u << (cp & 7))) {
					put16(pe + 2 * i, cp);
					put16(ps + 2 * i, cp);
					put16(pd + 2 * i, (face_glyph(fc, cp) - cp) & 0xFFFF);
					i++;
				}
			put16(pe + 2 * i, 0xFFFF);
			put16(ps + 2 * i, 0xFFFF);
			put16(pd + 2 * i, 1);
		}
		if (len > 0xFFFF) /* more characters than a format 4 table holds: none */
			cm.len = 0;
		bad = cm.oom;
	}
	/* the file: tables in the order of their tags */
	if (!bad) {
		put32(t[HEAD] + 8, 0);  /* checkSumAdjustment, set last */
		put16(t[HEAD] + 50, 1); /* 32-bit loca */
		put16(t[MAXP] + 4, n);
		unsigned nh = u16(&(rd){t[HHEA], tl[HHEA], 0, 0}, 34);
		unsigned nh2 = nh < n ? nh : n;
		put16(t[HHEA] + 34, nh2);
		size_t hm = 4 * (size_t)nh2 + 2 * (size_t)(n - nh2);
		if (hm < tl[HMTX])
			tl[HMTX] = hm;
		if (t[POST] && tl[POST] >= 32) { /* format 3: no glyph names */
			put32(t[POST], 0x00030000);
			tl[POST] = 32;
		} else {
			tl[POST] = 0;
		}
		struct {
			const char *tag;
			const unsigned char *p;
			size_t n;
		} out_t[] = {
		    {"OS/2", t[OS2], tl[OS2]},
		    {"cmap", (unsigned char *)cm.s, cm.len},
		    {"cvt ", t[CVT], tl[CVT]},
		    {"fpgm", t[FPGM], tl[FPGM]},
		    {"glyf", (unsigned char *)glyf.s, glyf.len},
		    {"head", t[HEAD], tl[HEAD]},
		    {"hhea", t[HHEA], tl[HHEA]},
		    {"hmtx", t[HMTX], tl[HMTX]},
		    {"loca", loca, 4 * ((size_t)n + 1)},
		    {"maxp", t[MAXP], tl[MAXP]},
		    {"name", t[NAME], tl[NAME]},
		    {"post", t[POST], tl[POST]},
		    {"prep", t[PREP], tl[PREP]},
		};
		unsigned nt = 0;
		for (size_t i = 0; i < sizeof out_t / sizeof out_t[0]; i++)
			nt += out_t[i].p && out_t[i].n;
		unsigned sr = 1, es = 0;
		while (sr * 2 <= nt)
			sr *= 2, es++;
		size_t start = out->len, head_at = 0;
		unsigned char d[16];
		put32(d, 0x00010000);
		put16(d + 4, nt);
		put16(d + 6, 16 * sr);
		put16(d + 8, es);
		put16(d + 10, 16 * (nt - sr));
		ms_buf_add(out, d, 12);
		size_t at = 12 + 16 * (size_t)nt;
		for (size_t i = 0; i < sizeof out_t / sizeof out_t[0]; i++) {
			if (!out_t[i].p || !out_t[i].n)
				continue;
			memcpy(d, out_t[i].tag, 4);
			put32(d + 4, checksum(out_t[i].p, out_t[i].n));
			put32(d + 8, (uint32_t)at);
			put32(d + 12, (uint32_t)out_t[i].n);
			ms_buf_add(out, d, 16);
			at += (out_t[i].n + 3) & ~(size_t)3;
		}
		for (size_t i = 0; i < sizeof out_t / sizeof out_t[0]; i++) {
			if (!out_t[i].p || !out_t[i].n)
				continue;
			if (out_t[i].p == t[HEAD])
				head_at = out->len - start;
			ms_buf_add(out, out_t[i].p, out_t[i].n);
			while ((out->len - start) & 3)
				ms_buf_addc(out, 0);
		}
		if (!out->oom) {
			uint32_t sum = checksum((unsigned char *)out->s + start, out->len - start);
			put32((unsigned char *)out->s + start + head_at + 8, 0xB1B0AFBAu - sum);
		}
		bad = out->oom;
		if (bad)
			*w = "out of memory";
	}
	for (int k = 0; k < NT; k++)
		free(t[k]);
	free(keep);
	free(stack);
	free(loca);
	ms_buf_free(&glyf);
	ms_buf_free(&cm);
	if (bad && !out->oom)
		*w = "damaged font (a table runs past the end of the file)";
	return bad ? -1 : 0;
}

int ft_glyph_units(ft_fonts *f, int fi, unsigned g)
{
	if (fi < 0 || fi >= FT_ALL || ft_load(f, fi, NULL) < 0)
		return 0;
	return g < f->face[fi]->nglyphs ? advance(f->face[fi], g) : 0;
}
