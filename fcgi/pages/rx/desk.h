/* desk: what the pharmacist desk's files (desk.c, desk_show.c,
 * desk_dispense.c) share; nothing outside them uses it. */
#ifndef MEDSYS_PAGES_RX_DESK_H
#define MEDSYS_PAGES_RX_DESK_H

#include <stddef.h>

struct req;

#define DESK_CODE_LEN 10        /* a short code: 10 Crockford base32 characters */
#define DESK_TOKEN_MAX 200      /* the longest token text taken (base32) */
#define HTTP_TOO_MANY_REQUESTS 429
/* A verdict beyond enum rxtoken_verdict's: the signature holds, but not
 * for this prescription as it is stored (its digest differs). */
#define DESK_DIGEST_MISMATCH 100

/* How a prescription was presented: the short code in hand ("c") or the
 * QR's signed token ("t"). Every desk page about a prescription carries
 * one, and the dispensing form sends it back: it is re-checked each time. */
enum desk_proof_kind {
	DESK_PROOF_NONE = 0,
	DESK_PROOF_CODE,
	DESK_PROOF_TOKEN,
	DESK_PROOF__MAX
};

struct desk_proof {
	enum desk_proof_kind kind;
	const char *value;      /* the normalised code or token (arena) */
};

/* What a prescription the desk opened is: decided from the proof, the
 * token's signature and the database. */
struct desk_rx {
	long long id;
	char id_text[24];
	long long patient_id;
	char patient_id_text[24];
	int verdict;            /* enum rxtoken_verdict of its token (RXTOKEN_OK:
	                         * genuine and in date) */
};

/* desk.c */

/* Normalise a typed short code: case folded, dashes and spaces dropped, O
 * read as 0, I and L as 1 (Crockford); out gets the 10 characters. 0, or
 * -1 when what is left is not 10 characters of the alphabet. */
int desk_code_normalise(const char *typed, char out[DESK_CODE_LEN + 1]);

/* Seconds the signed-in pharmacist must wait before
 * presenting again after repeated wrong codes or tokens (0: go ahead), or
 * a negative HTTP status. */
int desk_throttle_wait(struct req *r);

/* Count one wrong code or token for the pharmacist. */
void desk_throttle_fail(struct req *r);

/* The 429 answer: the desk page with how long to wait. */
int desk_throttled(struct req *r, int secs);

/* The desk page (code form, photo form) with status; the messages are set
 * by the caller (form errors, Data.*). */
int desk_home_page(struct req *r, int status);

/* desk_show.c */

/* The prescription id a token names (not verified), or 0. */
long long desk_token_id(const char *token);

/* Read the proof a request carries: the query's t or c (GET), or the
 * form's (POST). 0, or -1 when it carries none or a malformed one. */
int desk_proof_read(struct req *r, struct desk_proof *p);

/* Check that the proof presents prescription id_text: the exact code or
 * the prescription's own token. Fills rx. 0 when it does; otherwise the
 * refusal has been audited and counted (throttle) and the status to
 * answer is returned (403 with the "not presented" page, 503...). */
int desk_present(struct req *r, const char *id_text, const struct desk_proof *p,
                 struct desk_rx *rx);

/* desk_proof_read and desk_present for the prescription of the route's
 * capture: 0 with p and rx filled, or the status to answer (a missing or
 * malformed proof is refused like a wrong one). */
int desk_present_request(struct req *r, struct desk_proof *p, struct desk_rx *rx);

/* Show the presented prescription with status: the audited read (basis
 * "presented") and the page. The caller may have set Data.conflict.*. */
int desk_show(struct req *r, const struct desk_rx *rx, const struct desk_proof *p, int status);

/* Handlers. */
int desk_home(struct req *r);
int desk_code(struct req *r);
int desk_photo(struct req *r);
int desk_open(struct req *r);
int desk_dispense(struct req *r);

#endif
