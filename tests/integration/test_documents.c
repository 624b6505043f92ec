/* test_documents: documents in a patient's record against a real stack
 * (nginx, medsysd, PostgreSQL): a doctor adds PDF, JPEG and PNG files
 * (types by content), refused types and sizes, storage by content hash
 * (once per content, nothing left by a failed upload), downloads through
 * nginx's internal location with the right headers for the patient and
 * the doctor, 404/403 where they belong, corrections as versions, the
 * cleanup of orphans and the audit rows. Run by documents.stack. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "fixtures.h"
#include "http_client.h"

#define BOUNDARY "----medsysTestBoundary7MA4YWxk"
#define MB (1024L * 1024L)

/* A document's content: magic bytes, then a marker that makes it unique,
 * then filler up to len bytes. malloc'd. */
static char *
content(const char *magic, size_t magic_len, const char *marker, size_t len)
{
	char *b = malloc(len);
	size_t m = strlen(marker);

	ck_assert_ptr_nonnull(b);
	ck_assert_uint_ge(len, magic_len + m);
	memset(b, 'x', len);
	memcpy(b, magic, magic_len);
	memcpy(b + magic_len, marker, m);
	return b;
}

#define PDF(marker, len) content("%PDF-1.4\n", 9, marker, len)
#define PNG(marker, len) content("\x89PNG\r\n\x1a\n", 8, marker, len)
#define JPEG(marker, len) content("\xff\xd8\xff\xe0", 4, marker, len)

/* Doctor 1 has a care relationship with patient 1 (an upcoming visit),
 * none with patient 2. */
static void
relationship(void)
{
	if (it_sql_int("SELECT count(*) FROM appt.appointments a JOIN auth.users u ON u.id = a.patient_id"
	               " WHERE u.email = '%s'", P1_EMAIL) > 0)
		return;
	it_sql("INSERT INTO appt.appointments (doctor_id, patient_id, starts_at, ends_at, mode)"
	       " SELECT d.id, u.id, now() + interval '3 days', now() + interval '3 days 30 minutes', 'in_person'"
	       "   FROM clinic.doctors d, auth.users u"
	       "  WHERE d.user_id = (SELECT id FROM auth.users WHERE email = '" D1_EMAIL "')"
	       "    AND u.email = '%s'", P1_EMAIL);
}

/* Doctor 1 signed in, with the form token of patient's documents page. */
static void
doctor(struct it_jar *j, const char *email)
{
	struct http_response r = { 0 };

	relationship();
	it_sign_in(j, D1_EMAIL, D1_PASS, D1_TOTP);
	if (email == NULL)
		return;
	ck_assert_int_eq(it_getf(j, &r, "/patients/%lld/documents", it_user_id(email)), 200);
	http_response_free(&r);
}

/* POST the upload form for patient; the status (r holds the answer). */
static long
upload(struct it_jar *j, long long patient, const char *title, const char *filename,
       const char *ctype, const char *data, size_t dlen, struct http_response *r)
{
	size_t len;
	char *body = it_multipart(BOUNDARY, "file", filename, ctype, data, dlen, &len, "csrf", j->form_csrf,
	                          "title", title, NULL);
	char *path = it_fmt("/patients/%lld/documents", patient);
	long st;

	http_response_free(r);
	st = it_jar_upload(j, path, body, len, "multipart/form-data; boundary=" BOUNDARY, r);
	free(body);
	free(path);
	return st;
}

/* The id of patient 1's newest document titled title (0: none). */
static long long
doc_id(const char *title)
{
	return it_sql_int("SELECT coalesce(max(item_id), 0) FROM ehr.documents WHERE title = '%s'", title);
}

static long long
doc_rows(const char *title)
{
	return it_sql_int("SELECT count(*) FROM ehr.document_versions WHERE title = '%s'", title);
}

/* The stored file of data: its path (malloc'd), from the hex SHA-256
 * PostgreSQL computes. */
