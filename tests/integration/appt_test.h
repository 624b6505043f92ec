/* appt_test: helpers of the appointment integration tests
 * (appt_fixture.c), shared by test_appointments.c and test_appt_rules.c. */
#ifndef MEDSYS_APPT_TEST_H
#define MEDSYS_APPT_TEST_H

struct http_response;
struct it_jar;

#define TZ "Europe/Madrid"
#define DT_LEN 10                 /* "YYYY-MM-DD" */

/* The appointment id of a 303 to /appointments/N (the test fails else). */
long long redirect_id(const struct http_response *r, const char *what);

/* The seed's doctor of a licence ("T-0001"), an account by e-mail. */
long long doctor_id(const char *licence);
long long user_id(const char *email);

/* The k-th offered slot of a doctor starting more than hours ahead, as
 * epoch seconds (offered: booked or not). */
long long slot_at(long long doctor, int hours, int k);

/* 1 when the doctor's slot at epoch is free. */
int is_free(long long doctor, long long epoch);

/* Audit rows of action. */
long long audit_count(const char *action);

/* The Monday n weeks after this week's (clinic time), as YYYY-MM-DD. */
const char *monday(char out[16], int n);

/* The heading of the week of monday (YYYY-MM-DD) in words, as the picker
 * shows it: "Semana del lunes 7 de diciembre". */
const char *week_words(const char *monday_iso);

/* The picker's form of one day (up to its </form>) in page r, malloc'd;
 * NULL when the page offers nothing that day. */
char *day_form(const struct http_response *r, const char *day);

/* 1 when page r offers the time ("HH:MM") on day ("YYYY-MM-DD"). */
int offers(const struct http_response *r, const char *day, const char *time);

/* 1 when the slot picker of doctor (path: /doctors/D or a reschedule
 * page) offers the slot starting at epoch, on the page of its week. */
int picker_offers(struct it_jar *j, const char *path, long long epoch);

/* Book slot epoch of doctor through the confirm page; returns the response
 * of the POST in *r and the key used in key. */
void book(struct it_jar *j, struct http_response *r, long long doctor, long long epoch, const char *extra,
          char key[80]);

/* Every test's fixtures: weekly schedules for both doctors, every day
 * (T-0001: 08:00-20:00 in person, 30 min; T-0002: 08:05-19:00 video, 20 min). */
void setup_once(void);

#endif
