/* medsysctl: administration commands: migrate, status, create-admin,
 * create-user, audit-verify, keys, export-fhir, import, triage. */
#include <ctype.h>
#include <getopt.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "core/audit.h"
#include "core/config.h"
#include "core/sealstore.h"
#include "ctl/audit_verify.h"
#include "ctl/documents_cleanup.h"
#include "ctl/export_fhir.h"
#include "ctl/import_icd10.h"
#include "ctl/rx_keys.h"
#include "ctl/rx_sign_pending.h"
#include "ctl/turn_credential.h"
#include "ctl/import_formulary.h"
#include "ctl/import_lab.h"
#include "ctl/lab_import.h"
#include "ctl/triage_cli.h"
#include "ctl/tele_cleanup.h"
#include "lib/sign.h"
#include "core/db.h"
#include "core/migrate.h"
#include "core/password.h"
#include "lib/totp.h"

#ifndef MEDSYS_SYSCONFDIR
#define MEDSYS_SYSCONFDIR "/usr/local/etc"
#endif

struct command {
	const char *name;
	const char *help;
	int (*run)(const struct config *cfg, int argc, char **argv);
};

static int
migrations_dir(const struct config *cfg, char *out, size_t len)
{
	return snprintf(out, len, "%s/sql/migrations", cfg->datadir) < (int)len ? 0 : -1;
}

static int
cmd_migrate(const struct config *cfg, int argc, char **argv)
{
	char dir[700], err[1024];
	int rc;

	(void)argc;
	(void)argv;
	migrations_dir(cfg, dir, sizeof(dir));
	rc = migrate_run(config_admin_conninfo(cfg), dir, MIGRATE_APPLY, stdout, err, sizeof(err));
	if (rc == -1) {
		fprintf(stderr, "medsysctl migrate: %s\n", err);
		return 1;
	}
	printf("database is up to date\n");
	return 0;
}

static int
cmd_status(const struct config *cfg, int argc, char **argv)
{
	char dir[700], err[1024], safe[CONFIG_STR_MAX];
	PGconn *c;
	int pending;

	(void)argc;
	(void)argv;
	config_redact_conninfo(config_admin_conninfo(cfg), safe, sizeof(safe));
	printf("database: %s\n", safe);
	c = PQconnectdb(config_admin_conninfo(cfg));
	if (PQstatus(c) != CONNECTION_OK) {
		printf("connection: FAILED (%s)", PQerrorMessage(c));
		PQfinish(c);
		return 1;
	}
	printf("connection: ok (PostgreSQL %d)\n", PQserverVersion(c));
	PQfinish(c);
	migrations_dir(cfg, dir, sizeof(dir));
	pending = migrate_run(config_admin_conninfo(cfg), dir, MIGRATE_STATUS, stdout, err, sizeof(err));
	if (pending == -1) {
		fprintf(stderr, "medsysctl status: %s\n", err);
		return 1;
	}
	printf("pending migrations: %d%s\n", pending,
	       pending ? " (run: medsysctl migrate)" : "");
	return pending ? 3 : 0;
}

/* ------------------------------------------------ accounts and audit */

/* Connect (as db_admin, else db) with the named statements of
 * sql/<queries> ("queries": the ones medsysd uses). 0, or -1 with a
 * message on stderr. */
static int
open_db_with(const struct config *cfg, const char *cmd, const char *queries)
{
	char dir[700], err[1024];

	snprintf(dir, sizeof(dir), "%s/sql/%s", cfg->datadir, queries);
	if (db_init(config_admin_conninfo(cfg), cfg->clinic_timezone, dir, cfg->db_connect_timeout, err, sizeof(err)) == -1) {
		fprintf(stderr, "medsysctl %s: %s\n", cmd, err);
		return -1;
	}
	if (db_ensure() != DB_OK) {
		fprintf(stderr, "medsysctl %s: the database is unavailable (or not migrated: "
		        "run medsysctl migrate)\n", cmd);
		db_shutdown();
		return -1;
	}
	return 0;
}

