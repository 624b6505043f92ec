/* actions: the room's plain forms (docs/tele.md), each a POST with the
 * csrf field answered by a redirect back to the room page: join (the
 * doctor is in at once, a patient waits), admit (the doctor; the first
 * admission opens the visit's encounter), leave, end (the doctor: the
 * room ends and the appointment is completed) and a chat line. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/appointments/appointments.h"
#include "pages/tele/tele.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/request.h"
#include "core/session.h"
#include "core/status.h"
#include "core/validate.h"

/* An audit row about the room's patient inside the open transaction:
 * 0, or the transaction rolled back and the status to answer. */
static int
room_audit(struct req *r, const struct tele_room *t, const char *action, const char *extra)
{
	if (audit_log(r, t->patient, action, arena_printf(r->arena, "appointment:%s%s%s", t->appt,
	                                                   extra ? " " : "", extra ? extra : "")) != 0)
		return page_tx_fail(DB_ERROR);
	return 0;
}

/* The room's id into t->room (made by the first join), in the open
 * transaction. 0 or the status (rolled back). */
static int
room_open(struct req *r, struct tele_room *t)
{
	struct db_result *res;
	enum db_status st;

	if ((st = db_query(&res, "tele_room_open", 1, &t->appt)) != DB_OK || db_rows(res) != 1)
		return page_tx_fail(st == DB_OK ? DB_ERROR : st);
	t->room = arena_strdup(r->arena, db_value(res, 0, 0));
	return t->room ? 0 : page_tx_fail(DB_ERROR);
}

/* Load the room for a form: 0 when open, else the status (a room not
 * open answers by showing the page again, which says why). */
static int
load_open(struct req *r, struct tele_room *t)
{
	int st = tele_room_load(r, t);

	if (st != 0)
		return st;
	return strcmp(t->window, "open") == 0 ? 0 : HTTP_CONFLICT;
}

static int
back(struct req *r, const struct tele_room *t)
{
	return page_redirect(r, tele_path(r, t));
}

int
tele_join(struct req *r)
{
	struct tele_room t;
	const char *p[4];
	enum db_status st;
	int rc;

	if ((rc = load_open(r, &t)) != 0)
		return rc == HTTP_CONFLICT ? back(r, &t) : rc;
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((rc = room_open(r, &t)) != 0)
		return rc;
	p[0] = t.room;
	p[1] = r->user.id_text;
	p[2] = t.is_doctor ? "doctor" : "patient";
	p[3] = t.is_doctor ? "admitted" : "waiting";
	if ((st = db_run("tele_join", 4, p)) != DB_OK)
		return page_tx_fail(st);
	if ((rc = room_audit(r, &t, "tele.joined", NULL)) != 0)
		return rc;
	if ((st = db_commit()) != DB_OK)
		return page_tx_fail(st);
	return back(r, &t);
}

/* The visit's encounter (record/notes.c's statements: the one the
 * appointment has, else a new one) into the room, on the first
 * admission. 0 or the status (rolled back). */
static int
start_visit(struct req *r, const struct tele_room *t)
{
	const char *p[4] = { arena_printf(r->arena, "%lld", t->patient), r->user.doctor_id_text, t->appt,
	                     r->user.id_text };
	const char *enc;
	struct db_result *res;
	enum db_status st;
	int made;

	if (*t->encounter)
		return 0;
	if ((st = db_query(&res, "notes_encounter_open", 4, p)) != DB_OK)
		return page_tx_fail(st);
	if (!(made = db_rows(res) == 1)) {
		const char *q[2] = { p[0], t->appt };
		if ((st = db_query(&res, "notes_encounter_of_appt", 2, q)) != DB_OK || db_rows(res) != 1)
			return page_tx_fail(st == DB_OK ? DB_ERROR : st);
	}
	enc = arena_strdup(r->arena, db_value(res, 0, 0));
	const char *ps[2] = { t->room, enc };
	if (made && audit_log(r, t->patient, "record.encounter_opened",
	                      arena_printf(r->arena, "encounter:%s appointment:%s", enc, t->appt)) != 0)
		return page_tx_fail(DB_ERROR);
	if ((st = db_run("tele_room_start", 2, ps)) != DB_OK)
		return page_tx_fail(st);
	return 0;
}

static const struct field_rule admit_rules[] = {
	{ "user", FIELD_ID, 1, 0, 0, NULL },
};

