/* thread: one conversation (docs/chat.md): loading and authorizing it,
 * the page with every message and "seen" marks (each read audited and
 * marking the thread read), the reply form, and the doctor's "needs
 * reply" and close switches. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/chat/chat.h"
#include "pages/chat/files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/pollwatch.h"
#include "core/request.h"
#include "core/status.h"
#include "core/validate.h"
#include "core/view.h"
#include "lib/textlinks.h"

/* Columns of chat_thread. */
enum { CT_ID, CT_PATIENT, CT_DOCTOR_USER, CT_SUBJECT, CT_NEEDS_REPLY, CT_CLOSED,
       CT_VERSION, CT_PATIENT_NAME, CT_DOCTOR_NAME, CT_MEMBER, CT_LAST };

static const char *
tz(const struct req *r)
{
	return r->cfg->clinic_timezone[0] ? r->cfg->clinic_timezone : "UTC";
}

/* A thread the user does not take part in: 404, like an id that is none,
 * with the refusal on the trail (about the thread's patient). */
static int
not_member(struct req *r, long long patient)
{
	audit_log(r, patient, "record.denied",
	          arena_printf(r->arena, "%s status=404", r->match.route->name));
	return HTTP_NOT_FOUND;
}

static void
fill(struct req *r, struct chat_thread *t, struct db_result *res)
{
	t->patient = atoll(db_value(res, 0, CT_PATIENT));
	t->doctor_user = atoll(db_value(res, 0, CT_DOCTOR_USER));
	t->subject = arena_strdup(r->arena, db_value(res, 0, CT_SUBJECT));
	t->needs_reply = db_value(res, 0, CT_NEEDS_REPLY)[0] == 't';
	t->closed = db_value(res, 0, CT_CLOSED)[0] == 't';
	t->version = arena_strdup(r->arena, db_value(res, 0, CT_VERSION));
	t->patient_name = arena_strdup(r->arena, db_value(res, 0, CT_PATIENT_NAME));
	t->doctor_name = arena_strdup(r->arena, db_value(res, 0, CT_DOCTOR_NAME));
	t->last_message = arena_strdup(r->arena, db_value(res, 0, CT_LAST));
}

int
chat_thread_load(struct req *r, struct chat_thread *t)
{
	const char *p[2] = { r->match.args[0], r->user.id_text };
	struct db_result *res = NULL;
	enum db_status st;
	int member;

	memset(t, 0, sizeof(*t));
	t->id = r->match.args[0];
	if ((st = db_query(&res, "chat_thread", 2, p)) != DB_OK)
		return db_http_status(st);
	if (db_rows(res) != 1) {
		db_result_free(res);
		return care_decide_patient(r, RECORD_CLINICAL, 0);
	}
	fill(r, t, res);
	member = db_value(res, 0, CT_MEMBER)[0] == 't';
	db_result_free(res);
	if (!member)
		return not_member(r, t->patient);
	/* Reception answers for the front desk: demographics access. */
	return care_decide_patient(r, t->doctor_user == 0 && t->patient != r->user.id
	                              ? RECORD_DEMOGRAPHICS : RECORD_CLINICAL, t->patient);
}

int
chat_is_doctor(const struct req *r, const struct chat_thread *t)
{
	return t->doctor_user != 0 && t->doctor_user == r->user.id;
}

int
chat_audit_add(struct req *r, struct db_batch *b, const struct chat_thread *t)
{
	const char *what = arena_printf(r->arena, "chat_thread:%s", t->id);

	if (what == NULL ||
	    audit_read_add(r, b, &t->patient, 1, "record.chat_thread", care_audit_object(r, what)) == -1)
		return -1;
	return 0;
}

int
chat_read_add(struct req *r, struct db_batch *b, const struct chat_thread *t, int *vq)
{
	const char **p = arena_alloc(r->arena, 2 * sizeof(*p));
	int q;

	if (p == NULL)
		return -1;
	p[0] = t->id;
	p[1] = r->user.id_text;
	if ((q = db_batch_add(b, "chat_mark_read", 2, p)) < 0 || (*vq = db_batch_add(b, "chat_version", 1, p)) < 0)
		return -1;
	return q;
}