static int
open_db(const struct config *cfg, const char *cmd)
{
	return open_db_with(cfg, cmd, "queries");
}

/* Read one line into buf (the newline removed). From a terminal the
 * typing is not echoed. 0, or -1 (nothing read, or longer than len - 2). */
static int
read_secret_line(const char *prompt, char *buf, size_t len)
{
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO), hidden = 0;
	size_t n;
	char *ok;

	if (tty) {
		fputs(prompt, stderr);
		fflush(stderr);
		if (tcgetattr(STDIN_FILENO, &old) == 0) {
			quiet = old;
			quiet.c_lflag &= ~(tcflag_t)ECHO;
			quiet.c_lflag |= ECHONL;
			hidden = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
		}
	}
	ok = fgets(buf, (int)len, stdin);
	if (hidden)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	if (ok == NULL)
		return -1;
	n = strlen(buf);
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	else if (n == len - 1)
		return -1;   /* no newline within the buffer: too long */
	if (n > 0 && buf[n - 1] == '\r')
		buf[--n] = '\0';
	return 0;
}

/* What password_check's verdict means, for the person at the terminal. */
static const char *
password_problem_text(enum password_problem p)
{
	switch (p) {
	case PASSWORD_TOO_SHORT: return "it is too short (at least 10 characters)";
	case PASSWORD_TOO_LONG: return "it is too long";
	case PASSWORD_NOT_TEXT: return "it holds characters that cannot be used";
	case PASSWORD_COMMON: return "it is too common (in the list of common passwords)";
	case PASSWORD_HAS_EMAIL: return "it contains the e-mail address";
	case PASSWORD_HAS_NAME: return "it contains the person's name";
	default: return "it cannot be used";
	}
}

/* A plausible e-mail address, lowercased in place. */
static int
email_ok(char *s)
{
	char *at = strchr(s, '@');
	size_t n = strlen(s);

	for (char *p = s; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return n >= 3 && n <= 254 && at && at != s && strchr(at + 1, '@') == NULL &&
	       strchr(at, '.') != NULL && at[1] != '.' && s[n - 1] != '.' &&
	       strpbrk(s, " ,;:<>()[]\\\"\t\r\n") == NULL;
}

/* A name of 1..200 characters without control characters. */
static int
name_ok(const char *s)
{
	size_t chars = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return 0;
		chars += (*p & 0xc0) != 0x80;
	}
	return chars >= 1 && chars <= 200;
}

struct new_account {
	char email[256];
	const char *name;
	const char *role;
	const char *totp_secret;   /* base32, NULL: none */
	const char *licence;       /* doctor, pharmacist */
	const char *pharmacy;      /* pharmacist */
};

/* Inside insert_account: the licence number belongs to another account.
 * Rolls back, says so, and returns 1 (refused). */
static int
licence_taken(const char *cmd, const struct new_account *na)
{
	db_rollback();
	fprintf(stderr, "medsysctl %s: the licence number %s belongs to another account\n",
	        cmd, na->licence);
	return 1;
}

/* The account in one transaction: user (e-mail verified), role, staff
 * details, audit row. 0, 1 when refused (message printed), -1 on error. */
