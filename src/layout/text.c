/* text.c — styles, fonts and measuring, hyphenation, and total-fit line
 * breaking (Knuth & Plass). See ly.h. */
#include <ctype.h>
#include <errno.h>
#include <hyphen.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../util/buf.h"
#include "ly.h"

/* Styles ------------------------------------------------------------------- */

#define LIB "/usr/share/fonts/truetype/liberation2/"

static const char *const face_files[FACE_COUNT] = {
    LIB "LiberationSerif-Regular.ttf", LIB "LiberationSerif-Bold.ttf",
    LIB "LiberationSerif-Italic.ttf",  LIB "LiberationSerif-BoldItalic.ttf",
    LIB "LiberationSans-Regular.ttf",  LIB "LiberationSans-Bold.ttf",
    LIB "LiberationSans-Italic.ttf",   LIB "LiberationSans-BoldItalic.ttf",
    LIB "LiberationMono-Regular.ttf",  LIB "LiberationMono-Bold.ttf",
    LIB "LiberationMono-Italic.ttf",   LIB "LiberationMono-BoldItalic.ttf"};
static const char *const face_keys[FACE_COUNT] = {
    "font.serif", "font.serif.bold", "font.serif.italic", "font.serif.bolditalic",
    "font.sans",  "font.sans.bold",  "font.sans.italic",  "font.sans.bolditalic",
    "font.mono",  "font.mono.bold",  "font.mono.italic",  "font.mono.bolditalic"};

static ly_pstyle *add_pstyle(ly_style *st, const char *name, int fam, int b, int i, double size,
                             double lead, double before, double after, int align)
{
	if (st->nst >= LY_MAX_STYLES)
		return NULL;
	ly_pstyle *p = &st->st[st->nst++];
	memset(p, 0, sizeof *p);
	snprintf(p->name, sizeof p->name, "%s", name);
	p->family = fam;
	p->bold = b;
	p->italic = i;
	p->size = size;
	p->leading = lead;
	p->before = before;
	p->after = after;
	p->align = align;
	p->hyphenate = align == DT_JUSTIFY;
	return p;
}

/* The built-in defaults: a style file only says what differs. */
static void defaults(ly_style *st)
{
	memset(st, 0, sizeof *st);
	st->page_w = 595.276; /* A4 */
	st->page_h = 841.89;
	st->m_top = 72;
	st->m_bottom = 72;
	st->m_inner = 72;
	st->m_outer = 72;
	for (int i = 0; i < FACE_COUNT; i++)
		snprintf(st->font_path[i], sizeof st->font_path[i], "%s", face_files[i]);
	/* Debian 13 keeps Liberation 2 in liberation/ (fonts-liberation2 is a
	 * transitional package there) */
	for (int i = 0; i < FACE_COUNT && access(st->font_path[i], F_OK) < 0; i++)
		snprintf(st->font_path[i], sizeof st->font_path[i], "%s%s",
		         "/usr/share/fonts/truetype/liberation/", face_files[i] + strlen(LIB));
	snprintf(st->hyph_path, sizeof st->hyph_path, "%s", LY_DEFAULT_HYPH);
	st->folio_size = 9;
	st->head_size = 9;
	st->rule_color = 0x555555;
	st->box_fill = 0xEEF2F6;
	st->table_rule = 0x888888;
	st->head_fill = 0xDCE6F0;
	st->widows = 2;
	st->orphans = 2;
	st->brk = (ly_breaking)LY_BREAKING_DEFAULT;
	add_pstyle(st, "body", FAM_SERIF, 0, 0, 11, 14, 0, 6, DT_JUSTIFY);
	add_pstyle(st, "h1", FAM_SANS, 1, 0, 20, 24, 0, 18, DT_LEFT);
	add_pstyle(st, "h2", FAM_SANS, 1, 0, 15, 19, 18, 8, DT_LEFT);
	add_pstyle(st, "h3", FAM_SANS, 1, 0, 12, 15, 12, 4, DT_LEFT);
	add_pstyle(st, "h4", FAM_SERIF, 1, 1, 11, 14, 8, 2, DT_LEFT);
	add_pstyle(st, "caption", FAM_SERIF, 0, 1, 9.5, 12, 4, 0, DT_LEFT);
	add_pstyle(st, "credit", FAM_SANS, 0, 0, 8, 10, 1, 10, DT_LEFT);
	add_pstyle(st, "quote", FAM_SERIF, 0, 1, 11, 14, 0, 4, DT_LEFT);
	add_pstyle(st, "attribution", FAM_SERIF, 0, 0, 10, 13, 0, 8, DT_RIGHT);
	add_pstyle(st, "footnote", FAM_SERIF, 0, 0, 8.5, 10.5, 0, 2, DT_LEFT);
	add_pstyle(st, "toc1", FAM_SANS, 1, 0, 11, 16, 8, 2, DT_LEFT);
	add_pstyle(st, "toc2", FAM_SERIF, 0, 0, 10.5, 13.5, 0, 2, DT_LEFT);
	add_pstyle(st, "index", FAM_SERIF, 0, 0, 10, 13, 0, 1, DT_LEFT);
	add_pstyle(st, "small", FAM_SERIF, 0, 0, 9, 11, 0, 4, DT_LEFT);
	add_pstyle(st, "report-symbol", FAM_SERIF, 0, 0, 9, 11, 0, 4, DT_RIGHT);
	add_pstyle(st, "table", FAM_SERIF, 0, 0, 9.5, 12, 0, 0, DT_LEFT);
	add_pstyle(st, "table-head", FAM_SANS, 1, 0, 9, 11.5, 0, 0, DT_LEFT);
	add_pstyle(st, "code", FAM_MONO, 0, 0, 9, 11.5, 0, 6, DT_LEFT);
	add_pstyle(st, "fact-label", FAM_SANS, 1, 0, 9, 11.5, 0, 0, DT_LEFT);
	add_pstyle(st, "fact-value", FAM_SERIF, 0, 0, 9.5, 12, 0, 0, DT_LEFT);
	add_pstyle(st, "cover-title", FAM_SANS, 1, 0, 28, 34, 0, 16, DT_CENTER);
	add_pstyle(st, "cover-subtitle", FAM_SANS, 0, 0, 16, 20, 0, 24, DT_CENTER);
	add_pstyle(st, "cover-meta", FAM_SERIF, 0, 0, 12, 16, 0, 6, DT_CENTER);
	add_pstyle(st, "author", FAM_SERIF, 0, 1, 10, 13, 8, 6, DT_RIGHT);
}

