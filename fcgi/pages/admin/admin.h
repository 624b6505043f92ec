/* admin: what the files of the admin feature (admin.c, users.c,
 * user_new.c, events.c) share; nothing outside fcgi/pages/admin/ uses it. */
#ifndef MEDSYS_PAGES_ADMIN_H
#define MEDSYS_PAGES_ADMIN_H

#include <stddef.h>

struct req;

#define PAGE_ROWS 50            /* rows per page; queries return one more */
#define WELCOME_HOURS 72        /* validity of the set-password link */
#define HASH_WAIT_MS 5000
#define MAX_SPECIALTIES 64
#define MAX_PAGE 100000

/* Specialties ticked in a form. */
struct picked {
	char ids[MAX_SPECIALTIES][12];
	size_t n;
};


/* ------------------------------------------------------------ helpers (admin.c) */

/* 1 when s is one of list. */
int admin_in_list(const char *const *list, const char *s);

/* The translated name of a role code ("doctor" -> "Médico/a"). */
const char *admin_role_label(struct req *r, const char *code);

/* "doctor,admin" -> "Médico/a, Administración" in the arena. */
const char *admin_roles_label(struct req *r, const char *list);

/* s with leading and trailing blanks removed, in the arena ("" for NULL). */
char *admin_trim(struct req *r, const char *s);

/* 1 when s holds a control character. */
int admin_has_control(const char *s);


/* At most max bytes of s, cut at a UTF-8 character boundary. */
char *admin_utf8_cut(struct req *r, const char *s, size_t max);

/* The message of a "msg" code after a redirect (allow-listed codes only). */
void admin_show_message(struct req *r);

/* ------------------------------------------------------ specialties (user_new.c) */

/* List the clinic's specialties as checkboxes, ticking those in picked. */
int admin_fill_specialties(struct req *r, const struct picked *pk);

/* The "specialty" checkboxes of the form: ids only (the database ignores
 * ids that name no specialty). -1 when one is not an id. */
int admin_read_specialties(struct req *r, struct picked *pk);

/* Create or link the user's directory row and add the specialties, in the
 * caller's transaction. 0; 1 when the licence number belongs to another
 * account (or the user already has another row); or an HTTP status. */
int admin_link_doctor(const char *uid_text, const char *name, const char *licence,
		      const struct picked *pk);

/* Role-specific details: a doctor needs a licence number, a pharmacist a
 * pharmacy and a licence number (unless already recorded: have_doctor,
 * have_pharmacist). Optional fields that were left empty read "". */
void admin_check_staff_details(struct req *r, const char *role, int have_doctor, int have_pharmacist);

/* ------------------------------------------------------------ handlers */

/* users.c */
int admin_users(struct req *r);
int admin_user(struct req *r);
int admin_role_grant_page(struct req *r);
int admin_role_revoke_page(struct req *r);
int admin_user_disable(struct req *r);
/* GET /admin/users/ID/disable: the confirmation page of disabling. */
int admin_user_disable_ask(struct req *r);
int admin_user_enable(struct req *r);

/* user_new.c */
int admin_user_new(struct req *r);
int admin_user_create(struct req *r);

/* events.c */
int admin_audit(struct req *r);
int admin_outbox(struct req *r);
int admin_outbox_retry(struct req *r);

#endif
