/* test_html.c — the site back-end's sealing (src/html/seal.h): what
 * seal_box writes is base64 of IV || AES-256-GCM ciphertext || tag under the
 * PBKDF2-HMAC-SHA256 key, as WebCrypto reads it; a fresh IV each time; a
 * changed byte fails the tag. (The browser side: tests/tools/portal_browser.py.) */
#include <openssl/evp.h>
#include <string.h>

#include "html/seal.h"
#include "t.h"

/* Opens base64 text sealed under password/salt; returns the plaintext
 * length, or -1 when the tag fails. */
static int open_box(const char *b64, const char *password, const hw_seal *s, unsigned char *out)
{
	unsigned char raw[4096], key[32];
	int n = EVP_DecodeBlock(raw, (const unsigned char *)b64, (int)strlen(b64));
	size_t pad =
	    strlen(b64) >= 2 ? (b64[strlen(b64) - 1] == '=') + (b64[strlen(b64) - 2] == '=') : 0;
	n -= (int)pad;
	if (n < SEAL_IV + SEAL_TAG)
		return -1;
	PKCS5_PBKDF2_HMAC(password, (int)strlen(password), s->salt, SEAL_SALT, (int)s->iterations,
	                  EVP_sha256(), 32, key);
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int len = 0, fin = 0, ct = n - SEAL_IV - SEAL_TAG;
	int ok = EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL) == 1 &&
	         EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, SEAL_IV, NULL) == 1 &&
	         EVP_DecryptInit_ex(c, NULL, NULL, key, raw) == 1 &&
	         EVP_DecryptUpdate(c, out, &len, raw + SEAL_IV, ct) == 1 &&
	         EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, SEAL_TAG, raw + SEAL_IV + ct) == 1 &&
	         EVP_DecryptFinal_ex(c, out + len, &fin) == 1;
	EVP_CIPHER_CTX_free(c);
	return ok ? len + fin : -1;
}

int main(void)
{
	hw_seal s;
	CHECK(seal_start(&s, "correct horse", 1000) == 0);
	const char *page = "A title\n<h1>Björn's need</h1>";
	ms_buf a, b;
	ms_buf_init(&a);
	ms_buf_init(&b);
	CHECK(seal_box(&s, page, strlen(page), &a) == 0);
	CHECK(seal_box(&s, page, strlen(page), &b) == 0);
	CHECK(a.len == 4 * ((SEAL_IV + strlen(page) + SEAL_TAG + 2) / 3));
	CHECK(strcmp(a.s, b.s) != 0); /* a fresh IV each time */
	CHECK(strstr(a.s, "Bj") == NULL);
	unsigned char out[4096];
	int n = open_box(a.s, "correct horse", &s, out);
	CHECK(n == (int)strlen(page) && memcmp(out, page, strlen(page)) == 0);
	CHECK(open_box(a.s, "wrong horse", &s, out) < 0);
	a.s[20] = a.s[20] == 'A' ? 'B' : 'A'; /* a changed byte */
	CHECK(open_box(a.s, "correct horse", &s, out) < 0);
	/* the salt is new every build */
	hw_seal s2;
	CHECK(seal_start(&s2, "correct horse", 1000) == 0);
	CHECK(memcmp(s.salt, s2.salt, SEAL_SALT) != 0);
	seal_end(&s2);
	seal_end(&s);
	ms_buf_free(&a);
	ms_buf_free(&b);
	return t_done("html");
}