/* Paragraph styles are looked up by name for every paragraph and table
 * cell (100,000 times in the 2,000-entry digest): by a hash of the name,
 * open addressing in 128 slots for at most 64 styles, built once the style
 * file is read (index_styles). FNV-1a. */
static unsigned name_hash(const char *s)
{
	return ms_fnv(s, MS_FNV_SEED);
}

static void index_styles(ly_style *st)
{
	memset(st->slot, 0, sizeof st->slot);
	for (int i = 0; i < st->nst; i++) { /* in order: the first of a name is found */
		unsigned h = name_hash(st->st[i].name) & 127;
		while (st->slot[h])
			h = (h + 1) & 127;
		st->slot[h] = (unsigned char)(i + 1);
	}
}

const ly_pstyle *ly_pstyle_get(const ly_style *st, const char *name)
{
	if (name)
		for (unsigned h = name_hash(name) & 127; st->slot[h]; h = (h + 1) & 127) {
			const ly_pstyle *p = &st->st[st->slot[h] - 1];
			if (!strcmp(p->name, name))
				return p;
		}
	return &st->st[0]; /* body */
}

/* "12", "12pt", "20mm", "1.5cm" -> points. */
static int parse_len(const char *v, double *out)
{
	char *end;
	double x = strtod(v, &end);
	while (*end == ' ')
		end++;
	if (end == v || !isfinite(x))
		return -1;
	if (!*end || !strcmp(end, "pt"))
		*out = x;
	else if (!strcmp(end, "mm"))
		*out = x * 72 / 25.4;
	else if (!strcmp(end, "cm"))
		*out = x * 72 / 2.54;
	else if (!strcmp(end, "in"))
		*out = x * 72;
	else
		return -1;
	return 0;
}

static int parse_color(const char *v, unsigned *out)
{
	if (v[0] != '#' || strlen(v) != 7)
		return -1;
	char *end;
	unsigned long c = strtoul(v + 1, &end, 16);
	if (*end)
		return -1;
	*out = (unsigned)c;
	return 0;
}

/* "A4", "Letter"... optionally followed by "landscape" (any case): the
 * width and height in points; -1 for another name. */
static int parse_paper(const char *v, double *w, double *h)
{
	static const struct {
		const char *name;
		double w, h;
	} papers[] = {{"A3", 841.89, 1190.551},
	              {"A4", 595.276, 841.89},
	              {"A5", 419.528, 595.276},
	              {"Letter", 612, 792},
	              {"Legal", 612, 1008}};
	size_t n = strcspn(v, " \t");
	const char *rest = v + n;
	while (*rest == ' ' || *rest == '\t')
		rest++;
	int landscape = !strcasecmp(rest, "landscape");
	if (*rest && !landscape && strcasecmp(rest, "portrait"))
		return -1;
	for (size_t i = 0; i < sizeof papers / sizeof papers[0]; i++)
		if (strlen(papers[i].name) == n && !strncasecmp(v, papers[i].name, n)) {
			*w = landscape ? papers[i].h : papers[i].w;
			*h = landscape ? papers[i].w : papers[i].h;
			return 0;
		}
	return -1;
}

