// chat_files.mjs: attachments in a thread (docs/chat.md "Attachments"), in
// two Chromium contexts (360x640, Spanish, the real CSP): the patient,
// with JavaScript OFF, sends an HTML file named .jpg (refused, the text
// kept) and then a real PNG; the doctor's open page, with JavaScript ON,
// shows the new message with its download link without reloading; the
// download carries attachment, nosniff and a sandbox CSP; axe-core on the
// thread with an attachment. Prints "N passed, M failed".
import { execFileSync } from 'node:child_process';
import { BASE, doneVisit, check, finish, launch, signIn, follow, phone, axeClean } from './lib.mjs';

const PATIENT = { email: 'patient1@clinic.test', password: 'Patient-One-Pass-2026' };
const DOCTOR = { email: 'doctor1@clinic.test', password: 'Doctor-One-Pass-2026', totp: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' };

doneVisit('patient1@clinic.test', 'T-0001', 1, 'Adjuntos');

const SUBJECT = `Adjuntos ${Date.now()}`;
const png = execFileSync('convert', ['-size', '16x16', 'xc:green', 'png:-']);

const browser = await launch();
try {
	const p = await phone(browser);
	await signIn(p.page, { ...PATIENT, next: '/messages/new' });
	await p.page.selectOption('#to', { label: 'Dra. Test Uno' });
	await p.page.fill('#subject', SUBJECT);
	await p.page.fill('#body', 'Le envío mis análisis.');
	const thread = await follow(p.page, p.page.locator('main form button[type=submit]'));
	check(/^\/messages\/\d+$/.test(thread), `the new thread opens (${thread})`);

	// The doctor's page, with JavaScript, open on the thread.
	const on = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'es-ES' });
	const dp = await on.newPage();
	const errors = [];
	dp.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
	dp.on('pageerror', (e) => errors.push(e.message));
	await signIn(dp, { ...DOCTOR, next: thread });
	await dp.evaluate(() => { window.chatMark = 1; });

	// A disguised HTML file: refused, the text kept.
	await p.page.fill('#body', 'Marcador-F1');
	await p.page.setInputFiles('#file', { name: 'foto.jpg', mimeType: 'image/jpeg',
		buffer: Buffer.from('<!DOCTYPE html><script>alert(1)</script>') });
	await follow(p.page, p.page.locator('#reply button[type=submit]'));
	check((await p.page.textContent('main')).includes('Solo se pueden adjuntar archivos PDF, JPEG y PNG'),
		'the refused file is explained');
	check(await p.page.inputValue('#body') === 'Marcador-F1', 'the text typed is kept');

	// A real PNG.
	await p.page.fill('#body', 'Marcador-F2');
	await p.page.setInputFiles('#file', { name: 'analisis.png', mimeType: 'image/png', buffer: png });
	await follow(p.page, p.page.locator('#reply button[type=submit]'));
	check(await p.page.locator('#messages a:has-text("analisis.png")').count() === 1,
		'the patient sees the attachment in the thread');

	let arrived = false;
	try {
		await dp.waitForSelector('#messages a:has-text("analisis.png")', { timeout: 15000 });
		arrived = true;
	} catch { /* checked below */ }
	check(arrived, 'the attachment appears on the doctor\'s open page');
	check(await dp.evaluate(() => window.chatMark) === 1, 'without reloading');
	if (arrived) {
		const href = await dp.getAttribute('#messages a:has-text("analisis.png")', 'href');
		const res = await on.request.get(`${BASE}${href}`);
		const h = res.headers(), body = await res.body();
		check(res.status() === 200, `the download answers 200 (${res.status()})`);
		check(/^attachment; filename="analisis\.png"/.test(h['content-disposition'] || ''), 'as an attachment');
		check(h['x-content-type-options'] === 'nosniff', 'with nosniff');
		check(/^sandbox/.test(h['content-security-policy'] || ''), 'with a sandbox CSP');
		check(body.subarray(0, 8).equals(png.subarray(0, 8)), 'a PNG');
	}
	await axeClean(browser, on, `${BASE}${thread}`, 'the thread with an attachment (doctor)');
	await axeClean(browser, p.context, `${BASE}${thread}`, 'the thread with an attachment (patient)');
	// The refused upload's 415 is logged by Chromium as a failed resource.
	const perr = p.errors.filter((e) => !/status of 415/.test(e));
	check(errors.length === 0 && perr.length === 0, `no console errors (${errors.concat(perr).join('; ')})`);
	await on.close();
	await p.context.close();
} catch (e) {
	check(false, 'the flow ran to the end', String(e && e.stack ? e.stack : e));
} finally {
	await browser.close();
}
finish();
