/* test_turncred: the TURN REST API credential (lib/turncred) against
 * vectors computed apart from our code, the secret file's rules
 * (core/turn) and the iceServers JSON a call page gets (pages/tele/ice). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/request.h"
#include "core/turn.h"
#include "lib/turncred.h"
#include "pages/tele/ice.h"
#include "../check_util.h"

/* Computed with the openssl command line, not with our code:
 *   printf '%s' '1700000000:42' | openssl dgst -sha1 -hmac north -binary | base64
 *   printf '%s' '1796695365:7' | openssl dgst -sha1 -hmac c0ffee-secret-for-tests -binary | base64 */
START_TEST(test_known_vectors)
{
	char user[TURNCRED_USERNAME_MAX], cred[TURNCRED_CREDENTIAL_MAX];

	ck_assert_int_eq(turncred_make("north", 5, 1700000000LL, "42", user, sizeof(user),
	                               cred, sizeof(cred)), 0);
	ck_assert_str_eq(user, "1700000000:42");
	ck_assert_str_eq(cred, "DWX3FI7DiPIpadEYQAZsnZBAagI=");
	ck_assert_int_eq(turncred_make("c0ffee-secret-for-tests", 23, 1796695365LL, "7", user,
	                               sizeof(user), cred, sizeof(cred)), 0);
	ck_assert_str_eq(user, "1796695365:7");
	ck_assert_str_eq(cred, "vR+wIUMdBwfOuq2lAPY7b4OZUss=");
}
END_TEST

START_TEST(test_each_part_counts)
{
	char u1[TURNCRED_USERNAME_MAX], c1[TURNCRED_CREDENTIAL_MAX];
	char u2[TURNCRED_USERNAME_MAX], c2[TURNCRED_CREDENTIAL_MAX];

	ck_assert_int_eq(turncred_make("north", 5, 1700000000LL, "42", u1, sizeof(u1), c1, sizeof(c1)), 0);
	/* another user, another expiry, another secret: another credential */
	ck_assert_int_eq(turncred_make("north", 5, 1700000000LL, "43", u2, sizeof(u2), c2, sizeof(c2)), 0);
	ck_assert_str_ne(c1, c2);
	ck_assert_int_eq(turncred_make("north", 5, 1700000001LL, "42", u2, sizeof(u2), c2, sizeof(c2)), 0);
	ck_assert_str_ne(c1, c2);
	ck_assert_int_eq(turncred_make("nortH", 5, 1700000000LL, "42", u2, sizeof(u2), c2, sizeof(c2)), 0);
	ck_assert_str_ne(c1, c2);
	/* the length given is the secret: a secret holding a NUL byte works */
	ck_assert_int_eq(turncred_make("north\0x", 7, 1700000000LL, "42", u2, sizeof(u2), c2, sizeof(c2)), 0);
	ck_assert_str_ne(c1, c2);
}
END_TEST

START_TEST(test_refused)
{
	char user[TURNCRED_USERNAME_MAX], cred[TURNCRED_CREDENTIAL_MAX], small[12];
	char long_id[66];

	memset(long_id, '9', 65);
	long_id[65] = '\0';
	ck_assert_int_eq(turncred_make("", 0, 1700000000LL, "42", user, sizeof(user), cred, sizeof(cred)), -1);
	ck_assert_int_eq(turncred_make("north", 5, -1, "42", user, sizeof(user), cred, sizeof(cred)), -1);
	/* coturn splits the username at the first ':' */
	ck_assert_int_eq(turncred_make("north", 5, 1, "4:2", user, sizeof(user), cred, sizeof(cred)), -1);
	ck_assert_int_eq(turncred_make("north", 5, 1, "", user, sizeof(user), cred, sizeof(cred)), -1);
	ck_assert_int_eq(turncred_make("north", 5, 1, "a\"b", user, sizeof(user), cred, sizeof(cred)), -1);
	ck_assert_int_eq(turncred_make("north", 5, 1, long_id, user, sizeof(user), cred, sizeof(cred)), -1);
	long_id[64] = '\0';
	ck_assert_int_eq(turncred_make("north", 5, 1, long_id, user, sizeof(user), cred, sizeof(cred)), 0);
	ck_assert_int_eq(turncred_make("north", 5, 1700000000LL, "42", small, sizeof(small), cred, sizeof(cred)), -1);
	ck_assert_str_eq(small, "");
	ck_assert_int_eq(turncred_make("north", 5, 1700000000LL, "42", user, sizeof(user), cred, 28), -1);
}
END_TEST

/* ---- the secret file and the iceServers JSON */

static char secret_path[64];

static void
write_secret(const char *text, mode_t mode)
{
	FILE *f;

	ck_assert_ptr_nonnull(f = fopen(secret_path, "w"));
	fputs(text, f);
	fclose(f);
	ck_assert_int_eq(chmod(secret_path, mode), 0);
}

static void
setup_secret(void)
{
	int fd;

	snprintf(secret_path, sizeof(secret_path), "/tmp/medsys-turn-secret.XXXXXX");
	ck_assert_int_ge(fd = mkstemp(secret_path), 0);
	close(fd);
}

static void
teardown_secret(void)
{
	unlink(secret_path);
}