static int set_key(ly_style *st, const char *k, const char *v)
{
	double x;
	for (int i = 0; i < FACE_COUNT; i++)
		if (!strcmp(k, face_keys[i])) {
			snprintf(st->font_path[i], sizeof st->font_path[i], "%s", v);
			return 0;
		}
	struct {
		const char *key;
		double *dst;
	} lens[] = {{"page.width", &st->page_w},     {"page.height", &st->page_h},
	            {"margin.top", &st->m_top},      {"margin.bottom", &st->m_bottom},
	            {"margin.inner", &st->m_inner},  {"margin.outer", &st->m_outer},
	            {"folio.size", &st->folio_size}, {"head.size", &st->head_size}};
	for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++)
		if (!strcmp(k, lens[i].key)) {
			if (parse_len(v, &x) < 0)
				return -1;
			/* the paper and margins are checked once all are read */
			if (!strcmp(k, "folio.size") || !strcmp(k, "head.size"))
				if (!(x >= 1 && x <= 1000))
					return -4;
			*lens[i].dst = x;
			return 0;
		}
	if (!strcmp(k, "page.size")) /* a named paper, for page.width and page.height */
		return parse_paper(v, &st->page_w, &st->page_h);
	if (!strcmp(k, "hyphenation.dict")) {
		snprintf(st->hyph_path, sizeof st->hyph_path, "%s", v);
		return access(v, R_OK) == 0 ? 0 : -3;
	}
	struct {
		const char *key;
		unsigned *dst;
	} cols[] = {{"color.rule", &st->rule_color},
	            {"color.box", &st->box_fill},
	            {"color.table-rule", &st->table_rule},
	            {"color.table-head", &st->head_fill}};
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
		if (!strcmp(k, cols[i].key))
			return parse_color(v, cols[i].dst);
	struct {
		const char *key;
		double *dst, lo, hi;
	} nums[] = {{"break.hyphen-penalty", &st->brk.hyphen_penalty, 0, 10000},
	            {"break.double-hyphen-demerits", &st->brk.double_hyphen, 0, 1e7},
	            {"break.fitness-demerits", &st->brk.fitness, 0, 1e7},
	            {"break.pretolerance", &st->brk.pretolerance, -1, 10000},
	            {"break.tolerance", &st->brk.tolerance, 1, 10000},
	            {"space.stretch", &st->brk.stretch, 0, 2},
	            {"space.shrink", &st->brk.shrink, 0, 0.6},
	            {"break.protrusion", &st->brk.protrusion, 0, 1}};
	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
		if (!strcmp(k, nums[i].key)) {
			char *end;
			double d = strtod(v, &end);
			if (end == v || *end || !(d >= nums[i].lo && d <= nums[i].hi))
				return -1;
			*nums[i].dst = d;
			return 0;
		}
	if (!strcmp(k, "widows") || !strcmp(k, "orphans")) {
		int n = atoi(v);
		if (n < 1 || n > 5)
			return -1;
		*(k[0] == 'w' ? &st->widows : &st->orphans) = n;
		return 0;
	}
	/* STYLE.property */
	const char *dot = strrchr(k, '.');
	if (!dot || dot == k || (size_t)(dot - k) >= sizeof st->st[0].name)
		return -2;
	char name[24];
	memcpy(name, k, (size_t)(dot - k));
	name[dot - k] = 0;
	const char *prop = dot + 1;
	ly_pstyle *p = NULL;
	for (int i = 0; i < st->nst; i++)
		if (!strcmp(st->st[i].name, name))
			p = &st->st[i];
	if (!p) {
		p = add_pstyle(st, name, FAM_SERIF, 0, 0, 11, 14, 0, 6, DT_JUSTIFY);
		if (!p)
			return -1;
		*p = st->st[0];
		snprintf(p->name, sizeof p->name, "%s", name);
	}
	if (!strcmp(prop, "font")) {
		p->family = !strcmp(v, "sans")    ? FAM_SANS
		            : !strcmp(v, "mono")  ? FAM_MONO
		            : !strcmp(v, "serif") ? FAM_SERIF
		                                  : -1;
		return p->family < 0 ? -1 : 0;
	}
	if (!strcmp(prop, "bold") || !strcmp(prop, "italic") || !strcmp(prop, "hyphenate")) {
		int b = !strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1");
		if (!b && strcmp(v, "no") && strcmp(v, "false") && strcmp(v, "0"))
			return -1;
		*(prop[0] == 'b' ? &p->bold : prop[0] == 'i' ? &p->italic : &p->hyphenate) = b;
		return 0;
	}
	if (!strcmp(prop, "align")) {
		p->align = !strcmp(v, "left")      ? DT_LEFT
		           : !strcmp(v, "justify") ? DT_JUSTIFY
		           : !strcmp(v, "center")  ? DT_CENTER
		           : !strcmp(v, "right")   ? DT_RIGHT
		                                   : -1;
		return p->align < 0 ? -1 : 0;
	}
	if (!strcmp(prop, "color"))
		return parse_color(v, &p->color);
	double *dst = !strcmp(prop, "size")      ? &p->size
	              : !strcmp(prop, "leading") ? &p->leading
	              : !strcmp(prop, "before")  ? &p->before
	              : !strcmp(prop, "after")   ? &p->after
	              : !strcmp(prop, "indent")  ? &p->indent
	              : !strcmp(prop, "first")   ? &p->first
	              : !strcmp(prop, "right")   ? &p->right
	                                         : NULL;
	if (!dst)
		return -2;
	if (parse_len(v, &x) < 0)
		return -1;
	/* a size or leading of nothing would set no text, or every line on
	 * one spot; the rest within the largest paper (the ranges of
	 * ly_style_load's message, from -4 down) */
	static const double lowest[] = {1, 0, -1000};
	int range = dst == &p->size || dst == &p->leading   ? 0
	            : dst == &p->before || dst == &p->after ? 1
	                                                    : 2;
	if (!(x >= lowest[range] && x <= 1000))
		return -4 - range;
	*dst = x;
	return 0;
}

