/* test_access_matrix: the authorization matrix of the medical record
 * against a real stack (tests/integration/access_matrix.stack). Every row
 * of medsysd's route table that shows a record (record != RECORD_NONE,
 * read from routes_all(), so routes added later are covered when they are
 * merged) x every kind of visitor x the patient (own, foreign, unknown
 * id), with the status computed by the rules of expect() below, and an
 * audit row for every clinical read and every refusal.
 *
 * The rules (docs/record.md, "Access to the record"):
 *  1. nobody signed in: GET -> 303 to sign in (not audited: nothing was
 *     shown or refused yet), POST -> 403;
 *  2. a role the route does not list -> 403 (the pipeline's
 *     "access.denied" row);
 *  3. /record/... (RECORD_OWN): the signed-in patient's own -> 200;
 *  4. /patients/ID/...: a patient -> 200 for their own id, 404 for any
 *     other (existing or not); a doctor -> 200 with a care relationship
 *     (appointment, assignment, unexpired break-glass), 404 for an id that
 *     is no patient's, else 403; reception and administrators -> 200 on
 *     demographics routes, 404 for an unknown id, else 403; other staff ->
 *     403;
 *  5. every 200 leaves a "record.*" row about the patient by the visitor;
 *     every 403/404 a "record.denied" or "access.denied" row by them.
 * POST rows are sent (with a valid CSRF token) only where the rules say
 * refused: the status must be the refusal, never 200/303. A GET row with
 * more than one capture (an item of the record) gets "1" for the others:
 * allowed visitors may then get 404 from the handler, but never a
 * refusal row. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "care_test.h"
#include "http_client.h"
#include "routes.h"

enum visitor {
	V_ANON, V_SELF, V_OTHER_PATIENT, V_D_APPT, V_D_ASG, V_D_NONE, V_D_BG, V_D_BGX,
	V_RECEPTION, V_PHARMACIST, V_LAB, V_ADMIN, V__MAX
};

static const struct {
	const char *name;
	unsigned bits;
	int related;        /* a doctor with a care relationship with p1 */
} visitors[V__MAX] = {
	[V_ANON] = { "anonymous", ROLE_ANONYMOUS, 0 },
	[V_SELF] = { "patient p1", ROLE_PATIENT, 0 },
	[V_OTHER_PATIENT] = { "patient p2", ROLE_PATIENT, 0 },
	[V_D_APPT] = { "doctor with appointment", ROLE_DOCTOR, 1 },
	[V_D_ASG] = { "doctor with assignment", ROLE_DOCTOR, 1 },
	[V_D_NONE] = { "doctor without relationship", ROLE_DOCTOR, 0 },
	[V_D_BG] = { "doctor with break-glass", ROLE_DOCTOR, 1 },
	[V_D_BGX] = { "doctor with expired break-glass", ROLE_DOCTOR, 0 },
	[V_RECEPTION] = { "reception", ROLE_RECEPTION, 0 },
	[V_PHARMACIST] = { "pharmacist", ROLE_PHARMACIST, 0 },
	[V_LAB] = { "lab", ROLE_LAB, 0 },
	[V_ADMIN] = { "admin", ROLE_ADMIN, 0 },
};

enum target { T_OWN, T_FOREIGN, T_UNKNOWN, T__MAX };
static const char *const target_names[T__MAX] = { "p1", "p2", "unknown id" };

static struct care_world w;
static struct it_jar jars[V__MAX];
static long long user_of[V__MAX];
static long long last_audit;
static size_t requests;

/* The status the rules give (see the file's comment). */
static long
expect(const struct route *rt, enum visitor v, long long patient)
{
	unsigned bits = visitors[v].bits;

	if (v == V_ANON)
		return rt->method == METHOD_POST ? 403 : 303;
	if (!(rt->roles & bits))
		return 403;
	if (rt->record == RECORD_OWN)
		return (bits & ROLE_PATIENT) ? 200 : 403;
	if (bits & ROLE_PATIENT)
		return patient == user_of[v] ? 200 : 404;
	if (!(bits & (ROLE_DOCTOR | ROLE_RECEPTION | ROLE_ADMIN)))
		return 403;
	if (patient == w.unknown)
		return 404;
	if ((bits & ROLE_DOCTOR) && visitors[v].related && patient == w.p1)
		return 200;
	if (rt->record == RECORD_DEMOGRAPHICS && (bits & (ROLE_RECEPTION | ROLE_ADMIN)))
		return 200;
	return 403;
}

/* The path of a route for patient: the first capture is the patient's id,
 * any other "1"; escaped characters as themselves. NULL (the test fails)
 * for a pattern with other regular-expression syntax. A group of words
 * ("(problems|allergies)") becomes its first word. *captures gets the
 * number of numeric groups. */
static char *
route_path(const struct route *rt, long long patient, int *captures)
{
	char *out = calloc(1, strlen(rt->pattern) + 64);
	const char *s = rt->pattern;
	size_t n = 0;

	*captures = 0;
	while (out && *s) {
		if (*s == '\\' && s[1]) {
			out[n++] = s[1];
			s += 2;
		} else if (*s == '(') {
			const char *group = s + 1;
			int depth = 0;
			do {
				depth += (*s == '(') - (*s == ')');
				s++;
			} while (*s && depth > 0);
			if (strspn(group, "abcdefghijklmnopqrstuvwxyz_-|") == (size_t)(s - 1 - group)) {
				/* A choice of words (a kind of entry): its first. */
				size_t len = strcspn(group, "|)");
				memcpy(out + n, group, len);
				n += len;
			} else {
				/* A number: the patient's id first (not on
				 * /record/..., whose patient is the visitor). */
				int first = *captures == 0 && rt->record != RECORD_OWN;
				n += (size_t)sprintf(out + n, "%lld", first ? patient : 1LL);
				(*captures)++;
			}
		} else if (strchr("[]{}*+?|^$.", *s)) {
			ck_abort_msg("route %s: pattern %s needs a rule in route_path", rt->name, rt->pattern);
		} else {
			out[n++] = *s++;
		}
	}
	return out;
}

