/* test_mailmsg_ics: multipart/mixed messages with an invite.ics
 * (text/calendar, base64) attachment (part of test_mailmsg, see
 * mailmsg_test.h): the parts and their headers, the calendar intact
 * through base64, refused attachments; and every mail template of the
 * language files built, with and without an attachment. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/view.h"
#include "notifier/mailmsg.h"
#include "mailmsg_test.h"
#include "../check_util.h"

/* An iCalendar text long enough for several base64 lines, with UTF-8. */
static const char std_ics[] =
	"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//MedSysPro//Appointments 1.0//ES\r\n"
	"METHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:3f1c2d4e-0000-4000-8000-000000000001\r\n"
	"SEQUENCE:2\r\nDTSTAMP:20261128T060000Z\r\nDTSTART:20261201T093000Z\r\n"
	"DTEND:20261201T100000Z\r\nSUMMARY:Cita con Dra. Núñez\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

/* The text between "\r\n\r\n" after from and the next "\r\n--" + boundary. */
static char *
part_body(const char *from, size_t *n)
{
	const char *b = strstr(from, "\r\n\r\n"), *e;

	ck_assert_ptr_nonnull(b);
	b += 4;
	e = strstr(b, "\r\n--" MAILMSG_BOUNDARY);
	ck_assert_ptr_nonnull(e);
	*n = (size_t)(e - b);
	return strndup(b, *n);
}

START_TEST(test_ics_attachment)
{
	struct mailmsg m = mt_std_message();
	char *msg, *text, *b64, *body, *ics;
	const char *p, *cal;
	size_t len, n, icslen;

	m.body = "Hola, {name}:\n\nSu cita =_medsys.part está confirmada.\n";
	m.ics = std_ics;
	m.ics_method = "REQUEST";
	msg = mt_build_ok(&m, &len);
	/* top level: multipart/mixed, no text/plain header of its own */
	p = mt_body_of(msg);
	ck_assert_msg(strstr(msg, "\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\""
	                          MAILMSG_BOUNDARY "\"\r\n") != NULL, "%s", msg);
	ck_assert_ptr_nonnull(strstr(msg, "\r\nAuto-Submitted: auto-generated\r\n"));
	ck_assert_ptr_null(strstr(msg, "Content-Transfer-Encoding: quoted-printable\r\nAuto-Submitted"));
	/* two parts and the close delimiter, the boundary nowhere else (the
	 * '=' of the body's text is encoded) */
	ck_assert_uint_eq((size_t)str_count(msg, MAILMSG_BOUNDARY), 4);   /* header + 2 + close */
	ck_assert_uint_eq((size_t)str_count(p, "\r\n--" MAILMSG_BOUNDARY "\r\n"), 2);
	ck_assert_msg(len > 20 && strcmp(msg + len - strlen("\r\n--" MAILMSG_BOUNDARY "--\r\n"),
	                                 "\r\n--" MAILMSG_BOUNDARY "--\r\n") == 0, "no close delimiter");
	/* part 1: the text, quoted-printable */
	p = strstr(p, "--" MAILMSG_BOUNDARY "\r\n");
	ck_assert_ptr_nonnull(p);
	ck_assert_msg(strncmp(p, "--" MAILMSG_BOUNDARY "\r\nContent-Type: text/plain; charset=utf-8\r\n"
	                         "Content-Transfer-Encoding: quoted-printable\r\n\r\n",
	                      strlen("--" MAILMSG_BOUNDARY "\r\n") + 80) == 0, "%s", p);
	text = part_body(p, &n);
	body = mt_qp_decode(text, n);
	ck_assert_ptr_nonnull(body);
	ck_assert_str_eq(body, "Hola, María José:\n\nSu cita =_medsys.part está confirmada.\n");
	/* part 2: the calendar, base64, lines of at most 76 */
	cal = strstr(p + 3, "--" MAILMSG_BOUNDARY "\r\n");
	ck_assert_ptr_nonnull(cal);
	ck_assert_msg(strncmp(cal, "--" MAILMSG_BOUNDARY "\r\n"
	                           "Content-Type: text/calendar; charset=utf-8; method=REQUEST;\r\n name=\"invite.ics\"\r\n"
	                           "Content-Transfer-Encoding: base64\r\n"
	                           "Content-Disposition: attachment; filename=\"invite.ics\"\r\n\r\n",
	                      strlen("--" MAILMSG_BOUNDARY "\r\n") + 160) == 0, "%s", cal);
	b64 = part_body(cal, &n);
	for (const char *l = b64; *l;) {
		size_t ll = strcspn(l, "\r");
		ck_assert_uint_le(ll, 76);
		l += ll;
		if (*l)
			l += 2;
	}
	ics = calloc(1, n + 1);
	icslen = 0;
	for (const char *l = b64; *l;) {
		size_t ll = strcspn(l, "\r");
		icslen += mt_b64_decode(l, ll, ics + icslen);
		l += ll;
		if (*l)
			l += 2;
	}
	ics[icslen] = '\0';
	ck_assert_str_eq(ics, std_ics);
	free(ics);
	free(b64);
	free(body);
	free(text);
	free(msg);

	/* CANCEL in the part's Content-Type */
	m.ics_method = "CANCEL";
	msg = mt_build_ok(&m, &len);
	ck_assert_ptr_nonnull(strstr(msg, "Content-Type: text/calendar; charset=utf-8; method=CANCEL;\r\n"
	                                  " name=\"invite.ics\"\r\n"));
	free(msg);
}
END_TEST

