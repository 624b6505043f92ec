/* lab (notifier): the lab events (docs/events.md, docs/lab.md "Notices"):
 * lab.results_ready and lab.result_corrected (the patient's or the
 * doctor's mail), lab.critical (the ordering doctor's urgent mail; it
 * also schedules the escalation) and lab.critical_escalate (the on-call
 * address's mail when nobody acknowledged the value in time). Everything
 * is read at send time; no mail carries clinical content. Sending and
 * recording stay in notifier.c. */
#ifndef MEDSYS_NOTIFIER_LAB_H
#define MEDSYS_NOTIFIER_LAB_H

#include "prepared.h"

struct config;

/* 1 when type is one of ours. */
int lab_event_type(const char *type);

/* Decide event_id and, when a mail is due, fill out. */
enum prep_outcome lab_prepare(const char *event_id, const struct config *cfg, struct prepared_mail *out);

#endif
