/* routes: the list of features whose rows make up medsysd's route table. */
#include "routes.h"

#include <stdlib.h>
#include <string.h>

#include "pages/pages.h"

static const struct {
	const struct route *rows;
	const size_t *n;
} features[] = {
	{ site_routes, &site_routes_n },
	/* FEATURES: one line per feature file (keep this marker line). */
	{ rx_verify_routes, &rx_verify_routes_n },  /* early: a QR scan's page, matched first */
	{ labverify_routes, &labverify_routes_n },  /* early too: a lab report's QR */
	{ export_routes, &export_routes_n },
	{ record_routes, &record_routes_n },
	{ vitals_routes, &vitals_routes_n },
	{ notes_routes, &notes_routes_n },
	{ documents_routes, &documents_routes_n },
	{ schedule_routes, &schedule_routes_n },
	{ appointments_routes, &appointments_routes_n },
	{ admin_routes, &admin_routes_n },
	{ notices_routes, &notices_routes_n },
	{ profile_routes, &profile_routes_n },
	{ account_routes, &account_routes_n },
	{ care_routes, &care_routes_n },
	{ prescriptions_routes, &prescriptions_routes_n },
	{ desk_routes, &desk_routes_n },
	{ formulary_routes, &formulary_routes_n },
	{ home_routes, &home_routes_n },
	{ labresults_routes, &labresults_routes_n },
	{ lab_routes, &lab_routes_n },
	{ triage_routes, &triage_routes_n },
	{ chat_routes, &chat_routes_n },
	{ tele_routes, &tele_routes_n },
	{ tele_transcript_routes, &tele_transcript_routes_n },
	{ tele_blocked_routes, &tele_blocked_routes_n },
};

/* Concatenate the features' rows once; the router keeps pointers into it. */
const struct route *
routes_all(size_t *n)
{
	static struct route *all;
	static size_t total;

	if (all == NULL) {
		size_t count = 0;
		for (size_t i = 0; i < sizeof(features) / sizeof(features[0]); i++)
			count += *features[i].n;
		if ((all = calloc(count, sizeof(*all))) == NULL) {
			*n = 0;
			return NULL;
		}
		for (size_t i = 0; i < sizeof(features) / sizeof(features[0]); i++) {
			memcpy(all + total, features[i].rows, *features[i].n * sizeof(*all));
			total += *features[i].n;
		}
	}
	*n = total;
	return all;
}