static char *
stored_path(const char *data, size_t len)
{
	char hex[80], *lit = malloc(len * 2 + 1);
	char *path;

	for (size_t i = 0; i < len; i++)
		snprintf(lit + 2 * i, 3, "%02x", (unsigned char)data[i]);
	/* Only small contents go through SQL; large ones are never stored. */
	it_sql_str(hex, sizeof(hex), "SELECT encode(sha256(decode('%s', 'hex')), 'hex')", lit);
	path = it_fmt("%s/documents/%s", it_env("MEDSYS_STACK_DIR"), hex);
	free(lit);
	return path;
}

static int
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* Files in the documents directory (temporary ones included). */
static long
files_stored(void)
{
	char *cmd = it_fmt("ls -A %s/documents 2>/dev/null | wc -l", it_env("MEDSYS_STACK_DIR"));
	FILE *p = popen(cmd, "r");
	long n = -1;

	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(fscanf(p, "%ld", &n), 1);
	pclose(p);
	free(cmd);
	return n;
}

START_TEST(test_doctor_adds_pdf_png_jpeg)
{
	struct it_jar j = { 0 };
	struct http_response r = { 0 };
	long long p1 = it_user_id(P1_EMAIL);
	const char *titles[] = { "Analítica marzo", "Radiografía tórax", "Foto lesión" };
	const char *types[] = { "application/pdf", "image/png", "image/jpeg" };
	char *data[3] = { PDF("add-pdf", 4000), PNG("add-png", 3000), JPEG("add-jpeg", 2000) };
	size_t lens[3] = { 4000, 3000, 2000 };
	long long before = it_audit_count("record.document_add", D1_EMAIL, "");

	doctor(&j, P1_EMAIL);
	for (int i = 0; i < 3; i++) {
		/* The client's Content-Type is ignored: the content decides. */
		ck_assert_int_eq(upload(&j, p1, titles[i], "scan.bin", "application/octet-stream",
		                        data[i], lens[i], &r), 303);
		it_assert_redirect(&r, it_fmt("/patients/%lld/documents", p1), "after an upload");
		ck_assert_int_eq(it_sql_int("SELECT count(*) FROM ehr.documents WHERE title = '%s'"
		                            " AND media_type = '%s' AND patient_id = %lld AND byte_size = %zu",
		                            titles[i], types[i], p1, lens[i]), 1);
		char *path = stored_path(data[i], lens[i]);
		ck_assert_msg(exists(path), "%s is not stored as %s", titles[i], path);
		free(path);
	}
	ck_assert_int_eq(it_audit_count("record.document_add", D1_EMAIL, ""), before + 3);
	ck_assert_int_eq(it_getf(&j, &r, "/patients/%lld/documents", p1), 200);
	for (int i = 0; i < 3; i++)
		it_assert_has(&r, titles[i], "the doctor's list");
	it_assert_has(&r, "<h1>Documentos: Paciente Uno</h1>", "whose record the doctor adds to");
	it_assert_has(&r, it_when_es(it_fmt("(SELECT max(created_at) FROM ehr.documents WHERE patient_id = %lld)", p1), 1),
	              "when it was added, in words (issue 15)");
	it_sign_in(&j, P1_EMAIL, P1_PASS, NULL);
	ck_assert_int_eq(it_get(&j, &r, "/record/documents"), 200);
	for (int i = 0; i < 3; i++)
		it_assert_has(&r, titles[i], "the patient's list");
	it_assert_lacks(&r, "type=\"file\"", "the patient's list (no upload form)");
	for (int i = 0; i < 3; i++)
		free(data[i]);
	http_response_free(&r);
}
END_TEST