static int
insert_account(const struct config *cfg, const char *cmd, const struct new_account *na,
               const char *hash)
{
	struct db_result *res;
	enum db_status st;
	char id[24];
	const char *p[6] = { na->email, na->name, cfg->default_language, hash, "true", na->totp_secret };

	if (db_begin() != DB_OK)
		return -1;
	st = db_query(&res, "admin_user_insert", 6, p);
	if (st == DB_CONFLICT) {
		db_rollback();
		fprintf(stderr, "medsysctl %s: an account with the e-mail %s already exists\n", cmd, na->email);
		return 1;
	}
	if (st != DB_OK)
		goto fail;
	snprintf(id, sizeof(id), "%s", db_value(res, 0, 0));
	db_result_free(res);
	{
		const char *q[3] = { id, na->role, NULL };
		if (db_run("admin_role_grant", 3, q) != DB_OK)
			goto fail;
	}
	if (strcmp(na->role, "doctor") == 0 && na->licence) {
		const char *q[3] = { id, na->name, na->licence };
		st = db_query(&res, "admin_doctor_link", 3, q);
		if (st == DB_OK && db_rows(res) != 1)
			st = DB_CONFLICT;
		db_result_free(res);
		if (st == DB_CONFLICT)
			return licence_taken(cmd, na);
		if (st != DB_OK)
			goto fail;
	}
	if (strcmp(na->role, "pharmacist") == 0) {
		const char *q[3] = { id, na->pharmacy, na->licence };
		st = db_run("admin_pharmacist_create", 3, q);
		if (st == DB_CONFLICT)
			return licence_taken(cmd, na);
		if (st != DB_OK)
			goto fail;
	}
	if (audit_log_system(0, atoll(id), "admin.user_created", "medsysctl") == -1)
		goto fail;
	if (db_commit() != DB_OK)
		goto fail;
	return 0;
fail:
	db_rollback();
	fprintf(stderr, "medsysctl %s: the account could not be written (database error)\n", cmd);
	return -1;
}

/* Check, read the password, hash, insert. The exit status. */
static int
create_account_cmd(const struct config *cfg, const char *cmd, struct new_account *na)
{
	char path[700], pw[PASSWORD_MAX_BYTES + 2], again[PASSWORD_MAX_BYTES + 2];
	char hash[PASSWORD_HASH_MAX];
	enum password_problem problem;
	struct db_result *res;
	int rc, exists;

	if (!email_ok(na->email)) {
		fprintf(stderr, "medsysctl %s: \"%s\" is not a valid e-mail address\n", cmd, na->email);
		return 2;
	}
	if (!name_ok(na->name)) {
		fprintf(stderr, "medsysctl %s: the full name must have 1 to 200 characters\n", cmd);
		return 2;
	}
	if (cfg->common_passwords[0])
		snprintf(path, sizeof(path), "%s", cfg->common_passwords);
	else
		snprintf(path, sizeof(path), "%s/data/common-passwords.txt", cfg->datadir);
	if (password_load_common(path) < 0) {
		fprintf(stderr, "medsysctl %s: cannot read the common-passwords list %s\n", cmd, path);
		return 1;
	}
	if (open_db(cfg, cmd) == -1)
		return 1;
	{
		const char *p[1] = { na->email };
		if (db_query(&res, "admin_email_exists", 1, p) != DB_OK) {
			fprintf(stderr, "medsysctl %s: the database is unavailable\n", cmd);
			db_shutdown();
			return 1;
		}
		exists = db_rows(res) > 0;
		db_result_free(res);
	}
	if (exists) {
		fprintf(stderr, "medsysctl %s: an account with the e-mail %s already exists\n", cmd, na->email);
		db_shutdown();
		return 1;
	}
	rc = 1;
	if (read_secret_line("Password: ", pw, sizeof(pw)) == -1) {
		fprintf(stderr, "medsysctl %s: no password given (or longer than %d bytes)\n", cmd, PASSWORD_MAX_BYTES);
		goto out;
	}
	if ((problem = password_check(pw, na->email, na->name)) != PASSWORD_OK) {
		fprintf(stderr, "medsysctl %s: password refused: %s\n", cmd, password_problem_text(problem));
		goto out;
	}
	if (isatty(STDIN_FILENO)) {
		if (read_secret_line("Password again: ", again, sizeof(again)) == -1 || strcmp(pw, again) != 0) {
			fprintf(stderr, "medsysctl %s: the two passwords differ\n", cmd);
			goto out;
		}
	}
	if (password_hash(pw, &password_params_default, hash, sizeof(hash)) == -1) {
		fprintf(stderr, "medsysctl %s: hashing the password failed\n", cmd);
		goto out;
	}
	rc = insert_account(cfg, cmd, na, hash) == 0 ? 0 : 1;
	if (rc == 0) {
		printf("created %s account %s (%s), e-mail verified\n", na->role, na->email, na->name);
		if (na->totp_secret)
			printf("two-step verification is enrolled with the secret given\n");
		else if (strcmp(na->role, "patient") != 0)
			printf("next: sign in at %s/login and set up two-step verification "
			       "(required for staff) before anything else\n", cfg->base_url);
		else
			printf("next: sign in at %s/login\n", cfg->base_url);
	}
out:
	explicit_bzero(pw, sizeof(pw));
	explicit_bzero(again, sizeof(again));
	db_shutdown();
	return rc;
}

