/* home: what the files of the home feature share (home.c: the public
 * home and the choice of home; sections.c: the signed-in homes; walkin.c:
 * reception's walk-in patients; claim.c: claiming a walk-in account). */
#ifndef MEDSYS_PAGES_HOME_H
#define MEDSYS_PAGES_HOME_H

struct req;

/* The signed-in home of r's user: every section their roles see
 * (Home.<section>...), template home/mine.cs, never stored by a cache. */
int home_signed_in(struct req *r);

/* walkin.c: reception registers a walk-in patient and mails a claim link. */
int walkin_new_get(struct req *r);
int walkin_new_post(struct req *r);
int walkin_claim_get(struct req *r);
int walkin_claim_post(struct req *r);

/* claim.c: the patient opens the claim link and chooses a password. */
int claim_get(struct req *r);
int claim_post(struct req *r);

#endif
