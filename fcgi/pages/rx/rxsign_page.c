/* rxsign_page: core/rxsign for a request. */
#include "pages/rx/rxsign_page.h"

#include "core/log.h"
#include "core/request.h"

int
rxsign_prescription(struct req *r, long long id, struct rxsign_result *out)
{
	char err[600];
	int st = rxsign_sign(r->cfg, id, NULL, out, err, sizeof(err));

	if (st != 0)
		log_msg("error", "request %s: signing prescription %lld: %s", r->request_id, id, err);
	return st;
}
