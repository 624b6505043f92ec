/* test_seal: the row hash matches what audit.row_hash computes in SQL
 * (a value PostgreSQL gave), every field counts, batches depend on order
 * and count, seals sign, chain, print and parse, and a changed seal or
 * signature is caught. */
#include <check.h>

#include "../check_util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hex.h"
#include "lib/seal.h"

/* SELECT encode(audit.row_hash(42, '2026-01-02 03:04:05.678901+00', 7,
 * NULL, 'auth.login', 'usér:7|x', '192.0.2.1', 'req1', '12345'), 'hex') */
static const char sql_hash[] = "bbb58fbfa0e705f900fedaf76a42aa781334147c5e126ae18047ae953449beda";

static struct seal_row
sample(void)
{
	struct seal_row r = {
		.id = 42, .at_us = 1767323045678901LL, .has_actor = 1, .actor = 7,
		.action = "auth.login", .object = "us\xc3\xa9r:7|x", .addr = "192.0.2.1",
		.request = "req1", .xid = 12345,
	};
	return r;
}

static void
hash_of(const struct seal_row *r, char out[65])
{
	unsigned char h[SEAL_HASH_BYTES];

	ck_assert_int_eq(seal_row_hash(r, h), 0);
	hex_encode(h, SEAL_HASH_BYTES, out);
}

START_TEST(test_row_hash_matches_sql)
{
	struct seal_row r = sample();
	char h[65];

	hash_of(&r, h);
	ck_assert_str_eq(h, sql_hash);
}
END_TEST

START_TEST(test_every_field_counts)
{
	struct seal_row base = sample(), r;
	char h0[65], h[65];
	int i;

	hash_of(&base, h0);
	for (i = 0; i < 10; i++) {
		r = base;
		switch (i) {
		case 0: r.id++; break;
		case 1: r.at_us++; break;
		case 2: r.actor = 8; break;
		case 3: r.has_actor = 0; break;
		case 4: r.has_subject = 1; r.subject = 0; break;
		case 5: r.action = "auth.logout"; break;
		case 6: r.object = "us\xc3\xa9r:7|"; break;
		case 7: r.addr = "192.0.2.2"; break;
		case 8: r.request = "req2"; break;
		case 9: r.xid++; break;
		}
		hash_of(&r, h);
		ck_assert_msg(strcmp(h, h0) != 0, "field %d does not change the hash", i);
	}
	/* Moving a character from one field to the next changes the hash. */
	r = base;
	r.addr = "192.0.2.1r";
	r.request = "eq1";
	hash_of(&r, h);
	ck_assert_str_ne(h, h0);
}
END_TEST

static void
batch_of(const long long *ids, size_t n, unsigned char out[SEAL_HASH_BYTES])
{
	struct seal_batch b;
	unsigned char leaf[SEAL_HASH_BYTES];

	ck_assert_int_eq(seal_batch_init(&b), 0);
	for (size_t i = 0; i < n; i++) {
		memset(leaf, (int)ids[i], sizeof(leaf));
		ck_assert_int_eq(seal_batch_add(&b, ids[i], leaf), 0);
	}
	ck_assert_int_eq(b.rows, (long long)n);
	ck_assert_int_eq(seal_batch_final(&b, out), 0);
}

START_TEST(test_batch)
{
	static const long long a[] = { 1, 2, 3 }, swapped[] = { 1, 3, 2 }, fewer[] = { 1, 2 };
	unsigned char ha[32], hb[32];

	batch_of(a, 3, ha);
	batch_of(a, 3, hb);
	ck_assert_mem_eq(ha, hb, 32);
	batch_of(swapped, 3, hb);
	ck_assert_mem_ne(ha, hb, 32);
	batch_of(fewer, 2, hb);
	ck_assert_mem_ne(ha, hb, 32);
}
END_TEST

