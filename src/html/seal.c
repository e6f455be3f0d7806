/* seal.c — AES-256-GCM under a PBKDF2-HMAC-SHA256 key (seal.h), through
 * OpenSSL's published EVP interface. */
#include "seal.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

/* PBKDF2 at 600,000 iterations is half the restricted site's CPU time: on
 * a second core while the pages are made, the site takes a quarter to a
 * third less time when that core is free (docs/BENCH.md). */
static int derive(void *arg)
{
	hw_seal *s = arg;
	size_t n = strlen(s->password);
	if (n > 0x7fffffff ||
	    PKCS5_PBKDF2_HMAC(s->password, (int)n, s->salt, SEAL_SALT, (int)s->iterations,
	                      EVP_sha256(), (int)sizeof s->key, s->key) != 1)
		s->failed = 1;
	atomic_store(&s->done, 1);
	return 0;
}

int seal_start(hw_seal *s, const char *password, unsigned iterations)
{
	memset(s, 0, sizeof *s);
	atomic_init(&s->done, 0);
	s->iterations = iterations;
	s->password = password;
	if (iterations > 0x7fffffffu || RAND_bytes(s->salt, SEAL_SALT) != 1) {
		s->failed = 1;
		return -1;
	}
	EVP_EncodeBlock((unsigned char *)s->salt64, s->salt, SEAL_SALT);
	if (ms_job_try_start(&s->job, derive, s) == 0) {
		s->started = 1; /* s->failed is the thread's until seal_wait */
		return 0;
	}
	derive(s);
	return s->failed ? -1 : 0;
}

int seal_ready(hw_seal *s)
{
	return !s->started || atomic_load(&s->done);
}

int seal_wait(hw_seal *s)
{
	if (s->started) {
		ms_job_join(&s->job);
		s->started = 0;
	}
	s->password = NULL;
	return s->failed ? -1 : 0;
}

int seal_box(hw_seal *s, const char *plain, size_t n, ms_buf *out)
{
	if (seal_wait(s) < 0 || n > 0x7fffff00) /* the key first */
		return -1;
	if (!s->ctx && !(s->ctx = EVP_CIPHER_CTX_new()))
		return -1;
	EVP_CIPHER_CTX *ctx = s->ctx;
	size_t raw = SEAL_IV + n + SEAL_TAG;
	unsigned char *b = malloc(raw);
	if (!b)
		return -1;
	int len = 0, fin = 0,
	    ok = RAND_bytes(b, SEAL_IV) == 1 &&
	         EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) == 1 &&
	         EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, SEAL_IV, NULL) == 1 &&
	         EVP_EncryptInit_ex(ctx, NULL, NULL, s->key, b) == 1 &&
	         EVP_EncryptUpdate(ctx, b + SEAL_IV, &len, (const unsigned char *)plain, (int)n) ==
	             1 &&
	         EVP_EncryptFinal_ex(ctx, b + SEAL_IV + len, &fin) == 1 &&
	         (size_t)(len + fin) == n &&
	         EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, SEAL_TAG, b + SEAL_IV + n) == 1;
	size_t need = 4 * ((raw + 2) / 3) + 1;
	if (ok && ms_buf_reserve(out, need) == 0) {
		int w = EVP_EncodeBlock((unsigned char *)out->s + out->len, b, (int)raw);
		out->len += (size_t)w;
		out->s[out->len] = 0;
	} else {
		ok = 0;
	}
	free(b);
	return ok ? 0 : -1;
}

void seal_end(hw_seal *s)
{
	seal_wait(s);
	if (s->ctx)
		EVP_CIPHER_CTX_free(s->ctx);
	s->ctx = NULL;
	OPENSSL_cleanse(s->key, sizeof s->key);
}
