/* config: the medsysd/medsysctl configuration file (key = value lines). */
#ifndef MEDSYS_CONFIG_H
#define MEDSYS_CONFIG_H

#include <stddef.h>

#define CONFIG_STR_MAX 512

/* Every key, its meaning and its default are listed in medsys.conf.sample. */
struct config {
	char db[CONFIG_STR_MAX];        /* libpq conninfo; may hold a password */
	char db_admin[CONFIG_STR_MAX];  /* medsysctl's conninfo; "" = db */
	char listen[CONFIG_STR_MAX];    /* unix socket path medsysd opens itself */
	char datadir[CONFIG_STR_MAX];   /* holds templates/, sql/, static/ */
	char default_language[8];       /* "es" or "en" */
	int workers;                    /* prefork workers */
	long max_body;                  /* bytes of a request body */
	long max_headers;               /* bytes of all request headers together */
	int cookie_secure;              /* 0 only on the plain-HTTP dev server */
	int retry_after;                /* seconds told to clients on 503 */
	int drain_timeout;              /* seconds a worker may take to finish */
	int db_connect_timeout;         /* seconds per connection attempt */

	/* accounts and sessions */
	char base_url[CONFIG_STR_MAX];  /* public URL for links in e-mails */
	int session_idle_staff;         /* seconds */
	int session_idle_patient;       /* seconds */
	int session_absolute;           /* seconds */
	int reauth_window;              /* seconds a typed password stays fresh */
	int hash_concurrency;           /* password hashes running at once, all workers */
	int throttle_free_failures;     /* failures before delays start */
	int throttle_window;            /* seconds failures are remembered */
	char common_passwords[CONFIG_STR_MAX]; /* list file; "" = datadir's */

	/* notifier and mail */
	char smtp_url[CONFIG_STR_MAX];  /* smtp://host:port or smtps:// */
	int smtp_starttls;              /* require STARTTLS on smtp:// */
	char smtp_user[CONFIG_STR_MAX];
	char smtp_password[CONFIG_STR_MAX];  /* secret: never logged */
	char mail_from[CONFIG_STR_MAX];
	int notify_max_attempts;        /* then the event is dead-lettered */
	int notify_sweep;               /* seconds between sweeps for missed events */
	int notify_retry_base;          /* seconds; doubles per attempt */

	/* appointments */
	char clinic_timezone[64];       /* IANA name; all local times are in it */
	int cancel_cutoff_hours;        /* patients may cancel/move until then */
	int audit_read_sync;            /* 1: a read's audit row waits for the WAL flush */
	char reminder_hours[64];        /* e.g. "24,2": reminders before a visit */
	int booking_weeks;              /* how far ahead slots are offered */

	/* the medical record */
	int care_window_months;         /* an appointment this recent is a care relationship */
	int break_glass_minutes;        /* how long a break-glass grant lasts */
	int chat_mail_minutes;          /* at most one mail per chat thread this often */
	long max_upload;                /* bytes of one uploaded file (a document) */
	char documents_dir[CONFIG_STR_MAX]; /* the record's documents, by content hash */
	long chat_attachment_max_bytes; /* one chat attachment, at most max_upload */

	/* polls nginx answers itself (docs/chat.md "Polling") */
	char poll_dir[CONFIG_STR_MAX];  /* medsys-pollfiles' files, served by nginx under /poll/ */
	char poll_key_file[CONFIG_STR_MAX]; /* nginx snippet with the shared secret; "" = off */

	/* audit seals (medsys-sealer, medsysctl audit-verify) */
	char db_sealer[CONFIG_STR_MAX]; /* medsys-sealer's conninfo; "" = db */
	char seal_dir[CONFIG_STR_MAX];  /* signing key, public keys, seal file */
	int seal_interval_ms;           /* between sealing rounds */

	/* prescriptions (docs/prescriptions.md "Keys") */
	char rx_key_dir[CONFIG_STR_MAX]; /* private signing keys, <key id>.key, 0600 */
	int rx_validity_days;           /* days a prescription may be dispensed, issue day included */

	/* lab orders and results (docs/lab.md) */
	int lab_release_second_person;  /* a release needs a second person, not the one who entered */
	int lab_critical_ack_minutes;   /* unacknowledged critical value: escalate after this */
	char lab_oncall_email[CONFIG_STR_MAX]; /* the clinic's on-call address ("" = no escalation mail) */
	int lab_import_release;         /* medsysctl lab-import releases what it imports (default no) */
	/* the symptom checker (docs/triage.md "Pages") */
	char triage_kb[CONFIG_STR_MAX]; /* knowledge-base directory; "" = datadir's data/triage */

	/* teleconsultation: NAT traversal (docs/tele.md "TURN") */
	char turn_urls[CONFIG_STR_MAX]; /* space-separated turn: URLs; "" = no TURN */
	char stun_urls[CONFIG_STR_MAX]; /* space-separated stun: URLs; "" = none */
	char turn_secret_file[CONFIG_STR_MAX]; /* coturn's static-auth-secret */
	int turn_ttl_seconds;           /* how long a TURN credential is valid */
	/* the consultation transcript (docs/tele.md "Transcript") */
	long tele_audio_max_bytes;      /* one uploaded audio chunk */
	char transcribe_command[CONFIG_STR_MAX]; /* run with a chunk's path; "" = datadir's pocketsphinx.sh */
	int transcribe_timeout;         /* seconds one run may take */
	int tele_audio_retention_days;  /* 0: audio deleted once transcribed */
};

/* Fill cfg with the defaults. */
void config_defaults(struct config *cfg);

/* Parse configuration text over the defaults already in cfg. On error
 * returns -1 and writes a message naming the line into err. Pure: no I/O. */
int config_parse(struct config *cfg, const char *text, size_t len,
                 char *err, size_t errlen);

/* Defaults, then the file at path. -1 with a message in err on error. */
int config_load(struct config *cfg, const char *path, char *err, size_t errlen);

/* The conninfo medsysctl uses: db_admin when set, else db. */
const char *config_admin_conninfo(const struct config *cfg);

/* Copy conninfo into out with any password=... value replaced by "***",
 * so that it can be printed. */
void config_redact_conninfo(const char *conninfo, char *out, size_t outlen);

#endif
