/* pollwatch: links to the poll files nginx answers (docs/chat.md "Polling"). */
#include "pollwatch.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "config.h"
#include "request.h"
#include "session.h"
#include "lib/pollsig.h"

#define SECRET_MAX 128

static char secret[SECRET_MAX + 1];   /* "": links off */

int
pollwatch_parse_key(const char *text, char *out, size_t size)
{
	static const char head[] = "set $medsys_poll_secret \"";
	const char *p = strstr(text, head), *end;
	size_t len;

	if (p == NULL)
		return -1;
	p += sizeof(head) - 1;
	len = strspn(p, "0123456789abcdefABCDEF");
	end = p + len;
	if (len < 64 || len > SECRET_MAX || len >= size || strncmp(end, "\";", 2) != 0)
		return -1;
	memcpy(out, p, len);
	out[len] = '\0';
	return 0;
}

int
pollwatch_init(const struct config *cfg, char *err, size_t errlen)
{
	char text[512];
	size_t n;
	FILE *f;

	secret[0] = '\0';
	if (cfg->poll_key_file[0] == '\0')
		return 0;
	if ((f = fopen(cfg->poll_key_file, "r")) == NULL) {
		snprintf(err, errlen, "cannot read poll_key_file %s (docs/chat.md \"Polling\" says how to make one)",
		         cfg->poll_key_file);
		return -1;
	}
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	if (pollwatch_parse_key(text, secret, sizeof(secret)) == -1) {
		snprintf(err, errlen, "poll_key_file %s must hold one line: set $medsys_poll_secret \"<64 hex digits>\";",
		         cfg->poll_key_file);
		return -1;
	}
	return 0;
}

const char *
pollwatch_url(struct req *r, const char *topic, const char *id)
{
	const char *session = req_cookie(r, SESSION_COOKIE);
	char sig[POLLSIG_LEN + 1], *uri;
	long long expires = (long long)time(NULL) + POLLWATCH_TTL;

	if (secret[0] == '\0' || session == NULL || session[0] == '\0')
		return "";
	if ((uri = arena_printf(r->arena, "/poll/%s/%s", topic, id)) == NULL)
		return NULL;
	if (pollsig_sign(sig, expires, uri, session, secret) == -1)
		return "";
	return arena_printf(r->arena, "%s?e=%lld&s=%s", uri, expires, sig);
}