/* medsysctl create-admin EMAIL "FULL NAME" (password on stdin). */
static int
cmd_create_admin(const struct config *cfg, int argc, char **argv)
{
	struct new_account na = { .role = "admin" };

	if (argc != 3) {
		fprintf(stderr, "usage: medsysctl create-admin EMAIL \"FULL NAME\"  (password on stdin)\n");
		return 2;
	}
	snprintf(na.email, sizeof(na.email), "%s", argv[1]);
	na.name = argv[2];
	return create_account_cmd(cfg, "create-admin", &na);
}

/* medsysctl create-user --role ROLE [--totp-secret B32] [--licence L]
 * [--pharmacy NAME] EMAIL "FULL NAME" (password on stdin): demo data. */
static int
cmd_create_user(const struct config *cfg, int argc, char **argv)
{
	static const char *const roles[] = { "patient", "doctor", "pharmacist", "lab", "reception", "admin", NULL };
	struct new_account na = { .role = NULL };
	const char *pos[2] = { NULL, NULL };
	char secret[128];
	int npos = 0, known = 0;

	for (int i = 1; i < argc; i++) {
		const char **opt = strcmp(argv[i], "--role") == 0 ? &na.role
		                 : strcmp(argv[i], "--totp-secret") == 0 ? &na.totp_secret
		                 : strcmp(argv[i], "--licence") == 0 ? &na.licence
		                 : strcmp(argv[i], "--pharmacy") == 0 ? &na.pharmacy : NULL;
		if (opt && i + 1 < argc)
			*opt = argv[++i];
		else if (!opt && argv[i][0] != '-' && npos < 2)
			pos[npos++] = argv[i];
		else
			npos = 3;
	}
	for (size_t i = 0; na.role && roles[i]; i++)
		known |= strcmp(na.role, roles[i]) == 0;
	if (npos != 2 || !known ||
	    (strcmp(na.role, "pharmacist") == 0 && (!na.licence || !na.pharmacy))) {
		fprintf(stderr, "usage: medsysctl create-user --role ROLE [--totp-secret BASE32] "
		        "[--licence NUMBER] [--pharmacy NAME] EMAIL \"FULL NAME\"  (password on stdin)\n"
		        "  ROLE: patient, doctor, pharmacist, lab, reception or admin; a pharmacist "
		        "needs --licence and --pharmacy; a doctor with --licence is listed in the directory\n");
		return 2;
	}
	if (na.totp_secret) {
		unsigned char key[64];
		size_t o = 0;
		long n = base32_decode(na.totp_secret, key, sizeof(key));
		if (n < 10) {
			fprintf(stderr, "medsysctl create-user: --totp-secret must be base32 of at least 10 bytes\n");
			return 2;
		}
		for (const char *s = na.totp_secret; *s && o + 1 < sizeof(secret); s++)
			if (*s != ' ' && *s != '=')
				secret[o++] = (char)toupper((unsigned char)*s);
		secret[o] = '\0';
		na.totp_secret = secret;
	}
	snprintf(na.email, sizeof(na.email), "%s", pos[0]);
	na.name = pos[1];
	return create_account_cmd(cfg, "create-user", &na);
}

