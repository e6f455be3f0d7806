/* libFuzzer target: the photo reader (src/img) — the header reader that
 * finds the size and EXIF orientation, the full check (every byte decoded,
 * a passed-through JPEG at 1/8 scale) and the decoding to pixels that the
 * PDF back-end embeds. Seeds: tests/bad/photos. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "img/img.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int w, h, o;
	char err[256];
	if (img_info_mem(data, size, &w, &h, &o, err, sizeof err) == 0 &&
	    (w <= 0 || h <= 0 || o < 1 || o > 8))
		abort(); /* a header accepted must give a size and an orientation */
	/* a few megapixels at most: the decoding is the same code for larger
	 * photos, and a 50-megapixel one takes longer than libFuzzer's timeout
	 * under the sanitizers */
	if ((long long)w * h > 2000000)
		return 0;
	ms_img m;
	if (img_load_mem(data, size, IMG_CHECK, &m, err, sizeof err) == 0)
		img_free(&m);
	if (img_load_mem(data, size, IMG_MAKE, &m, err, sizeof err) == 0) {
		size_t want =
		    m.kind == IMG_RAW ? (size_t)m.w * (size_t)m.h * (size_t)m.comps : size;
		if (m.len != want || !m.data)
			abort();
		volatile unsigned char sink = 0;
		for (size_t i = 0; i < m.len; i += 4096)
			sink ^= m.data[i]; /* every plane is really there */
		if (m.alpha)
			sink ^= m.alpha[(size_t)m.w * (size_t)m.h - 1];
		(void)sink;
		img_free(&m);
	}
	return 0;
}