/* A signed-in user 42 with a TURN server (secret "north") and two STUN ones. */
static void
req_for(struct req *r, struct config *cfg, struct arena *a)
{
	config_defaults(cfg);
	snprintf(cfg->turn_urls, sizeof(cfg->turn_urls),
	         "turn:t.example:3478?transport=udp  turn:t.example:3478?transport=tcp");
	snprintf(cfg->stun_urls, sizeof(cfg->stun_urls), "stun:s1.example:3478 stun:s2.example");
	snprintf(cfg->turn_secret_file, sizeof(cfg->turn_secret_file), "%s", secret_path);
	memset(r, 0, sizeof(*r));
	r->arena = a;
	r->cfg = cfg;
	r->user.id = 42;
	snprintf(r->user.id_text, sizeof(r->user.id_text), "42");
	write_secret(" north\n", 0600);
}

START_TEST(test_ice_json)
{
	struct arena *a = arena_new(0);
	struct config cfg;
	struct req r;
	const char *json, *p;
	char want[512], user[TURNCRED_USERNAME_MAX], cred[TURNCRED_CREDENTIAL_MAX];
	long long expiry = 0;
	time_t before = time(NULL), after;

	req_for(&r, &cfg, a);
	ck_assert_ptr_nonnull(json = tele_ice_json(&r));
	after = time(NULL);
	ck_assert_ptr_nonnull(p = strstr(json, "\"username\":\""));
	ck_assert_int_eq(sscanf(p, "\"username\":\"%lld:42\"", &expiry), 1);
	/* valid turn_ttl_seconds (default an hour) from now */
	ck_assert_int_ge(expiry, (long long)before + 3600);
	ck_assert_int_le(expiry, (long long)after + 3600);
	/* the secret is the file's content without the surrounding spaces */
	ck_assert_int_eq(turncred_make("north", 5, expiry, "42", user, sizeof(user), cred, sizeof(cred)), 0);
	snprintf(want, sizeof(want),
	         "[{\"urls\":[\"stun:s1.example:3478\",\"stun:s2.example\"]},"
	         "{\"urls\":[\"turn:t.example:3478?transport=udp\",\"turn:t.example:3478?transport=tcp\"],"
	         "\"username\":\"%s\",\"credential\":\"%s\"}]", user, cred);
	ck_assert_str_eq(json, want);
	arena_free(a);
}
END_TEST

START_TEST(test_ice_json_unconfigured)
{
	struct arena *a = arena_new(0);
	struct config cfg;
	struct req r;

	req_for(&r, &cfg, a);
	cfg.turn_secret_file[0] = '\0';
	ck_assert_str_eq(tele_ice_json(&r), "[{\"urls\":[\"stun:s1.example:3478\",\"stun:s2.example\"]}]");
	cfg.stun_urls[0] = '\0';
	ck_assert_str_eq(tele_ice_json(&r), "[]");
	snprintf(cfg.turn_secret_file, sizeof(cfg.turn_secret_file), "%s", secret_path);
	cfg.turn_urls[0] = '\0';
	ck_assert_str_eq(tele_ice_json(&r), "[]");
	/* TURN alone */
	snprintf(cfg.turn_urls, sizeof(cfg.turn_urls), "turn:t.example:3478");
	ck_assert_ptr_nonnull(strstr(tele_ice_json(&r), "[{\"urls\":[\"turn:t.example:3478\"],\"username\":\""));
	arena_free(a);
}
END_TEST

START_TEST(test_ice_json_failures)
{
	struct arena *a = arena_new(0);
	struct config cfg;
	struct req r;
	struct turn_credential tc;
	char err[256];

	req_for(&r, &cfg, a);
	/* a secret others may read is refused, and the message says what to do */
	write_secret("north\n", 0644);
	ck_assert_ptr_null(tele_ice_json(&r));
	ck_assert_int_eq(turn_credential_make(&cfg, "42", time(NULL), 60, &tc, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "chmod o-r"));
	ck_assert_ptr_null(strstr(err, "north"));
	write_secret(" \n", 0640);
	ck_assert_ptr_null(tele_ice_json(&r));
	write_secret("north", 0640);
	ck_assert_ptr_nonnull(tele_ice_json(&r));
	unlink(secret_path);
	ck_assert_ptr_null(tele_ice_json(&r));
	write_secret("north", 0600);
	/* nobody signed in: no credential */
	r.user.id = 0;
	r.user.id_text[0] = '\0';
	ck_assert_ptr_null(tele_ice_json(&r));
	arena_free(a);
}
END_TEST

START_TEST(test_expired_credential)
{
	struct config cfg;
	struct req r;
	struct arena *a = arena_new(0);
	struct turn_credential tc;
	char err[256];

	req_for(&r, &cfg, a);
	ck_assert_int_eq(turn_credential_make(&cfg, "42", 1700000000, -60, &tc, err, sizeof(err)), 0);
	ck_assert_str_eq(tc.username, "1699999940:42");
	ck_assert_int_eq(tc.expiry, 1699999940LL);
	arena_free(a);
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("turncred");

	tcase_add_checked_fixture(tc, setup_secret, teardown_secret);
	tcase_list_add(tc, test_known_vectors, test_each_part_counts, test_refused, test_ice_json,
	               test_ice_json_unconfigured, test_ice_json_failures, test_expired_credential, NULL);
	return tcase_run_alone("turncred", tc);
}
