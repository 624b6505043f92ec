/* room: the consultation room of a video appointment (docs/tele.md):
 * loading and authorizing it, the page in each of its states (not open
 * yet, join, waiting room, the call with its chat, the doctor's waiting
 * list and visit-note panel, ended), and the feature's route table. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/chat/chat.h"
#include "pages/record/notes.h"
#include "pages/tele/ice.h"
#include "pages/tele/tele.h"
#include "pages/tele/transcript.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/care.h"
#include "core/pollwatch.h"
#include "core/request.h"
#include "core/session.h"
#include "core/status.h"
#include "core/view.h"

/* Columns of tele_room. */
enum { TR_PATIENT, TR_DOCTOR_USER, TR_MODE, TR_WINDOW, TR_OPENS, TR_STARTS, TR_PATIENT_NAME,
       TR_DOCTOR_NAME, TR_ROOM, TR_VERSION, TR_ENCOUNTER, TR_STATE, TR_PEER, TR_HEARTBEAT,
       TR_LAST_MESSAGE };

/* Columns of tele_messages and tele_waiting. */
enum { TM_ID, TM_AUTHOR, TM_AT, TM_BODY, TM_MINE };
enum { TW_USER, TW_NAME, TW_SINCE };

/* Seconds between the waiting room's reloads without JavaScript. */
#define TELE_WAIT_REFRESH "10"

static const char *
col(struct req *r, struct db_result *res, int c)
{
	return arena_strdup(r->arena, db_value(res, 0, c));
}

static void
fill(struct req *r, struct tele_room *t, struct db_result *res)
{
	t->patient = atoll(db_value(res, 0, TR_PATIENT));
	t->doctor_user = atoll(db_value(res, 0, TR_DOCTOR_USER));
	t->window = col(r, res, TR_WINDOW);
	t->opens = col(r, res, TR_OPENS);
	t->starts = col(r, res, TR_STARTS);
	t->patient_name = col(r, res, TR_PATIENT_NAME);
	t->doctor_name = col(r, res, TR_DOCTOR_NAME);
	t->room = col(r, res, TR_ROOM);
	t->version = col(r, res, TR_VERSION);
	t->encounter = col(r, res, TR_ENCOUNTER);
	t->state = col(r, res, TR_STATE);
	t->peer = col(r, res, TR_PEER);
	t->heartbeat_due = db_value(res, 0, TR_HEARTBEAT)[0] == 't';
	t->last_message = strtoll(db_value(res, 0, TR_LAST_MESSAGE), NULL, 10);
}

int
tele_room_load(struct req *r, struct tele_room *t)
{
	const char *p[3] = { r->match.args[0], r->user.id_text, page_tz(r) };
	struct db_result *res = NULL;
	enum db_status st;
	int video;

	memset(t, 0, sizeof(*t));
	t->appt = r->match.args[0];
	if ((st = db_query(&res, "tele_room", 3, p)) != DB_OK)
		return db_http_status(st);
	if (db_rows(res) != 1)
		return care_decide_patient(r, RECORD_CLINICAL, 0);
	fill(r, t, res);
	video = strcmp(db_value(res, 0, TR_MODE), "video") == 0;
	if (t->window == NULL || t->state == NULL || t->peer == NULL || t->encounter == NULL)
		return HTTP_INTERNAL_ERROR;
	t->is_doctor = t->doctor_user != 0 && t->doctor_user == r->user.id && (r->roles & ROLE_DOCTOR);
	/* Only the visit's two people; everyone else learns nothing, not
	 * even that the visit exists, and the refusal is on the trail. */
	if (!t->is_doctor && !(t->patient == r->user.id && (r->roles & ROLE_PATIENT))) {
		audit_log(r, t->patient, "record.denied",
		          arena_printf(r->arena, "%s status=404", r->match.route->name));
		return HTTP_NOT_FOUND;
	}
	if (!video || strcmp(t->window, "none") == 0)
		return HTTP_NOT_FOUND;
	return care_decide_patient(r, RECORD_CLINICAL, t->patient);
}

int
tele_audit_add(struct req *r, struct db_batch *b, const struct tele_room *t)
{
	const char *what = arena_printf(r->arena, "appointment:%s", t->appt);

	if (what == NULL ||
	    audit_read_add(r, b, &t->patient, 1, "record.tele_room", care_audit_object(r, what)) == -1)
		return -1;
	return 0;
}