ly_paper ly_style_paper(const ly_style *st)
{
	return (ly_paper){st->page_w,   st->page_h,  st->m_top,
	                  st->m_bottom, st->m_inner, st->m_outer};
}

ly_style *ly_style_load(const char *path, ms_diags *d)
{
	ly_style *st = malloc(sizeof *st);
	char *data;
	size_t len;
	int big;
	ms_pos pos = ms_pos_file(path);
	if (!st) {
		ms_diag_add(d, MS_ENV, NULL, "out of memory");
		return NULL;
	}
	defaults(st);
	snprintf(st->file, sizeof st->file, "%s", path);
	if (ms_read_file(path, 1 << 20, &data, &len, &big) < 0) {
		ms_diag_add(d, MS_ENV, &pos,
		            "cannot read the style file: check that it exists (styles/ "
		            "next to the program, or --styles DIR)");
		free(st);
		return NULL;
	}
	int line = 0, bad = 0;
	for (char *l = strtok(data, "\n"); l; l = strtok(NULL, "\n")) {
		line++;
		ms_trim(l);
		if (!*l || *l == '#') /* comments are whole lines: colours use '#' */
			continue;
		char *eq = strchr(l, '=');
		pos.line = line;
		if (!eq) {
			ms_diag_add(d, MS_ENV, &pos, "write 'key = value'");
			bad = 1;
			continue;
		}
		*eq = 0;
		char *k = ms_trim(l), *v = ms_trim(eq + 1);
		int r = set_key(st, k, v);
		if (r == -2) {
			ms_diag_add(d, MS_ENV, &pos,
			            "unknown style key '%s' (see styles/README.md)", k);
			bad = 1;
		} else if (r == -3) {
			ms_diag_add(
			    d, MS_ENV, &pos,
			    "cannot read the hyphenation dictionary '%s' (%s): give the path "
			    "of a libhyphen .dic file, such as " LY_DEFAULT_HYPH,
			    v, strerror(errno));
			bad = 1;
		} else if (r <= -4) {
			static const char *const range[] = {
			    "from 1pt to 1000pt", "from 0 to 1000pt", "from -1000pt to 1000pt"};
			ms_diag_add(d, MS_ENV, &pos,
			            "'%s' must be %s, not '%s' (see styles/README.md)", k,
			            range[-4 - r], v);
			bad = 1;
		} else if (r < 0) {
			ms_diag_add(d, MS_ENV, &pos,
			            "bad value '%s' for '%s' (see styles/README.md)", v, k);
			bad = 1;
		}
	}
	free(data);
	pos.line = 0;
	/* the built-in dictionary comes with Debian's hyphen-en-us */
	if (!bad && !strcmp(st->hyph_path, LY_DEFAULT_HYPH) && access(st->hyph_path, R_OK) != 0)
		ms_diag_add(d, MS_WARNING, &pos,
		            "no word is hyphenated: " LY_DEFAULT_HYPH
		            " cannot be read (install the package hyphen-en-us, or give "
		            "hyphenation.dict)");
	/* the paper as PDF allows it (1 to 200 inches a side), and room for
	 * text inside the margins */
	if (!bad &&
	    (st->page_w < 72 || st->page_w > 14400 || st->page_h < 72 || st->page_h > 14400)) {
		ms_diag_add(d, MS_ENV, &pos,
		            "page.width and page.height must each be between 1in and 200in "
		            "(see styles/README.md)");
		bad = 1;
	} else if (!bad && (st->m_top < 0 || st->m_bottom < 0 || st->m_inner < 0 ||
	                    st->m_outer < 0 || st->page_w - st->m_inner - st->m_outer < 72 ||
	                    st->page_h - st->m_top - st->m_bottom < 72)) {
		ms_diag_add(d, MS_ENV, &pos,
		            "the margins leave less than 1in for the text: make them smaller "
		            "or the page larger");
		bad = 1;
	}
	if (bad) {
		free(st);
		return NULL;
	}
	index_styles(st);
	return st;
}

void ly_style_free(ly_style *st)
{
	free(st);
}

