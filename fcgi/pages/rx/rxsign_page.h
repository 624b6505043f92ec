/* rxsign_page: signing a prescription from a request (the doctor's sign
 * step, rx-core's page): core/rxsign with the request's configuration,
 * failures logged with the request id. */
#ifndef MEDSYS_PAGES_RX_RXSIGN_PAGE_H
#define MEDSYS_PAGES_RX_RXSIGN_PAGE_H

#include "core/rxsign.h"

struct req;

/* Sign prescription id now with the current key (core/rxsign.h
 * rxsign_sign): out gets what rx.signatures stores (sql/queries/rx.sql
 * rx_signature_add: issued on, expires on, digest hex, key id hex,
 * token). Call inside the signing transaction, after
 * rx.lock_prescription. 0, or the HTTP status to answer (404, 409, 500,
 * 503; the reason is logged, never shown). */
int rxsign_prescription(struct req *r, long long id, struct rxsign_result *out);

#endif
