/* smtp: one message to the SMTP server with libcurl, failures classified
 * as temporary or permanent. */
#include "smtp.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static CURL *handle;    /* kept between sends of a batch: one connection */

struct upload {
	const char *p;
	size_t left;
};

static size_t
read_message(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct upload *u = arg;
	size_t n = size * nmemb;

	if (n > u->left)
		n = u->left;
	memcpy(dst, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

/* Follows the commands libcurl sends to know the phase a failure came
 * in. Only the first word of a command is looked at: AUTH lines carry
 * credentials and are never kept. */
static int
watch_commands(CURL *h, curl_infotype type, char *data, size_t size, void *arg)
{
	enum smtp_phase *phase = arg;

	(void)h;
	if (type != CURLINFO_HEADER_OUT || size < 4)
		return 0;
	if (strncasecmp(data, "MAIL", 4) == 0)
		*phase = SMTP_PHASE_SENDER;
	else if (strncasecmp(data, "RCPT", 4) == 0)
		*phase = SMTP_PHASE_RECIPIENT;
	else if (strncasecmp(data, "DATA", 4) == 0)
		*phase = SMTP_PHASE_DATA;
	else if (strncasecmp(data, "QUIT", 4) != 0)
		*phase = SMTP_PHASE_SESSION;
	return 0;
}

int
smtp_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void
smtp_close(void)
{
	if (handle)
		curl_easy_cleanup(handle);   /* sends QUIT on a kept connection */
	handle = NULL;
}

void
smtp_global_cleanup(void)
{
	smtp_close();
	curl_global_cleanup();
}

enum smtp_status
smtp_classify(int curl_code, long reply_code, enum smtp_phase phase)
{
	if (curl_code == CURLE_OK)
		return SMTP_OK;
	if (reply_code >= 500 && reply_code <= 599 &&
	    (phase == SMTP_PHASE_RECIPIENT || phase == SMTP_PHASE_DATA))
		return SMTP_PERMANENT;
	return SMTP_TEMPORARY;
}

static const char *
phase_name(enum smtp_phase p)
{
	switch (p) {
	case SMTP_PHASE_SENDER: return "MAIL FROM";
	case SMTP_PHASE_RECIPIENT: return "RCPT TO";
	case SMTP_PHASE_DATA: return "DATA";
	default: return "session";
	}
}

enum smtp_status
smtp_send(const struct smtp_server *srv, const char *from, const char *to,
          const char *msg, size_t len, char *why, size_t whylen)
{
	struct upload up = { msg, len };
	struct curl_slist *rcpt = NULL;
	enum smtp_phase phase = SMTP_PHASE_SESSION;
	enum smtp_status st;
	char envelope_from[300], envelope_to[300];
	long reply = 0;
	CURLcode rc;

	if (why && whylen)
		why[0] = '\0';
	if (handle == NULL && (handle = curl_easy_init()) == NULL) {
		snprintf(why, whylen, "cannot start libcurl");
		return SMTP_TEMPORARY;
	}
	/* Options back to their defaults; the connection cache survives. */
	curl_easy_reset(handle);
	snprintf(envelope_from, sizeof(envelope_from), "<%s>", from);
	snprintf(envelope_to, sizeof(envelope_to), "<%s>", to);
	if ((rcpt = curl_slist_append(NULL, envelope_to)) == NULL) {
		snprintf(why, whylen, "out of memory");
		return SMTP_TEMPORARY;
	}
	curl_easy_setopt(handle, CURLOPT_URL, srv->url);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#else
	curl_easy_setopt(handle, CURLOPT_PROTOCOLS, (long)(CURLPROTO_SMTP | CURLPROTO_SMTPS));
#endif
	curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, srv->connect_timeout);
	curl_easy_setopt(handle, CURLOPT_TIMEOUT, srv->timeout);
	if (srv->starttls || strncmp(srv->url, "smtps:", 6) == 0)
		curl_easy_setopt(handle, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (srv->user && *srv->user) {
		curl_easy_setopt(handle, CURLOPT_USERNAME, srv->user);
		curl_easy_setopt(handle, CURLOPT_PASSWORD, srv->password ? srv->password : "");
	}
	curl_easy_setopt(handle, CURLOPT_MAIL_FROM, envelope_from);
	curl_easy_setopt(handle, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(handle, CURLOPT_READFUNCTION, read_message);
	curl_easy_setopt(handle, CURLOPT_READDATA, &up);
	curl_easy_setopt(handle, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	/* The debug callback (it needs VERBOSE) only notes the phase; nothing
	 * is printed. */
	curl_easy_setopt(handle, CURLOPT_DEBUGFUNCTION, watch_commands);
	curl_easy_setopt(handle, CURLOPT_DEBUGDATA, &phase);
	curl_easy_setopt(handle, CURLOPT_VERBOSE, 1L);

	rc = curl_easy_perform(handle);
	curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &reply);
	curl_slist_free_all(rcpt);
	/* Nothing in the handle may point at our stack or at freed memory. */
	curl_easy_setopt(handle, CURLOPT_MAIL_RCPT, NULL);
	curl_easy_setopt(handle, CURLOPT_READDATA, NULL);
	curl_easy_setopt(handle, CURLOPT_DEBUGDATA, NULL);
	curl_easy_setopt(handle, CURLOPT_DEBUGFUNCTION, NULL);
	curl_easy_setopt(handle, CURLOPT_VERBOSE, 0L);

	st = smtp_classify((int)rc, reply, phase);
	if (st != SMTP_OK) {
		if (reply > 0)
			snprintf(why, whylen, "SMTP %ld after %s: %s", reply, phase_name(phase),
			         curl_easy_strerror(rc));
		else
			snprintf(why, whylen, "%s", curl_easy_strerror(rc));
		/* A failed connection is not worth keeping. */
		smtp_close();
	}
	return st;
}
