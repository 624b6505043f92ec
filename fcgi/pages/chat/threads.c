/* threads: the messaging pages' list and start (docs/chat.md): my threads
 * with their unread counts, a new thread (a patient writes to one of
 * their doctors or the front desk; a doctor to one of their patients),
 * the notices and batched e-mail of every new message, and the routes. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/chat/chat.h"
#include "pages/chat/files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/care.h"
#include "core/config.h"
#include "core/request.h"
#include "core/status.h"
#include "core/validate.h"
#include "core/view.h"

/* Columns of chat_threads. */
enum { TL_ID, TL_SUBJECT, TL_OTHER, TL_DESK, TL_AT, TL_NEEDS_REPLY, TL_CLOSED, TL_UNREAD };

static int
thread_list(struct req *r)
{
	static const struct chat_col cols[] = {
		[TL_ID] = { "id", 0 }, [TL_SUBJECT] = { "subject", 0 }, [TL_OTHER] = { "other", 0 },
		[TL_DESK] = { "desk", 1 }, [TL_AT] = { "at", 0 }, [TL_NEEDS_REPLY] = { "needs_reply", 1 },
		[TL_CLOSED] = { "closed", 1 }, [TL_UNREAD] = { "unread", 0 },
	};
	const char *p[2] = { r->user.id_text,
	                     r->cfg->clinic_timezone[0] ? r->cfg->clinic_timezone : "UTC" };
	struct db_result *res = NULL;
	enum db_status st;

	if ((st = db_query(&res, "chat_threads", 2, p)) != DB_OK)
		return db_http_status(st);
	chat_show_rows(r, res, "threads", cols, sizeof(cols) / sizeof(cols[0]));
	db_result_free(res);
	if (r->roles & (ROLE_PATIENT | ROLE_DOCTOR))
		view_set(r->view, "1", "Data.can_start");
	return page_show(r, "chat.list.title", "chat/list.cs", HTTP_OK);
}

/* The people the user may write to, into Data.to (value, name): a
 * patient's doctors (and the front desk, value "desk"); a doctor's
 * patients. */
static int
show_recipients(struct req *r)
{
	char months[16];
	const char *p[2] = { r->user.id_text, months };
	struct db_result *res = NULL;
	enum db_status st;
	int patient = (r->roles & ROLE_PATIENT) != 0;

	snprintf(months, sizeof(months), "%d", r->cfg->care_window_months);
	if ((st = db_query(&res, patient ? "chat_my_doctors" : "chat_my_patients", 2, p)) != DB_OK)
		return db_http_status(st);
	for (size_t i = 0; i < db_rows(res); i++) {
		struct view_row *row = view_row(r->view, "Data.to.%zu", i);
		view_row_set(row, "value", db_value(res, i, 0));
		view_row_set(row, "name", db_value(res, i, 1));
	}
	db_result_free(res);
	if (patient)
		view_set(r->view, "1", "Data.patient");
	return 0;
}

/* The new-thread form answering status (a refused file: 413/415/400,
 * with what was typed kept). */
static int
new_form_status(struct req *r, int status)
{
	int st = show_recipients(r);

	view_set_int(r->view, r->cfg->chat_attachment_max_bytes / (1024 * 1024), "Data.max_mb");
	return st ? st : page_show(r, "chat.new.title", "chat/new.cs", status);
}

static int
new_form(struct req *r)
{
	return new_form_status(r, HTTP_OK);
}

static const struct field_rule new_rules[] = {
	{ "to", FIELD_TEXT, 1, 1, 20, NULL },
	{ "subject", FIELD_TEXT, 1, 1, CHAT_SUBJECT_MAX, NULL },
	{ "body", FIELD_MULTILINE, 1, 1, CHAT_BODY_MAX, NULL },
};
/* With an attachment the text may be empty, as in a reply. */
static const struct field_rule new_rules_file[] = {
	{ "to", FIELD_TEXT, 1, 1, 20, NULL },
	{ "subject", FIELD_TEXT, 1, 1, CHAT_SUBJECT_MAX, NULL },
	{ "body", FIELD_MULTILINE, 0, 0, CHAT_BODY_MAX, NULL },
};

int
chat_notify(struct req *r, const char *thread)
{
	char minutes[16];
	const char *p[4] = { thread, r->user.id_text, r->user.name, minutes };

	snprintf(minutes, sizeof(minutes), "%d", r->cfg->chat_mail_minutes);
	return db_run("chat_notify", 4, p) == DB_OK ? 0 : -1;
}

/* The thread and its first message with its attachment f (made durable
 * before the commit, as a reply's); NULL thread id when the patient may
 * not write to that doctor (st 0), else st says what failed. */
