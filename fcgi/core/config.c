/* config: parsing of the key = value configuration file. */
#include "config.h"

#include "file.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef MEDSYS_DATADIR
#define MEDSYS_DATADIR "/usr/local/share/medsyspro"
#endif

enum config_kind { KIND_STR, KIND_INT, KIND_LONG, KIND_BOOL, KIND_LANG };

struct config_key {
	const char *name;
	enum config_kind kind;
	size_t offset;
	size_t size;
	long min, max;
};

#define STR_KEY(n, f) { n, KIND_STR, offsetof(struct config, f), \
	sizeof(((struct config *)0)->f), 0, 0 }
#define NUM_KEY(n, k, f, lo, hi) { n, k, offsetof(struct config, f), 0, lo, hi }

static const struct config_key config_keys[] = {
	STR_KEY("db", db),
	STR_KEY("db_admin", db_admin),
	STR_KEY("listen", listen),
	STR_KEY("datadir", datadir),
	{ "default_language", KIND_LANG, offsetof(struct config, default_language),
	  sizeof(((struct config *)0)->default_language), 0, 0 },
	NUM_KEY("workers", KIND_INT, workers, 1, 256),
	NUM_KEY("max_body", KIND_LONG, max_body, 1024, 64L * 1024 * 1024),
	NUM_KEY("max_headers", KIND_LONG, max_headers, 1024, 1024L * 1024),
	NUM_KEY("cookie_secure", KIND_BOOL, cookie_secure, 0, 1),
	NUM_KEY("retry_after", KIND_INT, retry_after, 1, 3600),
	NUM_KEY("drain_timeout", KIND_INT, drain_timeout, 1, 3600),
	NUM_KEY("db_connect_timeout", KIND_INT, db_connect_timeout, 1, 60),
	STR_KEY("base_url", base_url),
	NUM_KEY("session_idle_staff", KIND_INT, session_idle_staff, 10, 86400),
	NUM_KEY("session_idle_patient", KIND_INT, session_idle_patient, 10, 86400),
	NUM_KEY("session_absolute", KIND_INT, session_absolute, 60, 7 * 86400),
	NUM_KEY("reauth_window", KIND_INT, reauth_window, 10, 86400),
	NUM_KEY("hash_concurrency", KIND_INT, hash_concurrency, 1, 64),
	NUM_KEY("throttle_free_failures", KIND_INT, throttle_free_failures, 1, 1000),
	NUM_KEY("throttle_window", KIND_INT, throttle_window, 10, 86400),
	STR_KEY("common_passwords", common_passwords),
	STR_KEY("smtp_url", smtp_url),
	NUM_KEY("smtp_starttls", KIND_BOOL, smtp_starttls, 0, 1),
	STR_KEY("smtp_user", smtp_user),
	STR_KEY("smtp_password", smtp_password),
	STR_KEY("mail_from", mail_from),
	NUM_KEY("notify_max_attempts", KIND_INT, notify_max_attempts, 1, 100),
	NUM_KEY("notify_sweep", KIND_INT, notify_sweep, 1, 3600),
	NUM_KEY("notify_retry_base", KIND_INT, notify_retry_base, 1, 3600),
	STR_KEY("clinic_timezone", clinic_timezone),
	NUM_KEY("cancel_cutoff_hours", KIND_INT, cancel_cutoff_hours, 0, 720),
	NUM_KEY("care_window_months", KIND_INT, care_window_months, 1, 120),
	NUM_KEY("break_glass_minutes", KIND_INT, break_glass_minutes, 5, 1440),
	NUM_KEY("chat_mail_minutes", KIND_INT, chat_mail_minutes, 1, 1440),
	NUM_KEY("max_upload", KIND_LONG, max_upload, 1024, 20L * 1024 * 1024),
	STR_KEY("documents_dir", documents_dir),
	STR_KEY("poll_dir", poll_dir),
	STR_KEY("poll_key_file", poll_key_file),
	NUM_KEY("chat_attachment_max_bytes", KIND_LONG, chat_attachment_max_bytes, 1, 20L * 1024 * 1024),
	STR_KEY("reminder_hours", reminder_hours),
	NUM_KEY("booking_weeks", KIND_INT, booking_weeks, 1, 52),
	NUM_KEY("audit_read_sync", KIND_BOOL, audit_read_sync, 0, 1),
	STR_KEY("db_sealer", db_sealer),
	STR_KEY("seal_dir", seal_dir),
	NUM_KEY("seal_interval_ms", KIND_INT, seal_interval_ms, 50, 60000),
	STR_KEY("rx_key_dir", rx_key_dir),
	NUM_KEY("rx_validity_days", KIND_INT, rx_validity_days, 1, 365),
	NUM_KEY("lab_release_second_person", KIND_BOOL, lab_release_second_person, 0, 1),
	NUM_KEY("lab_critical_ack_minutes", KIND_INT, lab_critical_ack_minutes, 1, 1440),
	STR_KEY("lab_oncall_email", lab_oncall_email),
	NUM_KEY("lab_import_release", KIND_BOOL, lab_import_release, 0, 1),
	STR_KEY("triage_kb", triage_kb),
	STR_KEY("turn_urls", turn_urls),
	STR_KEY("stun_urls", stun_urls),
	STR_KEY("turn_secret_file", turn_secret_file),
	NUM_KEY("turn_ttl_seconds", KIND_INT, turn_ttl_seconds, 60, 86400),
	NUM_KEY("tele_audio_max_bytes", KIND_LONG, tele_audio_max_bytes, 1024, 20L * 1024 * 1024),
	STR_KEY("transcribe_command", transcribe_command),
	NUM_KEY("transcribe_timeout", KIND_INT, transcribe_timeout, 5, 3600),
	NUM_KEY("tele_audio_retention_days", KIND_INT, tele_audio_retention_days, 0, 3650),
};

