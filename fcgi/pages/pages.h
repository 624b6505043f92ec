/* pages: every feature's handlers and route table rows. Each feature file
 * exports its rows as <feature>_routes and <feature>_routes_n; fcgi/routes.c
 * (where medsysd is wired together) lists the features. */
#ifndef MEDSYS_PAGES_H
#define MEDSYS_PAGES_H

#include <stddef.h>

#include "core/router.h"

#define PAGES_FEATURE(f) \
	extern const struct route f##_routes[]; \
	extern const size_t f##_routes_n

PAGES_FEATURE(site);      /* site.c: home, health, language, nginx errors */
PAGES_FEATURE(account);   /* account/: register, verify, sign in/out, reset */
PAGES_FEATURE(profile);   /* profile/: profile, password, e-mail, sessions, 2FA */
PAGES_FEATURE(admin);     /* admin/: staff accounts, roles, audit, dead letters */
PAGES_FEATURE(notices);   /* notices.c: in-app notices, security activity */
PAGES_FEATURE(appointments); /* appointments/: booking, cancelling, moving; reception */
PAGES_FEATURE(schedule);  /* schedule/: availability, the doctor's agenda, calendar feeds */
PAGES_FEATURE(export);    /* record/export.c: the patient's record as FHIR */
PAGES_FEATURE(record);    /* record/: the record summary, problems, allergies, medications, histories */
PAGES_FEATURE(vitals);    /* record/vitals*.c: vital signs (entry, corrections, trends) */
PAGES_FEATURE(care);      /* record/care*.c: break-glass, assignments, who viewed, corrections */
PAGES_FEATURE(notes);     /* record/encounters.c, notes.c: encounters, signed visit notes */
PAGES_FEATURE(documents); /* record/documents.c: files in the record */
PAGES_FEATURE(prescriptions); /* rx/write.c, items.c, sign.c, prescriptions.c: writing, signing, the patient's prescriptions */
PAGES_FEATURE(rx_verify); /* rx/verify.c: published rx keys, the public verification page */
PAGES_FEATURE(desk);      /* rx/desk*.c: the pharmacist desk, dispensing */
PAGES_FEATURE(lab);       /* lab/: lab orders, worklist, entry, release, critical values */
PAGES_FEATURE(formulary); /* rx/formulary.c: the prescription catalog search */
PAGES_FEATURE(home);      /* home/: walk-in patients and their claim links (GET / is site's) */
PAGES_FEATURE(labresults); /* labresults/mine.c, doctor.c, report.c: released lab results, trends, report PDF */
PAGES_FEATURE(labverify); /* labresults/report.c: the public lab report verification page */
PAGES_FEATURE(triage);    /* triage/: the symptom checker's interview, result, sharing */
PAGES_FEATURE(chat);      /* chat/: messaging threads, replies, the poll, out-of-office */
PAGES_FEATURE(tele);      /* tele/: the video visit's room, its forms, signalling */
PAGES_FEATURE(tele_transcript); /* tele/consent.c, audio.c, transcript.c: the consultation transcript */
PAGES_FEATURE(tele_blocked); /* tele/blocked.c: "your camera or microphone is blocked" */

/* home/home.c: the public home, or the signed-in user's own */
int page_home(struct req *r);
/* health.c */
int page_healthz(struct req *r);
/* language.c */
int page_language(struct req *r);
int page_nginx_error(struct req *r);

#endif