START_TEST(test_ics_attachment_refused)
{
	struct mailmsg m = mt_std_message();
	char *out;
	size_t len;

	m.ics = std_ics;
	m.ics_method = NULL;
	ck_assert_int_eq(mailmsg_build(&m, &out, &len), MAILMSG_BAD_INPUT);
	m.ics_method = "REQUEST\r\nBcc: x@y.z";
	ck_assert_int_eq(mailmsg_build(&m, &out, &len), MAILMSG_BAD_INPUT);
	m.ics_method = "request";
	ck_assert_int_eq(mailmsg_build(&m, &out, &len), MAILMSG_BAD_INPUT);
	m.ics = "";
	m.ics_method = "REQUEST";
	ck_assert_int_eq(mailmsg_build(&m, &out, &len), MAILMSG_BAD_INPUT);
	/* no ics: the plain text/plain message, whatever ics_method says */
	m.ics = NULL;
	out = mt_build_ok(&m, &len);
	ck_assert_ptr_nonnull(strstr(out, "\r\nContent-Type: text/plain; charset=utf-8\r\n"));
	ck_assert_ptr_null(strstr(out, "multipart"));
	free(out);
}
END_TEST

/* The appointment templates (appointment.notify / .reminder) in both
 * languages build with their parameters {name} {doctor} {when}
 * {location} {mode}, and use no other placeholder; the helper strings
 * exist too. */
START_TEST(test_appointment_templates_build)
{
	static const char *const templates[] = {
		"appointment_booked", "appointment_moved", "appointment_cancelled", "appointment_reminder",
	};
	static const char *const langs[] = { "es", "en" };
	static const char *const helpers[] = {
		"mail.appointment_modes.in_person", "mail.appointment_modes.video",
		"mail.appointment_modes.no_location", "mail.appointment_modes.summary",
	};
	static const struct mailmsg_param params[] = {
		{ "name", "María José" }, { "doctor", "Dra. Test Uno" }, { "when", "2026-12-01 10:30" },
		{ "location", "Consulta 3" }, { "mode", "Presencial" },
	};
	const char *src = getenv("MEDSYS_SRCDIR");
	char dir[1024], err[512];

	snprintf(dir, sizeof(dir), "%s/templates", src ? src : ".");
	ck_assert_msg(view_init(dir, err, sizeof(err)) == 0, "%s", err);
	for (size_t l = 0; l < 2; l++) {
		for (size_t h = 0; h < sizeof(helpers) / sizeof(helpers[0]); h++)
			ck_assert_msg(*view_string(langs[l], helpers[h]), "%s: %s missing", langs[l], helpers[h]);
		for (size_t t = 0; t < sizeof(templates) / sizeof(templates[0]); t++) {
			struct mailmsg m = mt_std_message();
			char *msg, *text;
			size_t n;
			m.params = params;
			m.nparams = 5;
			m.ics = std_ics;
			m.ics_method = "REQUEST";
			mt_use_template(&m, langs[l], templates[t]);
			msg = mt_build_ok(&m, NULL);
			text = part_body(strstr(mt_body_of(msg), "--" MAILMSG_BOUNDARY), &n);
			{
				char *body = mt_qp_decode(text, n);
				ck_assert_ptr_nonnull(body);
				ck_assert_msg(strstr(body, "María José") && strstr(body, "Dra. Test Uno") &&
				              strstr(body, "2026-12-01 10:30"), "%s %s: %s", langs[l], templates[t], body);
				ck_assert_msg(strchr(body, '{') == NULL, "%s %s: unfilled brace", langs[l], templates[t]);
				free(body);
			}
			free(text);
			free(msg);
		}
	}
	view_shutdown();
}
END_TEST

/* ------------------------------------------------------------ the real strings */

/* Every template of docs/events.md, in both languages, builds with the
 * parameters the contract lists, and uses no other placeholder. */
START_TEST(test_language_templates_build)
{
	static const char *const templates[] = {
		"verify_email", "reset_password", "change_email",
		"password_changed", "account_disabled", "welcome_staff",
	};
	static const char *const langs[] = { "es", "en" };
	const char *src = getenv("MEDSYS_SRCDIR");
	char dir[1024], err[512];

	snprintf(dir, sizeof(dir), "%s/templates", src ? src : ".");
	ck_assert_msg(view_init(dir, err, sizeof(err)) == 0, "%s", err);
	for (size_t l = 0; l < 2; l++) {
		for (size_t t = 0; t < sizeof(templates) / sizeof(templates[0]); t++) {
			struct mailmsg m = mt_std_message();
			char *msg, *body;
			mt_use_template(&m, langs[l], templates[t]);
			msg = mt_build_ok(&m, NULL);
			body = mt_qp_decode(mt_body_of(msg), strlen(mt_body_of(msg)));
			ck_assert_ptr_nonnull(body);
			/* the first three go to an address not proven yet: no typed
			 * text, not even the name (issue 15); the others greet by name */
			if (t < 3)
				ck_assert_msg(strstr(body, "María José") == NULL, "%s %s: the name in a mail to "
				              "an unproven address", langs[l], templates[t]);
			else
				ck_assert_msg(strstr(body, "María José") != NULL, "%s %s: no {name}", langs[l], templates[t]);
			ck_assert_msg(strchr(body, '{') == NULL, "%s %s: unfilled brace", langs[l], templates[t]);
			if (strstr(m.body, "{link}"))
				ck_assert_msg(strstr(body, "30") != NULL, "%s %s: a link without {minutes}",
				              langs[l], templates[t]);
			free(body);
			free(msg);
		}
	}
	view_shutdown();
}
END_TEST

TCase *
mt_attachment_tcase(void)
{
	return tcase_list_add(tcase_create("attachments and templates"), test_ics_attachment,
	                      test_ics_attachment_refused, test_language_templates_build,
	                      test_appointment_templates_build, NULL);
}