void
config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->db, sizeof(cfg->db), "dbname=medsys");
	snprintf(cfg->datadir, sizeof(cfg->datadir), "%s", MEDSYS_DATADIR);
	snprintf(cfg->default_language, sizeof(cfg->default_language), "es");
	cfg->workers = 4;
	cfg->max_body = 1024L * 1024;
	cfg->max_headers = 16L * 1024;
	cfg->cookie_secure = 1;
	cfg->retry_after = 10;
	cfg->drain_timeout = 30;
	cfg->db_connect_timeout = 2;
	snprintf(cfg->base_url, sizeof(cfg->base_url), "http://127.0.0.1:8080");
	cfg->session_idle_staff = 15 * 60;
	cfg->session_idle_patient = 30 * 60;
	cfg->session_absolute = 12 * 3600;
	cfg->reauth_window = 5 * 60;
	cfg->hash_concurrency = 2;
	cfg->throttle_free_failures = 5;
	cfg->throttle_window = 15 * 60;
	snprintf(cfg->smtp_url, sizeof(cfg->smtp_url), "smtp://127.0.0.1:25");
	cfg->smtp_starttls = 0;
	snprintf(cfg->mail_from, sizeof(cfg->mail_from), "MedSysPro <no-reply@localhost>");
	cfg->notify_max_attempts = 8;
	cfg->notify_sweep = 30;
	cfg->notify_retry_base = 5;
	snprintf(cfg->clinic_timezone, sizeof(cfg->clinic_timezone), "Europe/Madrid");
	cfg->cancel_cutoff_hours = 24;
	cfg->care_window_months = 18;
	cfg->break_glass_minutes = 60;
	cfg->chat_mail_minutes = 15;
	cfg->max_upload = 10L * 1024 * 1024;
	cfg->chat_attachment_max_bytes = 10L * 1024 * 1024;
	snprintf(cfg->documents_dir, sizeof(cfg->documents_dir), "/var/lib/medsys/documents");
	snprintf(cfg->poll_dir, sizeof(cfg->poll_dir), "/var/lib/medsys/poll");
	snprintf(cfg->reminder_hours, sizeof(cfg->reminder_hours), "24,2");
	cfg->booking_weeks = 8;
	snprintf(cfg->seal_dir, sizeof(cfg->seal_dir), "/var/lib/medsys-sealer");
	cfg->seal_interval_ms = 1000;
	snprintf(cfg->rx_key_dir, sizeof(cfg->rx_key_dir), "/var/lib/medsys/rx-keys");
	cfg->rx_validity_days = 10;
	cfg->lab_critical_ack_minutes = 30;
	cfg->turn_ttl_seconds = 3600;
	cfg->tele_audio_max_bytes = 2L * 1024 * 1024;
	cfg->transcribe_timeout = 300;
}

const char *
config_admin_conninfo(const struct config *cfg)
{
	return cfg->db_admin[0] ? cfg->db_admin : cfg->db;
}

static const struct config_key *
config_key_find(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(config_keys) / sizeof(config_keys[0]); i++)
		if (strlen(config_keys[i].name) == len &&
		    memcmp(config_keys[i].name, name, len) == 0)
			return &config_keys[i];
	return NULL;
}

static int
parse_bool(const char *v, long *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "on") || !strcmp(v, "1"))
		*out = 1;
	else if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "off") || !strcmp(v, "0"))
		*out = 0;
	else
		return -1;
	return 0;
}