/* Audit rows since the last call: by the visitor's account (anonymous:
 * none) about patient with a record.* action other than a refusal
 * (*reads), and refusals by them (*refusals). */
static void
audit_since(enum visitor v, long long patient, long long *reads, long long *refusals)
{
	char *actor = v == V_ANON ? it_fmt("actor_id IS NULL") : it_fmt("actor_id = %lld", user_of[v]);
	char *line = it_sql_line("SELECT coalesce(max(id), %lld), "
	                         "count(*) FILTER (WHERE %s AND subject_id = %lld AND action LIKE 'record.%%' "
	                         "AND action <> 'record.denied'), "
	                         "count(*) FILTER (WHERE %s AND action IN ('record.denied', 'access.denied')) "
	                         "FROM audit.events WHERE id > %lld",
	                         last_audit, actor, patient, actor, last_audit);

	ck_assert_int_eq(sscanf(line, "%lld|%lld|%lld", &last_audit, reads, refusals), 3);
	free(line);
	free(actor);
}

static void
check_one(const struct route *rt, enum visitor v, enum target t, long long patient)
{
	struct http_response r = { 0 };
	long want = expect(rt, v, patient), got;
	long long reads, refusals;
	int captures;
	char *path = route_path(rt, patient, &captures);
	char *what = it_fmt("%s %s (%s) as %s, %s", rt->method == METHOD_POST ? "POST" : "GET", path,
	                    rt->name, visitors[v].name, rt->record == RECORD_OWN ? "own" : target_names[t]);
	int refused = want == 403 || want == 404 || (v == V_ANON);

	if (rt->method == METHOD_POST && !refused)
		goto out;  /* only refusals are tried with POST: no side effects */
	audit_since(v, patient, &reads, &refusals);
	requests++;
	if (rt->method == METHOD_POST)
		got = it_postf(&jars[v], &r, path, "%s", "");
	else
		got = it_get(&jars[v], &r, path);
	audit_since(v, patient, &reads, &refusals);
	/* An item of the record ("1") may not exist: 404 from the handler. */
	if (want == 200 && captures > (rt->record == RECORD_OWN ? 0 : 1) && got == 404) {
		ck_assert_msg(refusals == 0, "%s: a 404 of an allowed visitor left a refusal row", what);
		goto out;
	}
	ck_assert_msg(got == want, "%s: status %ld, expected %ld", what, got, want);
	if (want == 200)
		ck_assert_msg(reads >= 1, "%s: 200 without a record.* audit row about the patient", what);
	else if (want != 303)
		ck_assert_msg(refusals >= 1, "%s: refusal %ld without an audit row", what, got);
out:
	http_response_free(&r);
	free(what);
	free(path);
}

START_TEST(test_every_record_route_every_visitor)
{
	const struct route *rows;
	size_t n, checked = 0;
	long long ids[T__MAX];

	care_world_make(&w);
	user_of[V_SELF] = w.p1;
	user_of[V_OTHER_PATIENT] = w.p2;
	user_of[V_D_APPT] = w.d_appt;
	user_of[V_D_ASG] = w.d_asg;
	user_of[V_D_NONE] = w.d_none;
	user_of[V_D_BG] = w.d_bg;
	user_of[V_D_BGX] = w.d_bgx;
	user_of[V_RECEPTION] = w.reception;
	user_of[V_PHARMACIST] = w.pharmacist;
	user_of[V_LAB] = w.lab;
	user_of[V_ADMIN] = w.admin;
	for (int v = V_SELF; v < V__MAX; v++)
		care_session(&jars[v], user_of[v]);
	ids[T_OWN] = w.p1;
	ids[T_FOREIGN] = w.p2;
	ids[T_UNKNOWN] = w.unknown;
	last_audit = it_sql_int("SELECT coalesce(max(id), 0) FROM audit.events");

	rows = routes_all(&n);
	ck_assert_ptr_nonnull(rows);
	for (size_t i = 0; i < n; i++) {
		if (rows[i].record == RECORD_NONE)
			continue;
		for (int v = 0; v < V__MAX; v++) {
			if (rows[i].record == RECORD_OWN) {
				/* No id in the path: the visitor's own record. */
				check_one(&rows[i], (enum visitor)v, T_OWN, user_of[v]);
				continue;
			}
			for (int t = 0; t < T__MAX; t++)
				check_one(&rows[i], (enum visitor)v, (enum target)t, ids[t]);
		}
		checked++;
	}
	printf("access matrix: %zu record routes, %zu requests\n", checked, requests);
	/* This helper's own rows at least (care.c: 9 record routes). */
	ck_assert_msg(checked >= 9, "only %zu record routes found", checked);
}
END_TEST

int
main(void)
{
	return it_run_suites(it_suite("access_matrix", 600, test_every_record_route_every_visitor, NULL), NULL);
}