START_TEST(test_other_types_refused_by_content)
{
	struct it_jar j = { 0 };
	struct http_response r = { 0 };
	long long p1 = it_user_id(P1_EMAIL);
	const char exe[] = "MZ\x90\x00\x03\x00\x00\x00 This program cannot be run in DOS mode";
	const char html[] = "<!DOCTYPE html><script>alert(1)</script>";
	long files = files_stored();

	doctor(&j, P1_EMAIL);
	ck_assert_int_eq(upload(&j, p1, "Programa-renombrado", "informe.pdf", "application/pdf",
	                        exe, sizeof(exe) - 1, &r), 415);
	it_assert_has(&r, "no es un PDF, JPEG ni PNG", "the refusal");
	it_assert_has(&r, "value=\"Programa-renombrado\"", "the form keeping the title");
	ck_assert_int_eq(upload(&j, p1, "Pagina-web", "foto.png", "image/png", html, sizeof(html) - 1, &r),
	                 415);
	it_assert_has(&r, "value=\"Pagina-web\"", "the form keeping the title");
	ck_assert_int_eq(doc_rows("Programa-renombrado") + doc_rows("Pagina-web"), 0);
	ck_assert_int_eq(files_stored(), files);
	http_response_free(&r);
}
END_TEST

START_TEST(test_too_large_refused)
{
	struct it_jar j = { 0 };
	struct http_response r = { 0 };
	long long p1 = it_user_id(P1_EMAIL);
	size_t over = (size_t)(10 * MB + 1), huge = (size_t)(12 * MB);
	char *big = PDF("too-large", over), *bigger = PDF("far-too-large", huge);
	long files = files_stored();

	doctor(&j, P1_EMAIL);
	/* Just over the limit: the form again, saying so, the title kept. */
	ck_assert_int_eq(upload(&j, p1, "Demasiado-grande", "big.pdf", "application/pdf", big, over, &r), 413);
	it_assert_has(&r, "mayor de lo permitido", "the form's message");
	it_assert_has(&r, "value=\"Demasiado-grande\"", "the form keeping the title");
	/* Far over it: nginx stops it, medsysd's 413 page answers. */
	ck_assert_int_eq(upload(&j, p1, "Mucho-mayor", "big.pdf", "application/pdf", bigger, huge, &r), 413);
	it_assert_has(&r, "Envío demasiado grande", "the 413 page");
	ck_assert_int_eq(doc_rows("Demasiado-grande") + doc_rows("Mucho-mayor"), 0);
	ck_assert_int_eq(files_stored(), files);
	free(big);
	free(bigger);
	http_response_free(&r);
}
END_TEST

START_TEST(test_same_content_stored_once)
{
	struct it_jar j = { 0 };
	struct http_response r = { 0 };
	long long p1 = it_user_id(P1_EMAIL);
	char *data = PDF("twice", 5000);
	char *path = stored_path(data, 5000);
	long files;

	doctor(&j, P1_EMAIL);
	ck_assert_int_eq(upload(&j, p1, "Copia-uno", "a.pdf", "application/pdf", data, 5000, &r), 303);
	files = files_stored();
	ck_assert_int_eq(upload(&j, p1, "Copia-dos", "b.pdf", "application/pdf", data, 5000, &r), 303);
	ck_assert_int_eq(files_stored(), files);
	ck_assert(exists(path));
	ck_assert_int_eq(doc_rows("Copia-uno") + doc_rows("Copia-dos"), 2);
	ck_assert_int_ne(doc_id("Copia-uno"), doc_id("Copia-dos"));
	free(data);
	free(path);
	http_response_free(&r);
}
END_TEST

/* The headers of a document's download (through nginx's internal
 * location) and its bytes. */
static void
assert_download(const struct http_response *r, const char *data, size_t len, const char *type,
                const char *disposition, const char *what)
{
	const char *csp = http_header(r, "Content-Security-Policy");

	ck_assert_msg(r->status == 200, "%s: %ld", what, r->status);
	ck_assert_msg(r->body_len == len && memcmp(r->body, data, len) == 0, "%s: other bytes (%zu)", what,
	              r->body_len);
	ck_assert_str_eq(http_header(r, "Content-Type"), type);
	ck_assert_str_eq(http_header(r, "Content-Disposition"), disposition);
	ck_assert_str_eq(http_header(r, "X-Content-Type-Options"), "nosniff");
	ck_assert_msg(csp && strncmp(csp, "sandbox;", 8) == 0, "%s: CSP %s", what, csp ? csp : "(none)");
	ck_assert_int_eq(http_header_count(r, "Content-Security-Policy"), 1);
	ck_assert_ptr_null(http_header(r, "X-Accel-Redirect"));
}

