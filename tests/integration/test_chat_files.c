/* test_chat_files: attachments of chat messages against a real stack
 * (tests/integration/chat_files.stack, docs/chat.md "Attachments"): a
 * photo's GPS and EXIF gone (checked with exiftool), the download's
 * headers through nginx, refused files (disguised HTML, SVG with script,
 * a JPEG/HTML polyglot, empty, one byte over the limit, a truncated
 * body) with the text kept, foreign attachments 404 with an audit row,
 * and a worker killed between writing the file and committing: no
 * message, no row, and the orphan gone after chat-cleanup. */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "care_test.h"
#include "faults_util.h"
#include "http_client.h"

/* Strings made for one call are kept until the test ends (it_kept_free). */
#define T it_keep

#define BOUNDARY "----medsysChatFiles5WxK"
#define MB (1024L * 1024L)

/* The whole file at path, malloc'd, its length in *len. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b;
	long n;

	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	ck_assert_ptr_nonnull(b = malloc((size_t)n + 1));
	ck_assert_int_eq(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return b;
}

static void
spit(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fwrite(data, 1, len, f), len);
	fclose(f);
}

/* The output of a shell command (first 4 KiB), malloc'd. */
static char *
run(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	char *out = calloc(1, 4096);

	ck_assert_ptr_nonnull(p);
	fread(out, 1, 4095, p);
	pclose(p);
	return out;
}

/* A patient's thread with the front desk, the patient's jar holding the
 * reply form's token. */
static long long
desk_thread(struct it_jar *p, long long patient)
{
	struct http_response r = { 0 };
	long long t;

	care_session(p, patient);
	ck_assert_int_eq(it_postf(p, &r, "/messages/new", "&to=desk&subject=Archivos&body=hola"), 303);
	t = atoll(http_header(&r, "Location") + 10);
	ck_assert_int_eq(it_getf(p, &r, "/messages/%lld", t), 200);
	http_response_free(&r);
	return t;
}

/* POST the multipart body (freed) to path; the status. */
static long
upload(struct it_jar *j, const char *path, char *body, size_t len, struct http_response *r)
{
	long st;

	http_response_free(r);
	st = it_jar_upload(j, path, body, len, "multipart/form-data; boundary=" BOUNDARY, r);
	free(body);
	return st;
}

/* POST the reply form of thread with text and one file; the status. */
static long
send_file(struct it_jar *j, long long thread, const char *text, const char *name, const char *ctype,
          const char *data, size_t dlen, struct http_response *r)
{
	size_t len;
	char *body = it_multipart(BOUNDARY, "file", name, ctype, data, dlen, &len, "csrf", j->form_csrf,
	                          "body", text, NULL);

	return upload(j, T(it_fmt("/messages/%lld", thread)), body, len, r);
}

/* POST the new-thread form (to the front desk) with a subject, text and
 * one file; the status. */
static long
send_new(struct it_jar *j, const char *subject, const char *text, const char *name, const char *ctype,
         const char *data, size_t dlen, struct http_response *r)
{
	size_t len;
	char *body = it_multipart(BOUNDARY, "file", name, ctype, data, dlen, &len, "csrf", j->form_csrf,
	                          "to", "desk", "subject", subject, "body", text, NULL);

	return upload(j, "/messages/new", body, len, r);
}

static long long
attachments(long long thread)
{
	return it_sql_int("SELECT count(*) FROM chat.attachments a JOIN chat.messages m ON m.id = a.message_id"
	                  " WHERE m.thread_id = %lld", thread);
}

static long long
newest_attachment(long long thread)
{
	return it_sql_int("SELECT coalesce(max(a.id), 0) FROM chat.attachments a"
	                  " JOIN chat.messages m ON m.id = a.message_id WHERE m.thread_id = %lld", thread);
}

