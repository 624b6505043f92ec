/* rx (notifier): rx.notify (docs/events.md): the patient's mail that a
 * prescription was issued, cancelled or dispensed (templates rx_issued,
 * rx_cancelled, rx_dispensed): who and a link, never what was prescribed.
 * Sending and recording stay in notifier.c. */
#ifndef MEDSYS_NOTIFIER_RX_H
#define MEDSYS_NOTIFIER_RX_H

#include "prepared.h"

/* Decide the rx.notify event event_id and, when a mail is due, fill out. */
enum prep_outcome rx_prepare(const char *event_id, struct prepared_mail *out);

#endif
