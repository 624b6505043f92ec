/* test_ics: the iCalendar writer: CRLF, 75-octet folding that never
 * splits a UTF-8 sequence, TEXT escaping, REQUEST vs CANCEL, bad input. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ics.h"

/* 2026-03-30 08:00:00 UTC = 10:00 Madrid (CEST) */
#define T0 ((time_t)1774857600)

static struct ics_event
sample(void)
{
	struct ics_event e = { 0 };

	e.uid = "appt-42@medsyspro.test";
	e.sequence = 3;
	e.dtstart = T0;
	e.dtend = T0 + 1800;
	e.dtstamp = T0 - 86400;
	e.summary = "Cita: Dra. Test Uno";
	e.location = "Consulta 2";
	e.status = "CONFIRMED";
	e.organizer_email = "clinic@clinic.test";
	e.organizer_name = "MedSysPro";
	e.attendee_email = "patient1@clinic.test";
	e.attendee_name = "Ana \"P\" López";
	return e;
}

/* Every line ends in CRLF, no bare CR or LF, every physical line <= 75
 * octets, and no line starts in the middle of a UTF-8 sequence. */
static void
check_lines(const char *s)
{
	const char *p = s;

	ck_assert_ptr_nonnull(s);
	while (*p) {
		const char *eol = strstr(p, "\r\n");
		ck_assert_msg(eol != NULL, "line without CRLF: %s", p);
		for (const char *q = p; q < eol; q++)
			ck_assert_msg(*q != '\r' && *q != '\n', "bare CR/LF");
		ck_assert_msg(eol - p <= 75, "line too long (%d): %.*s",
		              (int)(eol - p), (int)(eol - p), p);
		/* a continuation line: space then a non-continuation byte */
		if (*p == ' ')
			ck_assert((((unsigned char)p[1]) & 0xC0) != 0x80);
		else
			ck_assert((((unsigned char)p[0]) & 0xC0) != 0x80);
		p = eol + 2;
	}
}

/* Undo folding: drop CRLF + one space. */
static char *
unfold(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;

	ck_assert_ptr_nonnull(out);
	while (*s) {
		if (s[0] == '\r' && s[1] == '\n' && s[2] == ' ')
			s += 3;
		else
			*o++ = *s++;
	}
	*o = '\0';
	return out;
}