int
chat_messages_add(struct req *r, struct db_batch *b, const struct chat_thread *t,
                  const char *after)
{
	const char **p = arena_alloc(r->arena, 4 * sizeof(*p));

	if (p == NULL)
		return -1;
	p[0] = t->id;
	p[1] = after;
	p[2] = tz(r);
	p[3] = r->user.id_text;
	return db_batch_add(b, "chat_messages", 4, p);
}

/* Message i's body as Data.messages.i.parts.K.text (link: "1" for a web
 * address, which the template makes a rel="noopener nofollow" link; all
 * of it escaped). */
static void
show_parts(struct req *r, size_t i, const char *body)
{
	struct textlinks_part parts[64];
	size_t n = textlinks_split(body, parts, sizeof(parts) / sizeof(parts[0]));

	for (size_t k = 0; k < n; k++) {
		struct view_row *row = view_row(r->view, "Data.messages.%zu.parts.%zu", i, k);
		view_row_set(row, "text", arena_strndup(r->arena, body + parts[k].start, parts[k].len));
		if (parts[k].link)
			view_row_set(row, "link", "1");
	}
}

void
chat_show_rows(struct req *r, struct db_result *res, const char *list,
               const struct chat_col *cols, size_t ncols)
{
	for (size_t i = 0; i < db_rows(res); i++) {
		struct view_row *row = view_row(r->view, "Data.%s.%zu", list, i);
		for (size_t c = 0; c < ncols; c++) {
			const char *v = db_value(res, i, (int)c);
			if (cols[c].name == NULL || (cols[c].flag && v[0] != 't'))
				continue;
			view_row_set(row, cols[c].name, cols[c].flag ? "1" : v);
		}
	}
}

void
chat_messages_show(struct req *r, struct db_result *res)
{
	static const struct chat_col cols[] = {
		[CM_ID] = { "id", 0 }, [CM_AUTHOR] = { "author", 0 }, [CM_AT] = { "at", 0 },
		[CM_BODY] = { "body", 0 }, [CM_AUTO] = { "auto", 1 }, [CM_MINE] = { "mine", 1 },
		[CM_SEEN] = { "seen", 1 }, [CM_NEW] = { "new", 1 },
	};
	long long fresh = 0;

	chat_show_rows(r, res, "messages", cols, sizeof(cols) / sizeof(cols[0]));
	for (size_t i = 0; i < db_rows(res); i++)
		show_parts(r, i, db_value(res, i, CM_BODY));
	/* The header was counted with the session, before this read. */
	for (size_t i = 0; i < db_rows(res); i++)
		fresh += db_value(res, i, CM_NEW)[0] == 't';
	if (fresh > 0 && r->user.unread_messages >= fresh) {
		r->user.unread_messages -= fresh;
		view_set_int(r->view, r->user.unread_messages, "Page.user.unread_messages");
	}
}

/* Data.thread.* for the templates. */
static void
show_head(struct req *r, const struct chat_thread *t)
{
	view_set(r->view, t->id, "Data.thread.id");
	view_set(r->view, t->subject, "Data.thread.subject");
	view_set(r->view, t->version, "Data.thread.version");
	view_set(r->view, t->patient_name, "Data.thread.patient");
	view_set(r->view, t->doctor_name, "Data.thread.doctor");
	if (t->doctor_user == 0)
		view_set(r->view, "1", "Data.thread.desk");
	if (t->needs_reply)
		view_set(r->view, "1", "Data.thread.needs_reply");
	if (t->closed)
		view_set(r->view, "1", "Data.thread.closed");
	if (chat_is_doctor(r, t))
		view_set(r->view, "1", "Data.thread.doctor_view");
	/* The link nginx answers while nothing changes (docs/chat.md "Polling"). */
	view_set(r->view, pollwatch_url(r, "chat", t->id), "Data.thread.watch");
}

