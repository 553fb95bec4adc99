#include "hashfile.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "evh.h"

static void hex(const unsigned char *md, unsigned n, char *out)
{
	for (unsigned i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

int de_hash_fd(int fd, char *sha256, char *md5, de_err *e)
{
	/* per thread: files are hashed on every core (util/hashbatch.h) */
	static _Thread_local unsigned char buf[1 << 20];
	EVP_MD_CTX *s = EVP_MD_CTX_new(), *m = md5 ? EVP_MD_CTX_new() : NULL;
	int rc = 0;
	EVP_DigestInit_ex(s, EVP_sha256(), NULL);
	if (m)
		EVP_DigestInit_ex(m, EVP_md5(), NULL);
	for (;;) {
		ssize_t n = evh_read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = de_fail_errno(e, errno, "read");
			break;
		}
		if (n == 0)
			break;
		EVP_DigestUpdate(s, buf, (size_t)n);
		if (m)
			EVP_DigestUpdate(m, buf, (size_t)n);
	}
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len;
	if (rc == 0) {
		EVP_DigestFinal_ex(s, md, &len);
		hex(md, len, sha256);
		if (m) {
			EVP_DigestFinal_ex(m, md, &len);
			hex(md, len, md5);
		}
	}
	EVP_MD_CTX_free(s);
	EVP_MD_CTX_free(m);
	return rc;
}