START_TEST(test_downloads)
{
	struct it_jar j = { 0 }, p = { 0 };
	struct http_response r = { 0 };
	long long p1 = it_user_id(P1_EMAIL), p2 = it_user_id(P2_EMAIL), id, other;
	char *data = PNG("download", 6000), *path = stored_path(data, 6000);
	const char *disp = "attachment; filename=\"Ecograf_a_ri_n_2026.png\"; "
	                   "filename*=UTF-8''Ecograf%C3%ADa%20ri%C3%B1%C3%B3n%202026.png";
	long long reads_p = it_audit_count("record.document_read", P1_EMAIL, "");
	long long reads_d = it_audit_count("record.document_read", D1_EMAIL, "");

	doctor(&j, P1_EMAIL);
	ck_assert_int_eq(upload(&j, p1, "Ecografía riñón 2026", "x.png", "image/png", data, 6000, &r), 303);
	id = doc_id("Ecografía riñón 2026");
	ck_assert_int_gt(id, 0);
	/* Patient 2's document, added directly. */
	other = it_sql_int("INSERT INTO ehr.items (patient_id, kind, created_by) VALUES (%lld, 'document',"
	                   " (SELECT id FROM auth.users WHERE email = '" D1_EMAIL "')) RETURNING id", p2);
	it_sql("INSERT INTO ehr.document_versions (item_id, version, title, media_type, byte_size, sha256,"
	       " status, recorded_by) SELECT %lld, 1, 'De-otra-paciente', media_type, byte_size, sha256,"
	       " 'current', recorded_by FROM ehr.document_versions WHERE item_id = %lld", other, id);

	ck_assert_int_eq(it_getf(&j, &r, "/patients/%lld/documents/%lld", p1, id), 200);
	assert_download(&r, data, 6000, "image/png", disp, "the doctor's download");
	ck_assert_int_eq(it_audit_count("record.document_read", D1_EMAIL, ""), reads_d + 1);
	/* Another patient's item under this patient's address: 404. */
	ck_assert_int_eq(it_getf(&j, &r, "/patients/%lld/documents/%lld", p1, other), 404);
	/* A patient the doctor has no relationship with: 403 (break-glass). */
	ck_assert_int_eq(it_getf(&j, &r, "/patients/%lld/documents/%lld", p2, other), 403);
	ck_assert_int_eq(it_getf(&j, &r, "/patients/%lld/documents", p2), 403);

	it_sign_in(&p, P1_EMAIL, P1_PASS, NULL);
	ck_assert_int_eq(it_getf(&p, &r, "/record/documents/%lld", id), 200);
	assert_download(&r, data, 6000, "image/png", disp, "the patient's download");
	ck_assert_int_eq(it_audit_count("record.document_read", P1_EMAIL, ""), reads_p + 1);
	ck_assert_int_eq(it_getf(&p, &r, "/record/documents/%lld", other), 404);
	ck_assert_int_eq(it_getf(&p, &r, "/patients/%lld/documents/%lld", p1, id), 403);

	/* The internal location, asked for directly: 404, signed in or not. */
	ck_assert_int_eq(it_getf(&p, &r, "/_documents/%s", strrchr(path, '/') + 1), 404);
	ck_assert_int_eq(it_getf(NULL, &r, "/_documents/%s", strrchr(path, '/') + 1), 404);
	free(data);
	free(path);
	http_response_free(&r);
}
END_TEST