/* Fonts -------------------------------------------------------------------- */

ft_fonts *ly_fonts_new(const ly_style *st, ms_diags *d)
{
	const char *paths[FACE_COUNT];
	for (int i = 0; i < FACE_COUNT; i++) {
		FILE *f = fopen(st->font_path[i], "rb");
		if (!f) {
			ms_pos p = ms_pos_file(st->font_path[i]);
			ms_diag_add(
			    d, MS_ENV, &p,
			    "font file not found: install fonts-liberation2, or set %s in %s",
			    face_keys[i], st->file);
			return NULL;
		}
		fclose(f);
		paths[i] = st->font_path[i];
	}
	ft_fonts *f = ft_fonts_new(paths);
	if (!f)
		ms_diag_add(d, MS_ENV, NULL, "out of memory");
	return f;
}

void ly_fonts_report(ft_fonts *f, const ly_style *st, ms_diags *d)
{
	for (int i = 0; i < FACE_COUNT; i++) {
		const char *why = NULL;
		if (ft_load(f, i, &why) < 0) {
			ms_pos p = ms_pos_file(st->font_path[i]);
			ms_diag_add(d, MS_ENV, &p, "%s (%s in %s)", why, face_keys[i], st->file);
		}
	}
}

double ly_width(ft_fonts *f, int face, double size, const char *s, size_t len)
{
	return ly_points(ft_text_units(f, face, s, len) - ly_lig_saving(f, face, s, len), size);
}

/* Ligatures -------------------------------------------------------------------- */

/* The ligature of "f" and c in a face, 0 when none. */
static uint32_t lig_of(ft_fonts *f, int face, char c)
{
	if (face / 4 == FAM_MONO || (c != 'i' && c != 'l'))
		return 0;
	uint32_t lig = c == 'i' ? 0xFB01 : 0xFB02;
	return ft_glyph(f, face, lig) ? lig : 0;
}

long ly_lig_saving(ft_fonts *f, int face, const char *s, size_t len)
{
	long save = 0;
	for (size_t i = 0; i + 1 < len; i++) {
		if (s[i] != 'f')
			continue;
		uint32_t lig = lig_of(f, face, s[i + 1]);
		if (lig) {
			save += ft_units(f, face, 'f') +
			        ft_units(f, face, (unsigned char)s[i + 1]) - ft_units(f, face, lig);
			i++;
		}
	}
	return save;
}

int ly_lig_at(ft_fonts *f, int face, const char *s, size_t i)
{
	/* read left to right, the last "f" of "ffi" joins the "i" */
	return i > 0 && s[i - 1] == 'f' && lig_of(f, face, s[i]);
}

/* Hyphenation -------------------------------------------------------------- */

/* Words repeat: their break points are cached (open addressing). */
#define HCACHE 32768

typedef struct hent {
	char *word;
	unsigned long long bits; /* bit i: a break after byte i */
} hent;

struct ly_hyph {
	HyphenDict *dict;
	int loaded; /* the dictionary was read (at the first word asked for) */
	hent *cache;
	size_t used;
	char *path; /* the dictionary's file */
};

static void hyph_destroy(ly_hyph *h)
{
	if (!h)
		return;
	if (h->dict)
		hnj_hyphen_free(h->dict);
	for (size_t i = 0; h->cache && i < HCACHE; i++)
		free(h->cache[i].word);
	free(h->cache);
	free(h->path);
	free(h);
}

/* The dictionary takes 8 ms to load: a `build` of four documents loads it
 * once, and their words share one cache. It is lent to one document at a
 * time; another asking meanwhile (on another thread) gets its own. */
static struct {
	pthread_mutex_t m;
	ly_hyph *h; /* the last loaded, or NULL */
	int lent;
} shared = {.m = PTHREAD_MUTEX_INITIALIZER};

/* A dictionary with an empty cache; dict_path NULL: no hyphenation. The
 * patterns are read at the first word to hyphenate (ly_hyphenate): a
 * justified paragraph is first broken without hyphenation (flow.c), and a
 * book whose paragraphs all set well that way never needs them. */
static ly_hyph *hyph_load(const char *dict_path)
{
	ly_hyph *h = calloc(1, sizeof *h);
	if (!h)
		return NULL;
	h->cache = calloc(HCACHE, sizeof *h->cache);
	h->path = ms_strdup(dict_path ? dict_path : "");
	if (!h->path) {
		hyph_destroy(h);
		return NULL;
	}
	return h;
}

ly_hyph *ly_hyph_new(const char *dict_path)
{
	const char *path = dict_path ? dict_path : "";
	pthread_mutex_lock(&shared.m);
	ly_hyph *h = NULL;
	if (!shared.lent && shared.h && !strcmp(shared.h->path, path)) {
		h = shared.h;
		shared.lent = 1;
	}
	pthread_mutex_unlock(&shared.m);
	if (h)
		return h;
	h = hyph_load(dict_path);
	if (!h)
		return NULL;
	pthread_mutex_lock(&shared.m);
	if (!shared.lent) { /* the new one is kept for the next document */
		hyph_destroy(shared.h);
		shared.h = h;
		shared.lent = 1;
	}
	pthread_mutex_unlock(&shared.m);
	return h;
}

