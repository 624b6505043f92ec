/* prepared (notifier): the outcome helper of prepared.h. */
#include <stdio.h>

#include "prepared.h"

enum prep_outcome
prepared_outcome(struct prepared_mail *out, enum prep_outcome o, const char *why)
{
	snprintf(out->why, sizeof(out->why), "%s", why);
	return o;
}
