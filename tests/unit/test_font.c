/* Unit tests of font/: widths as a PDF reader advances them (libharu's
 * /W arithmetic, checked against libharu itself on every BMP character),
 * glyph lookup, and damaged or foreign files refused without a crash. */
#include <hpdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "font/font.h"
#include "t.h"

#include <unistd.h>

/* Debian 12 keeps Liberation 2 in liberation2/, Debian 13 in liberation/
 * (as the styles' default font paths do). */
static const char *lib_font(char *buf, size_t n, const char *file)
{
	snprintf(buf, n, "/usr/share/fonts/truetype/liberation2/%s", file);
	if (access(buf, R_OK) != 0)
		snprintf(buf, n, "/usr/share/fonts/truetype/liberation/%s", file);
	return buf;
}
static char serif_path[256], sansb_path[256];
#define SERIF lib_font(serif_path, sizeof serif_path, "LiberationSerif-Regular.ttf")
#define SANSB lib_font(sansb_path, sizeof sansb_path, "LiberationSans-Bold.ttf")

static void err(HPDF_STATUS a, HPDF_STATUS b, void *d)
{
	(void)a;
	(void)b;
	(void)d;
}

/* Every BMP character measures what libharu puts in the font's /W. */
static void same_as_libharu(const char *path)
{
	const char *paths[FT_FACES] = {path};
	ft_fonts *f = ft_fonts_new(paths);
	HPDF_Doc pdf = HPDF_New(err, NULL);
	CHECK(f && pdf);
	if (!f || !pdf)
		return;
	HPDF_UseUTFEncodings(pdf);
	const char *name = HPDF_LoadTTFontFromFile(pdf, path, HPDF_TRUE);
	HPDF_Font font = name ? HPDF_GetFont(pdf, name, "UTF-8") : NULL;
	CHECK(font != NULL);
	int same = 0, covered = 0;
	for (unsigned cp = 0; font && cp < 0x10000; cp++) {
		if ((cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0xE000 && cp <= 0xF8FF) ||
		    !ft_glyph(f, 0, cp))
			continue; /* what the face lacks is measured as its fallback draws it, a
			             private-use character as the replacement mark */
		covered++;
		same +=
		    ft_units(f, 0, cp) == (int)HPDF_Font_GetUnicodeWidth(font, (HPDF_UNICODE)cp);
	}
	CHECK_INT(same, covered);
	CHECK(covered > 2000); /* Liberation covers Latin, Greek, Cyrillic... */
	/* a private-use character (a Word symbol font's bullet) is shown by no
	 * font, even where one has a glyph for it: it is reported */
	CHECK_INT(ft_cover(f, 0, 0xF0B7), -1);
	CHECK_INT(ft_cover(f, 0, 0xE000), -1);
	CHECK_INT(ft_units(f, 0, 0xF0B7), ft_units(f, 0, 0xFFFD));
	/* the status marks are not in Liberation: DejaVu Sans draws and measures them */
	int fb = ft_cover(f, 0, 0x25C6);
	CHECK_INT(fb, FT_FACES);
	CHECK(fb >= 0 && ft_units(f, 0, 0x25C6) == ft_units(f, fb, 0x25C6) &&
	      ft_glyph(f, fb, 0x25C6) != 0);
	CHECK_INT(ft_cover(f, 0, 'A'), 0);
	CHECK_INT(ft_cover(f, 0, 0x0E01), -1); /* Thai: in neither */
	CHECK_INT(ft_units(f, 0, 0x0E01), ft_units(f, fb, 0xFFFD));
	CHECK(ft_glyph(f, 0, 'A') != 0 && ft_glyph(f, 0, 0x4E2D) == 0); /* no CJK */
	CHECK_INT(ft_text_units(f, 0, "Côte", 5), ft_units(f, 0, 'C') + ft_units(f, 0, 0xF4) +
	                                              ft_units(f, 0, 't') + ft_units(f, 0, 'e'));
	HPDF_Free(pdf);
	ft_fonts_free(f);
}