/* medsysctl audit-verify: rows, seals, signatures and the seal file
 * (fcgi/ctl/audit_verify.c). 0 intact, 1 broken, 2 cannot check. */
static int
cmd_audit_verify(const struct config *cfg, int argc, char **argv)
{
	int rc;

	(void)argc;
	(void)argv;
	if (open_db_with(cfg, "audit-verify", "sealer") == -1)
		return 2;
	rc = audit_verify(cfg, stdout);
	db_shutdown();
	return rc;
}

/* medsysctl export-fhir --patient ID [--out FILE]: the patient's record as
 * a FHIR R4 Bundle (docs/record.md). 0 written, 1 no such patient, 2
 * failed. */
static int
cmd_export_fhir(const struct config *cfg, int argc, char **argv)
{
	const char *patient = NULL, *path = NULL;
	FILE *out = stdout;
	int rc;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--patient") == 0)
			patient = argv[i + 1];
		else if (strcmp(argv[i], "--out") == 0)
			path = argv[i + 1];
		else
			patient = NULL, i = argc;
	}
	if (patient == NULL || argc % 2 == 0) {
		fprintf(stderr, "usage: medsysctl export-fhir --patient ID [--out FILE]\n");
		return 2;
	}
	if (path && (out = fopen(path, "w")) == NULL) {
		fprintf(stderr, "medsysctl export-fhir: cannot write %s\n", path);
		return 2;
	}
	if (open_db(cfg, "export-fhir") == -1)
		rc = 2;
	else {
		rc = export_fhir_write(cfg, patient, out);
		db_shutdown();
	}
	if (path && fclose(out) != 0 && rc == 0) {
		fprintf(stderr, "medsysctl export-fhir: writing %s failed\n", path);
		rc = 2;
	}
	if (path && rc != 0)
		remove(path);
	return rc;
}

/* medsysctl documents-cleanup: remove stored documents no record points
 * to (fcgi/ctl/documents_cleanup.c). */
static int
cmd_documents_cleanup(const struct config *cfg, int argc, char **argv)
{
	int rc;

	if (argc != 1) {
		fprintf(stderr, "usage: medsysctl %s\n", argv[0]);
		return 2;
	}
	if (open_db(cfg, argv[0]) == -1)
		return 2;
	rc = documents_cleanup(cfg);
	db_shutdown();
	return rc;
}

/* medsysctl keys audit-generate: a new Ed25519 key pair for medsys-sealer
 * in seal_dir (run as the sealer's user, so that only it can read the
 * private key). */
static int
cmd_keys(const struct config *cfg, int argc, char **argv)
{
	unsigned char pub[SIGN_PUBLIC_BYTES], priv[SIGN_PRIVATE_BYTES];
	char id[SIGN_KEY_ID_LEN + 1], err[1200];
	int rc = 1;

	if (argc >= 2 && (strcmp(argv[1], "rotate") == 0 || strcmp(argv[1], "revoke") == 0)) {
		/* prescription keys (ctl/rx_keys.c), with sql/keys as db_admin */
		if (rx_keys_usage(argc, argv) != 0)
			return 2;
		if (open_db_with(cfg, "keys", "keys") == -1)
			return 1;
		rc = strcmp(argv[1], "rotate") == 0 ? rx_keys_rotate(cfg, argc, argv)
		                                    : rx_keys_revoke(cfg, argc, argv);
		db_shutdown();
		return rc;
	}
	if (argc != 2 || strcmp(argv[1], "audit-generate") != 0) {
		fprintf(stderr, "usage: medsysctl keys audit-generate | rotate | revoke KEYID --reason TEXT\n"
		        "  rotate: a new prescription signing key in rx_key_dir (%s); the current one retires\n"
		        "  audit-generate: a new audit sealing key in seal_dir (%s): %s (private, mode 0400)\n"
		        "  and %s/ID.pub (public); restart medsys-sealer to start using it\n",
		        cfg->rx_key_dir, cfg->seal_dir, SEALSTORE_PRIVATE, SEALSTORE_KEYS);
		return 2;
	}
	if (sign_keypair(pub, priv) == -1) {
		fprintf(stderr, "medsysctl keys: generating the key failed\n");
		return 1;
	}
	if (sealstore_write_keys(cfg->seal_dir, pub, priv, err, sizeof(err)) == -1) {
		fprintf(stderr, "medsysctl keys: %s\n", err);
		goto out;
	}
	sign_key_id(pub, id);
	printf("audit sealing key %s: private %s/%s, public %s/%s/%s.pub\n"
	       "restart medsys-sealer to seal with it; copy the public key off this host "
	       "(docs/admin.md)\n", id, cfg->seal_dir, SEALSTORE_PRIVATE, cfg->seal_dir,
	       SEALSTORE_KEYS, id);
	rc = 0;
out:
	explicit_bzero(priv, sizeof(priv));
	return rc;
}

