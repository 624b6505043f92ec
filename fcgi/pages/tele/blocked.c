/* blocked: the page tele.js opens when the browser refused the camera or
 * microphone, found none, or could not start them (docs/tele.md "Call
 * (browser)"): what to do in each browser, try again, or go on with sound
 * only or the chat. Only the visit's two people see it (tele_room_load). */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/tele/tele.h"

#include <string.h>

#include "core/fields.h"
#include "core/request.h"
#include "core/status.h"
#include "core/view.h"

/* tele.js's ?why=: which getUserMedia error it was, as the page words it. */
static const char *
blocked_why(struct req *r)
{
	const char *why = fields_get(&r->query, "why");

	if (why && (strcmp(why, "missing") == 0 || strcmp(why, "busy") == 0))
		return why;
	return "denied";
}

static int
tele_blocked(struct req *r)
{
	struct tele_room t;
	int st;

	if ((st = tele_room_load(r, &t)) != 0)
		return st;
	view_set(r->view, tele_path(r, &t), "Data.call.path");
	view_set(r->view, blocked_why(r), "Data.why");
	return page_show(r, "tele.blocked.title", "tele/blocked.cs", HTTP_OK);
}

const struct route tele_blocked_routes[] = {
	/* name           method      pattern                                        handler       roles                       csrf pre_mfa capability record */
	{ "tele_blocked", METHOD_GET, "/appointments/([1-9][0-9]{0,17})/call/blocked", tele_blocked, ROLE_PATIENT | ROLE_DOCTOR, 0, 0, NULL, RECORD_NONE },
};
const size_t tele_blocked_routes_n = sizeof(tele_blocked_routes) / sizeof(tele_blocked_routes[0]);