int
tele_admit(struct req *r)
{
	struct tele_room t;
	const char *p[3];
	size_t rows;
	enum db_status st;
	int rc;

	if ((rc = load_open(r, &t)) != 0)
		return rc;
	if (!t.is_doctor || strcmp(t.state, "admitted") != 0)
		return HTTP_CONFLICT;     /* the doctor joins first */
	if (form_validate(r, admit_rules, 1) != 0)
		return HTTP_BAD_REQUEST;
	p[0] = t.room;
	p[1] = form_value(r, "user");
	p[2] = r->user.id_text;
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((st = db_run_rows("tele_admit", 3, p, &rows)) != DB_OK)
		return page_tx_fail(st);
	if (rows != 1) {
		db_rollback();
		return HTTP_CONFLICT;     /* nobody of that id waits */
	}
	if ((rc = start_visit(r, &t)) != 0 ||
	    (rc = room_audit(r, &t, "tele.admitted", arena_printf(r->arena, "user:%s", p[1]))) != 0)
		return rc;
	if ((st = db_commit()) != DB_OK)
		return page_tx_fail(st);
	return back(r, &t);
}

int
tele_leave(struct req *r)
{
	struct tele_room t;
	const char *p[2];
	size_t rows = 0;
	enum db_status st;
	int rc;

	if ((rc = tele_room_load(r, &t)) != 0)
		return rc;
	if (*t.room == '\0')
		return back(r, &t);
	p[0] = t.room;
	p[1] = r->user.id_text;
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((st = db_run_rows("tele_leave", 2, p, &rows)) != DB_OK)
		return page_tx_fail(st);
	if (rows == 1 && (rc = room_audit(r, &t, "tele.left", NULL)) != 0)
		return rc;
	if ((st = db_commit()) != DB_OK)
		return page_tx_fail(st);
	return back(r, &t);
}

int
tele_end(struct req *r)
{
	struct tele_room t;
	const char *p[2];
	size_t rows = 0;
	enum db_status st;
	int rc;

	if ((rc = load_open(r, &t)) != 0)
		return rc == HTTP_CONFLICT ? back(r, &t) : rc;
	if (!t.is_doctor || *t.room == '\0')
		return HTTP_CONFLICT;
	p[0] = t.room;
	p[1] = r->user.id_text;
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((st = db_run_rows("tele_end", 2, p, &rows)) != DB_OK)
		return page_tx_fail(st);
	if (rows == 1 && (rc = room_audit(r, &t, "tele.ended", NULL)) != 0)
		return rc;
	if ((st = db_commit()) != DB_OK)
		return page_tx_fail(st);
	/* The visit took place: completed (the appointments feature's own
	 * change, history and audit row), also before its start time once
	 * the patient was admitted (the encounter exists). 404 means it is no
	 * longer booked, or nobody was ever admitted before its time:
	 * nothing to mark. */
	rc = appointments_set_status(r, strtoll(t.appt, NULL, 10), "completed");
	if (rc != 0 && rc != HTTP_NOT_FOUND)
		return rc;
	return back(r, &t);
}

static const struct field_rule chat_rules[] = {
	{ "body", FIELD_MULTILINE, 1, 1, TELE_CHAT_MAX, NULL },
};

int
tele_chat(struct req *r)
{
	struct tele_room t;
	const char *p[3];
	struct db_result *res;
	enum db_status st;
	int rc;

	if ((rc = load_open(r, &t)) != 0)
		return rc == HTTP_CONFLICT ? back(r, &t) : rc;
	if (strcmp(t.state, "admitted") != 0)
		return HTTP_CONFLICT;     /* in the call only */
	if (form_validate(r, chat_rules, 1) != 0)
		return tele_room_show(r, &t, 422);
	p[0] = t.room;
	p[1] = r->user.id_text;
	p[2] = form_value(r, "body");
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((st = db_query(&res, "tele_message_add", 3, p)) != DB_OK || db_rows(res) != 1)
		return page_tx_fail(st == DB_OK ? DB_ERROR : st);
	if ((rc = room_audit(r, &t, "tele.chat_added",
	                     arena_printf(r->arena, "message:%s", db_value(res, 0, 0)))) != 0)
		return rc;
	if ((st = db_commit()) != DB_OK)
		return page_tx_fail(st);
	return page_redirect(r, arena_printf(r->arena, "%s#chat", tele_path(r, &t)));
}