static int
create(struct req *r, const char *patient, const char *doctor, struct chat_file *f, const char **id)
{
	char months[16];
	const char *p[5] = { patient, doctor, form_value(r, "subject"), r->user.id_text, months };
	const char *body = form_value(r, "body");
	const char *m[3] = { NULL, r->user.id_text, body ? body : "" };
	struct db_result *res = NULL;
	enum db_status st;
	int s;

	*id = NULL;
	snprintf(months, sizeof(months), "%d", r->cfg->care_window_months);
	if (db_begin() != DB_OK)
		return HTTP_UNAVAILABLE;
	if ((st = db_query(&res, "chat_new_thread", 5, p)) != DB_OK)
		return page_tx_fail(st);
	if (db_rows(res) != 1) {
		db_rollback();
		return 0;
	}
	m[0] = *id = arena_strdup(r->arena, db_value(res, 0, 0));
	if ((s = chat_file_store(r, f)) != 0)
		return s;
	if ((st = db_run("chat_post", 3, m)) != DB_OK || (st = chat_file_attach(r, f)) != DB_OK)
		return chat_file_fail(r, f, page_tx_fail(st));
	if (chat_notify(r, *id) == -1 || db_commit() != DB_OK)
		return chat_file_fail(r, f, page_tx_fail(DB_ERROR));
	return 0;
}

static int
new_post(struct req *r)
{
	const char *to, *id = NULL, *patient, *doctor;
	struct chat_file f;
	int st, fst;

	/* A refused file: the form again with the subject and text typed. */
	fst = chat_file_take(r, &f);
	if (form_validate(r, f.present ? new_rules_file : new_rules, sizeof(new_rules) / sizeof(new_rules[0])) > 0 ||
	    fst != 0)
		return new_form_status(r, fst ? fst : HTTP_OK);
	to = form_value(r, "to");
	if (r->roles & ROLE_PATIENT) {
		patient = r->user.id_text;
		doctor = strcmp(to, "desk") == 0 ? NULL : to;
		if (doctor && !is_positive_id(doctor))
			return HTTP_BAD_REQUEST;
	} else {
		/* A doctor writes only with a care relationship (core/care). */
		if (!is_positive_id(to))
			return HTTP_BAD_REQUEST;
		if ((st = care_decide_patient(r, RECORD_CLINICAL, strtoll(to, NULL, 10))) != 0)
			return st;
		patient = to;
		doctor = r->user.doctor_id_text;
	}
	if ((st = create(r, patient, doctor, &f, &id)) != 0)
		return st;
	if (id == NULL) {
		form_error(r, "to", "chat.new.not_allowed");
		return new_form(r);
	}
	return page_redirect(r, arena_printf(r->arena, "/messages/%s", id));
}

#define THREAD "/messages/([1-9][0-9]{0,17})"
#define PEOPLE (ROLE_PATIENT | ROLE_DOCTOR | ROLE_RECEPTION)

const struct route chat_routes[] = {
	/* name              method       pattern                      handler                  roles        csrf pre_mfa capability record */
	{ "chat_list",       METHOD_GET,  "/messages",                 thread_list,             PEOPLE,      0, 0, NULL, RECORD_NONE },
	{ "chat_new",        METHOD_GET,  "/messages/new",             new_form,                ROLE_PATIENT | ROLE_DOCTOR, 0, 0, NULL, RECORD_NONE },
	{ "chat_new_post",   METHOD_POST, "/messages/new",             new_post,                ROLE_PATIENT | ROLE_DOCTOR, 1, 0, NULL, RECORD_NONE },
	{ "chat_away",       METHOD_GET,  "/messages/away",            chat_away_form,          ROLE_DOCTOR, 0, 0, NULL, RECORD_NONE },
	{ "chat_away_post",  METHOD_POST, "/messages/away",            chat_away_post,          ROLE_DOCTOR, 1, 0, NULL, RECORD_NONE },
	{ "chat_thread",     METHOD_GET,  THREAD,                      chat_thread_get,         PEOPLE,      0, 0, NULL, RECORD_NONE },
	{ "chat_reply",      METHOD_POST, THREAD,                      chat_reply,              PEOPLE,      1, 0, NULL, RECORD_NONE },
	{ "chat_poll",       METHOD_GET,  THREAD "/poll",              chat_poll,               PEOPLE,      0, 0, NULL, RECORD_NONE },
	{ "chat_file",       METHOD_GET,  THREAD "/files/([0-9]{1,18})", chat_file_get,         PEOPLE,      0, 0, NULL, RECORD_NONE },
	{ "chat_file_copy",  METHOD_POST, THREAD "/files/([0-9]{1,18})/copy", chat_file_copy,   ROLE_DOCTOR, 1, 0, NULL, RECORD_NONE },
	{ "chat_needs_reply", METHOD_POST, THREAD "/needs-reply",      chat_toggle_needs_reply, ROLE_DOCTOR, 1, 0, NULL, RECORD_NONE },
	{ "chat_close",      METHOD_POST, THREAD "/close",             chat_toggle_close,       ROLE_DOCTOR, 1, 0, NULL, RECORD_NONE },
	{ "chat_copy",       METHOD_POST, THREAD "/copy",              chat_copy,               ROLE_DOCTOR, 1, 0, NULL, RECORD_NONE },
};
const size_t chat_routes_n = sizeof(chat_routes) / sizeof(chat_routes[0]);
