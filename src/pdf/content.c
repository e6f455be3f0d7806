/* content.c — text and rules written as bytes into a page's content
 * stream, not through libharu's per-call operators (see content.h and
 * docs/DECISIONS.md). */
#include "content.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hpdfx.h"

/* The character's glyph kept in the face's subset (embed.c). */
static inline void show_glyph(pdf_fonts *pf, int face, HPDF_Font font, unsigned cp)
{
	(void)font;
	pf->used[face][cp >> 3] |= (unsigned char)(1u << (cp & 7));
}

/* llround's answer (halves away from zero) without the call: x less its
 * whole part is exact in doubles below 2^62; beyond (or NaN), llround. */
long long pdfc_round(double x)
{
	if (!(x > -4e18 && x < 4e18))
		return llround(x);
	long long c = (long long)x;
	double frac = x - (double)c;
	return frac >= 0.5 ? c + 1 : frac <= -0.5 ? c - 1 : c;
}

/* A number with at most three decimals, without trailing zeros: written
 * in place, as it is called 400,000 times for the 2,000-entry digest. */
void pdfc_num(ms_buf *b, double v)
{
	if (ms_buf_reserve(b, 32) < 0)
		return;
	char *q = b->s + b->len;
	long long c = pdfc_round(v * 1000);
	unsigned long long u = c < 0 ? 0 - (unsigned long long)c : (unsigned long long)c;
	unsigned long long whole = u / 1000;
	unsigned frac = (unsigned)(u - whole * 1000);
	if (c < 0)
		*q++ = '-';
	q += ms_utoa(q, whole);
	if (frac) {
		*q++ = '.';
		*q++ = (char)('0' + frac / 100);
		if (frac % 100) {
			*q++ = (char)('0' + frac / 10 % 10);
			if (frac % 10)
				*q++ = (char)('0' + frac % 10);
		}
	}
	*q = 0;
	b->len = (size_t)(q - b->s);
}

/* A colour operator ("rg" fill, "RG" stroke) for 0xRRGGBB. */
static void put_rgb(ms_buf *b, unsigned color, const char *op)
{
	for (int k = 16; k >= 0; k -= 8) {
		unsigned c = (color >> k) & 255;
		if (c == 0 || c == 255) /* black and white: most colours set */
			ms_buf_add(b, c ? "1 " : "0 ", 2);
		else {
			pdfc_num(b, (double)c / 255);
			ms_buf_addc(b, ' ');
		}
	}
	ms_buf_adds(b, op);
}

/* One byte of a literal string, escaped where PDF needs it. */
static char *put_byte(char *q, char c)
{
	if (c == '(' || c == ')' || c == '\\' || c == '\r')
		*q++ = '\\';
	*q++ = c == '\r' ? 'r' : c;
	return q;
}

void pdfc_flush(pdfc *w)
{
	if (w->in_tj)
		ms_buf_adds(&w->b, "]TJ\n");
	w->in_tj = 0;
	if (w->in_text)
		ms_buf_adds(&w->b, "ET\n");
	w->in_text = 0;
	if (w->b.oom)
		w->oom = 1;
}

void pdfc_image(pdfc *w, const char *name, const double m[6])
{
	ms_buf *b = &w->b;
	pdfc_flush(w);
	ms_buf_adds(b, "q ");
	for (int i = 0; i < 6; i++) {
		pdfc_num(b, m[i]);
		ms_buf_addc(b, ' ');
	}
	ms_buf_adds(b, "cm /");
	ms_buf_adds(b, name);
	ms_buf_adds(b, " Do Q\n");
}

static void text_run(pdfc *w, HPDF_Font font, const ly_op *o);

static void note_missing(pdfc *w, uint32_t cp, int elem)
{
	pdfc_missing *m = &w->miss;
	for (int k = 0; k < m->n; k++)
		if (m->cp[k] == cp) {
			if (m->elem[k] < 0 && elem >= 0) { /* first met in a running head */
				m->elem[k] = elem;
				m->page[k] = w->pageno;
			}
			return;
		}
	if (m->n == PDFC_MISSING) {
		m->more = 1;
		return;
	}
	m->cp[m->n] = cp;
	m->elem[m->n] = elem;
	m->page[m->n++] = w->pageno;
}

static int is_rtl(uint32_t cp)
{
	return (cp >= 0x0590 && cp <= 0x08FF) || (cp >= 0xFB1D && cp <= 0xFDFF) ||
	       (cp >= 0xFE70 && cp <= 0xFEFF);
}

/* Text whose characters are not all in its face: cut into runs of one
 * drawing face (ft_cover), each drawn where the last ended; a character
 * no face has is U+FFFD in a span whose /ActualText is the character, so
 * that reading and copying still give it (and a warning names it). */