START_TEST(test_basic_request)
{
	struct ics_event e = sample();
	char *s = ics_calendar(&e, 1, "REQUEST");

	check_lines(s);
	ck_assert(strncmp(s, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:", 37) == 0);
	ck_assert_ptr_nonnull(strstr(s, "\r\nMETHOD:REQUEST\r\n"));
	ck_assert_ptr_nonnull(strstr(s, "\r\nUID:appt-42@medsyspro.test\r\n"));
	ck_assert_ptr_nonnull(strstr(s, "\r\nSEQUENCE:3\r\n"));
	ck_assert_ptr_nonnull(strstr(s, "\r\nDTSTART:20260330T080000Z\r\n"));
	ck_assert_ptr_nonnull(strstr(s, "\r\nDTEND:20260330T083000Z\r\n"));
	ck_assert_ptr_nonnull(strstr(s, "\r\nDTSTAMP:20260329T080000Z\r\n"));
	ck_assert_ptr_nonnull(strstr(s, "\r\nSTATUS:CONFIRMED\r\n"));
	ck_assert_ptr_nonnull(strstr(s, "\r\nSUMMARY:Cita: Dra. Test Uno\r\n"));
	/* DQUOTE removed from a quoted parameter value */
	ck_assert_ptr_nonnull(strstr(s, "ATTENDEE;CN=\"Ana P López\""));
	ck_assert_ptr_nonnull(strstr(s, "ORGANIZER;CN=\"MedSysPro\":mailto:clinic@clinic.test\r\n"));
	ck_assert_int_eq(strcmp(s + strlen(s) - 15, "END:VCALENDAR\r\n"), 0);
	free(s);
}
END_TEST

START_TEST(test_cancel_vs_request)
{
	struct ics_event e = sample();
	char *req = ics_calendar(&e, 1, "REQUEST");
	char *can = ics_calendar(&e, 1, "CANCEL");

	check_lines(can);
	ck_assert_ptr_nonnull(strstr(can, "\r\nMETHOD:CANCEL\r\n"));
	ck_assert_ptr_nonnull(strstr(can, "\r\nSTATUS:CANCELLED\r\n"));
	ck_assert_ptr_null(strstr(can, "CONFIRMED"));
	ck_assert_ptr_null(strstr(req, "CANCEL"));
	/* same UID and SEQUENCE in both */
	ck_assert_ptr_nonnull(strstr(can, "\r\nUID:appt-42@medsyspro.test\r\n"));
	ck_assert_ptr_nonnull(strstr(can, "\r\nSEQUENCE:3\r\n"));
	free(req);
	free(can);
}
END_TEST

START_TEST(test_feed_no_method)
{
	struct ics_event ev[2] = { sample(), sample() };
	char *s;

	ev[1].uid = "appt-43@medsyspro.test";
	ev[1].status = NULL;
	s = ics_calendar(ev, 2, NULL);
	check_lines(s);
	ck_assert_ptr_null(strstr(s, "METHOD"));
	ck_assert_ptr_nonnull(strstr(s, "appt-43@"));
	free(s);
	s = ics_calendar(NULL, 0, "PUBLISH");
	check_lines(s);
	ck_assert_ptr_nonnull(strstr(s, "METHOD:PUBLISH\r\n"));
	ck_assert_ptr_null(strstr(s, "VEVENT"));
	free(s);
}
END_TEST

START_TEST(test_escaping)
{
	char *s = ics_escape_text("a\\b;c,d\ne\r\nf\rg\x01h\tI:j");

	ck_assert_str_eq(s, "a\\\\b\\;c\\,d\\ne\\nf\\ng" "h\tI:j");
	free(s);

	struct ics_event e = sample();
	e.summary = "Revisión; control, ver\nnotas \\ fin";
	s = ics_calendar(&e, 1, NULL);
	check_lines(s);
	char *u = unfold(s);
	ck_assert_ptr_nonnull(strstr(u, "\r\nSUMMARY:Revisión\\; control\\, ver\\nnotas \\\\ fin\r\n"));
	free(u);
	free(s);
}
END_TEST

START_TEST(test_fold_ascii)
{
	char line[200];
	char *f, *u;

	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	f = ics_fold(line);
	check_lines(f);
	/* 75 + (1+74) + (1+50) */
	ck_assert(strncmp(f + 75, "\r\n ", 3) == 0);
	ck_assert(strncmp(f + 75 + 2 + 75, "\r\n ", 3) == 0);
	u = unfold(f);
	ck_assert_int_eq(strlen(u), 199 + 2);
	ck_assert(strncmp(u, line, 199) == 0);
	free(u);
	free(f);

	/* exactly 75 octets: not folded */
	line[75] = '\0';
	f = ics_fold(line);
	ck_assert_int_eq(strlen(f), 77);
	free(f);
}
END_TEST

START_TEST(test_fold_utf8)
{
	/* 'é' is 2 octets, '€' 3, '😀' 4: at every offset the cut must not
	 * land inside a sequence, and unfolding restores the bytes. */
	static const char *pieces[] = { "é", "€", "😀" };

	for (size_t k = 0; k < 3; k++)
		for (int pre = 0; pre < 5; pre++) {
			char line[600] = "DESCRIPTION:";
			char *f, *u;

			for (int i = 0; i < pre; i++)
				strcat(line, "a");
			for (int i = 0; i < 100; i++)
				strcat(line, pieces[k]);
			f = ics_fold(line);
			check_lines(f);
			u = unfold(f);
			ck_assert_int_eq(strlen(u), strlen(line) + 2);
			ck_assert(strncmp(u, line, strlen(line)) == 0);
			free(u);
			free(f);
		}

	/* through the calendar too */
	struct ics_event e = sample();
	e.description = "Ñoño señor €€€ 😀😀 — línea larga con acentos: áéíóú "
	                "ÁÉÍÓÚ ñ ü ç €€€€€€€€€€€€€€€€€€€€ 😀😀😀😀😀😀😀😀😀😀😀😀😀";
	char *s = ics_calendar(&e, 1, "REQUEST");
	check_lines(s);
	free(s);
}
END_TEST

START_TEST(test_bad_input)
{
	struct ics_event e = sample();

	ck_assert_ptr_null(ics_calendar(&e, 1, "FOO"));
	e.dtend = e.dtstart;
	ck_assert_ptr_null(ics_calendar(&e, 1, NULL));
	e = sample();
	e.uid = NULL;
	ck_assert_ptr_null(ics_calendar(&e, 1, NULL));
	e = sample();
	e.status = "DONE";
	ck_assert_ptr_null(ics_calendar(&e, 1, NULL));
	e = sample();
	e.attendee_email = "a@b.c\r\nATTENDEE:mailto:x@y";
	ck_assert_ptr_null(ics_calendar(&e, 1, NULL));
	e = sample();
	e.url = "https://x/\nFOO:bar";
	ck_assert_ptr_null(ics_calendar(&e, 1, NULL));
	e = sample();
	e.sequence = -1;
	ck_assert_ptr_null(ics_calendar(&e, 1, NULL));
	ck_assert_ptr_null(ics_calendar(NULL, 1, NULL));
	/* CRLF inside TEXT cannot inject a property */
	e = sample();
	e.summary = "x\r\nATTENDEE:mailto:evil@x";
	char *s = ics_calendar(&e, 1, NULL);
	ck_assert_ptr_null(strstr(s, "\r\nATTENDEE:mailto:evil"));
	free(s);
}
END_TEST

static Suite *
ics_suite(void)
{
	Suite *s = suite_create("ics");
	TCase *tc = tcase_create("ics");

	tcase_add_test(tc, test_basic_request);
	tcase_add_test(tc, test_cancel_vs_request);
	tcase_add_test(tc, test_feed_no_method);
	tcase_add_test(tc, test_escaping);
	tcase_add_test(tc, test_fold_ascii);
	tcase_add_test(tc, test_fold_utf8);
	tcase_add_test(tc, test_bad_input);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(ics_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