/* A real photo with GPS tags, an EXIF comment and HTML after its end. */
static char *
gps_photo(size_t *len)
{
	char *dir = T(it_fmt("%s/chatfiles", it_env("MEDSYS_STACK_DIR"))), *cmd, *out, *data;

	mkdir(dir, 0700);
	cmd = it_fmt("convert -size 64x48 gradient:red-blue %s/in.jpg && exiftool -q -overwrite_original"
	             " -GPSLatitude=40.4168 -GPSLatitudeRef=N -GPSLongitude=3.7038 -GPSLongitudeRef=W"
	             " -Make=TestCam -UserComment=secret -Comment='<script>alert(1)</script>' %s/in.jpg"
	             " && exiftool -s -s -s -GPSLatitude %s/in.jpg", dir, dir, dir);
	out = run(cmd);
	ck_assert_msg(strstr(out, "40 deg") != NULL, "the test photo has GPS tags: %s", out);
	data = slurp(T(it_fmt("%s/in.jpg", dir)), len);
	data = realloc(data, *len + 40);
	memcpy(data + *len, "<html><script>x()</script></html>", 33);   /* a polyglot's tail */
	*len += 33;
	free(out);
	free(cmd);
	return data;
}

START_TEST(test_photo_cleaned_and_downloaded)
{
	struct care_world w;
	struct it_jar p;
	struct http_response r = { 0 };
	size_t len;
	char *photo = gps_photo(&len), *out, *path;
	const char *csp;
	long long t, a;

	care_world_make(&w);
	t = desk_thread(&p, w.p1);
	ck_assert_int_eq(send_file(&p, t, "mi foto", "../fotos/rodilla.jpg", "image/jpeg", photo, len, &r), 303);
	ck_assert_int_eq(attachments(t), 1);
	a = newest_attachment(t);
	ck_assert_int_eq(it_getf(&p, &r, "/messages/%lld", t), 200);
	it_assert_has(&r, T(it_fmt("/messages/%lld/files/%lld", t, a)), "the link to the attachment");
	it_assert_has(&r, "rodilla.jpg", "the name it was sent under, without the path");

	ck_assert_int_eq(it_getf(&p, &r, "/messages/%lld/files/%lld", t, a), 200);
	ck_assert_str_eq(http_header(&r, "Content-Type"), "image/jpeg");
	ck_assert_str_eq(http_header(&r, "X-Content-Type-Options"), "nosniff");
	ck_assert_msg(strstr(http_header(&r, "Content-Disposition"), "attachment; filename=\"rodilla.jpg\"") != NULL,
	              "Content-Disposition: %s", http_header(&r, "Content-Disposition"));
	csp = http_header(&r, "Content-Security-Policy");
	ck_assert_msg(csp && strncmp(csp, "sandbox", 7) == 0, "a sandbox CSP: %s", csp ? csp : "none");
	ck_assert_ptr_null(http_header(&r, "X-Accel-Redirect"));
	ck_assert_uint_gt(r.body_len, 500);
	ck_assert_ptr_null(memmem(r.body, r.body_len, "<script", 7));
	ck_assert_ptr_null(memmem(r.body, r.body_len, "TestCam", 7));

	/* exiftool finds no GPS, EXIF or comment in what was stored, and the
	 * picture itself is still a picture. */
	path = T(it_fmt("%s/chatfiles/out.jpg", it_env("MEDSYS_STACK_DIR")));
	spit(path, r.body, r.body_len);
	out = run(T(it_fmt("exiftool -a -s -EXIF:all -GPS:all -XMP:all -IPTC:all -Comment -Make -UserComment %s;"
	                " identify -format '%%wx%%h' %s", path, path)));
	ck_assert_msg(strcmp(out, "64x48") == 0, "exiftool/identify said: %s", out);
	ck_assert_int_eq(it_audit_count("record.chat_attachment", w.p1_email, ""), 1);
	free(out);
	free(photo);
	http_response_free(&r);
	it_kept_free();
}
END_TEST