void pdfc_text(pdfc *w, HPDF_Font font, const ly_op *o)
{
	ft_fonts *ft = w->fonts->ft;
	int plain = 1;
	for (size_t i = 0; i < o->len && plain;) {
		if ((unsigned char)o->text[i] < 0x80) {
			i++;
			continue;
		}
		uint32_t cp;
		int n = ms_utf8_decode(o->text + i, o->len - i, &cp);
		i += (size_t)(n > 0 ? n : 1);
		plain = cp <= 0xFFFF && ft_glyph(ft, o->face, cp) && !is_rtl(cp);
	}
	if (plain) {
		text_run(w, font, o);
		return;
	}
	ly_op seg = *o;
	seg.next = NULL;
	double x = o->x;
	if (w->said && (o->y != w->said_y || o->x - w->cx > 0.03 * o->size)) {
		/* the space before the word, outside any span below */
		seg.text = " ";
		seg.len = 1;
		seg.x = (float)(o->x - (double)ft_units(ft, o->face, ' ') * o->size / 1000);
		w->said = 0;
		text_run(w, font, &seg);
	}
	for (size_t i = 0; i < o->len;) {
		size_t start = i;
		uint32_t cp = (unsigned char)o->text[i];
		int n = 1;
		if (cp >= 0x80)
			n = ms_utf8_decode(o->text + i, o->len - i, &cp);
		if (n < 1)
			n = 1;
		if (is_rtl(cp) && (!w->miss.rtl_page || (w->miss.rtl_elem < 0 && o->elem >= 0))) {
			w->miss.rtl_cp = cp;
			w->miss.rtl_page = w->pageno;
			w->miss.rtl_elem = o->elem;
		}
		int fc = cp > 0xFFFF ? -1 : ft_cover(ft, o->face, cp);
		i += (size_t)n;
		if (fc < 0) { /* shown by no face */
			note_missing(w, cp, o->elem);
			int fb = ft_cover(ft, o->face, 0xFFFD);
			seg.face = (unsigned char)(fb >= 0 ? fb : o->face);
			seg.text = "\xEF\xBF\xBD";
			seg.len = 3;
			seg.x = (float)x;
			HPDF_Font f2 = pdf_font(w->fonts, seg.face);
			if (f2) {
				if (w->in_tj)
					ms_buf_adds(&w->b, "]TJ\n");
				w->in_tj = 0;
				if (!w->in_text) {
					ms_buf_adds(&w->b, "BT\n");
					w->in_text = 1;
					w->lx = w->ly = 0;
				}
				ms_buf_adds(&w->b, "/Span<</ActualText<FEFF");
				uint32_t c = cp > 0x10FFFF ? 0xFFFD : cp;
				if (c > 0xFFFF) {
					c -= 0x10000;
					ms_buf_printf(&w->b, "%04X%04X", 0xD800 + (c >> 10),
					              0xDC00 + (c & 0x3FF));
				} else {
					ms_buf_printf(&w->b, "%04X", c);
				}
				ms_buf_adds(&w->b, ">>>BDC\n");
				text_run(w, f2, &seg);
				if (w->in_tj)
					ms_buf_adds(&w->b, "]TJ\n");
				w->in_tj = 0;
				ms_buf_adds(&w->b, "EMC\n");
			}
			x = w->cx;
			continue;
		}
		/* the run of characters this face draws */
		while (i < o->len) {
			uint32_t c2 = (unsigned char)o->text[i];
			int n2 = 1;
			if (c2 >= 0x80)
				n2 = ms_utf8_decode(o->text + i, o->len - i, &c2);
			if (n2 < 1)
				n2 = 1;
			if (c2 > 0xFFFF || ft_cover(ft, o->face, c2) != fc ||
			    is_rtl(c2) != is_rtl(cp))
				break;
			i += (size_t)n2;
		}
		seg.face = (unsigned char)fc;
		seg.text = o->text + start;
		seg.len = (unsigned)(i - start);
		seg.x = (float)x;
		HPDF_Font f2 = fc == o->face ? font : pdf_font(w->fonts, fc);
		if (f2)
			text_run(w, f2, &seg);
		x = w->cx;
	}
}