/* A file cut short, a file of another kind, a missing file: an error that
 * says which, and characters then measure 500. */
static void bad_files(void)
{
	char *data = NULL;
	size_t len = 0;
	int big;
	CHECK(ms_read_file(SERIF, 1 << 24, &data, &len, &big) == 0);
	FILE *o = fopen("build/cut.ttf", "wb");
	if (o && data) {
		fwrite(data, 1, 2000, o); /* tables past the end */
		fclose(o);
	}
	o = fopen("build/notfont.ttf", "wb");
	if (o) {
		fputs("%PDF-1.4 not a font at all", o);
		fclose(o);
	}
	/* every byte of the table directory's offsets and lengths at 0xFF */
	if (data && len > 12 + 16 * 20) {
		for (size_t i = 12; i < 12 + 16 * 20; i++)
			if ((i - 12) % 16 >= 8)
				data[i] = (char)0xFF;
		o = fopen("build/badtables.ttf", "wb");
		if (o) {
			fwrite(data, 1, len, o);
			fclose(o);
		}
	}
	free(data);
	const char *paths[FT_FACES] = {"build/cut.ttf", "build/notfont.ttf", "build/badtables.ttf",
	                               "build/no-such.ttf", SANSB};
	ft_fonts *f = ft_fonts_new(paths);
	CHECK(f != NULL);
	for (int i = 0; f && i < 4; i++) {
		const char *why = NULL;
		CHECK(ft_load(f, i, &why) == -1);
		CHECK(why && *why);
		CHECK_INT(ft_units(f, i, 'A'), 500);
		CHECK_INT(ft_glyph(f, i, 'A'), 0);
	}
	const char *why = NULL;
	CHECK(f && ft_load(f, 4, &why) == 0);
	CHECK(f && ft_failed(f));
	ft_fonts_free(f);
}

/* The CJK fallback is a TrueType collection (.ttc): its first face is
 * read, measured as libharu measures it (HPDF_LoadTTFontFromFile2), and
 * draws what Liberation and DejaVu lack; a collection whose directory
 * points outside the file is refused. */
static void collection(void)
{
	const char *paths[FT_FACES] = {SERIF, "build/bad.ttc", "build/bad2.ttc"};
	ft_fonts *f = ft_fonts_new(paths);
	CHECK(f != NULL);
	if (!f)
		return;
	int cjk = ft_cover(f, 0, 0x4E2D); /* 中 */
	unsigned index = 99;
	CHECK_INT(cjk, FT_FACES + 1);
	CHECK(cjk >= 0 && ft_collection(f, cjk, &index) && index == 0);
	CHECK(!ft_collection(f, 0, &index));
	CHECK_INT(ft_cover(f, 0, 0x3042), cjk);                      /* あ: kana too */
	CHECK_INT(ft_cover(f, 0, 0x56E3), FT_FACES + 2);             /* 団: Japanese form */
	CHECK_INT(ft_cover(f, 0, 0xD55C), FT_FACES + 3);             /* 한: Hangul */
	CHECK_INT(ft_units(f, 0, 0x4E2D), ft_units(f, cjk, 0x4E2D)); /* measured as drawn */
	HPDF_Doc pdf = HPDF_New(err, NULL);
	if (pdf && cjk >= 0) {
		HPDF_UseUTFEncodings(pdf);
		const char *name = HPDF_LoadTTFontFromFile2(pdf, ft_path(f, cjk), 0, HPDF_TRUE);
		HPDF_Font font = name ? HPDF_GetFont(pdf, name, "UTF-8") : NULL;
		CHECK(font != NULL);
		int same = 0, covered = 0;
		for (unsigned cp = 0x4E00; font && cp < 0x5200; cp++) {
			if (!ft_glyph(f, cjk, cp))
				continue;
			covered++;
			same += ft_units(f, cjk, cp) ==
			        (int)HPDF_Font_GetUnicodeWidth(font, (HPDF_UNICODE)cp);
		}
		CHECK_INT(same, covered);
		CHECK(covered > 500);
	}
	HPDF_Free(pdf);
	/* "ttcf", one face, its directory at 0x7FFFFFF0; then one face whose
	   directory lists a table past the end */
	static const unsigned char bad[] = {'t', 't', 'c', 'f', 0,    1,    0,    0,
	                                    0,   0,   0,   1,   0x7F, 0xFF, 0xFF, 0xF0};
	static const unsigned char bad2[] = {
	    't', 't', 'c', 'f', 0, 1, 0,   0,   0,   0,   0, 1, 0, 0, 0, 16, 0,    1, 0, 0, 0, 1,
	    0,   0,   0,   0,   0, 0, 'h', 'e', 'a', 'd', 0, 0, 0, 0, 0, 0,  0x10, 0, 0, 0, 0, 54};
	FILE *o = fopen("build/bad.ttc", "wb");
	if (o) {
		fwrite(bad, 1, sizeof bad, o);
		fclose(o);
	}
	o = fopen("build/bad2.ttc", "wb");
	if (o) {
		fwrite(bad2, 1, sizeof bad2, o);
		fclose(o);
	}
	for (int i = 1; i <= 2; i++) {
		const char *why = NULL;
		CHECK(ft_load(f, i, &why) == -1);
		CHECK(why && *why);
		CHECK_INT(ft_glyph(f, i, 'A'), 0);
	}
	ft_fonts_free(f);
}

