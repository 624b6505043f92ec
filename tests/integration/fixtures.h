/* fixtures: the seed's accounts (tests/harness/seed.sql), for the
 * integration tests that sign in as them. */
#ifndef MEDSYS_FIXTURES_H
#define MEDSYS_FIXTURES_H

/* Patients: verified, no second factor. */
#define P1_EMAIL "patient1@clinic.test"
#define P1_PASS "Patient-One-Pass-2026"
#define P2_EMAIL "patient2@clinic.test"
#define P2_PASS "Patient-Two-Pass-2026"

/* The doctor "Dra. Test Uno" (licence T-0001), with a second factor. */
#define D1_EMAIL "doctor1@clinic.test"
#define D1_PASS "Doctor-One-Pass-2026"
#define D1_TOTP "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

/* Staff the seed does not have, made by it_staff_account() with doctor 1's
 * password and second factor: a second doctor (the seed's "Dr. Test Dos",
 * licence T-0002, with no care relationship) and a receptionist. */
#define D2_EMAIL "doctor2@clinic.test"
#define R1_EMAIL "reception1@clinic.test"

/* The administrator, with a second factor. */
#define A1_EMAIL "admin1@clinic.test"
#define A1_PASS "Admin-One-Pass-2026"
#define A1_TOTP "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"

#endif