START_TEST(test_refused_files_keep_the_text)
{
	struct care_world w;
	struct it_jar p;
	struct http_response r = { 0 };
	const char html[] = "<!DOCTYPE html><html><script>alert(document.cookie)</script></html>";
	const char svg[] = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
	const char fake[] = "\xff\xd8\xff\xe0<html><script>alert(1)</script></html>";
	size_t over = (size_t)(10 * MB + 1), len;
	char *big = malloc(over), *body;
	long long t;

	care_world_make(&w);
	t = desk_thread(&p, w.p1);
	ck_assert_int_eq(send_file(&p, t, "texto-html", "foto.jpg", "image/jpeg", html, sizeof(html) - 1, &r), 415);
	it_assert_has(&r, "Solo se pueden adjuntar archivos PDF, JPEG y PNG", "the message");
	it_assert_has(&r, "texto-html", "the text kept");
	ck_assert_int_eq(send_file(&p, t, "texto-svg", "dibujo.svg", "image/svg+xml", svg, sizeof(svg) - 1, &r), 415);
	it_assert_has(&r, "texto-svg", "the text kept");
	/* JPEG's magic number before HTML: no JPEG inside. */
	ck_assert_int_eq(send_file(&p, t, "texto-poli", "x.jpg", "image/jpeg", fake, sizeof(fake) - 1, &r), 415);
	it_assert_has(&r, "incompleto o dañado", "the message");
	it_assert_has(&r, "texto-poli", "the text kept");
	ck_assert_int_eq(send_file(&p, t, "texto-vacio", "vacio.pdf", "application/pdf", "", 0, &r), 400);
	it_assert_has(&r, "El archivo está vacío", "the message");
	it_assert_has(&r, "texto-vacio", "the text kept");
	/* One byte over chat_attachment_max_bytes: 413 with our page. */
	memset(big, 'x', over);
	memcpy(big, "%PDF-1.4\n", 9);
	memcpy(big + over - 6, "%%EOF\n", 6);
	ck_assert_int_eq(send_file(&p, t, "texto-grande", "grande.pdf", "application/pdf", big, over, &r), 413);
	it_assert_has(&r, "mayor de lo permitido", "the message");
	it_assert_has(&r, "texto-grande", "the text kept");
	/* A body cut in the middle of the file part. */
	body = it_multipart(BOUNDARY, "file", "a.pdf", "application/pdf", big, 4000, &len, "csrf",
	                    p.form_csrf, "body", "texto-cortado", NULL);
	http_response_free(&r);
	ck_assert_int_eq(it_jar_upload(&p, T(it_fmt("/messages/%lld", t)), body, len / 2,
	                               "multipart/form-data; boundary=" BOUNDARY, &r), 400);
	ck_assert_int_eq(attachments(t), 0);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM chat.messages WHERE thread_id = %lld", t), 1);
	free(body);
	free(big);
	http_response_free(&r);
	it_kept_free();
}
END_TEST

/* The new-thread form takes an attachment like a reply, refuses the
 * same files with the subject and text kept, and nginx lets a body up to
 * the limit reach medsysd (our 413 page, not nginx's). */