static unsigned be(const char *d, size_t at, int n)
{
	unsigned v = 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | (unsigned char)d[at + (size_t)i];
	return v;
}

/* A table's offset and length in a font file read whole, 0 when missing. */
static size_t table_at(const char *d, size_t len, const char *tag, size_t *n)
{
	for (unsigned i = 0; len > 12 && i < be(d, 4, 2); i++)
		if (12 + 16 * (size_t)i + 16 <= len && !memcmp(d + 12 + 16 * i, tag, 4)) {
			*n = be(d, 12 + 16 * (size_t)i + 12, 4);
			return be(d, 12 + 16 * (size_t)i + 8, 4);
		}
	return 0;
}

/* Glyph g's outline length in a TrueType file read whole (its loca), 0
 * when empty or when the file has no such glyph. */
static size_t glyph_len(const char *d, size_t len, unsigned g)
{
	size_t hl = 0, ll = 0, head = d ? table_at(d, len, "head", &hl) : 0;
	size_t loca = d ? table_at(d, len, "loca", &ll) : 0;
	if (!head || !loca || head + 52 > len)
		return 0;
	size_t w = be(d, head + 50, 2) == 1 ? 4 : 2;
	if (((size_t)g + 2) * w > ll || loca + ll > len)
		return 0;
	size_t a = be(d, loca + g * w, (int)w), b = be(d, loca + (g + 1) * w, (int)w);
	if (w == 2) {
		a *= 2;
		b *= 2;
	}
	return b > a ? b - a : 0;
}

/* DejaVu Sans with U+0654's glyph made a part of U+0626's (a loop), and
 * with every glyph offset at 0xFF: subsetting ends, and reads nothing out
 * of the tables. */