/* medsysctl import CATALOG FILE ...: load a catalog file (data/, or an
 * official release) with the statements of sql/import (run as db_admin:
 * only the migration role may change the catalogs). */
static int
cmd_import(const struct config *cfg, int argc, char **argv)
{
	struct icd10_import imp;
	struct formulary_import fimp;
	struct lab_catalog_import limp;
	int rc;

	if (argc >= 2 && strcmp(argv[1], "lab-catalog") == 0) {
		if ((rc = import_lab_args(argc - 1, argv + 1, &limp)) != 0)
			return rc;
		if (open_db_with(cfg, "import lab-catalog", "import") == -1)
			return 1;
		rc = import_lab_run(&limp, stdout, stderr);
		db_shutdown();
		return rc;
	}
	if (argc >= 2 && fcat_kind_named(argv[1]) != FCAT__MAX) {
		if ((rc = import_formulary_args(argc - 1, argv + 1, &fimp)) != 0)
			return rc;
		if (open_db_with(cfg, "import", "import") == -1)
			return 1;
		rc = import_formulary_run(&fimp, stdout, stderr);
		db_shutdown();
		return rc;
	}
	if (argc < 2 || strcmp(argv[1], "icd10") != 0) {
		fprintf(stderr, "usage: medsysctl import icd10 FILE [--format project|cms-order] "
		        "[--release TEXT] [--replaces OLD_RELEASE]\n"
		        "       medsysctl import formulary|interactions|allergy-terms FILE [--retire-missing]\n"
		        "       medsysctl import lab-catalog PATH... [--retire-missing]\n");
		return 2;
	}
	if ((rc = import_icd10_args(argc - 1, argv + 1, &imp)) != 0)
		return rc;
	if (open_db_with(cfg, "import icd10", "import") == -1)
		return 1;
	rc = import_icd10_run(&imp, stdout, stderr);
	db_shutdown();
	return rc;
}

/* medsysctl lab-import FILE: HL7 ORU^R01 results from a laboratory
 * system (ctl/lab_import.c), with sql/import as db_admin. */
static int
cmd_lab_import(const struct config *cfg, int argc, char **argv)
{
	int rc;

	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: medsysctl lab-import FILE\n"
		        "  FILE  HL7 v2.5 ORU^R01 messages (one or many, batch envelope or not);\n"
		        "        each message is imported wholly or not at all (docs/lab.md)\n");
		return 2;
	}
	if (open_db_with(cfg, "lab-import", "import") == -1)
		return 1;
	rc = lab_import_run(cfg, argv[1], stdout, stderr);
	db_shutdown();
	return rc;
}

/* medsysctl rx-sign-pending: the demo data's queued prescriptions
 * signed with the current prescription key (ctl/rx_sign_pending.c). */
