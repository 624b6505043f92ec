/* appointments (notifier): appointment.notify and appointment.reminder.
 * Contract in docs/events.md. Everything is read at send time: a mail
 * describes the appointment as it is now, and a reminder (or a booked /
 * moved mail) whose appointment changed since the event was written is
 * skipped, so a moved or cancelled appointment never gets a stale one. */
#include "appointments.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/db.h"
#include "core/view.h"
#include "lib/ics.h"
#include "mailmsg.h"

/* Columns of notifier_appointment. */
enum {
	C_WHAT, C_SEQ, C_HOURS, C_FOUND, C_UID, C_CUR_SEQ, C_STATUS, C_EMAIL, C_NAME,
	C_LANG, C_DISABLED, C_DOCTOR, C_WHEN, C_START, C_END, C_LOCATION, C_MODE,
	C_FUTURE, C__N
};

int
appt_event_type(const char *type)
{
	return strcmp(type, "appointment.notify") == 0 || strcmp(type, "appointment.reminder") == 0;
}

/* A small non-negative integer written as plain digits; -1 otherwise. */
static long
plain_number(const char *s)
{
	long v = 0;
	size_t n = strlen(s);

	if (n == 0 || n > 9)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

static enum appt_outcome
outcome(struct appt_mail *out, enum appt_outcome o, const char *why)
{
	snprintf(out->why, sizeof(out->why), "%s", why);
	return o;
}

/* The language string "mail.<middle>.<last>", or "" when missing. */
static const char *
lang_string(const char *lang, const char *middle, const char *last)
{
	char key[128];

	if ((size_t)snprintf(key, sizeof(key), "mail.%s.%s", middle, last) >= sizeof(key))
		return "";
	return view_string(lang, key);
}

/* Build the message: body from mail.<template>, attachment from ics. */
static enum appt_outcome
build(struct db_result *res, const char *template_name, const char *method, long sequence,
      const char *message_id, const struct config *cfg, struct appt_mail *out)
{
	const char *lang = db_value(res, 0, C_LANG), *mode_key = db_value(res, 0, C_MODE);
	const char *mode, *location, *summary_tpl;
	char from_addr[256], when[128], *summary = NULL, *ics = NULL;
	struct mailmsg_param params[5];
	struct ics_event ev;
	struct mailmsg m;
	enum mailmsg_status ms;

	if (strcmp(lang, "es") != 0 && strcmp(lang, "en") != 0)
		lang = cfg->default_language;
	memset(&m, 0, sizeof(m));
	m.subject = lang_string(lang, template_name, "subject");
	m.body = lang_string(lang, template_name, "body");
	mode = lang_string(lang, "appointment_modes", mode_key);
	summary_tpl = view_string(lang, "mail.appointment_modes.summary");
	/* Strings missing: code newer than the installed language files. */
	if (*m.subject == '\0' || *m.body == '\0' || *mode == '\0' || *summary_tpl == '\0')
		return outcome(out, APPT_RETRY, "unknown mail template");
	location = db_value(res, 0, C_LOCATION);
	if (*location == '\0')
		location = view_string(lang, "mail.appointment_modes.no_location");

	params[0] = (struct mailmsg_param){ "name", db_value(res, 0, C_NAME) };
	params[1] = (struct mailmsg_param){ "doctor", db_value(res, 0, C_DOCTOR) };
	view_when(lang, db_value(res, 0, C_WHEN), when, sizeof(when));
	params[2] = (struct mailmsg_param){ "when", when };
	params[3] = (struct mailmsg_param){ "location", location };
	params[4] = (struct mailmsg_param){ "mode", mode };

	if (mailmsg_from_address(cfg->mail_from, from_addr, sizeof(from_addr)) != MAILMSG_OK)
		return outcome(out, APPT_DEAD, "mail_from is not a valid address");
	if ((ms = mailmsg_fill(summary_tpl, params, 5, cfg->base_url, 1, &summary)) != MAILMSG_OK)
		return outcome(out, ms == MAILMSG_NOMEM ? APPT_RETRY : APPT_DEAD, mailmsg_status_text(ms));

	memset(&ev, 0, sizeof(ev));
	ev.uid = db_value(res, 0, C_UID);
	ev.sequence = (int)sequence;
	ev.dtstart = (time_t)atoll(db_value(res, 0, C_START));
	ev.dtend = (time_t)atoll(db_value(res, 0, C_END));
	ev.summary = summary;
	ev.location = *db_value(res, 0, C_LOCATION) ? db_value(res, 0, C_LOCATION) : NULL;
	ev.status = strcmp(method, "CANCEL") == 0 ? "CANCELLED" : "CONFIRMED";
	ev.organizer_email = from_addr;
	ev.organizer_name = db_value(res, 0, C_DOCTOR);
	ev.attendee_email = db_value(res, 0, C_EMAIL);
	ev.attendee_name = db_value(res, 0, C_NAME);
	ics = ics_calendar(&ev, 1, method);
	free(summary);
	if (ics == NULL)
		return outcome(out, APPT_DEAD, "cannot build the calendar attachment");

	m.from = cfg->mail_from;
	m.to = out->to;
	m.params = params;
	m.nparams = 5;
	m.base_url = cfg->base_url;
	m.date = (long long)time(NULL);
	m.message_id = message_id;
	m.ics = ics;
	m.ics_method = method;
	ms = mailmsg_build(&m, &out->msg, &out->len);
	free(ics);
	if (ms == MAILMSG_NOMEM)
		return outcome(out, APPT_RETRY, mailmsg_status_text(ms));
	if (ms != MAILMSG_OK)
		return outcome(out, APPT_DEAD, mailmsg_status_text(ms));
	return APPT_SEND;
}

/* The decision for a loaded row (res has the columns of
 * notifier_appointment); builds the mail when one is due. */
static enum appt_outcome
decide(struct db_result *res, int reminder, const char *message_id, const struct config *cfg,
       struct appt_mail *out)
{
	const char *what = db_value(res, 0, C_WHAT), *status, *tpl, *method;
	long seq = plain_number(db_value(res, 0, C_SEQ)), cur;

	if (seq < 0)
		return outcome(out, APPT_DEAD, "invalid appointment payload");
	if (reminder) {
		if (plain_number(db_value(res, 0, C_HOURS)) < 0)
			return outcome(out, APPT_DEAD, "invalid appointment payload");
		tpl = "appointment_reminder";
		method = "REQUEST";
	} else if (strcmp(what, "booked") == 0 || strcmp(what, "moved") == 0) {
		tpl = strcmp(what, "booked") == 0 ? "appointment_booked" : "appointment_moved";
		method = "REQUEST";
	} else if (strcmp(what, "cancelled") == 0) {
		tpl = "appointment_cancelled";
		method = "CANCEL";
	} else {
		return outcome(out, APPT_DEAD, "invalid appointment payload");
	}
	if (strcmp(db_value(res, 0, C_FOUND), "t") != 0)
		return outcome(out, APPT_DEAD, "no such appointment");

	status = db_value(res, 0, C_STATUS);
	cur = plain_number(db_value(res, 0, C_CUR_SEQ));
	if (strcmp(method, "CANCEL") == 0) {
		if (strcmp(status, "cancelled") != 0)
			return outcome(out, APPT_SKIP, "skipped: appointment not cancelled");
	} else {
		/* Only the appointment as the event knew it: a later change
		 * (move, cancel) has its own event, and a reminder of an
		 * appointment that moved or was cancelled is never sent. */
		if (strcmp(status, "booked") != 0)
			return outcome(out, APPT_SKIP, "skipped: appointment no longer booked");
		if (cur != seq)
			return outcome(out, APPT_SKIP, "skipped: appointment changed since");
		if (reminder && strcmp(db_value(res, 0, C_FUTURE), "t") != 0)
			return outcome(out, APPT_SKIP, "skipped: appointment already started");
	}
	if (strcmp(db_value(res, 0, C_DISABLED), "t") == 0)
		return outcome(out, APPT_SKIP, "skipped: patient account disabled");
	if ((size_t)snprintf(out->to, sizeof(out->to), "%s", db_value(res, 0, C_EMAIL)) >=
	        sizeof(out->to) ||
	    !mailmsg_addr_valid(out->to))
		return outcome(out, APPT_DEAD, mailmsg_status_text(MAILMSG_BAD_ADDRESS));
	return build(res, tpl, method, seq, message_id, cfg, out);
}

enum appt_outcome
appt_prepare(const char *event_id, const char *type, const char *message_id,
             const struct config *cfg, struct appt_mail *out)
{
	struct db_result *res = NULL;
	const char *p[2] = { event_id, cfg->clinic_timezone };
	enum db_status st;
	enum appt_outcome o;

	memset(out, 0, sizeof(*out));
	st = db_query(&res, "notifier_appointment", 2, p);
	if (st == DB_UNAVAILABLE) {
		db_result_free(res);
		return APPT_DB_GONE;
	}
	if (st != DB_OK) {
		db_result_free(res);
		return outcome(out, APPT_RETRY, "cannot read the appointment");
	}
	if (db_rows(res) != 1) {
		db_result_free(res);
		return outcome(out, APPT_DEAD, "event not found");
	}
	o = decide(res, strcmp(type, "appointment.reminder") == 0, message_id, cfg, out);
	db_result_free(res);
	if (o != APPT_SEND) {
		free(out->msg);
		out->msg = NULL;
		out->len = 0;
	}
	return o;
}
