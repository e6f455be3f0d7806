/* imghead.h — a photo's size and orientation from its file's header, for
 * the layout to size it and a back-end to place it, without decoding it. */
#ifndef MS_IMGHEAD_H
#define MS_IMGHEAD_H

/* JPEG/PNG width and height in pixels and EXIF orientation (1..8, 1 when
 * none), read from the first 64 KiB only (bounded reads): 0, or -1 when the
 * file cannot be read or is neither. */
int ms_image_info(const char *path, int *w, int *h, int *orient, int *is_png);

#endif
