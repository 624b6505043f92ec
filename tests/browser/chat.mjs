// chat.mjs: a patient and a doctor exchange messages in two Chromium
// contexts (360x640, Spanish, the real CSP), first with JavaScript OFF
// (every form posts and the page comes back with everything), then ON
// (an open thread shows the other side's message without reloading:
// static/chat.js polls with If-None-Match). Unread counts in the header,
// "seen" on the sender's message, axe-core on the list, the form and the
// thread. Prints "N passed, M failed".
import { BASE, doneVisit, check, finish, launch, signIn, follow, phone, axeClean } from './lib.mjs';

const PATIENT = { email: 'patient1@clinic.test', password: 'Patient-One-Pass-2026' };
const DOCTOR = { email: 'doctor1@clinic.test', password: 'Doctor-One-Pass-2026', totp: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' };

// A visit yesterday: patient1 may write to doctor1 and the doctor may read.
doneVisit('patient1@clinic.test', 'T-0001', 1, 'Mensajes');

const SUBJECT = `Consulta ${Date.now()}`;

// The patient starts a thread (no JavaScript): its path.
async function start(page) {
	await page.goto(`${BASE}/messages/new`);
	await page.selectOption('#to', { label: 'Dra. Test Uno' });
	await page.fill('#subject', SUBJECT);
	await page.fill('#body', 'Buenos días, ¿puedo tomar ibuprofeno? <b>Marcador-1</b>');
	const where = await follow(page, page.locator('main form button[type=submit]'));
	check(/^\/messages\/\d+$/.test(where), `the new thread opens (${where})`);
	check((await page.textContent('main')).includes('<b>Marcador-1</b>'), 'the text is shown as typed, not as HTML');
	return where;
}

async function replyWith(page, text) {
	await page.fill('#body', text);
	await follow(page, page.locator('#reply button[type=submit]'));
}

const browser = await launch();
try {
	// ---- JavaScript off
	const p = await phone(browser), d = await phone(browser);
	await signIn(p.page, { ...PATIENT, next: '/messages' });
	await signIn(d.page, { ...DOCTOR, next: '/messages' });
	const thread = await start(p.page);
	await d.page.goto(`${BASE}/messages`);
	check(/Mensajes\s*1/.test(await d.page.textContent('header')), 'the doctor\'s header counts 1 unread');
	await follow(d.page, d.page.locator(`main a:has-text("${SUBJECT}")`));
	check((await d.page.textContent('main')).includes('Marcador-1'), 'the doctor reads the message');
	check(!/Mensajes\s*\d/.test(await d.page.textContent('header')), 'read: the count is gone');
	await replyWith(d.page, 'Sí, con comida. Marcador-2');
	check((await d.page.textContent('main')).includes('Marcador-2'), 'the reply is on the doctor\'s page');
	await p.page.goto(`${BASE}${thread}`);
	const main = await p.page.textContent('main');
	check(main.includes('Marcador-2'), 'the patient sees the answer after reloading');
	check(main.includes('Visto'), 'the patient\'s message is marked seen');
	await axeClean(browser, p.context, `${BASE}/messages`, 'the message list');
	await axeClean(browser, p.context, `${BASE}/messages/new`, 'the new-message form');
	await axeClean(browser, p.context, `${BASE}${thread}`, 'the thread (patient)');
	await axeClean(browser, d.context, `${BASE}${thread}`, 'the thread (doctor)');
	check(p.errors.length === 0 && d.errors.length === 0, 'no console errors with JavaScript off');
	await p.context.close();

	// ---- JavaScript on: the patient's open page updates itself
	const on = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'es-ES' });
	const pp = await on.newPage();
	const errors = [];
	pp.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
	pp.on('pageerror', (e) => errors.push(e.message));
	// Which polls the page makes: nginx's poll file while nothing changes,
	// medsysd's poll only after a change (docs/chat.md "Polling").
	const polls = { file: [], server: 0 };
	pp.on('response', (r) => {
		if (r.url().includes('/poll/chat/')) polls.file.push(r.status());
		else if (/\/messages\/\d+\/poll/.test(r.url())) polls.server++;
	});
	await signIn(pp, { ...PATIENT, next: thread });
	await pp.waitForTimeout(7000);
	check(polls.file.filter((s) => s === 304).length >= 1 && polls.server === 0,
		`while nothing changes the page asks nginx's poll file (304) and never medsysd (${polls.file.join(',')}; ${polls.server})`);
	check(await pp.locator('script[src="/static/chat.js"]').count() === 1, 'the thread loads chat.js');
	await pp.evaluate(() => { window.chatMark = 1; });
	// The doctor keeps their session (a TOTP code is taken once).
	await d.page.goto(`${BASE}${thread}`);
	await replyWith(d.page, 'Y beba agua. Marcador-3');
	let arrived = false;
	try {
		await pp.waitForFunction(() => document.querySelector('#messages').textContent.includes('Marcador-3'),
			null, { timeout: 15000 });
		arrived = true;
	} catch { /* checked below */ }
	check(arrived, 'the doctor\'s new message appears on the patient\'s open page');
	check(await pp.evaluate(() => window.chatMark) === 1, 'without reloading');
	check(polls.server >= 1, 'after the change the page asked medsysd for the new message');
	await replyWith(pp, 'Gracias. Marcador-4');
	check((await pp.textContent('main')).includes('Marcador-4'), 'the patient answers with JavaScript on');
	// The doctor reads it: "Visto" appears on the patient's open page.
	await pp.evaluate(() => { window.chatMark = 2; });
	await d.page.goto(`${BASE}${thread}`);
	let seen = false;
	try {
		await pp.waitForFunction(() => [...document.querySelectorAll('#messages li.mine')]
			.some((li) => li.textContent.includes('Marcador-4') && li.querySelector('.seen')), null, { timeout: 15000 });
		seen = true;
	} catch { /* checked below */ }
	check(seen && await pp.evaluate(() => window.chatMark) === 2, 'the doctor\'s read shows "Visto" without reloading');
	check(errors.length === 0 && d.errors.length === 0, `no console errors, no CSP refusals (${errors.join('; ')})`);
	await on.close();
	await d.context.close();
} catch (e) {
	check(false, 'the flow ran to the end', String(e && e.stack ? e.stack : e));
} finally {
	await browser.close();
}
finish();