START_TEST(test_failed_upload_leaves_nothing)
{
	struct it_jar j = { 0 };
	struct http_response r = { 0 };
	long long p1 = it_user_id(P1_EMAIL);
	char *data = PDF("fails-at-commit", 3000), *path = stored_path(data, 3000);
	char *blank = PDF("blank-title", 3000), *bpath = stored_path(blank, 3000);

	doctor(&j, P1_EMAIL);
	/* An invalid title: the form again, nothing stored. */
	ck_assert_int_eq(upload(&j, p1, "   ", "a.pdf", "application/pdf", blank, 3000, &r), 400);
	it_assert_has(&r, "Este campo es obligatorio", "the title's message");
	ck_assert(!exists(bpath));

	/* The database refuses at commit (a deferred check, as the owner). */
	it_sql("CREATE OR REPLACE FUNCTION ehr.test_fail_commit() RETURNS trigger LANGUAGE plpgsql AS $$"
	       " BEGIN IF NEW.title = 'Falla-al-confirmar' THEN RAISE EXCEPTION 'test: commit fails'; END IF;"
	       " RETURN NULL; END $$");
	it_sql("CREATE CONSTRAINT TRIGGER test_fail_commit AFTER INSERT ON ehr.document_versions"
	       " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ehr.test_fail_commit()");
	ck_assert_int_eq(upload(&j, p1, "Falla-al-confirmar", "a.pdf", "application/pdf", data, 3000, &r), 500);
	it_sql("DROP TRIGGER test_fail_commit ON ehr.document_versions");
	ck_assert_int_eq(doc_rows("Falla-al-confirmar"), 0);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM ehr.items i WHERE kind = 'document'"
	                            " AND NOT EXISTS (SELECT 1 FROM ehr.document_versions v WHERE v.item_id = i.id)"), 0);
	ck_assert_msg(!exists(path), "a failed upload left %s", path);

	/* The same content afterwards is stored as usual. */
	ck_assert_int_eq(upload(&j, p1, "Confirma-luego", "a.pdf", "application/pdf", data, 3000, &r), 303);
	ck_assert(exists(path));
	free(data);
	free(path);
	free(blank);
	free(bpath);
	http_response_free(&r);
}
END_TEST

START_TEST(test_corrections_are_versions)
{
	struct it_jar j = { 0 }, p = { 0 };
	struct http_response r = { 0 };
	long long p1 = it_user_id(P1_EMAIL), id;
	char *data = JPEG("corrections", 2500);
	char *path;

	doctor(&j, P1_EMAIL);
	ck_assert_int_eq(upload(&j, p1, "Titulo-con-errata", "a.jpg", "image/jpeg", data, 2500, &r), 303);
	id = doc_id("Titulo-con-errata");
	path = it_fmt("/patients/%lld/documents/%lld/versions", p1, id);
	ck_assert_int_eq(it_get(&j, &r, path), 200);
	ck_assert_int_eq(it_postf(&j, &r, path, "version=1&action=retitle&title=Titulo-corregido&reason=Errata"), 303);
	ck_assert_int_eq(it_sql_int("SELECT version FROM ehr.documents WHERE item_id = %lld", id), 2);
	/* A form based on version 1 again: changed meanwhile, nothing lost. */
	ck_assert_int_eq(it_postf(&j, &r, path, "version=1&action=retitle&title=Otro-titulo&reason=Tarde"), 409);
	it_assert_has(&r, "mientras tanto", "the conflict");
	it_assert_has(&r, "value=\"Otro-titulo\"", "the conflict keeping what was typed");
	ck_assert_int_eq(doc_rows("Otro-titulo"), 0);
	/* No reason: refused. */
	ck_assert_int_eq(it_postf(&j, &r, path, "version=2&action=error&title=&reason="), 400);
	ck_assert_int_eq(it_get(&j, &r, path), 200);
	it_assert_has(&r, "Titulo-con-errata", "the staff's history");
	it_assert_has(&r, "Titulo-corregido", "the staff's history");

	it_sign_in(&p, P1_EMAIL, P1_PASS, NULL);
	ck_assert_int_eq(it_get(&p, &r, "/record/documents"), 200);
	it_assert_has(&r, "Titulo-corregido", "the patient's list");
	it_assert_lacks(&r, "Titulo-con-errata", "the patient's list");
	ck_assert_int_eq(it_get(&p, &r, path), 403);

	/* Entered in error: gone for the patient, kept for staff. */
	ck_assert_int_eq(it_get(&j, &r, path), 200);
	ck_assert_int_eq(it_postf(&j, &r, path, "version=2&action=error&title=&reason=Paciente%%20equivocado"), 303);
	ck_assert_int_eq(it_get(&p, &r, "/record/documents"), 200);
	it_assert_lacks(&r, "Titulo-corregido", "the patient's list after entered in error");
	ck_assert_int_eq(it_getf(&p, &r, "/record/documents/%lld", id), 404);
	ck_assert_int_eq(it_getf(&j, &r, "/patients/%lld/documents", p1), 200);
	it_assert_has(&r, "Titulo-corregido", "the staff's list");
	it_assert_has(&r, "Registrado por error", "the staff's list");
	ck_assert_int_eq(it_audit_count("record.document_correct", D1_EMAIL,
	                                it_fmt("AND e.object LIKE 'document:%lld %%'", id)), 2);
	free(data);
	free(path);
	http_response_free(&r);
}
END_TEST