int
chat_thread_show(struct req *r, struct chat_thread *t, int status)
{
	struct db_batch b = { 0 };
	enum db_status st;
	int q, fq, n, vq;

	if (chat_audit_add(r, &b, t) == -1 || (q = chat_messages_add(r, &b, t, "0")) < 0 ||
	    (fq = chat_files_add(r, &b, t, "0")) < 0 || (n = chat_read_add(r, &b, t, &vq)) < 0)
		return HTTP_INTERNAL_ERROR;
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	if (db_rows(b.res[vq]) == 1)
		t->version = arena_strdup(r->arena, db_value(b.res[vq], 0, 0));
	chat_messages_show(r, b.res[q]);
	chat_files_show(r, b.res[q], b.res[fq]);
	/* The notices this read settled leave the header's count too. */
	if (db_rows(b.res[n]) > 0 && r->user.unread_notices >= (long long)db_rows(b.res[n])) {
		r->user.unread_notices -= (long long)db_rows(b.res[n]);
		view_set_int(r->view, r->user.unread_notices, "Page.user.unread");
	}
	view_set(r->view, db_rows(b.res[q]) ? db_value(b.res[q], db_rows(b.res[q]) - 1, CM_ID) : "0",
	         "Data.thread.last");
	show_head(r, t);
	view_set_int(r->view, r->cfg->chat_attachment_max_bytes / (1024 * 1024), "Data.max_mb");
	view_set(r->view, t->subject, "Page.title");
	r->resp.template = "chat/thread.cs";
	return status;
}

int
chat_thread_get(struct req *r)
{
	struct chat_thread t;
	int st = chat_thread_load(r, &t);

	return st ? st : chat_thread_show(r, &t, HTTP_OK);
}

static const struct field_rule reply_rules[] = {
	{ "body", FIELD_MULTILINE, 1, 1, CHAT_BODY_MAX, NULL },
};
/* With an attachment the text may be empty (docs/chat.md "Attachments"). */
static const struct field_rule reply_rules_file[] = {
	{ "body", FIELD_MULTILINE, 0, 0, CHAT_BODY_MAX, NULL },
};

/* The attachment's file made durable, the message and its attachment
 * row, the out-of-office answer, the doctor's "needs reply" cleared,
 * notices and the batched mail: one transaction. */
static int
post(struct req *r, const struct chat_thread *t, const char *body, struct chat_file *f)
{
	const char *p[3] = { t->id, r->user.id_text, body ? body : "" };
	enum db_status st;
	int s;

	if (db_begin() != DB_OK)
		return HTTP_UNAVAILABLE;
	if ((s = chat_file_store(r, f)) != 0)
		return s;
	if ((st = db_run("chat_post", 3, p)) != DB_OK || (st = chat_file_attach(r, f)) != DB_OK ||
	    (st = db_run("chat_answered", 2, p)) != DB_OK ||
	    (st = db_run("chat_auto_reply", 2, p)) != DB_OK)
		return chat_file_fail(r, f, page_tx_fail(st));
	if (chat_notify(r, t->id) == -1)
		return chat_file_fail(r, f, page_tx_fail(DB_ERROR));
	if (db_commit() != DB_OK)
		return chat_file_fail(r, f, page_tx_fail(DB_ERROR));
	return page_redirect(r, arena_printf(r->arena, "/messages/%s#latest", t->id));
}

int
chat_reply(struct req *r)
{
	struct chat_thread t;
	struct chat_file f;
	int st = chat_thread_load(r, &t), fst;

	if (st != 0)
		return st;
	/* A refused file: the form again with the text typed (413/415/400). */
	fst = chat_file_take(r, &f);
	if (form_validate(r, f.present ? reply_rules_file : reply_rules, 1) > 0 || fst != 0)
		return chat_thread_show(r, &t, fst ? fst : HTTP_OK);
	if (t.closed) {
		/* Kept: the text typed, with why it was not sent. */
		form_error(r, "body", "chat.thread.closed_text");
		return chat_thread_show(r, &t, HTTP_CONFLICT);
	}
	return post(r, &t, form_value(r, "body"), &f);
}

/* A doctor's switch on their own thread: run statement, back to it. */
static int
toggle(struct req *r, const char *statement)
{
	struct chat_thread t;
	const char *p[2];
	enum db_status st;
	int s = chat_thread_load(r, &t);

	if (s != 0)
		return s;
	if (!chat_is_doctor(r, &t))
		return not_member(r, t.patient);
	p[0] = t.id;
	p[1] = r->user.id_text;
	if ((st = db_run(statement, 2, p)) != DB_OK)
		return db_http_status(st);
	return page_redirect(r, arena_printf(r->arena, "/messages/%s", t.id));
}

int
chat_toggle_needs_reply(struct req *r)
{
	return toggle(r, "chat_needs_reply");
}

int
chat_toggle_close(struct req *r)
{
	return toggle(r, "chat_close");
}
