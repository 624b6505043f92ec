// tele_lib.mjs: what the video-visit browser tests share (tele.mjs,
// tele_rec.mjs): Chromium's fake camera and microphone, a visit of the
// demo patient with the demo doctor whose room is open, a tab with its
// console errors, and waiting for tele.js's phase on #call.
import { sql } from './lib.mjs';

export const FAKE_MEDIA = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

// A video visit of patient1 with doctor1 starting in 5 minutes (its room
// is open): the appointment id.
export function openVisit() {
	return sql(`INSERT INTO appt.appointments (doctor_id, patient_id, starts_at, ends_at, mode, status, reason)
	SELECT d.id, u.id, date_trunc('minute', now()) + interval '5 minutes', date_trunc('minute', now()) + interval '25 minutes',
	       'video', 'booked', 'Videoconsulta'
	  FROM clinic.doctors d, auth.users u WHERE d.licence_number = 'T-0001' AND u.email = 'patient1@clinic.test'
	RETURNING id`);
}

// A JavaScript-on tab (the real CSP), its console errors collected; init,
// when given, runs before the page's own scripts.
export async function tab(browser, init) {
	const context = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'es-ES' });
	if (init) await context.addInitScript(init);
	const page = await context.newPage();
	const errors = [];
	page.on('console', (m) => { if (m.type() === 'error' && !/status of 404/.test(m.text())) errors.push(m.text()); });
	page.on('pageerror', (e) => errors.push(e.message));
	return { context, page, errors };
}

// Whether #call reaches tele.js's phase `what` within ms.
export async function reaches(page, what, ms = 30000) {
	try {
		await page.waitForSelector(`#call[data-phase=${what}]`, { timeout: ms });
		return true;
	} catch {
		return false;
	}
}
