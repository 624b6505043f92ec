// tele_rec.mjs: the consented recording of a video visit in Debian's
// Chromium with fake camera and microphone (docs/tele.md "Transcript"):
// each side answers the room's consent question once; with both yeses the
// call page carries data-record="1" and static/tele-rec.js uploads each
// browser's own microphone in self-contained WebM chunks through
// POST /appointments/ID/call/audio while the call goes on; the doctor ends
// the visit and the recording stops; medsys-transcriber decodes every chunk
// (each must decode alone) and deletes the audio (a refusal, which records
// nothing, is tests/integration/tele_transcript.stack's). Prints "N passed,
// M failed".
import { execFileSync } from 'node:child_process';
import { BASE, LAUNCH_ARGS, load, sql, check, finish, signIn, follow, phone, fits, axeClean } from './lib.mjs';
import { FAKE_MEDIA, openVisit, tab, reaches } from './tele_lib.mjs';

const PATIENT = { email: 'patient1@clinic.test', password: 'Patient-One-Pass-2026' };
const DOCTOR = { email: 'doctor1@clinic.test', password: 'Doctor-One-Pass-2026', totp: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' };
const APPT = openVisit();
const CALL = `/appointments/${APPT}/call`;
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
const chunks = () => sql(`SELECT count(*) FROM tele.audio_chunks c JOIN tele.rooms r ON r.id = c.room_id
	WHERE r.appointment_id = ${APPT}`);

// Join the room, then answer the consent question the room asks once.
async function enter(page, answer) {
	await page.goto(`${BASE}${CALL}`);
	const join = page.locator(`main form[action="${CALL}/join"] button`);
	if (await join.count()) await follow(page, join);
	const ask = page.locator(`main form[action="${CALL}/consent"] button[value=${answer}]`);
	check(await ask.count() === 1, `the room asks for consent on entering (${answer})`);
	await follow(page, ask);
	check(await page.locator(`main form[action="${CALL}/consent"]`).count() === 0, 'and not again once answered');
}

const browser = await load('playwright-core').chromium.launch({
	executablePath: process.env.MEDSYS_CHROMIUM || '/usr/bin/chromium', args: [...LAUNCH_ARGS, ...FAKE_MEDIA], timeout: 60000 });
try {
	const p = await tab(browser), d = await tab(browser);
	await signIn(p.page, PATIENT);
	await signIn(d.page, DOCTOR);
	await enter(p.page, 'yes');
	await enter(d.page, 'yes');
	check(await d.page.getAttribute('#call', 'data-record') === '1', "both said yes: the doctor's call page records");
	await follow(d.page, d.page.locator(`#waiting-list form[action="${CALL}/admit"] button`));
	await p.page.waitForSelector('#call[data-state=admitted]', { timeout: 15000 });
	check(await p.page.getAttribute('#call', 'data-record') === '1', "and the patient's");
	check(await reaches(p.page, 'connected') && await reaches(d.page, 'connected'), 'the call connects');

	// Two rounds of 12-second chunks from each side.
	await pause(27000);
	const bySpeaker = sql(`SELECT string_agg(n::text, ',' ORDER BY speaker) FROM (
		SELECT c.speaker, count(*) AS n FROM tele.audio_chunks c JOIN tele.rooms r ON r.id = c.room_id
		 WHERE r.appointment_id = ${APPT} AND c.media_type = 'audio/webm' GROUP BY c.speaker) s`);
	const counts = bySpeaker.split(',').map(Number);
	check(counts.length === 2 && counts.every((n) => n >= 2), `each browser uploaded WebM chunks of its microphone (${bySpeaker})`);

	// The doctor ends the visit: 'tele:ended' stops the recorders (the
	// chunk under way is sent), and nothing more arrives.
	await follow(d.page, d.page.locator(`main form[action="${CALL}/end"] button`));
	await reaches(p.page, 'ended', 15000);
	await pause(3000);
	const atEnd = chunks();
	await pause(14000);
	check(chunks() === atEnd, `no chunk after the end (${atEnd})`);

	// Every chunk decodes alone: the real transcriber takes them all.
	const bin = `${process.env.MEDSYS_BUILDDIR}/medsys-transcriber`;
	const args = ['--config', process.env.MEDSYS_CONF, '--once'];
	const root = process.getuid && process.getuid() === 0;
	execFileSync(root ? 'runuser' : bin, root ? ['-u', 'medsys', '--', bin, ...args] : args, { stdio: 'inherit' });
	const state = sql(`SELECT count(*) FILTER (WHERE transcribed_at IS NOT NULL AND failed_at IS NULL AND deleted_at IS NOT NULL)
		|| '/' || count(*) FROM tele.audio_chunks c JOIN tele.rooms r ON r.id = c.room_id WHERE r.appointment_id = ${APPT}`);
	const [done, all] = state.split('/');
	check(done === all && Number(all) >= 4, `every browser chunk was decoded and transcribed, its audio deleted (${state})`);
	check(p.errors.length === 0 && d.errors.length === 0, `no console errors (${[...p.errors, ...d.errors].join('; ')})`);

	// The doctor's review and the patient's reading of the transcript work
	// without JavaScript and fit 320 px (the same sessions, scripts off).
	const review = `${BASE}/appointments/${APPT}/transcript`;
	const dp = await phone(browser), pp = await phone(browser);
	await dp.context.addCookies(await d.context.cookies());
	await pp.context.addCookies(await p.context.cookies());
	await dp.page.goto(review);
	const box = dp.page.locator('main form textarea#body');
	check(await box.count() === 1, 'the doctor reviews the transcript in a plain form');
	await fits(dp.page, 320);
	await axeClean(browser, dp.context, review, 'the transcript review (doctor)');
	await box.fill(`${await box.inputValue()}\n[revisado] Marcador-Revision`);
	await follow(dp.page, dp.page.locator('main form button[type=submit]'));
	check(sql(`SELECT count(*) FROM ehr.transcript_versions v JOIN tele.rooms r ON r.id = v.room_id
		WHERE r.appointment_id = ${APPT} AND v.body LIKE '%Marcador-Revision%'`) !== '0', 'the reviewed text is saved without JavaScript');
	await pp.page.goto(review);
	check((await pp.page.textContent('main')).includes('Marcador-Revision'), 'the patient reads the reviewed transcript');
	check(await pp.page.locator('main form textarea').count() === 0, 'read only for the patient');
	await fits(pp.page, 320);
	await axeClean(browser, pp.context, review, 'the transcript (patient)');
	check(dp.errors.length === 0 && pp.errors.length === 0, 'no console errors with JavaScript off');
	await dp.context.close();
	await pp.context.close();
	await p.context.close();
	await d.context.close();
} catch (e) {
	check(false, 'the flow ran to the end', String(e && e.stack ? e.stack : e));
} finally {
	await browser.close();
}
finish();
