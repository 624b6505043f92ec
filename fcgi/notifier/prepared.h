/* prepared (notifier): what a module that reads its own events (lab.c,
 * chat.c) decided for one event, and the mail it filled in when one is
 * due. Sending and recording the outcome stay in notifier.c
 * (perform_prepared), the same for every module. */
#ifndef MEDSYS_NOTIFIER_PREPARED_H
#define MEDSYS_NOTIFIER_PREPARED_H

enum prep_outcome {
	PREP_SEND = 0,  /* the fields of struct prepared_mail are set */
	PREP_SKIP,      /* done without mail; why says why */
	PREP_DEAD,      /* permanent failure; why */
	PREP_RETRY,     /* temporary failure; why */
	PREP_DB_GONE    /* the database connection is lost */
};

/* The mail's template gets {name}, {doctor} and {link} (link_path): never
 * clinical content. */
struct prepared_mail {
	char to[512];           /* CONFIG_STR_MAX: may be a configured address */
	char lang[8];
	char tmpl[32];          /* mail.<tmpl>.subject / .body */
	char name[201];         /* the addressee ("" for a clinic address) */
	char doctor[201];       /* the doctor concerned, when there is one */
	char link[64];          /* link_path */
	char why[160];
};

/* o, with why copied into out (the skip/dead/retry reason). */
enum prep_outcome prepared_outcome(struct prepared_mail *out, enum prep_outcome o, const char *why);

#endif