static int
cmd_rx_sign_pending(const struct config *cfg, int argc, char **argv)
{
	int rc;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: medsysctl rx-sign-pending\n");
		return 2;
	}
	if (open_db(cfg, "rx-sign-pending") == -1)
		return 1;
	rc = rx_sign_pending(cfg);
	db_shutdown();
	return rc;
}

/* medsysctl tele-cleanup [--idle-minutes N]: close the stale video
 * visit rooms (ctl/tele_cleanup.c). */
static int
cmd_tele_cleanup(const struct config *cfg, int argc, char **argv)
{
	int idle = TELE_IDLE_MINUTES, rc;

	if (argc == 3 && strcmp(argv[1], "--idle-minutes") == 0 && atoi(argv[2]) >= 1)
		idle = atoi(argv[2]);
	else if (argc != 1) {
		fprintf(stderr, "usage: medsysctl tele-cleanup [--idle-minutes N]  (default %d)\n", TELE_IDLE_MINUTES);
		return 2;
	}
	if (open_db(cfg, "tele-cleanup") == -1)
		return 2;
	rc = tele_cleanup(idle);
	db_shutdown();
	return rc;
}

static const struct command commands[] = {
	{ "migrate", "apply the pending database migrations", cmd_migrate },
	{ "status", "check the database connection and list migrations", cmd_status },
	{ "create-admin", "create an administrator: EMAIL \"FULL NAME\", password on stdin", cmd_create_admin },
	{ "create-user", "create an account for demo data (see create-user --help)", cmd_create_user },
	{ "audit-verify", "check the audit rows against their seals, signatures and seal file", cmd_audit_verify },
	{ "keys", "audit-generate: a new key for medsys-sealer; rotate, revoke KEYID --reason TEXT: prescription keys", cmd_keys },
	{ "rx-verify", "verify a prescription token offline: TOKEN --keys FILE.json", rx_keys_verify },
	{ "rx-sign-pending", "sign the demo data's queued prescriptions with the current key", cmd_rx_sign_pending },
	{ "turn-credential", "the TURN credential of a user now: [--expires-in SECONDS] USERID", turn_credential_cli },
	{ "export-fhir", "a patient's record as a FHIR R4 Bundle: --patient ID [--out FILE]", cmd_export_fhir },
	{ "import", "load a catalog: icd10|formulary|interactions|allergy-terms|lab-catalog FILE ...", cmd_import },
	{ "lab-import", "import lab results from an HL7 v2.5 ORU^R01 file: FILE", cmd_lab_import },
	{ "documents-cleanup", "remove stored documents no record points to (older than an hour)", cmd_documents_cleanup },
	{ "triage", "the symptom checker offline: --case FILE | --eval DIR | --findings [--kb DIR]", triage_cli },
	{ "chat-cleanup", "the same sweep (chat attachments share the store); reports attachments whose file is missing", cmd_documents_cleanup },
	{ "tele-cleanup", "close the video visit rooms nobody is in any more: [--idle-minutes N]", cmd_tele_cleanup },
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: medsysctl [--config FILE] COMMAND\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-13s %s\n", commands[i].name, commands[i].help);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char default_path[512], err[512];
	const char *config_path = NULL;
	struct config cfg;
	int c;

	snprintf(default_path, sizeof(default_path), "%s/medsys/medsys.conf", MEDSYS_SYSCONFDIR);
	while ((c = getopt_long(argc, argv, "+c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': config_path = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	if (config_path == NULL && access(default_path, R_OK) == 0)
		config_path = default_path;
	if (config_path ? config_load(&cfg, config_path, err, sizeof(err)) : (config_defaults(&cfg), 0)) {
		fprintf(stderr, "medsysctl: %s\n", err);
		return 2;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[optind], commands[i].name) == 0)
			return commands[i].run(&cfg, argc - optind, argv + optind);
	fprintf(stderr, "medsysctl: unknown command \"%s\"\n", argv[optind]);
	usage(stderr);
	return 2;
}