void ly_hyph_free(ly_hyph *h)
{
	if (!h)
		return;
	pthread_mutex_lock(&shared.m);
	int kept = h == shared.h;
	if (kept)
		shared.lent = 0;
	pthread_mutex_unlock(&shared.m);
	if (!kept)
		hyph_destroy(h);
}

void ly_cleanup(void)
{
	pthread_mutex_lock(&shared.m);
	if (!shared.lent) {
		hyph_destroy(shared.h);
		shared.h = NULL;
	}
	pthread_mutex_unlock(&shared.m);
}

int ly_hyphenate(ly_hyph *h, const char *word, size_t len, char *points)
{
	memset(points, 0, len + 1);
	if (!h || len < 5 || len > 60)
		return 0;
	if (!h->loaded) {
		h->loaded = 1;
		h->dict = h->path[0] ? hnj_hyphen_load(h->path) : NULL;
	}
	if (!h->dict)
		return 0;
	/* ASCII letters only (the dictionary is US English); the hash keeps the
	 * case: "Lao" is not "lao" */
	unsigned long hash = 5381;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)word[i], l = c | 0x20;
		if (l < 'a' || l > 'z')
			return 0;
		hash = hash * 33 + c;
	}
	size_t slot = 0;
	if (h->cache) {
		slot = hash & (HCACHE - 1);
		while (h->cache[slot].word) {
			if (!strncmp(h->cache[slot].word, word, len) && !h->cache[slot].word[len]) {
				int n = 0;
				for (unsigned long long b = h->cache[slot].bits; b; b &= b - 1, n++)
					points[__builtin_ctzll(b)] = 1;
				return n;
			}
			slot = (slot + 1) & (HCACHE - 1);
		}
	}
	char low[64];
	for (size_t i = 0; i < len; i++)
		low[i] = (char)(word[i] | 0x20);
	low[len] = 0;
	char hy[72];
	char **rep = NULL;
	int *pos = NULL, *cut = NULL;
	if (hnj_hyphen_hyphenate3(h->dict, low, (int)len, hy, NULL, &rep, &pos, &cut, 2, 3, 2, 3) !=
	    0)
		return 0;
	int n = 0;
	unsigned long long bits = 0;
	for (size_t i = 0; i + 1 < len; i++)
		if (hy[i] & 1) {
			points[i] = 1;
			bits |= 1ULL << i;
			n++;
		}
	if (h->cache && h->used < HCACHE / 2) {
		h->cache[slot].word = ms_strndup(word, len);
		h->cache[slot].bits = bits;
		h->used += h->cache[slot].word != NULL;
	}
	if (rep) {
		for (size_t i = 0; i < len; i++)
			free(rep[i]);
		free(rep);
		free(pos);
		free(cut);
	}
	return n;
}

/* Total-fit line breaking ----------------------------------------------------- */

typedef struct node {
	int pos;  /* item index of the break (-1: start) */
	int line; /* lines so far */
	int fitness;
	double tw, ty, tz; /* sums of width, stretch, shrink after the break */
	double lhang;      /* how far the next line's first box may hang left */
	double demerits;
	int prev; /* index in the node pool */
} node;

/* Hanging punctuation ------------------------------------------------------- */

/* How far a character may hang into the right margin (at a line's end) or
 * the left one (at its start), as a share of its own width: microtype's
 * defaults for its "basic" set. */
static double hang_amount(uint32_t c, int right)
{
	switch (c) {
	case '.':
	case ',':
	case '-':
	case 0x2010: /* hyphen */
	case 0x2011: /* non-breaking hyphen */
	case 0x2019: /* right single quote, apostrophe */ return right ? 0.7 : 0;
	case 0x2013: /* en dash */
	case ':':
	case ';': return right ? 0.5 : 0;
	case 0x2014: /* em dash */
	case 0x2026: /* ellipsis */ return right ? 0.3 : 0;
	case '!':
	case '?': return right ? 0.2 : 0;
	case 0x201D: return right ? 0.6 : 0; /* right double quote */
	case 0x2018: return right ? 0 : 0.7; /* left single quote */
	case 0x201C: return right ? 0 : 0.6; /* left double quote */
	case '"': return 0.5;
	case '\'': return 0.7;
	case 0x00BB: /* guillemets */
	case 0x00AB: return 0.4;
	default: return 0;
	}
}

