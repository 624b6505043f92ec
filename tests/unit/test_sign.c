/* test_sign: Ed25519 against RFC 8032's first test vector, key ids, PEM
 * round trips, and that a changed message, signature or key fails. */
#include <check.h>

#include "../check_util.h"
#include <stdlib.h>
#include <string.h>

#include "lib/hex.h"
#include "lib/sign.h"

/* RFC 8032, section 7.1, TEST 1 (empty message). */
static const char rfc_priv[] = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
static const char rfc_pub[] = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
static const char rfc_sig[] = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

START_TEST(test_rfc8032_vector)
{
	unsigned char priv[32], pub[32], want_pub[32], sig[64], want_sig[64];

	ck_assert_int_eq(hex_decode(rfc_priv, priv, 32), 0);
	ck_assert_int_eq(hex_decode(rfc_pub, want_pub, 32), 0);
	ck_assert_int_eq(hex_decode(rfc_sig, want_sig, 64), 0);
	ck_assert_int_eq(sign_public_of(priv, pub), 0);
	ck_assert_mem_eq(pub, want_pub, 32);
	ck_assert_int_eq(sign_sign(priv, "", 0, sig), 0);
	ck_assert_mem_eq(sig, want_sig, 64);
	ck_assert_int_eq(sign_verify(pub, "", 0, sig), 1);
}
END_TEST

START_TEST(test_tampering_fails)
{
	unsigned char priv[32], pub[32], other_priv[32], other_pub[32], sig[64];
	const char msg[] = "seal 7 covers rows 100 to 140";

	ck_assert_int_eq(sign_keypair(pub, priv), 0);
	ck_assert_int_eq(sign_keypair(other_pub, other_priv), 0);
	ck_assert_mem_ne(pub, other_pub, 32);
	ck_assert_int_eq(sign_sign(priv, msg, strlen(msg), sig), 0);
	ck_assert_int_eq(sign_verify(pub, msg, strlen(msg), sig), 1);
	ck_assert_int_eq(sign_verify(pub, "seal 7 covers rows 100 to 141", strlen(msg), sig), 0);
	ck_assert_int_eq(sign_verify(other_pub, msg, strlen(msg), sig), 0);
	sig[10] ^= 1;
	ck_assert_int_eq(sign_verify(pub, msg, strlen(msg), sig), 0);
}
END_TEST

START_TEST(test_key_id)
{
	unsigned char pub[32];
	char id[SIGN_KEY_ID_LEN + 1];

	ck_assert_int_eq(hex_decode(rfc_pub, pub, 32), 0);
	sign_key_id(pub, id);
	ck_assert_uint_eq(strlen(id), 16);
	ck_assert_uint_eq(strspn(id, "0123456789abcdef"), 16);
	pub[0] ^= 1;
	{
		char other[SIGN_KEY_ID_LEN + 1];
		sign_key_id(pub, other);
		ck_assert_str_ne(id, other);
	}
}
END_TEST

START_TEST(test_pem_round_trip)
{
	unsigned char priv[32], pub[32], back[32];
	char pem[SIGN_PEM_MAX];
	long n;

	ck_assert_int_eq(sign_keypair(pub, priv), 0);
	n = sign_private_to_pem(priv, pem, sizeof(pem));
	ck_assert_int_gt(n, 0);
	ck_assert_ptr_nonnull(strstr(pem, "-----BEGIN PRIVATE KEY-----"));
	ck_assert_int_eq(sign_private_from_pem(pem, (size_t)n, back), 0);
	ck_assert_mem_eq(back, priv, 32);
	/* A private key is not read as a public one, and the reverse. */
	ck_assert_int_eq(sign_public_from_pem(pem, (size_t)n, back), -1);
	n = sign_public_to_pem(pub, pem, sizeof(pem));
	ck_assert_int_gt(n, 0);
	ck_assert_ptr_nonnull(strstr(pem, "-----BEGIN PUBLIC KEY-----"));
	ck_assert_int_eq(sign_public_from_pem(pem, (size_t)n, back), 0);
	ck_assert_mem_eq(back, pub, 32);
	ck_assert_int_eq(sign_private_from_pem(pem, (size_t)n, back), -1);
	ck_assert_int_eq(sign_public_from_pem("not a key", 9, back), -1);
	/* Too small a buffer is refused, not truncated. */
	ck_assert_int_eq(sign_public_to_pem(pub, pem, 20), -1);
}
END_TEST

START_TEST(test_hex)
{
	unsigned char b[3];
	char h[7];

	ck_assert_int_eq(hex_decode("00fFa1", b, 3), 0);
	hex_encode(b, 3, h);
	ck_assert_str_eq(h, "00ffa1");
	ck_assert_int_eq(hex_decode("00ffa", b, 3), -1);
	ck_assert_int_eq(hex_decode("00ffg1", b, 3), -1);
}
END_TEST

int
main(void)
{
	return tcase_run_alone("sign", tcase_list_add(tcase_create("ed25519"),
	                                    test_rfc8032_vector,
	                                    test_tampering_fails,
	                                    test_key_id,
	                                    test_pem_round_trip,
	                                    test_hex, NULL));
}
