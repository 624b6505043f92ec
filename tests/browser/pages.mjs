// pages.mjs: every public page in real Chromium at phone size: no console
// errors, no axe violations, no horizontal scroll at 360/320 px, usable
// without JavaScript, HTML + CSS within 14 KB gzipped; screenshots saved.
//
// Run by tests/browser/pages.stack against a stack (MEDSYS_URL). Modules come
// from MEDSYS_NODE_MODULES (or the first NODE_PATH entry, or ./node_modules):
// ESM imports ignore NODE_PATH, so they are loaded with createRequire.
//
// To cover a new page, add an entry to PAGES below.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import { nodeModules, load, totpCode, sql as stackSql, formatViolations, LAUNCH_ARGS } from './lib.mjs';

const { chromium } = load('playwright-core');
const axeSource = fs.readFileSync(path.join(nodeModules, 'axe-core', 'axe.min.js'), 'utf8');

const BASE = (process.env.MEDSYS_URL || '').replace(/\/+$/, '');
if (!BASE) {
	console.error('pages.mjs: MEDSYS_URL is not set (run me through tests/harness/with-stack)');
	process.exit(2);
}

// The pages to check. Fields:
//   name      short id, used in messages and the screenshot file name
//   path      URL path to load
//   locale    browser locale, sent as Accept-Language ('es' is the default language)
//   lang      expected <html lang>
//   status    expected HTTP status of the document
//   content   CSS selectors that must match without JavaScript (main content)
//   switchTo  language the footer link must switch to (<html lang> after following it)
//   setup     optional async (context) => {} run on every new browser context
//             before the page loads (e.g. sign in); its cookies are also sent
//             by the size measurement
// Signing in for pages behind the sign-in (once per account: a TOTP code
// is accepted only once, and every check opens a new browser context).
const signedIn = new Map();
function signInAs(email, password, totpSecret) {
	return async (context) => {
		if (!signedIn.has(email)) {
			const r = context.request;
			const opts = (form) => ({ form, headers: { Origin: BASE }, maxRedirects: 0 });
			await r.get(`${BASE}/login`);
			const csrf = (await context.cookies(BASE)).find((c) => c.name === 'csrf').value;
			await r.post(`${BASE}/login`, opts({ csrf, email, password }));
			if (totpSecret) {
				const html = await (await r.get(`${BASE}/login/2fa`)).text();
				const token = /name="csrf" value="([0-9a-f]+)"/.exec(html)[1];
				await r.post(`${BASE}/login/2fa`, opts({ csrf: token, code: totpCode(totpSecret) }));
			}
			signedIn.set(email, (await context.cookies(BASE)).filter((c) => c.name === 'session'));
		}
		await context.addCookies(signedIn.get(email));
	};
}
const asAdmin = signInAs('admin1@clinic.test', 'Admin-One-Pass-2026', 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU');
const asPatient = signInAs('patient1@clinic.test', 'Patient-One-Pass-2026', null);
// The account's language wins over Accept-Language: English pages set the
// visitor's choice (the footer link's cookie).
const inEnglish = (setup) => async (context) => {
	await setup(context);
	await context.addCookies([{ name: 'lang', value: 'en', url: BASE }]);
};

const PAGES = [
	{ name: 'home-es', path: '/', locale: 'es-ES', lang: 'es', status: 200,
	  content: ['main h1', 'main ul.doctors > li'], switchTo: 'en' },
	{ name: 'home-en', path: '/', locale: 'en-US', lang: 'en', status: 200,
	  content: ['main h1', 'main ul.doctors > li'], switchTo: 'es' },
	{ name: 'not-found', path: '/nope', locale: 'es-ES', lang: 'es', status: 404,
	  content: ['main h1'], switchTo: 'en' },
	{ name: 'rx-verify-unknown-en', path: '/rx/v/NOTATOKEN', locale: 'en-US', lang: 'en', status: 404,
	  content: ['main h1.verdict', 'main a[href="/.well-known/medsys-rx-keys.json"]'], switchTo: 'es' },
	{ name: 'login-es', path: '/login', locale: 'es-ES', lang: 'es', status: 200,
	  content: ['main form.stack input[name=email]', 'main input[type=password]'], switchTo: 'en' },
	{ name: 'register-en', path: '/register', locale: 'en-US', lang: 'en', status: 200,
	  content: ['main form.stack input[name=full_name]', 'main input[name=birth_date]'], switchTo: 'es' },
	{ name: 'register-sent-es', path: '/register/sent', locale: 'es-ES', lang: 'es', status: 200,
	  content: ['main h1'], switchTo: 'en' },
	{ name: 'forgot-en', path: '/password/forgot', locale: 'en-US', lang: 'en', status: 200,
	  content: ['main form.stack input[name=email]'], switchTo: 'es' },
	{ name: 'verify-bad-es', path: '/verify?token=bad', locale: 'es-ES', lang: 'es', status: 400,
	  content: ['main h1'], switchTo: 'en' },
	{ name: 'reset-bad-en', path: '/password/reset?token=bad', locale: 'en-US', lang: 'en', status: 400,
	  content: ['main h1'], switchTo: 'es' },
	// A walk-in patient's claim link that cannot be used (docs/homes.md).
	{ name: 'claim-bad-es', path: '/claim?token=bad', locale: 'es-ES', lang: 'es', status: 400,
	  content: ['main h1', 'main .alert-box'], switchTo: 'en' },
	{ name: 'profile-es', path: '/profile', locale: 'es-ES', lang: 'es', status: 200,
	  content: ['main h1', 'main form.stack'], switchTo: 'en', setup: asPatient },
	{ name: 'profile-en', path: '/profile', locale: 'en-US', lang: 'en', status: 200,
	  content: ['main h1', 'main form.stack'], switchTo: 'es', setup: inEnglish(asPatient) },
	{ name: 'profile-password-es', path: '/profile/password', locale: 'es-ES', lang: 'es', status: 200,
	  content: ['main form.stack input[type=password]'], switchTo: 'en', setup: asPatient },
	{ name: 'profile-email-en', path: '/profile/email', locale: 'en-US', lang: 'en', status: 200,
	  content: ['main form.stack input[type=email]'], switchTo: 'es', setup: inEnglish(asPatient) },
	{ name: 'profile-sessions-es', path: '/profile/sessions', locale: 'es-ES', lang: 'es', status: 200,
	  content: ['main h1', 'main table.list td'], switchTo: 'en', setup: asPatient },
	{ name: 'profile-reauth-en', path: '/profile/reauth?next=/profile', locale: 'en-US', lang: 'en', status: 200,
	  content: ['main form.stack input[type=password]'], switchTo: 'es', setup: inEnglish(asPatient) },
	{ name: 'mfa-setup-es', path: '/account/2fa', locale: 'es-ES', lang: 'es', status: 200,
	  content: ['main h1', 'main svg'], switchTo: 'en', setup: asPatient },
	{ name: 'email-confirm-bad-en', path: '/profile/email/confirm?token=x', locale: 'en-US', lang: 'en', status: 400,
	  content: ['main h1'], switchTo: 'es' },
	{ name: 'admin-es', path: '/admin', locale: 'es-ES', lang: 'es', status: 200,
	  content: ['main h1', 'main a[href="/admin/users"]'], switchTo: 'en', setup: asAdmin },
	{ name: 'admin-users-es', path: '/admin/users', locale: 'es-ES', lang: 'es', status: 200,
	  content: ['main form[role=search]', 'main table.list td'], switchTo: 'en', setup: asAdmin },
	{ name: 'admin-user-new-en', path: '/admin/users/new', locale: 'en-US', lang: 'en', status: 200,
	  content: ['main form.stack input[name=email]', 'main select[name=role]'], switchTo: 'es', setup: inEnglish(asAdmin) },
	{ name: 'admin-user-es', path: '/admin/users/1', locale: 'es-ES', lang: 'es', status: 200,
	  content: ['main h1', 'main dl', 'main form[action$="/grant"]'], switchTo: 'en', setup: asAdmin },
	{ name: 'admin-user-en', path: '/admin/users/3', locale: 'en-US', lang: 'en', status: 200,
	  content: ['main h1', 'main table.list'], switchTo: 'es', setup: inEnglish(asAdmin) },
	{ name: 'admin-audit-es', path: '/admin/audit', locale: 'es-ES', lang: 'es', status: 200,
	  content: ['main form[role=search]', 'main table.list td'], switchTo: 'en', setup: asAdmin },
	{ name: 'admin-audit-en', path: '/admin/audit?from=2024-02-30', locale: 'en-US', lang: 'en', status: 200,
	  content: ['main #from-error', 'main .error-summary a[href="#from"]'], switchTo: 'es', setup: inEnglish(asAdmin) },
	{ name: 'admin-user-disable-es', path: '/admin/users/3/disable', locale: 'es-ES', lang: 'es', status: 200,
	  content: ['main button.danger', 'main h1'], switchTo: 'en', setup: asAdmin },
	{ name: 'admin-outbox-en', path: '/admin/outbox', locale: 'en-US', lang: 'en', status: 200,
	  content: ['main h1'], switchTo: 'es', setup: inEnglish(asAdmin) },
	{ name: 'notices-es', path: '/notices', locale: 'es-ES', lang: 'es', status: 200,
	  content: ['main h1'], switchTo: 'en', setup: asPatient },
	{ name: 'security-en', path: '/account/security', locale: 'en-US', lang: 'en', status: 200,
	  content: ['main table.list td'], switchTo: 'es', setup: inEnglish(asPatient) },
	{ name: 'admin-as-patient', path: '/admin', locale: 'es-ES', lang: 'es', status: 403,
	  content: ['main h1'], switchTo: 'en', setup: asPatient },
	...appointmentPages(),
	...carePages(),
	...notePages(),
	// Availability, agenda and calendar feed (fcgi/pages/schedule/).
	{ name: 'schedule-es', path: '/schedule', locale: 'es-ES', lang: 'es', status: 200,
	  content: ['main h1', 'main form.stack select[name=weekday]', 'main form.stack input[name=x_day]'], switchTo: 'en',
	  setup: signInAs('doctor1@clinic.test', 'Doctor-One-Pass-2026', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP') },
	{ name: 'schedule-en', path: '/schedule', locale: 'en-US', lang: 'en', status: 200,
	  content: ['main h1', 'main form.stack input[name=slot]'], switchTo: 'es',
	  setup: inEnglish(signInAs('doctor1@clinic.test', 'Doctor-One-Pass-2026', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')) },
	...agendaPages(),
	{ name: 'agenda-week-en', path: '/agenda/week', locale: 'en-US', lang: 'en', status: 200,
	  content: ['main h1', 'main h2 a'], switchTo: 'es',
	  setup: inEnglish(signInAs('doctor1@clinic.test', 'Doctor-One-Pass-2026', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')) },
	{ name: 'calendar-es', path: '/calendar', locale: 'es-ES', lang: 'es', status: 200,
	  content: ['main h1', 'main form.stack button'], switchTo: 'en', setup: asPatient },
	{ name: 'agenda-as-patient', path: '/agenda', locale: 'es-ES', lang: 'es', status: 403,
	  content: ['main h1'], switchTo: 'en', setup: asPatient },
	...recordPages(),
	...vitalsPages(),
	...documentPages(),
	// The formulary search (fcgi/pages/rx/formulary.c): doctors only.
	{ name: 'formulary-es', path: '/formulary?q=amoxicilina', locale: 'es-ES', lang: 'es', status: 200,
	  content: ['main h1', 'main form[role=search] input[name=q]', 'main table.list tbody tr'], switchTo: 'en',
	  setup: signInAs('doctor1@clinic.test', 'Doctor-One-Pass-2026', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP') },
	{ name: 'formulary-en', path: '/formulary?q=J01C', locale: 'en-US', lang: 'en', status: 200,
	  content: ['main h1', 'main table.list tbody tr'], switchTo: 'es',
	  setup: inEnglish(signInAs('doctor1@clinic.test', 'Doctor-One-Pass-2026', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')) },
	{ name: 'formulary-as-patient', path: '/formulary', locale: 'es-ES', lang: 'es', status: 403,
	  content: ['main h1'], switchTo: 'en', setup: asPatient },
];

// Record pages (fcgi/pages/record/): patient1's own, and doctor1's view of
// it after a past visit (their care relationship, made once with psql);
// the picker searches the ICD-10 catalog every stack loads.
function recordPages() {
	let patient = null;
	const prepare = () => {
		if (patient !== null) return patient;
		patient = stackSql("SELECT id FROM auth.users WHERE email = 'patient1@clinic.test'");
		stackSql("INSERT INTO appt.appointments (doctor_id, patient_id, starts_at, ends_at, mode, status) " +
			`SELECT id, ${patient}, now() - interval '40 days', now() - interval '40 days' + interval '20 minutes', ` +
			"'in_person', 'completed' FROM clinic.doctors WHERE licence_number = 'T-0001'");
		return patient;
	};
	const asDoctor = signInAs('doctor1@clinic.test', 'Doctor-One-Pass-2026', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
	const prepared = (setup) => async (context) => { prepare(); await setup(context); };
	return [
		{ name: 'record-es', path: '/record', locale: 'es-ES', lang: 'es', status: 200,
		  content: ['main h1', 'main h2'], switchTo: 'en', setup: prepared(asPatient) },
		{ name: 'record-allergies-en', path: '/record/allergies', locale: 'en-US', lang: 'en', status: 200,
		  content: ['main h1'], switchTo: 'es', setup: prepared(inEnglish(asPatient)) },
		{ name: 'record-doctor-es', get path() { return `/patients/${prepare()}/record`; }, locale: 'es-ES', lang: 'es',
		  status: 200, content: ['main h1', 'main h2'], switchTo: 'en', setup: prepared(asDoctor) },
		{ name: 'record-picker-es', get path() { return `/patients/${prepare()}/problems/new?search=1&q=asma`; },
		  locale: 'es-ES', lang: 'es', status: 200,
		  content: ['main form.stack button[name=pick]', 'main form.stack select[name=status]'], switchTo: 'en',
		  setup: prepared(asDoctor) },
		{ name: 'record-medications-new-en', get path() { return `/patients/${prepare()}/medications/new`; },
		  locale: 'en-US', lang: 'en', status: 200, content: ['main form.stack input[name=name]'], switchTo: 'es',
		  setup: prepared(inEnglish(asDoctor)) },
	];
}

// Documents in the record (fcgi/pages/record/documents.c): doctor 1 sees
// patient 1 (an upcoming visit); one document (made once with psql; the
// pages list it, no file is downloaded).
function documentPages() {
	let ids = null;
	const doc = () => {
		if (ids === null) {
			stackSql("INSERT INTO appt.appointments (doctor_id, patient_id, starts_at, ends_at, mode) " +
				"SELECT d.id, u.id, now() + interval '40 days', now() + interval '40 days 30 minutes', 'in_person' " +
				"FROM clinic.doctors d, auth.users u WHERE d.licence_number = 'T-0001' AND u.email = 'patient1@clinic.test'");
			stackSql("WITH i AS (INSERT INTO ehr.items (patient_id, kind, created_by) SELECT p.id, 'document', d.id " +
				"FROM auth.users p, auth.users d WHERE p.email = 'patient1@clinic.test' AND d.email = 'doctor1@clinic.test' RETURNING id, created_by) " +
				"INSERT INTO ehr.document_versions (item_id, version, title, media_type, byte_size, sha256, status, recorded_by) " +
				"SELECT id, 1, 'Analítica de sangre, marzo 2026', 'application/pdf', 48213, sha256('browser'), 'current', created_by FROM i");
			ids = stackSql("SELECT patient_id || '/documents/' || item_id FROM ehr.documents ORDER BY item_id DESC LIMIT 1");
		}
		return ids;
	};
	const asDoctor = signInAs('doctor1@clinic.test', 'Doctor-One-Pass-2026', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
	return [
		{ name: 'record-documents-es', get path() { doc(); return '/record/documents'; }, locale: 'es-ES', lang: 'es',
		  status: 200, content: ['main h1', 'main ul.doctors li a[download]'], switchTo: 'en', setup: asPatient },
		{ name: 'patient-documents-en', get path() { return `/patients/${doc().split('/')[0]}/documents`; },
		  locale: 'en-US', lang: 'en', status: 200,
		  content: ['main ul.doctors li a[download]', 'main form[enctype="multipart/form-data"] input[type=file]'],
		  switchTo: 'es', setup: inEnglish(asDoctor) },
		{ name: 'document-versions-es', get path() { return `/patients/${doc()}/versions`; },
		  locale: 'es-ES', lang: 'es', status: 200,
		  content: ['main ul.doctors li', 'main form.stack input[name=reason]'], switchTo: 'en', setup: asDoctor },
	];
}

// The doctor's agenda with a visit of today (booked, so it can be marked
// completed or missed from the list) and that visit's own page.
function agendaPages() {
	let id = null;
	const visit = () => {
		if (id === null)
			id = stackSql("INSERT INTO appt.appointments (doctor_id, patient_id, starts_at, ends_at, mode, location, reason) " +
				"SELECT d.id, u.id, t, t + interval '15 minutes', 'in_person', 'Consulta 3', 'Control' " +
				"FROM clinic.doctors d, auth.users u, " +
				"(SELECT ((now() AT TIME ZONE 'Europe/Madrid')::date + time '00:05') AT TIME ZONE 'Europe/Madrid' AS t) x " +
				"WHERE d.licence_number = 'T-0001' AND u.email = 'patient1@clinic.test' RETURNING id");
		return id;
	};
	const asDoctor = signInAs('doctor1@clinic.test', 'Doctor-One-Pass-2026', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
	const withVisit = (setup) => async (context) => { visit(); await setup(context); };
	return [
		{ name: 'agenda-es', path: '/agenda', locale: 'es-ES', lang: 'es', status: 200,
		  content: ['main h1', 'main nav a[rel=next]', 'main ol.agenda li a', 'main ol.agenda button[formaction]'],
		  switchTo: 'en', setup: withVisit(asDoctor) },
		{ name: 'agenda-visit-en', get path() { return `/agenda/${visit()}`; }, locale: 'en-US', lang: 'en', status: 200,
		  content: ['main dl.contact', 'main form.stack textarea[name=reason]', 'main form.stack button[value=no_show]'],
		  switchTo: 'es', setup: withVisit(inEnglish(asDoctor)) },
	];
}

// Appointment pages: a weekly schedule for doctor T-0001 (made once with
// psql) gives the slot list and the confirm page something to show.
function appointmentPages() {
	let epoch = null;
	const slot = () => {
		if (epoch === null) {
			stackSql("INSERT INTO appt.schedules (doctor_id, weekday, start_time, end_time, slot_minutes, location, valid_from) " +
				"SELECT d.id, w, '09:00', '13:00', 30, 'Consulta 1', current_date - 1 FROM clinic.doctors d, " +
				"generate_series(1, 7) w WHERE d.licence_number = 'T-0001' AND NOT EXISTS (SELECT 1 FROM appt.schedules)");
			epoch = stackSql("SELECT d.id || '&start=' || extract(epoch FROM s.starts_at)::bigint FROM clinic.doctors d, " +
				"appt.free_slots(d.id, current_date, current_date + 14, 'Europe/Madrid') s " +
				"WHERE d.licence_number = 'T-0001' AND s.starts_at > now() + interval '30 hours' ORDER BY s.starts_at LIMIT 1");
		}
		return epoch;
	};
	const nextWeek = () => stackSql("SELECT to_char((now() AT TIME ZONE 'Europe/Madrid')::date + 7, 'YYYY-MM-DD')");
	const withSchedule = (setup) => async (context) => { slot(); await setup(context); };
	return [
		{ name: 'doctors-es', path: '/doctors?specialty=&q=Test', locale: 'es-ES', lang: 'es', status: 200,
		  content: ['main form[role=search] select', 'main ul.doctors > li a'], switchTo: 'en', setup: asPatient },
		// next week's page: this week's may have no time left (a Sunday evening)
		{ name: 'doctor-slots-en', get path() { return `/doctors/1?week=${nextWeek()}`; }, locale: 'en-US', lang: 'en',
		  status: 200, content: ['main h2', 'main form.day select', 'main nav.weeks a[rel=prev]'], switchTo: 'es',
		  setup: withSchedule(inEnglish(asPatient)) },
		{ name: 'appointment-confirm-es', get path() { return `/appointments/new?doctor=${slot()}`; },
		  locale: 'es-ES', lang: 'es', status: 200,
		  content: ['main form.stack textarea[name=reason]', 'main form.stack button.primary'], switchTo: 'en', setup: asPatient },
		{ name: 'appointments-en', path: '/appointments', locale: 'en-US', lang: 'en', status: 200,
		  content: ['main h1', 'main h2'], switchTo: 'es', setup: inEnglish(asPatient) },
	];
}

// Visit notes (fcgi/pages/record/encounters.c, notes.c): patient1 gets a
// completed visit with doctor1 whose note is signed (with an addendum)
// and another with a draft, made once with psql; the hashes by migration
// 015's functions, as the demo data does; J20.9 is in data/icd10.
function notePages() {
	let ids = null;
	const make = () => {
		if (ids !== null) return ids;
		const enc = (days) => {
			const appt = stackSql("INSERT INTO appt.appointments (doctor_id, patient_id, starts_at, ends_at, mode, status) " +
				`SELECT d.id, u.id, now() - interval '${days} days', now() - interval '${days} days' + interval '20 minutes', ` +
				"'in_person', 'completed' FROM clinic.doctors d, auth.users u WHERE d.licence_number = 'T-0001' " +
				"AND u.email = 'patient1@clinic.test' RETURNING id");
			return stackSql("INSERT INTO ehr.encounters (patient_id, doctor_id, appointment_id, kind, started_at, created_by) " +
				"SELECT a.patient_id, a.doctor_id, a.id, 'appointment', a.starts_at, d.user_id FROM appt.appointments a " +
				`JOIN clinic.doctors d ON d.id = a.doctor_id WHERE a.id = ${appt} RETURNING patient_id || ' ' || id`);
		};
		const [patient, signed] = enc(60).split(' ');
		const draft = enc(61).split(' ')[1];
		const by = "(SELECT user_id FROM clinic.doctors WHERE licence_number = 'T-0001')";
		stackSql("INSERT INTO ehr.note_versions (encounter_id, version, subjective, objective, assessment, plan, saved_by) VALUES " +
			`(${signed}, 1, 'Tos de 6 días', 'Roncus dispersos', 'Bronquitis aguda', 'Hidratación', ${by}), ` +
			`(${draft}, 1, 'Cefalea', '', '', '', ${by}); ` +
			`INSERT INTO ehr.note_diagnoses VALUES (${signed}, 1, 'J20.9'); ` +
			"INSERT INTO ehr.note_signatures (encounter_id, version, signed_by, content_hash) " +
			`VALUES (${signed}, 1, ${by}, ehr.note_version_hash(${signed}, 1)); ` +
			"INSERT INTO ehr.note_addenda (encounter_id, body, signed_by, content_hash) SELECT encounter_id, 'Mejoría', " +
			`signed_by, ehr.addendum_hash(encounter_id, content_hash, 'Mejoría') FROM ehr.note_signatures WHERE encounter_id = ${signed}`);
		ids = { patient, signed, draft };
		return ids;
	};
	const asDoctor = signInAs('doctor1@clinic.test', 'Doctor-One-Pass-2026', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
	const made = (setup) => async (context) => { make(); await setup(context); };
	return [
		{ name: 'encounters-es', get path() { return `/patients/${make().patient}/encounters`; }, locale: 'es-ES', lang: 'es',
		  status: 200, content: ['main h1', 'main ul.doctors a'], switchTo: 'en', setup: made(asDoctor) },
		{ name: 'encounter-new-en', get path() { return `/patients/${make().patient}/encounters/new`; }, locale: 'en-US',
		  lang: 'en', status: 200, content: ['main form.stack button.primary'], switchTo: 'es', setup: made(inEnglish(asDoctor)) },
		{ name: 'note-draft-es', get path() { return `/patients/${make().patient}/encounters/${make().draft}?q=bronquitis`; },
		  locale: 'es-ES', lang: 'es', status: 200,
		  content: ['main form.stack textarea[name=subjective]', 'main form.stack input[name=dx]'], switchTo: 'en',
		  setup: made(asDoctor) },
		{ name: 'note-signed-en', get path() { return `/patients/${make().patient}/encounters/${make().signed}`; },
		  locale: 'en-US', lang: 'en', status: 200, content: ['main p.notice-box', 'main form.stack textarea[name=body]'],
		  switchTo: 'es', setup: made(inEnglish(asDoctor)) },
		{ name: 'record-notes-es', path: '/record/notes', locale: 'es-ES', lang: 'es', status: 200,
		  content: ['main ul.doctors a'], switchTo: 'en', setup: made(asPatient) },
		{ name: 'record-note-en', get path() { return `/record/notes/${make().signed}`; }, locale: 'en-US', lang: 'en',
		  status: 200, content: ['main p.notice-box', 'main article'], switchTo: 'es', setup: made(inEnglish(asPatient)) },
	];
}

const VIEWPORT = { width: 360, height: 640 };
const NARROW_WIDTHS = [360, 320];
const SIZE_BUDGET = 14 * 1024;
const TIMEOUT_MS = 15000;

const artifacts = process.env.MEDSYS_ARTIFACTS ||
	fs.mkdtempSync(path.join(os.tmpdir(), 'medsys-browser-'));
fs.mkdirSync(artifacts, { recursive: true });

let passed = 0;
let failed = 0;

// check: record one check, print "ok" or "FAIL" with the details (a string
// or a list of lines) that explain the failure.
function check(page, what, ok, details) {
	if (ok) {
		passed++;
		console.log(`  ok    ${page.name}: ${what}`);
		return;
	}
	failed++;
	console.log(`  FAIL  ${page.name}: ${what}`);
	const lines = Array.isArray(details) ? details : details ? [details] : [];
	for (const l of lines) console.log(`          ${l}`);
}

// run: run one check body; an exception fails the check with its message.
async function run(page, what, body) {
	try {
		const r = await body();
		check(page, what, r.ok, r.details);
	} catch (e) {
		check(page, what, false, String(e && e.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : e));
	}
}

async function newContext(browser, page, options = {}) {
	const context = await browser.newContext({
		viewport: VIEWPORT,
		locale: page.locale,
		...options,
	});
	context.setDefaultTimeout(TIMEOUT_MS);
	if (page.setup) await page.setup(context);
	return context;
}

// Load with JavaScript on and CSP enforced; collect everything that went wrong.
async function checkConsole(browser, page) {
	const context = await newContext(browser, page);
	const tab = await context.newPage();
	const url = BASE + page.path;
	const problems = [];
	tab.on('console', (msg) => {
		if (msg.type() !== 'error') return;
		const loc = msg.location();
		// Chromium reports a non-2xx document as a failed resource: expected
		// for error pages, so only the document's own expected status is allowed.
		if (page.status >= 400 && loc.url === url &&
		    msg.text().includes(`status of ${page.status}`)) return;
		problems.push(`console error: ${msg.text()}${loc.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
	});
	tab.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
	tab.on('requestfailed', (req) =>
		problems.push(`request failed: ${req.method()} ${req.url()}: ${req.failure()?.errorText}`));
	tab.on('response', (res) => {
		if (res.request().frame() === tab.mainFrame() && res.url() === url) return;
		if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${res.url()}`);
	});
	let status = 0;
	let lang = null;
	try {
		const res = await tab.goto(url, { waitUntil: 'load' });
		status = res ? res.status() : 0;
		lang = await tab.getAttribute('html', 'lang');
		// Late errors (deferred scripts, fonts) arrive after load.
		await tab.waitForTimeout(200);
	} finally {
		await context.close();
	}
	check(page, `GET ${page.path} answers ${page.status}`, status === page.status, `got ${status}`);
	check(page, `html lang="${page.lang}"`, lang === page.lang, `got lang=${JSON.stringify(lang)}`);
	check(page, 'no console errors, page errors or failed requests', problems.length === 0, problems);
}

// axe-core, injected as a script: needs the CSP bypassed, so this context is
// used for nothing else. Also checks for horizontal scroll and screenshots.
async function checkLayout(browser, page) {
	const context = await newContext(browser, page, { bypassCSP: true });
	const tab = await context.newPage();
	try {
		await tab.goto(BASE + page.path, { waitUntil: 'load' });

		const file = path.join(artifacts, `${page.name}-${VIEWPORT.width}x${VIEWPORT.height}.png`);
		await run(page, `screenshot at ${VIEWPORT.width}x${VIEWPORT.height}`, async () => {
			await tab.screenshot({ path: file, fullPage: true });
			console.log(`        screenshot: ${file}`);
			return { ok: fs.statSync(file).size > 0 };
		});

		await run(page, 'axe-core: no violations', async () => {
			await tab.addScriptTag({ content: axeSource });
			const result = await tab.evaluate(() =>
				// eslint-disable-next-line no-undef
				axe.run(document, { resultTypes: ['violations'] }));
			return { ok: result.violations.length === 0, details: formatViolations(result.violations) };
		});

		for (const width of NARROW_WIDTHS) {
			await run(page, `no horizontal scroll at ${width} px`, async () => {
				await tab.setViewportSize({ width, height: VIEWPORT.height });
				const m = await tab.evaluate(() => {
					const root = document.documentElement;
					const wide = [];
					for (const el of document.body.querySelectorAll('*')) {
						const r = el.getBoundingClientRect();
						if (r.right > window.innerWidth + 0.5 && r.width > 0) {
							const id = el.id ? `#${el.id}` : '';
							const cls = el.classList.length ? `.${[...el.classList].join('.')}` : '';
							wide.push(`${el.tagName.toLowerCase()}${id}${cls} right=${Math.round(r.right)}`);
						}
					}
					return { scrollWidth: root.scrollWidth, innerWidth: window.innerWidth, wide: wide.slice(0, 8) };
				});
				return {
					ok: m.scrollWidth <= m.innerWidth,
					details: [`scrollWidth ${m.scrollWidth} > innerWidth ${m.innerWidth}`,
						...m.wide.map((w) => `too wide: ${w}`)],
				};
			});
		}
	} finally {
		await context.close();
	}
}

// Without JavaScript: the main content is there and the language link works.
async function checkNoScript(browser, page) {
	const context = await newContext(browser, page, { javaScriptEnabled: false });
	const tab = await context.newPage();
	try {
		await tab.goto(BASE + page.path, { waitUntil: 'load' });
		await run(page, `without JavaScript: ${page.content.join(', ')} present`, async () => {
			const missing = [];
			for (const sel of page.content) {
				const n = await tab.locator(sel).count();
				if (n === 0) missing.push(`missing: ${sel}`);
				else if (!(await tab.locator(sel).first().isVisible())) missing.push(`not visible: ${sel}`);
			}
			return { ok: missing.length === 0, details: missing };
		});
		await run(page, `without JavaScript: footer link switches to lang="${page.switchTo}"`, async () => {
			const link = tab.locator(`footer a[hreflang="${page.switchTo}"]`);
			if ((await link.count()) !== 1) {
				return { ok: false, details: `expected one footer a[hreflang="${page.switchTo}"], found ${await link.count()}` };
			}
			await Promise.all([tab.waitForNavigation({ waitUntil: 'load' }), link.click()]);
			const lang = await tab.getAttribute('html', 'lang');
			// The same page, query included (a reset link's token survives).
			const landed = new URL(tab.url()).pathname + new URL(tab.url()).search;
			const details = [];
			if (lang !== page.switchTo) details.push(`after the click lang=${JSON.stringify(lang)}`);
			if (landed !== page.path) details.push(`landed on ${landed}, expected ${page.path}`);
			return { ok: details.length === 0, details };
		});
	} finally {
		await context.close();
	}
}

// fetchRaw: GET url asking for gzip; resolves to the status, headers and the
// body bytes exactly as they came over the wire (still compressed).
function fetchRaw(url, headers) {
	const mod = url.startsWith('https:') ? https : http;
	return new Promise((resolve, reject) => {
		const req = mod.get(url, { headers: { 'Accept-Encoding': 'gzip', ...headers } }, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
			res.on('error', reject);
		});
		req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error(`timeout fetching ${url}`)));
		req.on('error', reject);
	});
}

function decode(res) {
	return res.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(res.body) : res.body;
}

function stylesheetLinks(html) {
	const hrefs = [];
	for (const tag of html.match(/<link\b[^>]*>/gi) || []) {
		const rel = /\brel\s*=\s*["']?([^"'>]+)/i.exec(tag);
		const href = /\bhref\s*=\s*["']?([^"'\s>]+)/i.exec(tag);
		if (rel && href && rel[1].toLowerCase().split(/\s+/).includes('stylesheet')) hrefs.push(href[1]);
	}
	return hrefs;
}

// HTML + linked CSS, gzip-compressed as served, must fit the first round trip.
async function checkSize(browser, page) {
	await run(page, `HTML + CSS gzipped <= ${SIZE_BUDGET} bytes`, async () => {
		const headers = { 'Accept-Language': page.locale };
		if (page.setup) {
			const context = await newContext(browser, page);
			const cookies = await context.cookies(BASE);
			await context.close();
			if (cookies.length) headers.Cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
		}
		const url = BASE + page.path;
		const doc = await fetchRaw(url, headers);
		const parts = [{ url: page.path, bytes: doc.body.length, enc: doc.headers['content-encoding'] || 'identity' }];
		const details = [];
		if (doc.status !== page.status) details.push(`document answered ${doc.status}`);
		for (const href of stylesheetLinks(decode(doc).toString('utf8'))) {
			const css = await fetchRaw(new URL(href, url).href, headers);
			if (css.status !== 200) details.push(`${href} answered ${css.status}`);
			parts.push({ url: href, bytes: css.body.length, enc: css.headers['content-encoding'] || 'identity' });
		}
		const total = parts.reduce((s, p) => s + p.bytes, 0);
		console.log(`        size: ${total} bytes (${parts.map((p) => `${p.url} ${p.bytes} ${p.enc}`).join(', ')})`);
		if (total > SIZE_BUDGET) details.push(`${total} bytes > ${SIZE_BUDGET}`);
		return { ok: details.length === 0, details };
	});
}

async function main() {
	console.log(`pages.mjs: ${PAGES.length} pages at ${BASE}; screenshots in ${artifacts}`);
	const browser = await chromium.launch({
		executablePath: process.env.MEDSYS_CHROMIUM || '/usr/bin/chromium',
		args: LAUNCH_ARGS,
		timeout: 60000,
	});
	try {
		for (const page of PAGES) {
			console.log(`${page.name} (${page.path}, ${page.locale})`);
			for (const step of [checkConsole, checkLayout, checkNoScript, checkSize]) {
				try {
					await step(browser, page);
				} catch (e) {
					check(page, `${step.name} ran to the end`, false, String(e && e.message ? e.message : e));
				}
			}
		}
	} finally {
		await browser.close();
	}
	console.log(`${passed} passed, ${failed} failed`);
	process.exitCode = failed > 0 ? 1 : 0;
}

// Care pages (fcgi/pages/record/care*.c): patient1's who-viewed and
// corrections, doctor1's break-glass form and (assigned to patient1 once,
// with psql) the staff views, the administrators' assignments and report.
function carePages() {
	let p1 = null;
	const patient = () => {
		if (p1 === null) {
			p1 = stackSql("SELECT id FROM auth.users WHERE email = 'patient1@clinic.test'");
			stackSql('INSERT INTO ehr.assignments (patient_id, doctor_id, assigned_by) ' +
				"SELECT u.id, d.id, u.id FROM auth.users u, clinic.doctors d WHERE u.email = 'patient1@clinic.test' " +
				"AND d.licence_number = 'T-0001' ON CONFLICT DO NOTHING");
		}
		return p1;
	};
	const asDoctor = signInAs('doctor1@clinic.test', 'Doctor-One-Pass-2026', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
	return [
		{ name: 'record-access-es', path: '/record/access', locale: 'es-ES', lang: 'es', status: 200,
		  content: ['main h1', 'main p'], switchTo: 'en', setup: asPatient },
		{ name: 'record-corrections-en', path: '/record/corrections', locale: 'en-US', lang: 'en', status: 200,
		  content: ['main form.stack textarea[name=body]'], switchTo: 'es', setup: inEnglish(asPatient) },
		{ name: 'break-glass-es', get path() { return `/patients/${patient()}/break-glass`; }, locale: 'es-ES',
		  lang: 'es', status: 200, content: ['main form.stack textarea[name=reason]'], switchTo: 'en', setup: asDoctor },
		{ name: 'care-corrections-en', get path() { return `/patients/${patient()}/corrections`; }, locale: 'en-US',
		  lang: 'en', status: 200, content: ['main h1'], switchTo: 'es', setup: inEnglish(asDoctor) },
		{ name: 'care-access-es', get path() { return `/patients/${patient()}/access`; }, locale: 'es-ES',
		  lang: 'es', status: 200, content: ['main h1'], switchTo: 'en', setup: asDoctor },
		{ name: 'care-assignments-es', get path() { return `/patients/${patient()}/assignments`; }, locale: 'es-ES',
		  lang: 'es', status: 200, content: ['main form.stack select[name=doctor]', 'main ul.doctors li'],
		  switchTo: 'en', setup: asAdmin },
		{ name: 'break-glass-report-en', path: '/admin/break-glass', locale: 'en-US', lang: 'en', status: 200,
		  content: ['main h1'], switchTo: 'es', setup: inEnglish(asAdmin) },
	];
}

main().catch((e) => {
	console.error(e);
	console.log(`${passed} passed, ${failed + 1} failed`);
	process.exit(1);
});

// Vital signs (fcgi/pages/record/vitals*.c): patient1 gets a year of
// monthly readings and doctor1 an assignment to them (made once with psql).
function vitalsPages() {
	let ids = null;
	const q = stackSql;
	const data = () => {
		if (ids === null) {
			const p = q("SELECT id FROM auth.users WHERE email = 'patient1@clinic.test'");
			const d = q("SELECT id FROM auth.users WHERE email = 'doctor1@clinic.test'");
			q(`INSERT INTO ehr.assignments (patient_id, doctor_id, assigned_by) SELECT ${p}, id, ${d} ` +
				`FROM clinic.doctors WHERE licence_number = 'T-0001' ON CONFLICT DO NOTHING`);
			q(`WITH i AS (INSERT INTO ehr.items (patient_id, kind, created_by, created_at) SELECT ${p}, 'vitals', ${d}, ` +
				`now() - make_interval(days => 30 * g) FROM generate_series(0, 12) g ` +
				`WHERE NOT EXISTS (SELECT 1 FROM ehr.items WHERE patient_id = ${p} AND kind = 'vitals') RETURNING id, created_at) ` +
				`INSERT INTO ehr.vital_versions (item_id, version, taken_at, systolic, diastolic, heart_rate, weight, height, ` +
				`status, recorded_by) SELECT id, 1, created_at, 130 + id % 9, 80 + id % 7, 70 + id % 5, 70.5 + id % 3, 168, 'final', ${d} FROM i`);
			ids = { p, item: q(`SELECT max(id) FROM ehr.items WHERE patient_id = ${p} AND kind = 'vitals'`) };
		}
		return ids;
	};
	const doctor = signInAs('doctor1@clinic.test', 'Doctor-One-Pass-2026', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
	const withData = (setup) => async (context) => { data(); await setup(context); };
	return [
		{ name: 'vitals-own-es', path: '/record/vitals', locale: 'es-ES', lang: 'es', status: 200,
		  content: ['main h1', 'main figure.trend svg', 'main table.list td'], switchTo: 'en', setup: withData(asPatient) },
		{ name: 'vitals-own-en', path: '/record/vitals?m=weight&range=all', locale: 'en-US', lang: 'en', status: 200,
		  content: ['main figure.trend svg', 'main table.list td'], switchTo: 'es', setup: withData(inEnglish(asPatient)) },
		{ name: 'vitals-staff-es', get path() { return `/patients/${data().p}/vitals`; }, locale: 'es-ES', lang: 'es',
		  status: 200, content: ['main a[href$="/new"]', 'main figure.trend svg'], switchTo: 'en', setup: withData(doctor) },
		{ name: 'vitals-new-en', get path() { return `/patients/${data().p}/vitals/new`; }, locale: 'en-US', lang: 'en',
		  status: 200, content: ['main form.stack input[name=weight]', 'main ul.vitals a'], switchTo: 'es',
		  setup: withData(inEnglish(doctor)) },
		{ name: 'vitals-reading-es', get path() { return `/patients/${data().p}/vitals/${data().item}`; }, locale: 'es-ES',
		  lang: 'es', status: 200, content: ['main ol li', 'main form.stack input[name=reason]'], switchTo: 'en',
		  setup: withData(doctor) },
	];
}
