/* appointments (notifier): the events "appointment.notify" and
 * "appointment.reminder" (docs/events.md). The appointment, its patient
 * and doctor are loaded at send time; the result is either a message to
 * send (with an invite.ics attachment) or a decision: skip (the event has
 * nothing left to do: done without mail), dead, or retry. Sending and
 * recording stay in notifier.c. */
#ifndef MEDSYS_NOTIFIER_APPOINTMENTS_H
#define MEDSYS_NOTIFIER_APPOINTMENTS_H

#include <stddef.h>

struct config;

enum appt_outcome {
	APPT_SEND = 0,  /* out->to, out->msg, out->len are set */
	APPT_SKIP,      /* done without mail; out->why says why */
	APPT_DEAD,      /* permanent failure; out->why */
	APPT_RETRY,     /* temporary failure; out->why */
	APPT_DB_GONE    /* the database connection is lost */
};

struct appt_mail {
	char to[256];
	char *msg;      /* malloc'd message (APPT_SEND only); the caller frees */
	size_t len;
	char why[160];  /* short, no addresses or names */
};

/* 1 when type is one of ours. */
int appt_event_type(const char *type);

/* Decide and, when there is a mail to send, build it. event_id: the
 * outbox row; message_id: left part of the Message-ID; from: mail_from. */
enum appt_outcome appt_prepare(const char *event_id, const char *type, const char *message_id,
                               const struct config *cfg, struct appt_mail *out);

#endif
