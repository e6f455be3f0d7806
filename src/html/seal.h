/* seal.h — the restricted site's encryption (private to src/html/): one
 * key per build, derived from the password with PBKDF2-HMAC-SHA256 under a
 * random salt, on a second thread while the first pages wait; each
 * page's content then sealed with AES-256-GCM under a random 96-bit IV.
 * WebCrypto reads the same things: salt and iterations from the page, the
 * sealed text as base64 of IV || ciphertext || 16-byte tag. */
#ifndef HW_SEAL_H
#define HW_SEAL_H

#include <stdatomic.h>
#include <stddef.h>

#include "../util/job.h"

#include "../util/buf.h"

#define SEAL_SALT 16
#define SEAL_IV 12
#define SEAL_TAG 16

typedef struct hw_seal {
	unsigned char key[32];
	unsigned char salt[SEAL_SALT];
	char salt64[32]; /* base64 of salt */
	unsigned iterations;
	int failed;
	const char *password; /* the caller's, until seal_wait */
	ms_job job;
	int started;     /* the key is derived on job's thread */
	atomic_int done; /* the key is derived (or failed) */
	void *ctx;       /* EVP_CIPHER_CTX */
} hw_seal;

/* Draws the salt and starts deriving the key: on a second thread when one
 * can be had (password must live until seal_wait), else at once. 0, or -1
 * (no randomness, or the key could not be derived). */
int seal_start(hw_seal *s, const char *password, unsigned iterations);
/* 1 when seal_wait would not wait. */
int seal_ready(hw_seal *s);
/* Waits for the key. 0, or -1 when it could not be derived. */
int seal_wait(hw_seal *s);
/* Appends base64(IV || AES-256-GCM(plain) || tag) to out, waiting for the
 * key first. 0, or -1. */
int seal_box(hw_seal *s, const char *plain, size_t n, ms_buf *out);
/* Forgets the key (waiting for it first when it is still being derived). */
void seal_end(hw_seal *s);

#endif
