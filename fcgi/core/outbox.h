/* outbox: events for medsys-notifier, written in the caller's transaction
 * (the contract of each type is in docs/events.md). */
#ifndef MEDSYS_OUTBOX_H
#define MEDSYS_OUTBOX_H

struct arena;

/* An e-mail from templates' mail.<template> strings in language lang.
 * params_json is a JSON object (json_object()); secret: it holds a
 * one-time link that the notifier scrubs after delivery. 0 or -1. */
int outbox_mail(const char *to, const char *lang, const char *template_name,
                const char *params_json, int secret);

/* An in-app notice of kind for user_id (text from notices.<kind>.*),
 * with its parameters and a local link (or ""). 0 or -1. */
int outbox_notice(long long user_id, const char *kind, const char *params_json,
                  const char *link);

#endif