static void text_run(pdfc *w, HPDF_Font font, const ly_op *o)
{
	ms_buf *b = &w->b;
	if (!w->in_text) {
		/* a text object starts at the origin; the font and the fill
		 * colour are the graphics state's, which outlives it (PDF 32000-1
		 * 9.3.1): set again only when they change, or on a new page */
		ms_buf_adds(b, "BT\n");
		w->in_text = 1;
		w->lx = w->ly = 0;
	}
	if (o->face != w->face || o->size != w->size || o->color != w->color) {
		if (w->in_tj)
			ms_buf_adds(b, "]TJ\n");
		w->in_tj = 0;
	}
	if (o->face != w->face || o->size != w->size) {
		const char *name = pdfx_font_name(w->page, font);
		ms_buf_addc(b, '/');
		ms_buf_adds(b, name ? name : "F0");
		ms_buf_addc(b, ' ');
		pdfc_num(b, o->size);
		ms_buf_adds(b, " Tf\n");
		w->face = o->face;
		w->size = o->size;
	}
	if (o->color != w->color) {
		put_rgb(b, o->color, "rg\n");
		w->color = o->color;
	}
	/* A word after a gap, or at the start of a line, is preceded by a real
	 * space, placed so that the word lands where the layout put it: the
	 * space draws nothing, and a reader extracting the text (a screen
	 * reader, copying, reflow) gets words, not "Conventionon...". */
	ft_fonts *ft = w->fonts->ft;
	const short *wt = ft_width_table(ft, o->face); /* -1: not measured yet */
	double sp = 0;
	if (w->said && (o->y != w->said_y || o->x - w->cx > 0.03 * o->size)) {
		sp = (double)ft_char_units(ft, o->face, wt, ' ') * o->size / 1000;
		wt = ft_width_table(ft, o->face);
	}
	double x = o->x - sp;
	if (w->in_tj && o->y == w->tj_y) {
		double gap = (w->cx - x) * 1000 / o->size;
		if (fabs(gap) >= 0.0005)
			pdfc_num(b, gap);
	} else {
		if (w->in_tj)
			ms_buf_adds(b, "]TJ\n");
		pdfc_num(b, x - w->lx);
		ms_buf_addc(b, ' ');
		pdfc_num(b, o->y - w->ly);
		ms_buf_adds(b, " Td[");
		/* Td moves by the rounded amounts: keep the pen where it really is */
		w->lx += pdfc_round((x - w->lx) * 1000) / 1000.0;
		w->ly += pdfc_round((o->y - w->ly) * 1000) / 1000.0;
		w->in_tj = 1;
		w->tj_y = o->y;
	}
	/* a literal string of 2-byte codes: half the bytes of hex, so half the
	 * work for deflate; parentheses, backslash and CR escaped */
	if (ms_buf_reserve(b, 5 + 4 * o->len) < 0)
		return; /* b->oom is set: the page fails */
	char *q = b->s + b->len;
	*q++ = '(';
	long units = 0;
	if (sp > 0) {
		show_glyph(w->fonts, o->face, font, ' ');
		*q++ = 0;
		*q++ = ' ';
	}
	const unsigned char *t = (const unsigned char *)o->text;
	for (size_t i = 0; i < o->len;) {
		unsigned c = t[i];
		/* measured ASCII but "f" (a ligature's start, or not: either
		 * way below): most of the text, in one tight loop */
		while (c < 0x80 && c != 'f' && wt && wt[c] >= 0) {
			units += wt[c];
			show_glyph(w->fonts, o->face, font, c);
			*q++ = 0;
			q = put_byte(q, (char)c);
			if (++i == o->len)
				break;
			c = t[i];
		}
		if (i == o->len)
			break;
		uint32_t lig = c == 'f' && o->lig && i + 1 < o->len ? (t[i + 1] == 'i'   ? 0xFB01
		                                                       : t[i + 1] == 'l' ? 0xFB02
		                                                                         : 0)
		                                                    : 0;
		if (lig && ft_glyph(ft, o->face, lig)) { /* "fi", "fl": as measured (dlist.h) */
			uint32_t cp = lig;
			units += ft_char_units(ft, o->face, wt, cp);
			wt = ft_width_table(ft, o->face);
			show_glyph(w->fonts, o->face, font, cp);
			q = put_byte(q, (char)(cp >> 8));
			q = put_byte(q, (char)(cp & 255));
			i += 2;
			continue;
		}
		uint32_t cp = ft_next_char(o->text, o->len, &i);
		units += ft_char_units(ft, o->face, wt, cp);
		wt = ft_width_table(ft, o->face);
		show_glyph(w->fonts, o->face, font, cp);
		q = put_byte(q, (char)(cp >> 8));
		q = put_byte(q, (char)(cp & 255));
	}
	*q++ = ')';
	*q = 0;
	b->len = (size_t)(q - b->s);
	w->cx = o->x + (double)units * o->size / 1000; /* where the pen is now */
	char last = o->len ? o->text[o->len - 1] : ' ';
	w->said = last != ' ' && last != '-' &&
	          !(o->len >= 3 && !memcmp(o->text + o->len - 3, "\xE2\x80\x90", 3));
	w->said_y = o->y;
}

/* A page's lines (table rules, underlines), after its text and images:
 * one path per colour and width, stroked once. Drawn last, rules lie on top
 * of cell fills, as a grid should. */
