/* content.c — text and rules written straight into a page's content stream,
 * bypassing libharu's per-call operators (see content.h and
 * docs/DECISIONS.md, Speed). */
#include "content.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* A number with at most three decimals, without trailing zeros: written
 * in place, as it is called 400,000 times for the 2,000-entry digest. */
void pdfc_num(ms_buf *b, double v)
{
	if (ms_buf_reserve(b, 32) < 0)
		return;
	char *q = b->s + b->len, digits[24];
	long long c = llround(v * 1000);
	unsigned long long u = c < 0 ? 0 - (unsigned long long)c : (unsigned long long)c;
	unsigned long long whole = u / 1000;
	unsigned frac = (unsigned)(u - whole * 1000);
	if (c < 0)
		*q++ = '-';
	int n = 0;
	do {
		digits[n++] = (char)('0' + whole % 10);
		whole /= 10;
	} while (whole);
	while (n)
		*q++ = digits[--n];
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
		pdfc_num(b, (double)((color >> k) & 255) / 255);
		ms_buf_addc(b, ' ');
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
	else if (w->b.len) {
		HPDF_PageAttr attr = (HPDF_PageAttr)w->page->attr;
		HPDF_Stream_Write(attr->stream, (const HPDF_BYTE *)w->b.s, (HPDF_UINT)w->b.len);
	}
	ms_buf_clear(&w->b);
}

void pdfc_text(pdfc *w, HPDF_Font font, const ly_op *o)
{
	ms_buf *b = &w->b;
	if (!w->in_text) {
		ms_buf_adds(b, "BT\n");
		w->in_text = 1;
		w->face = -1;
		w->color = 0xFFFFFFFF;
		w->lx = w->ly = 0;
	}
	if (o->face != w->face || o->size != w->size || o->color != w->color) {
		if (w->in_tj)
			ms_buf_adds(b, "]TJ\n");
		w->in_tj = 0;
	}
	if (o->face != w->face || o->size != w->size) {
		const char *name = HPDF_Page_GetLocalFontName(w->page, font);
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
	if (w->in_tj && o->y == w->tj_y) {
		double gap = (w->cx - o->x) * 1000 / o->size;
		if (fabs(gap) >= 0.0005)
			pdfc_num(b, gap);
	} else {
		if (w->in_tj)
			ms_buf_adds(b, "]TJ\n");
		pdfc_num(b, o->x - w->lx);
		ms_buf_addc(b, ' ');
		pdfc_num(b, o->y - w->ly);
		ms_buf_adds(b, " Td[");
		/* Td moves by the rounded amounts: keep the pen where it really is */
		w->lx += llround((o->x - w->lx) * 1000) / 1000.0;
		w->ly += llround((o->y - w->ly) * 1000) / 1000.0;
		w->in_tj = 1;
		w->tj_y = o->y;
	}
	/* a literal string of 2-byte codes: half the bytes of hex, so half the
	 * work for deflate; parentheses, backslash and CR escaped */
	if (ms_buf_reserve(b, 3 + 4 * o->len) < 0)
		return; /* b->oom is set: the page fails */
	char *q = b->s + b->len;
	*q++ = '(';
	long units = 0;
	const short *wt = ly_width_table(w->fonts, o->face); /* -1: not measured yet */
	for (size_t i = 0; i < o->len;) {
		unsigned c = (unsigned char)o->text[i];
		if (c < 0x80 && wt && wt[c] >= 0) { /* measured ASCII: most of the text */
			units += wt[c];
			*q++ = 0;
			q = put_byte(q, (char)c);
			i++;
			continue;
		}
		uint32_t cp = ly_next_char(o->text, o->len, &i);
		units += ly_char_units(w->fonts, o->face, wt, cp);
		wt = ly_width_table(w->fonts, o->face);
		q = put_byte(q, (char)(cp >> 8));
		q = put_byte(q, (char)(cp & 255));
	}
	*q++ = ')';
	*q = 0;
	b->len = (size_t)(q - b->s);
	w->cx = o->x + (double)units * o->size / 1000; /* where the pen is now */
}

/* A page's lines (table rules, underlines), after its text and images:
 * one path per colour and width, stroked once. Drawn last, rules lie on top
 * of cell fills, as a grid should. */
void pdfc_rules(pdfc *w, const ly_op **v, size_t n)
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