static struct seal
signed_seal(const unsigned char priv[32], const unsigned char prev[32], long long id)
{
	struct seal s;

	memset(&s, 0, sizeof(s));
	s.seal_id = id;
	s.first_id = 100 * id - 99;
	s.last_id = 100 * id;
	s.rows = 97;
	s.at_us = 1767323045678901LL + id;
	memset(s.root, (int)id, sizeof(s.root));
	memcpy(s.prev, prev, 32);
	ck_assert_int_eq(seal_sign(&s, priv), 0);
	return s;
}

START_TEST(test_seal_sign_check_line)
{
	unsigned char pub[32], priv[32], zero[32] = { 0 }, opub[32], opriv[32];
	char line[SEAL_LINE_MAX], id[SIGN_KEY_ID_LEN + 1];
	struct seal s1, s2, back, bad;

	ck_assert_int_eq(sign_keypair(pub, priv), 0);
	ck_assert_int_eq(sign_keypair(opub, opriv), 0);
	s1 = signed_seal(priv, zero, 1);
	s2 = signed_seal(priv, s1.hash, 2);
	sign_key_id(pub, id);
	ck_assert_str_eq(s1.key_id, id);
	ck_assert_int_eq(seal_check(&s1, pub), SEAL_OK);
	ck_assert_int_eq(seal_check(&s2, pub), SEAL_OK);
	ck_assert_int_eq(seal_check(&s2, opub), SEAL_BAD_SIGNATURE);
	ck_assert_mem_eq(s2.prev, s1.hash, 32);

	bad = s2;
	bad.rows++;
	ck_assert_int_eq(seal_check(&bad, pub), SEAL_BAD_HASH);
	/* Rewritten consistently but without the key: the hash holds, the
	 * signature does not. */
	ck_assert_int_eq(seal_compute_hash(&bad, bad.hash), 0);
	ck_assert_int_eq(seal_check(&bad, pub), SEAL_BAD_SIGNATURE);

	ck_assert_int_gt(seal_format(&s2, line, sizeof(line)), 0);
	ck_assert_ptr_nonnull(strstr(line, "medsys-seal v1 seal=2 first=101 last=200 rows=97 "));
	ck_assert_int_eq(seal_parse(line, &back), 0);
	ck_assert_int_eq(seal_check(&back, pub), SEAL_OK);
	ck_assert_mem_eq(back.hash, s2.hash, 32);
	ck_assert_mem_eq(back.sig, s2.sig, 64);
	strcat(line, "\n");
	ck_assert_int_eq(seal_parse(line, &back), 0);
	ck_assert_int_eq(seal_format(&s2, line, 100), -1);
}
END_TEST

START_TEST(test_parse_refuses)
{
	unsigned char pub[32], priv[32], zero[32] = { 0 };
	char line[SEAL_LINE_MAX], edited[SEAL_LINE_MAX + 8];
	struct seal s, back;
	char *p;

	ck_assert_int_eq(sign_keypair(pub, priv), 0);
	s = signed_seal(priv, zero, 3);
	seal_format(&s, line, sizeof(line));
	ck_assert_int_eq(seal_parse("", &back), -1);
	ck_assert_int_eq(seal_parse("medsys-seal v2 seal=1", &back), -1);
	/* Upper-case hex or an extra space is not the canonical line. */
	snprintf(edited, sizeof(edited), "%s", line);
	p = strstr(edited, "root=") + 5;
	*p = (char)(*p >= 'a' ? *p - 32 : 'A');
	ck_assert_int_eq(seal_parse(edited, &back), -1);
	snprintf(edited, sizeof(edited), "%s ", line);
	ck_assert_int_eq(seal_parse(edited, &back), -1);
	snprintf(edited, sizeof(edited), "%.*s", (int)strlen(line) - 2, line);
	ck_assert_int_eq(seal_parse(edited, &back), -1);
}
END_TEST

int
main(void)
{
	return tcase_run_alone("seal", tcase_list_add(tcase_create("seal"),
	                                    test_row_hash_matches_sql,
	                                    test_every_field_counts,
	                                    test_batch,
	                                    test_seal_sign_check_line,
	                                    test_parse_refuses, NULL));
}