static void pdfc_rules(pdfc *w, const ly_op **v, size_t n)
{
	ms_buf *b = &w->b;
	pdfc_flush(w); /* paths go outside the text object */
	unsigned color = 0xFFFFFFFF;
	float lw = -1;
	for (size_t i = 0; i < n; i++) {
		const ly_op *o = v[i];
		float want = o->line_w > 0 ? o->line_w : 0.5f;
		if (o->color != color || want != lw) {
			if (i)
				ms_buf_adds(b, "S\n");
			put_rgb(b, o->color, "RG ");
			pdfc_num(b, want);
			ms_buf_adds(b, " w\n");
			color = o->color;
			lw = want;
		}
		pdfc_num(b, o->x);
		ms_buf_addc(b, ' ');
		pdfc_num(b, o->y);
		ms_buf_adds(b, " m ");
		pdfc_num(b, (double)o->x + o->w);
		ms_buf_addc(b, ' ');
		pdfc_num(b, (double)o->y + o->h);
		ms_buf_adds(b, " l\n");
	}
	if (n)
		ms_buf_adds(b, "S\n");
	pdfc_flush(w);
}

/* A filled or stroked rectangle. */
static void pdfc_rect(pdfc *w, const ly_op *o)
{
	ms_buf *b = &w->b;
	put_rgb(b, o->color, o->fill ? "rg\n" : "RG\n");
	if (o->fill)
		w->color = o->color; /* the fill colour text is drawn in, too */
	pdfc_num(b, o->x);
	ms_buf_addc(b, ' ');
	pdfc_num(b, o->y);
	ms_buf_addc(b, ' ');
	pdfc_num(b, o->w);
	ms_buf_addc(b, ' ');
	pdfc_num(b, o->h);
	ms_buf_adds(b, o->fill ? " re\nf\n" : " re\nS\n");
}

int pdfc_op(pdfc *w, const ly_op *o)
{
	if (o->kind != OP_TEXT && o->kind != OP_LINK && o->kind != OP_DEST && o->kind != OP_LINE)
		pdfc_flush(w); /* links are annotations: the text goes on */
	switch (o->kind) {
	case OP_TEXT: {
		HPDF_Font font = pdf_font(w->fonts, o->face);
		if (font)
			pdfc_text(w, font, o);
		return 1;
	}
	case OP_RECT: pdfc_rect(w, o); return 1;
	case OP_LINE: /* drawn after the page's text, all in one path a style */
		if (w->nrules == w->caprules) {
			size_t c = w->caprules ? w->caprules * 2 : 64;
			const ly_op **v = realloc(w->rules, c * sizeof *v);
			if (!v) {
				w->oom = 1;
				return 1;
			}
			w->rules = v;
			w->caprules = c;
		}
		w->rules[w->nrules++] = o;
		return 1;
	default: return 0;
	}
}

/* Close the text object in the buffer (the pen's state starts again at
 * the next BT). */
static void end_text(pdfc *w)
{
	if (w->in_tj)
		ms_buf_adds(&w->b, "]TJ\n");
	w->in_tj = 0;
	if (w->in_text)
		ms_buf_adds(&w->b, "ET\n");
	w->in_text = 0;
}

void pdfc_page(pdfc *w, HPDF_Page page, int pageno)
{
	w->page = page;
	w->pageno = pageno;
	w->said = 0;
	w->face = -1; /* a page's contents start from the default state */
	w->size = 0;
	w->color = 0xFFFFFFFF;
}

void pdfc_mark(pdfc *w, const char *tag, int mcid)
{
	end_text(w);
	ms_buf *b = &w->b;
	if (w->mc)
		ms_buf_adds(b, "EMC\n");
	if (!tag) {
		ms_buf_adds(b, "/Artifact BMC\n");
	} else {
		size_t n = strlen(tag);
		if (ms_buf_reserve(b, n + 40) < 0)
			return;
		char *q = b->s + b->len;
		*q++ = '/';
		memcpy(q, tag, n);
		q += n;
		memcpy(q, "<</MCID ", 8);
		q += 8;
		q += ms_utoa(q, (unsigned)(mcid < 0 ? 0 : mcid));
		memcpy(q, ">>BDC\n", 7); /* with the NUL */
		b->len = (size_t)(q + 6 - b->s);
	}
	w->mc = 1;
}

void pdfc_end_page(pdfc *w)
{
	if (w->nrules && w->tagged)
		pdfc_mark(w, NULL, 0);      /* table rules and underlines: decoration */
	pdfc_rules(w, w->rules, w->nrules); /* closes the text first */
	w->nrules = 0;
	if (w->mc) {
		ms_buf_adds(&w->b, "EMC\n");
		w->mc = 0;
		pdfc_flush(w);
	}
}

void pdfc_free(pdfc *w)
{
	ms_buf_free(&w->b);
	free(w->rules);
	w->rules = NULL;
	w->nrules = w->caprules = 0;
}
