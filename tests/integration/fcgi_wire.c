/* fcgi_wire: a minimal FastCGI client (the records of the FastCGI 1.0
 * specification, section 3 and 5) for tests against medsysd's socket. */
#include "fcgi_wire.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

enum fcgi_type {
	FCGI_T_BEGIN_REQUEST = 1,
	FCGI_T_END_REQUEST = 3,
	FCGI_T_PARAMS = 4,
	FCGI_T_STDIN = 5,
	FCGI_T_STDOUT = 6,
};

#define FCGI_HEADER_LEN 8
#define FCGI_RESPONDER 1

int
fcgi_wire_connect(const char *path)
{
	struct sockaddr_un sa;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path))
		return -1;
	strcpy(sa.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A record header for request 1 at p. */
static void
put_header(unsigned char *p, enum fcgi_type type, size_t len)
{
	p[0] = 1;   /* version */
	p[1] = (unsigned char)type;
	p[2] = 0;
	p[3] = 1;   /* request id 1 */
	p[4] = (unsigned char)(len >> 8);
	p[5] = (unsigned char)(len & 0xff);
	p[6] = 0;   /* no padding */
	p[7] = 0;
}

/* One name-value pair (both under 128 bytes: one-byte lengths) at p;
 * returns its length. */
static size_t
put_pair(unsigned char *p, const char *name, const char *value)
{
	size_t n = strlen(name), v = strlen(value);

	p[0] = (unsigned char)n;
	p[1] = (unsigned char)v;
	memcpy(p + 2, name, n);
	memcpy(p + 2 + n, value, v);
	return 2 + n + v;
}

size_t
fcgi_wire_get(unsigned char buf[FCGI_WIRE_MAX], const char *uri, size_t *params_end)
{
	const char *pairs[][2] = {
		{ "REQUEST_METHOD", "GET" }, { "DOCUMENT_URI", uri }, { "REQUEST_URI", uri },
		{ "QUERY_STRING", "" }, { "SERVER_PROTOCOL", "HTTP/1.1" },
		{ "HTTP_HOST", "localhost" }, { "REMOTE_ADDR", "127.0.0.1" },
		{ "HTTP_ACCEPT_LANGUAGE", "es" },
	};
	size_t o = 0, body;

	put_header(buf, FCGI_T_BEGIN_REQUEST, 8);
	memset(buf + FCGI_HEADER_LEN, 0, 8);
	buf[FCGI_HEADER_LEN + 1] = FCGI_RESPONDER;   /* flags 0: close after */
	o = 2 * FCGI_HEADER_LEN;
	body = o + FCGI_HEADER_LEN;
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		body += put_pair(buf + body, pairs[i][0], pairs[i][1]);
	put_header(buf + o, FCGI_T_PARAMS, body - o - FCGI_HEADER_LEN);
	*params_end = o = body;
	put_header(buf + o, FCGI_T_PARAMS, 0);
	o += FCGI_HEADER_LEN;
	put_header(buf + o, FCGI_T_STDIN, 0);
	return o + FCGI_HEADER_LEN;
}

int
fcgi_wire_send(int fd, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n > 0) {
		ssize_t w = send(fd, b, n, MSG_NOSIGNAL);
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* Read exactly n bytes before the deadline. 0, or -1. */
static int
read_full(int fd, unsigned char *p, size_t n, double deadline)
{
	while (n > 0) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		double left = deadline - now_ms();
		ssize_t r;
		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			return -1;
		if ((r = read(fd, p, n)) <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

long
fcgi_wire_status(int fd, long timeout_ms)
{
	double deadline = now_ms() + timeout_ms;
	unsigned char h[FCGI_HEADER_LEN], body[65535 + 255];
	char head[64] = "";
	size_t nhead = 0;

	for (;;) {
		size_t len, pad;
		if (read_full(fd, h, sizeof(h), deadline) == -1)
			return -1;
		len = (size_t)h[4] << 8 | h[5];
		pad = h[6];
		if (read_full(fd, body, len + pad, deadline) == -1)
			return -1;
		if (h[1] == FCGI_T_END_REQUEST)
			break;
		if (h[1] == FCGI_T_STDOUT && nhead < sizeof(head) - 1) {
			size_t take = len < sizeof(head) - 1 - nhead ? len : sizeof(head) - 1 - nhead;
			memcpy(head + nhead, body, take);
			nhead += take;
			head[nhead] = '\0';
		}
	}
	if (strncmp(head, "Status: ", 8) == 0)
		return atol(head + 8);
	return 200;
}