START_TEST(test_new_thread_with_attachment)
{
	struct care_world w;
	struct it_jar p;
	struct http_response r = { 0 };
	const char html[] = "<!DOCTYPE html><html><script>alert(document.cookie)</script></html>";
	size_t over = (size_t)(10 * MB + 1), len;
	char *big = malloc(over), *photo = gps_photo(&len);
	long long t, threads = it_sql_int("SELECT count(*) FROM chat.threads");

	care_world_make(&w);
	care_session(&p, w.p1);
	ck_assert_int_eq(it_getf(&p, &r, "/messages/new"), 200);
	it_assert_has(&r, "enctype=\"multipart/form-data\"", "a form that can carry a file");
	it_assert_has(&r, "name=\"file\"", "the file field");
	ck_assert_int_eq(send_new(&p, "asunto-html", "texto-html", "foto.jpg", "image/jpeg", html,
	                          sizeof(html) - 1, &r), 415);
	it_assert_has(&r, "Solo se pueden adjuntar archivos PDF, JPEG y PNG", "the message");
	it_assert_has(&r, "asunto-html", "the subject kept");
	it_assert_has(&r, "texto-html", "the text kept");
	memset(big, 'x', over);
	memcpy(big, "%PDF-1.4\n", 9);
	memcpy(big + over - 6, "%%EOF\n", 6);
	ck_assert_int_eq(send_new(&p, "asunto-grande", "texto-grande", "grande.pdf", "application/pdf", big,
	                          over, &r), 413);
	it_assert_has(&r, "mayor de lo permitido", "our page's message");
	it_assert_has(&r, "asunto-grande", "the subject kept");
	it_assert_has(&r, "texto-grande", "the text kept");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM chat.threads"), threads);

	ck_assert_int_eq(send_new(&p, "Rodilla", "mi foto", "rodilla.jpg", "image/jpeg", photo, len, &r), 303);
	t = atoll(http_header(&r, "Location") + 10);
	ck_assert_int_eq(attachments(t), 1);
	ck_assert_int_eq(it_getf(&p, &r, "/messages/%lld", t), 200);
	it_assert_has(&r, T(it_fmt("/messages/%lld/files/%lld", t, newest_attachment(t))), "the link to the attachment");
	it_assert_has(&r, "mi foto", "the first message");
	free(big);
	free(photo);
	http_response_free(&r);
	it_kept_free();
}
END_TEST

START_TEST(test_foreign_attachment_is_404)
{
	struct care_world w;
	struct it_jar p, o;
	struct http_response r = { 0 };
	const char pdf[] = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
	char hex[80];
	long long t, mine, a;

	care_world_make(&w);
	t = desk_thread(&p, w.p1);
	ck_assert_int_eq(send_file(&p, t, "", "informe.pdf", "application/pdf", pdf, sizeof(pdf) - 1, &r), 303);
	a = newest_attachment(t);
	mine = desk_thread(&o, w.p2);
	/* By the thread's id, and through the other patient's own thread. */
	ck_assert_int_eq(it_getf(&o, &r, "/messages/%lld/files/%lld", t, a), 404);
	ck_assert_int_eq(it_actor_audit_count(w.p2, "record.denied"), 1);
	ck_assert_int_eq(it_getf(&o, &r, "/messages/%lld/files/%lld", mine, a), 404);
	ck_assert_int_eq(it_actor_audit_count(w.p2, "record.chat_attachment"), 1);
	/* The stored file's own path: nginx's internal location. */
	it_sql_str(hex, sizeof(hex), "SELECT sha256 FROM chat.attachments WHERE id = %lld", a);
	ck_assert_int_eq(it_getf(&o, &r, "/_documents/%s", hex), 404);
	ck_assert_int_eq(it_getf(&p, &r, "/messages/%lld/files/%lld", t, a), 200);
	ck_assert_uint_eq(r.body_len, sizeof(pdf) - 1);
	http_response_free(&r);
	it_kept_free();
}
END_TEST