static double hang_of(const char *s, size_t len, size_t *nbytes, int right)
{
	*nbytes = 0;
	if (!len)
		return 0;
	size_t k = 1; /* the first or last character's bytes */
	if (right)
		while (k < len && k < 4 && ((unsigned char)s[len - k] & 0xC0) == 0x80)
			k++;
	else if ((unsigned char)s[0] >= 0xC0)
		while (k < len && k < 4 && ((unsigned char)s[k] & 0xC0) == 0x80)
			k++;
	const char *c = right ? s + len - k : s;
	uint32_t cp = (unsigned char)c[0];
	if ((k > 1 || cp >= 0x80) && ms_utf8_decode(c, k, &cp) != (int)k)
		return 0; /* not one character */
	double v = hang_amount(cp, right);
	if (v > 0)
		*nbytes = k;
	return v;
}

double ly_hang_right(const char *s, size_t len, size_t *nbytes)
{
	/* a lone mark ("–" between words) is not hung: it is the whole word */
	double v = hang_of(s, len, nbytes, 1);
	return *nbytes == len ? (*nbytes = 0) : v;
}

double ly_hang_left(const char *s, size_t len, size_t *nbytes)
{
	double v = hang_of(s, len, nbytes, 0);
	return *nbytes == len ? (*nbytes = 0) : v;
}

/* Total-fit line breaking (continued) ---------------------------------------- */

static int fitness_class(double r)
{
	return r < -0.5 ? 0 : r <= 0.5 ? 1 : r <= 1 ? 2 : 3;
}

int ly_break(const ly_item *it, size_t n, double first_width, double width, int *breaks,
             size_t maxbreaks, double *ratios)
{
	return ly_break_with(NULL, it, n, first_width, width, breaks, maxbreaks, ratios);
}

/* Whether the break at node a ends a hyphenated line. */
static int hyphen_node(const ly_item *it, const node *pool, int a)
{
	return a >= 0 && pool[a].pos >= 0 && it[pool[a].pos].kind == 'p' && it[pool[a].pos].flagged;
}

/* How far the line ending at break b may reach past its edge: the hyphen
 * of a hyphenation point, or the box just before a space or a break after
 * an explicit hyphen. */
static double right_hang(const ly_item *it, const float *hang, size_t b)
{
	if (!hang)
		return 0;
	if (it[b].kind == 'p' && it[b].width > 0)
		return hang[b];
	return b > 0 && it[b - 1].kind == 'b' ? hang[b - 1] : 0;
}

/* The left hang of the item at i (the first of a line), if it is a box. */
static double first_box_lhang(const ly_item *it, const float *lhang, size_t n, size_t i)
{
	return lhang && i < n && it[i].kind == 'b' ? lhang[i] : 0;
}

int ly_break_with(const ly_breaking *bp, const ly_item *it, size_t n, double first_width,
                  double width, int *breaks, size_t maxbreaks, double *ratios)
{
	return ly_break_hung(bp, it, NULL, NULL, n, first_width, width, breaks, maxbreaks, ratios);
}