const char *
tele_watch(struct req *r, const struct tele_room *t)
{
	return *t->room ? pollwatch_url(r, "room", t->room) : "";
}

const char *
tele_path(struct req *r, const struct tele_room *t)
{
	return arena_printf(r->arena, "/appointments/%s/call", t->appt);
}

int
tele_messages_add(struct req *r, struct db_batch *b, const struct tele_room *t, const char *after)
{
	const char **p = arena_alloc(r->arena, 4 * sizeof(*p));

	if (p == NULL)
		return -1;
	p[0] = t->room;
	p[1] = after;
	p[2] = page_tz(r);
	p[3] = r->user.id_text;
	return db_batch_add(b, "tele_messages", 4, p);
}

/* The RTCPeerConnection iceServers for the user (ice.c: STUN, and TURN
 * with a credential of the user's). When they cannot be made (the TURN
 * secret unreadable: logged) the call still tries a direct connection. */
static const char *
ice_servers(struct req *r)
{
	const char *json = tele_ice_json(r);

	return json ? json : "[]";
}

/* Data.call.* for call.cs and the data-* attributes tele.js reads. */
static void
show_head(struct req *r, const struct tele_room *t, const char *state)
{
	view_set(r->view, t->appt, "Data.call.appt");
	view_set(r->view, tele_path(r, t), "Data.call.path");
	view_set(r->view, state, "Data.call.state");
	view_set(r->view, r->user.id_text, "Data.call.me");
	view_set(r->view, t->peer, "Data.call.peer");
	view_set(r->view, t->is_doctor ? "0" : "1", "Data.call.polite");
	view_set(r->view, ice_servers(r), "Data.call.ice");
	view_set(r->view, tele_watch(r, t), "Data.call.watch");
	view_set(r->view, t->version, "Data.call.version");
	view_set_int(r->view, t->last_message, "Data.call.chat_last");
	view_set(r->view, page_when(r, t->starts), "Data.call.starts");
	view_set(r->view, t->patient_name, "Data.call.patient");
	view_set(r->view, t->doctor_name, "Data.call.doctor");
	if (t->is_doctor)
		view_set(r->view, "1", "Data.call.doctor_view");
}

/* The rows as the chat pages show theirs (chat_show_rows). */
static const struct chat_col message_cols[] = {
	[TM_ID] = { "id", 0 }, [TM_AUTHOR] = { "author", 0 }, [TM_AT] = { "at", 0 },
	[TM_BODY] = { "body", 0 }, [TM_MINE] = { "mine", 1 },
};
static const struct chat_col waiting_cols[] = {
	[TW_USER] = { "id", 0 }, [TW_NAME] = { "name", 0 }, [TW_SINCE] = { "since", 0 },
};

const char *
tele_state(const struct tele_room *t)
{
	if (strcmp(t->window, "open") != 0)
		return "ended";
	if (strcmp(t->state, "waiting") == 0 || strcmp(t->state, "admitted") == 0)
		return t->state;
	return "out";
}

