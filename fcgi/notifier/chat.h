/* chat (notifier): chat.mail (docs/chat.md "Notifications", docs/events.md):
 * one mail telling that messages wait unread in a thread, never their
 * subject, sender or text; none when they were read by the time it is
 * due. Sending and recording stay in notifier.c. */
#ifndef MEDSYS_NOTIFIER_CHAT_H
#define MEDSYS_NOTIFIER_CHAT_H

#include "prepared.h"

/* Decide the chat.mail event event_id and, when a mail is due, fill out. */
enum prep_outcome chat_prepare(const char *event_id, struct prepared_mail *out);

#endif