/* medsysctl documents-cleanup; its exit status. */
static int
cleanup(void)
{
	return it_medsysctl("documents-cleanup");
}

static void
age(const char *path, long seconds)
{
	struct utimbuf t = { time(NULL) - seconds, time(NULL) - seconds };

	ck_assert_int_eq(utime(path, &t), 0);
}

START_TEST(test_cleanup_removes_orphans_only)
{
	struct it_jar j = { 0 };
	struct http_response r = { 0 };
	long long p1 = it_user_id(P1_EMAIL);
	char *kept = PDF("referenced", 2000), *kept_path = stored_path(kept, 2000);
	char *dir = it_fmt("%s/documents", it_env("MEDSYS_STACK_DIR"));
	char *old = it_fmt("%s/%064d", dir, 1), *young = it_fmt("%s/%064d", dir, 2);
	char *tmp = it_fmt("%s/.tmp-crashed", dir);
	FILE *f;

	doctor(&j, P1_EMAIL);
	ck_assert_int_eq(upload(&j, p1, "Referenciado", "a.pdf", "application/pdf", kept, 2000, &r), 303);
	ck_assert(exists(kept_path));
	for (const char *const *p = (const char *const[]){ old, young, tmp, NULL }; *p; p++) {
		ck_assert_ptr_nonnull(f = fopen(*p, "w"));
		fputs("orphan", f);
		fclose(f);
	}
	age(old, 2 * 3600);
	age(tmp, 2 * 3600);
	age(kept_path, 2 * 3600);
	ck_assert_int_eq(cleanup(), 0);
	ck_assert_msg(!exists(old), "an old orphan stayed");
	ck_assert_msg(!exists(tmp), "an old temporary file stayed");
	ck_assert_msg(exists(young), "a recent file was removed (its upload may be running)");
	ck_assert_msg(exists(kept_path), "a file a document points to was removed");
	unlink(young);
	free(kept);
	free(kept_path);
	free(dir);
	free(old);
	free(young);
	free(tmp);
	http_response_free(&r);
}
END_TEST

START_TEST(test_list_reads_audited)
{
	struct it_jar j = { 0 };
	struct http_response r = { 0 };
	long long p1 = it_user_id(P1_EMAIL);
	long long before = it_audit_count("record.documents", D1_EMAIL,
	                                  it_fmt("AND e.subject_id = %lld", p1));

	doctor(&j, NULL);
	ck_assert_int_eq(it_getf(&j, &r, "/patients/%lld/documents", p1), 200);
	ck_assert_int_eq(it_audit_count("record.documents", D1_EMAIL, it_fmt("AND e.subject_id = %lld", p1)),
	                 before + 1);
	http_response_free(&r);
}
END_TEST

int
main(void)
{
	return it_run_suites(it_suite("documents", 120, test_doctor_adds_pdf_png_jpeg,
	                              test_other_types_refused_by_content, test_too_large_refused,
	                              test_same_content_stored_once, test_downloads,
	                              test_failed_upload_leaves_nothing, test_corrections_are_versions,
	                              test_cleanup_removes_orphans_only, test_list_reads_audited, NULL),
	                     NULL);
}
