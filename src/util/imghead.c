/* imghead.c — see imghead.h. One header reader in the program: src/img's
 * checked one (bounded EXIF, every length validated), so that the layout
 * sizes a photo exactly as the back-end will read it. */
#include "imghead.h"

#include "../img/img.h"

int ms_image_info(const char *path, int *w, int *h, int *orient, int *is_png)
{
	char err[256];
	*is_png = 0;
	return img_info(path, w, h, orient, err, sizeof err);
}