START_TEST(test_doctor_copies_attachment_to_record)
{
	struct care_world w;
	struct it_jar p, d;
	struct http_response r = { 0 };
	const char pdf[] = "%PDF-1.4\n% analitica del paciente\ntrailer <<>>\n%%EOF\n";
	long long t, a, doc;

	care_world_make(&w);
	care_session(&p, w.p1);
	care_session(&d, w.d_asg);
	ck_assert_int_eq(it_postf(&p, &r, "/messages/new", "&to=%lld&subject=Analitica&body=adjunto",
	                          it_sql_int("SELECT id FROM clinic.doctors WHERE user_id = %lld", w.d_asg)), 303);
	t = atoll(http_header(&r, "Location") + 10);
	ck_assert_int_eq(it_getf(&p, &r, "/messages/%lld", t), 200);
	ck_assert_int_eq(send_file(&p, t, "", "analitica.pdf", "application/pdf", pdf, sizeof(pdf) - 1, &r), 303);
	a = newest_attachment(t);
	/* The doctor's open page polls: the new message comes with its file. */
	ck_assert_int_eq(it_getf(&d, &r, "/messages/%lld/poll?after=%lld", t,
	                         it_sql_int("SELECT min(id) FROM chat.messages WHERE thread_id = %lld", t)), 200);
	it_assert_has(&r, T(it_fmt("\"files\":[{\"message\":%lld,\"id\":%lld,\"name\":\"analitica.pdf\",\"type\":\"pdf\"",
	                         it_sql_int("SELECT message_id FROM chat.attachments WHERE id = %lld", a), a)),
	              "the poll's attachment");
	/* The patient has no such button; the route is the doctor's. */
	ck_assert_int_ne(it_postf(&p, &r, T(it_fmt("/messages/%lld/files/%lld/copy", t, a)), "%s", ""), 303);
	ck_assert_int_eq(it_getf(&d, &r, "/messages/%lld", t), 200);
	it_assert_has(&r, "Añadir a los documentos del paciente", "the doctor's button");
	ck_assert_int_eq(it_postf(&d, &r, T(it_fmt("/messages/%lld/files/%lld/copy", t, a)), "%s", ""), 303);
	ck_assert_str_eq(http_header(&r, "Location"), T(it_fmt("/patients/%lld/documents", w.p1)));
	doc = it_sql_int("SELECT coalesce(max(item_id), 0) FROM ehr.documents WHERE patient_id = %lld"
	                 " AND title = 'analitica.pdf (/messages/%lld#m' || (SELECT message_id FROM chat.attachments"
	                 " WHERE id = %lld) || ')'", w.p1, t, a);
	ck_assert_int_gt(doc, 0);
	/* The patient downloads it from the record: the same bytes. */
	ck_assert_int_eq(it_getf(&p, &r, "/record/documents/%lld", doc), 200);
	ck_assert_uint_eq(r.body_len, sizeof(pdf) - 1);
	ck_assert_mem_eq(r.body, pdf, r.body_len);
	ck_assert_int_eq(it_actor_audit_count(w.d_asg, "record.document_add"), 1);
	http_response_free(&r);
	it_kept_free();
}
END_TEST

/* medsysctl chat-cleanup; its exit status. */
static int
cleanup(void)
{
	return it_medsysctl("chat-cleanup");
}

/* Where data is stored: documents_dir/<hex SHA-256> (malloc'd). */
static char *
stored_path(const char *data, size_t len)
{
	char hex[80], *lit = malloc(len * 2 + 1);

	for (size_t i = 0; i < len; i++)
		snprintf(lit + 2 * i, 3, "%02x", (unsigned char)data[i]);
	it_sql_str(hex, sizeof(hex), "SELECT encode(sha256(decode('%s', 'hex')), 'hex')", lit);
	free(lit);
	return it_fmt("%s/documents/%s", it_env("MEDSYS_STACK_DIR"), hex);
}