int ly_break_hung(const ly_breaking *bp, const ly_item *it, const float *hang, const float *lhang,
                  size_t n, double first_width, double width, int *breaks, size_t maxbreaks,
                  double *ratios)
{
	static const ly_breaking defaults = LY_BREAKING_DEFAULT;
	if (!bp)
		bp = &defaults;
	/* Sums up to each item. */
	double *sw = malloc((n + 1) * sizeof *sw), *sy = malloc((n + 1) * sizeof *sy),
	       *sz = malloc((n + 1) * sizeof *sz);
	/* every node made, and the indices of those still active, in order */
	size_t cap = 256, nn = 0, nact = 0;
	node *pool = malloc(cap * sizeof *pool);
	int *act = malloc(cap * sizeof *act);
	int result = -1;
	if (!sw || !sy || !sz || !pool || !act)
		goto out;
	sw[0] = sy[0] = sz[0] = 0;
	for (size_t i = 0; i < n; i++) {
		sw[i + 1] = sw[i] + (it[i].kind == 'p' ? 0 : it[i].width);
		sy[i + 1] = sy[i] + (it[i].kind == 'g' ? it[i].stretch : 0);
		sz[i + 1] = sz[i] + (it[i].kind == 'g' ? it[i].shrink : 0);
	}
	/* badness limits, as TeX's: without hyphenation, with it, looser */
	double limits[4] = {bp->pretolerance, bp->tolerance, bp->tolerance * 10,
	                    bp->tolerance * 100};
	for (int pass = 0; pass < 4; pass++) {
		if (limits[pass] < 0)
			continue;
		double tolerance = limits[pass] / 100;
		int hyph = pass > 0, last = pass == 3;
		/* badness 100 r^3 exceeds 100 * tolerance beyond r = cbrt(tolerance);
		 * a hair more, so that only clear cases skip the exact test */
		double rquick = cbrt(tolerance) * (1 + 1e-9);
		nn = 0;
		pool[nn++] = (node){-1, 0, 1, 0, 0, 0, first_box_lhang(it, lhang, n, 0), 0, -1};
		nact = 0;
		act[nact++] = 0;
		for (size_t b = 0; b < n; b++) {
			int legal = (it[b].kind == 'g' && b > 0 && it[b - 1].kind == 'b') ||
			            (it[b].kind == 'p' && it[b].penalty < 10000 &&
			             (hyph || !it[b].flagged));
			if (!legal)
				continue;
			int flag = it[b].kind == 'p' && it[b].flagged;
			int forced = it[b].kind == 'p' && it[b].penalty <= -10000;
			double best[4] = {INFINITY, INFINITY, INFINITY, INFINITY};
			int bestn[4] = {-1, -1, -1, -1}, found = 0;
			double swb = sw[b] + (it[b].kind == 'p' ? it[b].width : 0);
			double rh = right_hang(it, hang, b);
			size_t keep = 0;
			for (size_t k = 0; k < nact; k++) {
				int a = act[k];
				const node *A = &pool[a];
				double lw = (A->line == 0 ? first_width : width) + rh + A->lhang;
				double w = swb - A->tw;
				double r;
				if (w < lw) {
					double y = sy[b] - A->ty;
					/* most lines from most nodes are far too short:
					 * rejected before the division and the cube */
					if (!forced && lw - w > rquick * y) {
						act[keep++] = a;
						continue;
					}
					r = y > 0 ? (lw - w) / y : INFINITY;
				} else if (w > lw) {
					double z = sz[b] - A->tz;
					r = z > 0 ? (lw - w) / z : -INFINITY;
				} else {
					r = 0;
				}
				if (r < -1)
					continue; /* overfull from here on: no longer active */
				act[keep++] = a;
				double bad =
				    r == INFINITY ? 10000 : 100 * fabs(r) * fabs(r) * fabs(r);
				if (bad > tolerance * 100 && !(forced && r >= 0))
					continue;
				if (bad > 10000)
					bad = 10000;
				if (flag && !last && hyphen_node(it, pool, a) &&
				    hyphen_node(it, pool, A->prev))
					continue; /* a third hyphenated line in a row */
				double p = it[b].kind != 'p' ? 0
				           : flag            ? bp->hyphen_penalty
				                             : it[b].penalty;
				double dm = (1 + bad) * (1 + bad);
				if (p >= 0)
					dm += p * p;
				else if (p > -10000)
					dm -= p * p;
				if (flag && hyphen_node(it, pool, a))
					dm += bp->double_hyphen;
				int fc = fitness_class(r == INFINITY ? 10 : r);
				if (abs(fc - A->fitness) > 1)
					dm += bp->fitness;
				dm += A->demerits;
				if (dm < best[fc]) {
					best[fc] = dm;
					bestn[fc] = a;
					found = 1;
				}
			}
			nact = keep;
			if (forced)
				nact = 0; /* only the nodes at a forced break go on */
			if (!found)
				continue; /* most breakpoints end no feasible line */
			/* the sums after the break skip the glue and penalties that follow */
			size_t after = b;
			while (after < n && it[after].kind != 'b' &&
			       !(after > b && it[after].kind == 'p' && it[after].penalty <= -10000))
				after++;
			for (int fc = 0; fc < 4; fc++) {
				if (bestn[fc] < 0)
					continue;
				if (nn == cap) {
					cap *= 2;
					node *np = realloc(pool, cap * sizeof *np);
					int *na = realloc(act, cap * sizeof *na);
					if (np)
						pool = np;
					if (na)
						act = na;
					if (!np || !na)
						goto out;
				}
				pool[nn] = (node){(int)b,
				                  pool[bestn[fc]].line + 1,
				                  fc,
				                  sw[after],
				                  sy[after],
				                  sz[after],
				                  first_box_lhang(it, lhang, n, after),
				                  best[fc],
				                  bestn[fc]};
				act[nact++] = (int)nn++;
			}
		}
		/* best node at the final item */
		int bestf = -1;
		for (size_t a = 0; a < nn; a++)
			if (pool[a].pos == (int)n - 1 &&
			    (bestf < 0 || pool[a].demerits < pool[bestf].demerits))
				bestf = (int)a;
		if (bestf < 0)
			continue;
		int lines = pool[bestf].line;
		if ((size_t)lines > maxbreaks)
			goto out;
		for (int a = bestf, k = lines - 1; a > 0 && k >= 0; a = pool[a].prev, k--) {
			breaks[k] = pool[a].pos;
			if (ratios) {
				node *A = &pool[pool[a].prev];
				int b = pool[a].pos;
				double lw = (A->line == 0 ? first_width : width) +
				            right_hang(it, hang, b) + A->lhang;
				double w = sw[b] - A->tw + (it[b].kind == 'p' ? it[b].width : 0);
				double y = sy[b] - A->ty, z = sz[b] - A->tz;
				ratios[k] = w < lw ? (y > 0 ? (lw - w) / y : 0)
				                   : (z > 0 ? (lw - w) / z : 0);
			}
		}
		result = lines;
		break;
	}
out:
	free(sw);
	free(sy);
	free(sz);
	free(pool);
	free(act);
	return result;
}