static void hostile_parts(void)
{
	const char *dv = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
	char *data = NULL;
	size_t len = 0;
	int big;
	CHECK(ms_read_file(dv, 1 << 24, &data, &len, &big) == 0);
	if (!data)
		return;
	const char *paths[FT_FACES] = {dv};
	ft_fonts *f = ft_fonts_new(paths);
	unsigned g626 = f ? ft_glyph(f, 0, 0x0626) : 0, g654 = f ? ft_glyph(f, 0, 0x0654) : 0;
	ft_fonts_free(f);
	size_t hl = 0, ll = 0, gl = 0, head = table_at(data, len, "head", &hl);
	size_t loca = table_at(data, len, "loca", &ll), glyf = table_at(data, len, "glyf", &gl);
	int wide = head && be(data, head + 50, 2) == 1;
	CHECK(g626 && g654 && loca && glyf);
	size_t at = glyf + (wide ? be(data, loca + 4 * g654, 4) : 2 * be(data, loca + 2 * g654, 2));
	if (g626 && g654 && loca && glyf && at + 14 <= len) {
		data[at + 12] = (char)(g626 >> 8); /* its first part: U+0626's glyph */
		data[at + 13] = (char)g626;
		FILE *o = fopen("build/loop.ttf", "wb");
		if (o) {
			fwrite(data, 1, len, o);
			fclose(o);
		}
		for (size_t i = loca; i < loca + ll && i < len; i++)
			data[i] = (char)0xFF;
		o = fopen("build/badloca.ttf", "wb");
		if (o) {
			fwrite(data, 1, len, o);
			fclose(o);
		}
	}
	free(data);
	const char *bad[FT_FACES] = {"build/loop.ttf", "build/badloca.ttf"};
	f = ft_fonts_new(bad);
	CHECK(f && ft_glyph(f, 0, 0x0626) == g626 && ft_glyph(f, 1, 0x0626) == g626);
	unsigned char *used = calloc(0x10000 / 8, 1);
	if (f && used) {
		used[0x0626 / 8] |= 1 << (0x0626 % 8);
		/* the loop: both glyphs kept, the walk ends */
		ms_buf out;
		ms_buf_init(&out);
		ft_embed m;
		const char *why = NULL;
		CHECK(ft_subset(f, 0, used, &out, &m, &why) == 0);
		CHECK(glyph_len(out.s, out.len, g626) > 0 && glyph_len(out.s, out.len, g654) > 0);
		/* offsets past the outlines: no glyph read out of the tables */
		ms_buf_clear(&out);
		int rc = ft_subset(f, 1, used, &out, &m, &why);
		CHECK(rc == -1 ? why != NULL : glyph_len(out.s, out.len, g626) == 0);
		ms_buf_free(&out);
	}
	free(used);
	ft_fonts_free(f);
}

/* A subset keeps the parts of a composite glyph at any depth: DejaVu
 * Sans's U+0626 is U+0649 and U+0654, and U+0654 a composite of U+0674
 * (libharu 2.3.0 dropped that second level); a glyph not shown is empty,
 * and the subset ends at its last glyph kept. */
static void subset_parts(void)
{
	const char *paths[FT_FACES] = {SERIF, "build/short.ttf"};
	ft_fonts *f = ft_fonts_new(paths);
	unsigned char *used = calloc(0x10000 / 8, 1);
	CHECK(f && used);
	if (f && used) {
		int dv = FT_FACES; /* DejaVu Sans, the first fallback */
		used[0x0626 / 8] |= 1 << (0x0626 % 8);
		ms_buf out;
		ms_buf_init(&out);
		ft_embed m;
		const char *why = NULL;
		CHECK(ft_subset(f, dv, used, &out, &m, &why) == 0);
		unsigned g[] = {ft_glyph(f, dv, 0x0626), ft_glyph(f, dv, 0x0649),
		                ft_glyph(f, dv, 0x0654), ft_glyph(f, dv, 0x0674)};
		unsigned last = 0;
		for (int k = 0; k < 4; k++) {
			CHECK(g[k] && glyph_len(out.s, out.len, g[k]) > 0);
			last = g[k] > last ? g[k] : last;
		}
		CHECK(glyph_len(out.s, out.len, ft_glyph(f, dv, 'A')) == 0);
		CHECK(m.glyphs >= last + 1);
		CHECK(strstr(m.name, "DejaVu") != NULL);
		/* a face that cannot be read: no subset, a reason */
		ms_buf_clear(&out);
		why = NULL;
		CHECK(ft_subset(f, 1, used, &out, &m, &why) == -1 && why);
		ms_buf_free(&out);
	}
	free(used);
	ft_fonts_free(f);
	hostile_parts();
}

int main(void)
{
	subset_parts();
	same_as_libharu(SERIF);
	same_as_libharu(SANSB);
	bad_files();
	collection();
	return t_done("font");
}