START_TEST(test_worker_killed_before_commit)
{
	struct care_world w;
	struct it_jar p;
	struct http_response r = { 0 };
	const char pdf[] = "%PDF-1.4\n% killed before commit\ntrailer <<>>\n%%EOF\n";
	pid_t ppid = parent_pid(), workers[MAX_WORKERS], after[MAX_WORKERS], child;
	char *path;
	struct utimbuf old = { time(NULL) - 7200, time(NULL) - 7200 };
	long long t;
	int n, i;

	care_world_make(&w);
	t = desk_thread(&p, w.p1);
	/* The attachment's row waits (a trigger, as the owner) so the worker
	 * can be killed with the file written and renamed, nothing committed. */
	it_sql("CREATE OR REPLACE FUNCTION chat.test_slow_row() RETURNS trigger LANGUAGE plpgsql AS $$"
	       " BEGIN PERFORM pg_sleep(3); RETURN NULL; END $$");
	it_sql("CREATE TRIGGER test_slow_row AFTER INSERT ON chat.attachments"
	       " FOR EACH ROW EXECUTE FUNCTION chat.test_slow_row()");
	if ((child = fork()) == 0) {
		send_file(&p, t, "se-pierde", "k.pdf", "application/pdf", pdf, sizeof(pdf) - 1, &r);
		_exit(0);
	}
	for (i = 0; i < 200 && it_sql_int("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'") == 0; i++)
		usleep(20000);
	ck_assert_msg(i < 200, "the upload never reached its commit");
	path = T(stored_path(pdf, sizeof(pdf) - 1));
	ck_assert_msg(access(path, F_OK) == 0, "the file is durable before the commit: %s", path);
	n = workers_of(ppid, workers);
	for (i = 0; i < n; i++)
		kill(workers[i], SIGKILL);
	waitpid(child, NULL, 0);
	/* The dead worker's session ends once its statement returns. */
	for (i = 0; i < 300 && it_sql_int("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'") > 0; i++)
		usleep(50000);
	it_sql("DROP TRIGGER test_slow_row ON chat.attachments");
	ck_assert_int_eq(wait_workers_replaced(ppid, configured_workers(), workers, n, 20.0, after), 0);
	/* No message, no row pointing anywhere; the file an orphan. */
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM chat.messages WHERE body = 'se-pierde'"), 0);
	ck_assert_int_eq(attachments(t), 0);
	ck_assert_int_eq(access(path, F_OK), 0);
	/* Younger than an hour it may be an upload still running: kept. */
	ck_assert_int_eq(cleanup(), 0);
	ck_assert_int_eq(access(path, F_OK), 0);
	ck_assert_int_eq(utime(path, &old), 0);
	ck_assert_int_eq(cleanup(), 0);
	ck_assert_msg(access(path, F_OK) != 0, "the orphan stayed after chat-cleanup");
	http_response_free(&r);
	it_kept_free();
}
END_TEST

/* A row whose file went missing (a restored backup, a disk error) is
 * reported by chat-cleanup with exit status 1, and never removed. */
START_TEST(test_cleanup_reports_missing_file)
{
	struct care_world w;
	struct it_jar p;
	struct http_response r = { 0 };
	const char pdf[] = "%PDF-1.4\n% goes missing\ntrailer <<>>\n%%EOF\n";
	char *path, *out, *keep;
	long long t;

	care_world_make(&w);
	t = desk_thread(&p, w.p1);
	ck_assert_int_eq(send_file(&p, t, "", "perdido.pdf", "application/pdf", pdf, sizeof(pdf) - 1, &r), 303);
	path = T(stored_path(pdf, sizeof(pdf) - 1));
	keep = T(it_fmt("%s.kept", path));
	ck_assert_int_eq(it_medsysctl("chat-cleanup"), 0);
	ck_assert_int_eq(rename(path, keep), 0);
	out = run(T(it_fmt("%s %s/medsysctl --config %s chat-cleanup; echo status=$?",
	                 geteuid() == 0 ? "runuser -u medsys --" : "", it_env("MEDSYS_BUILDDIR"),
	                 it_env("MEDSYS_CONF"))));
	ck_assert_int_eq(rename(keep, path), 0);
	ck_assert_msg(strstr(out, T(it_fmt("missing: %s (1 attachment rows)", path))) != NULL, "%s", out);
	ck_assert_msg(strstr(out, "status=1") != NULL, "%s", out);
	ck_assert_int_eq(attachments(t), 1);
	ck_assert_int_eq(it_medsysctl("chat-cleanup"), 0);
	free(out);
	http_response_free(&r);
	it_kept_free();
}
END_TEST

int
main(void)
{
	return tcase_run_alone("chat_files", tcase_list_add(tcase_create("core"),
	                       test_photo_cleaned_and_downloaded, test_refused_files_keep_the_text,
	                       test_new_thread_with_attachment,
	                       test_foreign_attachment_is_404, test_doctor_copies_attachment_to_record,
	                       test_worker_killed_before_commit, test_cleanup_reports_missing_file, NULL));
}
