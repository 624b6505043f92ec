/* ice: the iceServers array of a call page, with the user's TURN
 * credential (coturn's TURN REST API; core/turn.c makes it). */
#include "pages/tele/ice.h"

#include <ctype.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/json.h"
#include "core/log.h"
#include "core/request.h"
#include "core/turn.h"

/* The space-separated URLs of list as a JSON array of strings (arena);
 * NULL when the arena ran out. */
static const char *
urls_json(struct arena *a, const char *list)
{
	const char *out = "", *p = list;

	while (*p && out) {
		size_t n = 0;
		const char *u;
		while (isspace((unsigned char)*p))
			p++;
		while (p[n] && !isspace((unsigned char)p[n]))
			n++;
		if (n == 0)
			break;
		if ((u = json_string(a, arena_strndup(a, p, n))) == NULL)
			return NULL;
		out = arena_printf(a, "%s%s%s", out, *out ? "," : "", u);
		p += n;
	}
	return out ? arena_printf(a, "[%s]", out) : NULL;
}

/* The TURN entry for r's user, or NULL (logged when the secret failed). */
static const char *
turn_entry(struct req *r)
{
	struct turn_credential tc;
	char err[256];
	const char *urls;

	if (turn_credential_make(r->cfg, r->user.id_text, time(NULL), r->cfg->turn_ttl_seconds,
	                         &tc, err, sizeof(err)) == -1) {
		log_msg("error", "request %s: no TURN credential: %s", r->request_id, err);
		return NULL;
	}
	if ((urls = urls_json(r->arena, r->cfg->turn_urls)) == NULL)
		return NULL;
	/* username and credential are [0-9:A-Za-z_.-] and base64: no escaping. */
	return arena_printf(r->arena, "{\"urls\":%s,\"username\":\"%s\",\"credential\":\"%s\"}",
	                    urls, tc.username, tc.credential);
}

const char *
tele_ice_json(struct req *r)
{
	const char *stun = "", *turn = "", *urls;

	if (r->user.id == 0)
		return NULL;
	if (r->cfg->stun_urls[0]) {
		if ((urls = urls_json(r->arena, r->cfg->stun_urls)) == NULL)
			return NULL;
		if ((stun = arena_printf(r->arena, "{\"urls\":%s}", urls)) == NULL)
			return NULL;
	}
	if (turn_configured(r->cfg) && (turn = turn_entry(r)) == NULL)
		return NULL;
	return arena_printf(r->arena, "[%s%s%s]", stun, *stun && *turn ? "," : "", turn);
}