int
tele_room_show(struct req *r, const struct tele_room *t, int status)
{
	const char *state = tele_state(t), *pw[2] = { t->room, page_tz(r) }, *ph[2] = { t->room, r->user.id_text };
	struct db_batch b = { 0 };
	enum db_status st;
	int mq = -1, wq = -1, rc;

	if (tele_audit_add(r, &b, t) == -1)
		return HTTP_INTERNAL_ERROR;
	if (*t->room && strcmp(state, "waiting") != 0 && (mq = tele_messages_add(r, &b, t, "0")) < 0)
		return HTTP_INTERNAL_ERROR;
	if (*t->room && t->is_doctor && strcmp(state, "admitted") == 0 &&
	    (wq = db_batch_add(&b, "tele_waiting", 2, pw)) < 0)
		return HTTP_INTERNAL_ERROR;
	/* A page is a sign of life too (a waiting room without JavaScript
	 * reloads; the stale-room sweep must not close it). */
	if (t->heartbeat_due && (strcmp(state, "waiting") == 0 || strcmp(state, "admitted") == 0) &&
	    db_batch_add(&b, "tele_seen", 2, ph) < 0)
		return HTTP_INTERNAL_ERROR;
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	show_head(r, t, state);
	/* The transcript's consent (consent.c): asked on entering, once; the
	 * browser records only when both the patient and the doctor said yes. */
	if (*t->room && (strcmp(state, "waiting") == 0 || strcmp(state, "admitted") == 0)) {
		int record, ask = tele_consent_state(r, t->room, &record);
		if (ask == -1)
			return HTTP_UNAVAILABLE;
		if (ask)
			view_set(r->view, "1", "Data.call.ask_consent");
		view_set(r->view, record ? "1" : "0", "Data.call.record");
	}
	if (mq >= 0)
		chat_show_rows(r, b.res[mq], "messages", message_cols, sizeof(message_cols) / sizeof(message_cols[0]));
	if (wq >= 0)
		chat_show_rows(r, b.res[wq], "waiting", waiting_cols, sizeof(waiting_cols) / sizeof(waiting_cols[0]));
	if (strcmp(state, "waiting") == 0)
		view_set(r->view, TELE_WAIT_REFRESH, "Page.refresh");
	/* The doctor writes the visit note beside the call (record/notes.c's
	 * own form, saved by its own route, coming back here with ?done=). */
	if (t->is_doctor && *t->encounter && strcmp(state, "out") != 0 &&
	    (rc = note_panel(r, t->encounter, tele_path(r, t))) != 0)
		return rc;
	r->resp.cache_control = "no-store";
	return page_show(r, strcmp(state, "waiting") == 0 ? "tele.waiting.title" : "tele.call.title",
	                 "tele/call.cs", status);
}

/* Too early: when the room opens (still an audited read of the visit). */
static int
early_show(struct req *r, const struct tele_room *t)
{
	int st = audit_read(r, &t->patient, 1, "record.tele_room",
	                    care_audit_object(r, arena_printf(r->arena, "appointment:%s", t->appt)));

	if (st != 0)
		return st;
	view_set(r->view, t->appt, "Data.call.appt");
	view_set(r->view, page_when(r, t->opens), "Data.call.opens");
	view_set(r->view, page_when(r, t->starts), "Data.call.starts");
	view_set(r->view, t->is_doctor ? t->patient_name : t->doctor_name, "Data.call.with");
	r->resp.cache_control = "no-store";
	return page_show(r, "tele.early.title", "tele/early.cs", HTTP_OK);
}

int
tele_page(struct req *r)
{
	struct tele_room t;
	int st;

	if ((st = tele_room_load(r, &t)) != 0)
		return st;
	if (strcmp(t.window, "early") == 0)
		return early_show(r, &t);
	return tele_room_show(r, &t, HTTP_OK);
}

/* ------------------------------------------------------------ routes */

#define CALL "/appointments/([1-9][0-9]{0,17})/call"
#define BOTH (ROLE_PATIENT | ROLE_DOCTOR)

const struct route tele_routes[] = {
	/* name              method       pattern           handler            roles        csrf pre_mfa capability record */
	{ "tele_room",       METHOD_GET,  CALL,             tele_page,         BOTH,        0, 0, NULL, RECORD_NONE },
	{ "tele_join",       METHOD_POST, CALL "/join",     tele_join,         BOTH,        1, 0, NULL, RECORD_NONE },
	{ "tele_admit",      METHOD_POST, CALL "/admit",    tele_admit,        ROLE_DOCTOR, 1, 0, NULL, RECORD_NONE },
	{ "tele_leave",      METHOD_POST, CALL "/leave",    tele_leave,        BOTH,        1, 0, NULL, RECORD_NONE },
	{ "tele_end",        METHOD_POST, CALL "/end",      tele_end,          ROLE_DOCTOR, 1, 0, NULL, RECORD_NONE },
	{ "tele_chat",       METHOD_POST, CALL "/chat",     tele_chat,         BOTH,        1, 0, NULL, RECORD_NONE },
	{ "tele_signals",    METHOD_GET,  CALL "/signals",  tele_signals_get,  BOTH,        0, 0, NULL, RECORD_NONE },
	{ "tele_signal_add", METHOD_POST, CALL "/signals",  tele_signals_post, BOTH,        1, 0, NULL, RECORD_NONE },
};
const size_t tele_routes_n = sizeof(tele_routes) / sizeof(tele_routes[0]);