/* Store value v for key k in cfg; -1 with a reason in err. */
static int
config_set(struct config *cfg, const struct config_key *k, const char *v,
           char *err, size_t errlen)
{
	char *base = (char *)cfg + k->offset;
	long n;
	char *end;

	switch (k->kind) {
	case KIND_LANG:
		if (strcmp(v, "es") && strcmp(v, "en")) {
			snprintf(err, errlen, "must be \"es\" or \"en\"");
			return -1;
		}
		/* FALLTHROUGH */
	case KIND_STR:
		if (strlen(v) >= k->size) {
			snprintf(err, errlen, "value is longer than %zu bytes", k->size - 1);
			return -1;
		}
		memcpy(base, v, strlen(v) + 1);
		return 0;
	case KIND_BOOL:
		if (parse_bool(v, &n) == -1) {
			snprintf(err, errlen, "must be yes or no");
			return -1;
		}
		*(int *)base = (int)n;
		return 0;
	case KIND_INT:
	case KIND_LONG:
		errno = 0;
		n = strtol(v, &end, 10);
		if (errno || end == v || *end != '\0' || n < k->min || n > k->max) {
			snprintf(err, errlen, "must be a whole number from %ld to %ld",
			         k->min, k->max);
			return -1;
		}
		if (k->kind == KIND_INT)
			*(int *)base = (int)n;
		else
			*(long *)base = n;
		return 0;
	}
	return -1;
}

static void
trim(const char **s, const char **e)
{
	while (*s < *e && isspace((unsigned char)**s))
		(*s)++;
	while (*e > *s && isspace((unsigned char)(*e)[-1]))
		(*e)--;
}

int
config_parse(struct config *cfg, const char *text, size_t len,
             char *err, size_t errlen)
{
	const char *p = text, *end = text + len;
	int lineno = 0;
	char why[160], value[CONFIG_STR_MAX];

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *ls = p, *le = nl ? nl : end;
		const char *eq, *ks, *ke, *vs, *ve;
		const struct config_key *k;

		p = nl ? nl + 1 : end;
		lineno++;
		trim(&ls, &le);
		if (ls == le || *ls == '#')
			continue;
		eq = memchr(ls, '=', (size_t)(le - ls));
		if (eq == NULL) {
			snprintf(err, errlen, "line %d: expected \"key = value\"", lineno);
			return -1;
		}
		ks = ls; ke = eq; vs = eq + 1; ve = le;
		trim(&ks, &ke);
		trim(&vs, &ve);
		if ((k = config_key_find(ks, (size_t)(ke - ks))) == NULL) {
			snprintf(err, errlen, "line %d: unknown key \"%.*s\"; see medsys.conf.sample for the keys",
			         lineno, (int)(ke - ks > 64 ? 64 : ke - ks), ks);
			return -1;
		}
		if ((size_t)(ve - vs) >= sizeof(value)) {
			snprintf(err, errlen, "line %d: value of %s is too long", lineno, k->name);
			return -1;
		}
		memcpy(value, vs, (size_t)(ve - vs));
		value[ve - vs] = '\0';
		if (config_set(cfg, k, value, why, sizeof(why)) == -1) {
			snprintf(err, errlen, "line %d: %s %s", lineno, k->name, why);
			return -1;
		}
	}
	return 0;
}

int
config_load(struct config *cfg, const char *path, char *err, size_t errlen)
{
	size_t len = 0;
	char *buf, inner[256];
	int rc = 0;

	config_defaults(cfg);
	if ((buf = file_read_all(path, 1024 * 1024, &len)) == NULL) {
		snprintf(err, errlen, "cannot read configuration file %s: %s (at most 1 MiB)",
		         path, strerror(errno));
		return -1;
	}
	if (config_parse(cfg, buf, len, inner, sizeof(inner)) == -1) {
		snprintf(err, errlen, "%s: %s", path, inner);
		rc = -1;
	}
	free(buf);
	return rc;
}

void
config_redact_conninfo(const char *conninfo, char *out, size_t outlen)
{
	const char *p = conninfo;
	size_t o = 0;

	if (outlen == 0)
		return;
	while (*p && o + 1 < outlen) {
		if ((p == conninfo || isspace((unsigned char)p[-1])) &&
		    strncmp(p, "password", 8) == 0) {
			const char *q = p + 8;
			while (isspace((unsigned char)*q))
				q++;
			if (*q == '=') {
				int n = snprintf(out + o, outlen - o, "password=***");
				o += (n > 0 && (size_t)n < outlen - o) ? (size_t)n : 0;
				q++;
				while (isspace((unsigned char)*q))
					q++;
				if (*q == '\'') {
					for (q++; *q && *q != '\''; q++)
						if (*q == '\\' && q[1])
							q++;
					if (*q)
						q++;
				} else {
					while (*q && !isspace((unsigned char)*q))
						q++;
				}
				p = q;
				continue;
			}
		}
		out[o++] = *p++;
	}
	out[o] = '\0';
}
