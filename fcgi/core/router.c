/* router: compiled route table and matching. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "router.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

struct compiled_route {
	const struct route *row;
	pcre2_code *re;
};

struct router {
	size_t n;
	struct compiled_route *v;
	pcre2_match_data *md;   /* one per router: workers are single-threaded */
};

static const char *const method_names[METHOD__MAX] = { "GET", "HEAD", "POST" };

enum http_method
http_method_parse(const char *s)
{
	for (int i = 0; i < METHOD__MAX; i++)
		if (s && strcmp(s, method_names[i]) == 0)
			return (enum http_method)i;
	return METHOD__MAX;
}

const char *
http_method_name(enum http_method m)
{
	return m < METHOD__MAX ? method_names[m] : "OTHER";
}

struct router *
router_new(const struct route *rows, size_t n, char *err, size_t errlen)
{
	struct router *rt = calloc(1, sizeof(*rt));

	if (rt == NULL || (rt->v = calloc(n ? n : 1, sizeof(*rt->v))) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		int code;
		PCRE2_SIZE off;
		rt->v[i].row = &rows[i];
		rt->v[i].re = pcre2_compile((PCRE2_SPTR)rows[i].pattern, PCRE2_ZERO_TERMINATED,
		                            PCRE2_ANCHORED | PCRE2_ENDANCHORED | PCRE2_UTF |
		                            PCRE2_NEVER_BACKSLASH_C, &code, &off, NULL);
		rt->n = i + 1;
		if (rt->v[i].re == NULL) {
			char msg[128];
			pcre2_get_error_message(code, (PCRE2_UCHAR *)msg, sizeof(msg));
			snprintf(err, errlen, "route %s: pattern %s: %s at %zu",
			         rows[i].name, rows[i].pattern, msg, (size_t)off);
			goto fail;
		}
		if (pcre2_jit_compile(rt->v[i].re, PCRE2_JIT_COMPLETE) != 0) {
			/* JIT is an optimisation; the interpreter gives the same answers. */
		}
	}
	if ((rt->md = pcre2_match_data_create(ROUTE_MAX_ARGS + 1, NULL)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	return rt;
fail:
	router_free(rt);
	return NULL;
}

void
router_free(struct router *rt)
{
	if (rt == NULL)
		return;
	for (size_t i = 0; i < rt->n; i++)
		pcre2_code_free(rt->v[i].re);
	pcre2_match_data_free(rt->md);
	free(rt->v);
	free(rt);
}

/* Copy the captures of the last match into m->args. -1 on exhaustion. */
static int
copy_captures(const struct router *rt, struct arena *a, int rc,
              const char *path, struct route_match *m)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(rt->md);

	m->nargs = 0;
	for (int g = 1; g < rc && g <= ROUTE_MAX_ARGS; g++) {
		if (ov[2 * g] == PCRE2_UNSET) {
			m->args[m->nargs++] = NULL;
			continue;
		}
		m->args[m->nargs] = arena_strndup(a, path + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
		if (m->args[m->nargs++] == NULL)
			return -1;
	}
	return 0;
}

enum route_result
router_match(const struct router *rt, struct arena *a, enum http_method method,
             const char *path, struct route_match *m)
{
	enum http_method want = method == METHOD_HEAD ? METHOD_GET : method;

	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < rt->n; i++) {
		int rc = pcre2_match(rt->v[i].re, (PCRE2_SPTR)path, strlen(path), 0,
		                     0, rt->md, NULL);
		if (rc < 0)
			continue;
		if (rt->v[i].row->method != want) {
			m->allowed |= 1u << rt->v[i].row->method;
			if (rt->v[i].row->method == METHOD_GET)
				m->allowed |= 1u << METHOD_HEAD;
			continue;
		}
		m->route = rt->v[i].row;
		if (copy_captures(rt, a, rc, path, m) == -1)
			return ROUTE_NOT_FOUND;
		return ROUTE_FOUND;
	}
	return m->allowed ? ROUTE_METHOD_NOT_ALLOWED : ROUTE_NOT_FOUND;
}

const char *
router_allow_header(unsigned allowed, char *buf, size_t len)
{
	size_t o = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (int i = 0; i < METHOD__MAX; i++) {
		if (!(allowed & (1u << i)))
			continue;
		int n = snprintf(buf + o, len - o, "%s%s", o ? ", " : "", method_names[i]);
		if (n < 0 || (size_t)n >= len - o)
			break;
		o += (size_t)n;
	}
	return buf;
}
