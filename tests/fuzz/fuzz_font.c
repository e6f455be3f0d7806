/* libFuzzer target: a style's font file, as font/ reads it for the layout
 * (loading, measuring) and for embedding (ft_subset: the tables kept, the
 * parts of composite glyphs followed). A style may name any file. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "font/font.h"
#include "fuzz_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	if (fuzz_file(path, sizeof path, "font", "ttf", data, size) < 0)
		return 0;
	const char *paths[FT_FACES] = {path};
	ft_fonts *f = ft_fonts_new(paths);
	const char *why = NULL;
	if (f && ft_load(f, 0, &why) == 0) {
		static const char text[] = "Affected States \xE2\x80\x94 \xC3\xA9t\xC3\xA9 fi 12";
		(void)ft_text_units(f, 0, text, sizeof text - 1);
		unsigned char *used = calloc(0x10000 / 8, 1);
		if (used) {
			/* the characters shown: ASCII, and a few from the input */
			for (unsigned cp = 0x20; cp < 0x7F; cp++)
				used[cp / 8] |= (unsigned char)(1u << (cp % 8));
			for (size_t i = 0; i + 1 < size && i < 64; i += 2) {
				unsigned cp = (unsigned)data[i] << 8 | data[i + 1];
				used[cp / 8] |= (unsigned char)(1u << (cp % 8));
			}
			ms_buf out;
			ms_buf_init(&out);
			ft_embed m;
			if (ft_subset(f, 0, used, &out, &m, &why) == 0)
				for (unsigned g = 0; g < m.glyphs && g < 256; g++)
					(void)ft_glyph_units(f, 0, g);
			ms_buf_free(&out);
			free(used);
		}
	}
	ft_fonts_free(f);
	unlink(path);
	return 0;
}
