/* lab (notifier): the lab events (docs/events.md, docs/lab.md "Notices"):
 * lab.results_ready and lab.result_corrected (the patient's or the
 * doctor's mail), lab.critical (the ordering doctor's urgent mail; it
 * also schedules the escalation) and lab.critical_escalate (the on-call
 * address's mail when nobody acknowledged the value in time). Everything
 * is read at send time; no mail carries clinical content. Sending and
 * recording stay in notifier.c. */
#ifndef MEDSYS_NOTIFIER_LAB_H
#define MEDSYS_NOTIFIER_LAB_H

struct config;

enum lab_outcome {
	LAB_SEND = 0,   /* the fields of struct lab_mail are set */
	LAB_SKIP,       /* done without mail; why says why */
	LAB_DEAD,       /* permanent failure; why */
	LAB_RETRY,      /* temporary failure; why */
	LAB_DB_GONE     /* the database connection is lost */
};

struct lab_mail {
	char to[512];           /* CONFIG_STR_MAX: may be lab_oncall_email */
	char lang[8];
	char tmpl[32];          /* mail.<tmpl>.subject / .body */
	char name[201];         /* the addressee ("" for the on-call address) */
	char doctor[201];       /* the ordering doctor */
	char link[64];          /* link_path */
	char why[160];
};

/* 1 when type is one of ours. */
int lab_event_type(const char *type);

/* Decide event_id and, when a mail is due, fill out. */
enum lab_outcome lab_prepare(const char *event_id, const struct config *cfg, struct lab_mail *out);

#endif
