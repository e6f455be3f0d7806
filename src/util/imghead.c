/* imghead.c — see imghead.h. */
#include "imghead.h"

#include <stdio.h>
#include <string.h>

static unsigned be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static unsigned rd16(const unsigned char *p, int le)
{
	return le ? (unsigned)p[1] << 8 | p[0] : be16(p);
}

/* EXIF orientation from an APP1 segment (bounded reads). */
static int exif_orientation(const unsigned char *seg, size_t len)
{
	if (len < 14 || memcmp(seg, "Exif\0\0", 6))
		return 1;
	const unsigned char *t = seg + 6;
	size_t tl = len - 6;
	int le = t[0] == 'I';
	size_t ifd =
	    le ? (size_t)t[4] | (size_t)t[5] << 8 | (size_t)t[6] << 16 | (size_t)t[7] << 24
	       : (size_t)t[7] | (size_t)t[6] << 8 | (size_t)t[5] << 16 | (size_t)t[4] << 24;
	if (ifd + 2 > tl)
		return 1;
	unsigned n = rd16(t + ifd, le);
	for (unsigned i = 0; i < n && ifd + 2 + (i + 1) * 12 <= tl; i++) {
		const unsigned char *e = t + ifd + 2 + i * 12;
		if (rd16(e, le) == 0x0112) {
			unsigned v = rd16(e + 8, le);
			return v >= 1 && v <= 8 ? (int)v : 1;
		}
	}
	return 1;
}

int ms_image_info(const char *path, int *w, int *h, int *orient, int *is_png)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return -1;
	unsigned char buf[65536];
	size_t n = fread(buf, 1, sizeof buf, fp);
	fclose(fp);
	*orient = 1;
	*is_png = 0;
	if (n >= 24 && !memcmp(buf, "\x89PNG\r\n\x1a\n", 8)) {
		*is_png = 1;
		*w = (int)(buf[16] << 24 | buf[17] << 16 | buf[18] << 8 | buf[19]);
		*h = (int)(buf[20] << 24 | buf[21] << 16 | buf[22] << 8 | buf[23]);
		return 0;
	}
	if (n < 4 || buf[0] != 0xFF || buf[1] != 0xD8)
		return -1;
	size_t i = 2;
	while (i + 9 < n) {
		if (buf[i] != 0xFF) {
			i++;
			continue;
		}
		unsigned m = buf[i + 1];
		unsigned len = be16(buf + i + 2);
		if (m == 0xE1 && i + 4 + len - 2 <= n)
			*orient = exif_orientation(buf + i + 4, len - 2);
		if ((m >= 0xC0 && m <= 0xC3) || (m >= 0xC5 && m <= 0xC7) ||
		    (m >= 0xC9 && m <= 0xCB) || (m >= 0xCD && m <= 0xCF)) {
			*h = (int)be16(buf + i + 5);
			*w = (int)be16(buf + i + 7);
			return 0;
		}
		i += 2 + len;
	}
	return -1;
}
