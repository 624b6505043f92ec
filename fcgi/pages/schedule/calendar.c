/* calendar: each user's secret calendar feed.
 *
 * The feed (GET /calendar/<token>.ics) is read by phone calendars without
 * a session: the 256-bit token is the credential and only its SHA-256 is
 * stored. A phone calendar is less protected than the site, so a feed
 * carries no clinical detail: no reason for the visit, and for doctors
 * the patient appears only by initials ("Cita: P.U."); patients see the
 * doctor's name, which they chose themselves. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/schedule/schedule.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/request.h"
#include "core/token.h"
#include "core/validate.h"
#include "core/view.h"
#include "lib/ics.h"

/* ---------------------------------------------------- calendar feed */

static int
calendar_render(struct req *r, const char *new_url)
{
	struct db_result *res;
	enum db_status st;
	const char *p[2] = { r->user.id_text, schedule_clinic_tz(r) };

	if ((st = db_query(&res, "schedule_feed_get", 2, p)) != DB_OK)
		return db_http_status(st);
	if (db_rows(res) == 1)
		view_set(r->view, page_when(r, db_value(res, 0, 0)), "Data.feed.created");
	if (new_url) {
		view_set(r->view, new_url, "Data.feed.url");
		/* the URL is shown once: keep the page out of every cache */
		r->resp.cache_control = "no-store";
	}
	schedule_set_done(r, (const char *const[]){ "revoked", NULL });
	return page_show(r, "schedule.calendar.title", "schedule/calendar.cs", HTTP_OK);
}

int
calendar_page(struct req *r)
{
	return calendar_render(r, NULL);
}

static const char *const feed_actions[] = { "create", "revoke", NULL };
static const struct field_rule feed_rules[] = {
	{ "action", FIELD_CHOICE, 1, 0, 0, feed_actions },
};

int
calendar_post(struct req *r)
{
	enum db_status st;
	const char *p[2] = { r->user.id_text, NULL };
	size_t n = 0;

	if (form_validate(r, feed_rules, 1) != 0)
		return HTTP_BAD_REQUEST;
	if (strcmp(form_value(r, "action"), "revoke") == 0) {
		if ((st = db_begin()) != DB_OK)
			return db_http_status(st);
		if ((st = db_run_rows("schedule_feed_delete", 1, p, &n)) != DB_OK ||
		    (n > 0 && audit_log(r, r->user.id, "calendar.feed_revoked", "") != 0) ||
		    (st = db_commit()) != DB_OK) {
			db_rollback();
			return st == DB_UNAVAILABLE ? HTTP_UNAVAILABLE : HTTP_INTERNAL_ERROR;
		}
		return page_redirect(r, "/calendar?done=revoked");
	}
	/* create, or regenerate: a new token replaces the old one at once */
	char token[65], hash[67];
	if (token_random_hex(token, 32) != 0)
		return HTTP_INTERNAL_ERROR;
	token_sha256_bytea(token, hash);
	p[1] = hash;
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((st = db_run("schedule_feed_set", 2, p)) != DB_OK ||
	    audit_log(r, r->user.id, "calendar.feed_created", "") != 0 ||
	    (st = db_commit()) != DB_OK) {
		db_rollback();
		return st == DB_UNAVAILABLE ? HTTP_UNAVAILABLE : HTTP_INTERNAL_ERROR;
	}
	return calendar_render(r, arena_printf(r->arena, "%s/calendar/%s.ics",
	                                       r->cfg->base_url, token));
}

enum { FE_UID, FE_SEQ, FE_START, FE_END, FE_MODE, FE_LOC, FE_AS_DOCTOR, FE_WHO };

int
calendar_feed(struct req *r)
{
	const char *token = r->match.args[0];
	char hash[67];
	struct db_result *res;
	enum db_status st;
	struct ics_event *ev;
	size_t n;
	char *ics;
	int rc;

	if (!is_hex_token(token, 64))
		return HTTP_NOT_FOUND;
	token_sha256_bytea(token, hash);
	const char *p[1] = { hash };
	if ((rc = page_query_row(&res, "schedule_feed_user", 1, p)) != 0)
		return rc;
	const char *user = arena_strdup(r->arena, db_value(res, 0, 0));
	const char *lang = strcmp(db_value(res, 0, 1), "en") == 0 ? "en" : "es";

	const char *pu[1] = { user };
	long long owner = atoll(user);
	struct db_batch b = { 0 };
	int events;
	/* The feed shows the owner's visits: a read like any page's, recorded
	 * in the same batch (no row, no feed). */
	if (audit_read_add(r, &b, &owner, 1, "calendar.feed_read", "") == -1)
		return HTTP_INTERNAL_ERROR;
	events = db_batch_add(&b, "schedule_feed_events", 1, pu);
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	res = b.res[events];
	n = db_rows(res);
	ev = arena_alloc(r->arena, (n ? n : 1) * sizeof(*ev));
	if (ev == NULL)
		return HTTP_INTERNAL_ERROR;
	const char *video = view_string(lang, "schedule.feed.video");
	const char *cita = view_string(lang, "schedule.feed.summary");
	for (size_t i = 0; i < n; i++) {
		int as_doctor = strcmp(db_value(res, i, FE_AS_DOCTOR), "t") == 0;
		memset(&ev[i], 0, sizeof(ev[i]));
		ev[i].uid = arena_strdup(r->arena, db_value(res, i, FE_UID));
		ev[i].sequence = atoi(db_value(res, i, FE_SEQ));
		ev[i].dtstart = (time_t)atoll(db_value(res, i, FE_START));
		ev[i].dtend = (time_t)atoll(db_value(res, i, FE_END));
		ev[i].summary = arena_printf(r->arena, "%s %s", cita, db_value(res, i, FE_WHO));
		ev[i].location = strcmp(db_value(res, i, FE_MODE), "video") == 0 ? video
		                 : arena_strdup(r->arena, db_value(res, i, FE_LOC));
		ev[i].status = "CONFIRMED";
		ev[i].url = arena_printf(r->arena, "%s%s", r->cfg->base_url,
		                         as_doctor ? "/agenda" : "/appointments");
	}
	if ((ics = ics_calendar(ev, n, "PUBLISH")) == NULL)
		return HTTP_INTERNAL_ERROR;
	r->resp.body = arena_strdup(r->arena, ics);
	r->resp.body_len = strlen(ics);
	free(ics);
	if (r->resp.body == NULL)
		return HTTP_INTERNAL_ERROR;
	r->resp.content_type = "text/calendar; charset=utf-8";
	r->resp.cache_control = "no-store";
	resp_add_header(r, "Content-Disposition", "inline; filename=\"medsyspro.ics\"");
	return HTTP_OK;
}
