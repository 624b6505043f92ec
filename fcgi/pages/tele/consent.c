/* consent: each participant's one answer to "may this consultation be
 * transcribed?", the room a transcript page is about, and the route table
 * of the transcript's pages (docs/tele.md "Transcript"). */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/tele/tele.h"
#include "pages/tele/transcript.h"

#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/care.h"
#include "core/request.h"
#include "core/status.h"
#include "core/validate.h"
#include "core/view.h"

enum { TC_ANSWER, TC_RECORDING, TC_OPEN, TC_ENCOUNTER };

/* The consent row of room for the caller (tt_consent); NULL when the
 * statement failed (*st says how). */
static struct db_result *
consent_row(struct req *r, const char *room, enum db_status *st)
{
	const char *p[2] = { room, r->user.id_text };
	struct db_result *res = NULL;

	if ((*st = db_query(&res, "tt_consent", 2, p)) != DB_OK)
		return NULL;
	if (db_rows(res) != 1) {
		*st = DB_ERROR;
		return NULL;
	}
	return res;
}

int
tt_room_load(struct req *r, struct tt_room *t)
{
	struct tele_room room;
	struct db_result *res;
	enum db_status st;
	int rc;

	memset(t, 0, sizeof(*t));
	/* The room's own loader decides who may be here (docs/tele.md "Who"). */
	if ((rc = tele_room_load(r, &room)) != 0)
		return rc;
	if (*room.room == '\0')         /* nobody has entered: nothing to consent to */
		return HTTP_NOT_FOUND;
	t->appointment = room.appt;
	t->id = room.room;
	t->patient = room.patient;
	t->is_doctor = room.is_doctor;
	if ((res = consent_row(r, t->id, &st)) == NULL)
		return db_http_status(st);
	t->answered = !db_is_null(res, 0, TC_ANSWER);
	t->consented = db_value(res, 0, TC_ANSWER)[0] == 't';
	t->recording = db_value(res, 0, TC_RECORDING)[0] == 't';
	t->open = db_value(res, 0, TC_OPEN)[0] == 't';
	if (!db_is_null(res, 0, TC_ENCOUNTER))
		t->encounter = arena_strdup(r->arena, db_value(res, 0, TC_ENCOUNTER));
	db_result_free(res);
	return 0;
}

int
tele_consent_state(struct req *r, const char *room, int *record)
{
	struct db_result *res;
	enum db_status st;
	int ask;

	*record = 0;
	if ((res = consent_row(r, room, &st)) == NULL)
		return -1;
	ask = db_is_null(res, 0, TC_ANSWER);
	*record = db_value(res, 0, TC_RECORDING)[0] == 't';
	db_result_free(res);
	return ask;
}

static const char *
call_path(struct req *r, const struct tt_room *t)
{
	return arena_printf(r->arena, "/appointments/%s/call", t->appointment);
}

/* The question, or the answer already given (it is asked once). */
int
tt_consent_form(struct req *r)
{
	struct tt_room t;
	int st;

	if ((st = tt_room_load(r, &t)) != 0)
		return st;
	view_set(r->view, t.appointment, "Data.appointment");
	view_set(r->view, call_path(r, &t), "Data.call");
	if (t.answered)
		view_set(r->view, t.consented ? "yes" : "no", "Data.answer");
	if (t.recording)
		view_set(r->view, "1", "Data.recording");
	return page_show(r, "tele.consent.title", "tele/consent.cs", HTTP_OK);
}

static const char *const answers[] = { "yes", "no", NULL };
static const struct field_rule consent_rules[] = {
	{ "transcribe", FIELD_CHOICE, 1, 0, 0, answers },
};

/* Record the answer (audited, in one transaction) and go to the call. A
 * second answer changes nothing: the first one stands. */
int
tt_consent_post(struct req *r)
{
	struct db_result *res = NULL;
	const char *yes, *p[3];
	struct tt_room t;
	enum db_status st;
	int st_room;

	if ((st_room = tt_room_load(r, &t)) != 0)
		return st_room;
	if (form_validate(r, consent_rules, 1) != 0)
		return tt_consent_form(r);
	yes = strcmp(form_value(r, "transcribe"), "yes") == 0 ? "true" : "false";
	p[0] = t.id;
	p[1] = r->user.id_text;
	p[2] = yes;
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((st = db_query(&res, "tt_consent_add", 3, p)) != DB_OK)
		return page_tx_fail(st);
	if (db_rows(res) == 1 &&
	    audit_log(r, t.patient, "tele.consent",
	              arena_printf(r->arena, "room:%s transcribe:%s", t.id, yes[0] == 't' ? "yes" : "no")) != 0)
		return page_tx_fail(DB_ERROR);
	if ((st = db_commit()) != DB_OK)
		return page_tx_fail(st);
	return page_redirect(r, call_path(r, &t));
}

/* ------------------------------------------------------------ routes */

#define APPT "/appointments/([0-9]{1,18})"
#define WHO (ROLE_PATIENT | ROLE_DOCTOR)

const struct route tele_transcript_routes[] = {
	/* name                method       pattern                 handler             roles csrf pre_mfa capability record */
	{ "tele_consent",      METHOD_GET,  APPT "/call/consent",  tt_consent_form,    WHO,  0, 0, NULL, RECORD_NONE },
	{ "tele_consent_post", METHOD_POST, APPT "/call/consent",  tt_consent_post,    WHO,  1, 0, NULL, RECORD_NONE },
	{ "tele_audio",        METHOD_POST, APPT "/call/audio",    tt_audio_post,      WHO,  1, 0, NULL, RECORD_NONE },
	{ "tele_transcript",   METHOD_GET,  APPT "/transcript",    tt_transcript_page, WHO,  0, 0, NULL, RECORD_NONE },
	{ "tele_transcript_post", METHOD_POST, APPT "/transcript", tt_transcript_post, ROLE_DOCTOR, 1, 0, NULL, RECORD_NONE },
};
const size_t tele_transcript_routes_n = sizeof(tele_transcript_routes) / sizeof(tele_transcript_routes[0]);
