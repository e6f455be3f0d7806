/* fuzz_file.h — for libFuzzer targets whose library reads a file by name:
 * the input written to a file of this process's own. */
#ifndef FUZZ_FILE_H
#define FUZZ_FILE_H

#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

/* data written to /tmp/fuzz-NAME-PID.EXT, its path into path[n]: 0, or -1
 * when the file cannot be written. */
static int fuzz_file(char *path, size_t n, const char *name, const char *ext, const uint8_t *data,
                     size_t size)
{
	snprintf(path, n, "/tmp/fuzz-%s-%ld.%s", name, (long)getpid(), ext);
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t put = fwrite(data, 1, size, f);
	return fclose(f) == 0 && put == size ? 0 : -1;
}

#endif
