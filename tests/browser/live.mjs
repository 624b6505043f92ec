// live.mjs: searching as you type, with JavaScript ON, on a 360x640 phone
// in Debian's Chromium under the real CSP. doctor1 types in the formulary
// search without submitting: the results appear, narrow as he types more,
// follow an ATC prefix and go away when he clears the box, and the page
// never reloads. The same in the prescribing form's picker, where a match
// found that way is then picked. axe-core on the live pages; no console
// errors (a CSP refusal is one). The JavaScript-off path is rx.mjs and
// pages.mjs. Prints "N passed, M failed".
import fs from 'node:fs';
import path from 'node:path';
import { BASE, doneVisit, check, finish, launch, signIn, follow, nodeModules, formatViolations } from './lib.mjs';

const DOCTOR = { email: 'doctor1@clinic.test', password: 'Doctor-One-Pass-2026', totp: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' };
const AXE = fs.readFileSync(path.join(nodeModules, 'axe-core', 'axe.min.js'), 'utf8');

// A done visit of patient1 with doctor1 yesterday, and its encounter.
const [pid, enc] = doneVisit('patient1@clinic.test', 'T-0001', 1, 'Otitis');

// typeInto: clear the box (when asked) and type text key by key, as a person.
async function typeInto(page, text, clear = true) {
	const box = page.locator('main input[name=q]');
	if (clear) await box.fill('');
	await box.pressSequentially(text, { delay: 60 });
}

// settle: wait until the condition on the page holds (or 5 s passed); true when it did.
async function settle(page, fn, arg) {
	try {
		await page.waitForFunction(fn, arg, { timeout: 5000 });
		return true;
	} catch {
		return false;
	}
}

// The formulary's result rows as text, or one column of them.
const rows = (page, col) => page.$$eval(col ? `#found tbody tr td:nth-child(${col})` : '#found tbody tr',
	(t) => t.map((c) => c.textContent.trim()));

// axe-core on the page as it is now (the swapped results included):
// evaluated through the DevTools protocol, which the page's CSP does not
// govern, so the CSP stays on for the page's own script.
async function axeHere(page, what) {
	await page.evaluate(AXE);
	// eslint-disable-next-line no-undef
	const v = (await page.evaluate(() => axe.run(document, { resultTypes: ['violations'] }))).violations;
	check(v.length === 0, `axe-core: no violations on ${what}`, formatViolations(v));
}

async function formulary(page) {
	await page.goto(`${BASE}/formulary`);
	await page.evaluate(() => { window.liveMark = 1; });
	await typeInto(page, 'amoxi');
	check(await settle(page, () => /Amoxicilina/.test(document.querySelector('#found')?.textContent || '')),
	      'typing "amoxi" (no submit) shows amoxicillin');
	const first = await rows(page);
	check(first.length >= 5 && first.every((t) => /amoxi/i.test(t)) &&
	      first.some((t) => t.includes('Amoxicilina 500 mg cápsula')), `only amoxicillins (${first.length})`);
	check(/\d+ medicamentos encontrados/.test(await page.textContent('#found-status')), 'the status says how many');
	check(new URL(page.url()).searchParams.get('q') === 'amoxi', `the address follows the search (${page.url()})`);
	await typeInto(page, 'cilina 500', false);
	check(await settle(page, (n) => document.querySelectorAll('#found tbody tr').length < n, first.length),
	      'typing more narrows the list');
	const narrow = await rows(page);
	check(narrow.length >= 1 && narrow.every((t) => /^Amoxicilina.* 500 mg/.test(t)), `to ${narrow.length}: amoxicillin 500 mg`,
	      narrow);
	await typeInto(page, 'J01C');
	check(await settle(page, () => [...document.querySelectorAll('#found tbody tr td:nth-child(2)')]
		.map((c) => c.textContent).join().includes('J01CE')), 'an ATC prefix (J01C) lists the penicillins');
	const atcs = await rows(page, 2);
	check(atcs.length > 0 && atcs.every((a) => a.startsWith('J01C')), `every row under J01C (${atcs.length})`);
	await axeHere(page, 'the formulary with live results');
	await page.locator('main input[name=q]').press('Control+a');
	await page.locator('main input[name=q]').press('Backspace');
	check(await settle(page, () => !document.querySelector('#found table') &&
		document.querySelector('#found-status').textContent === ''), 'clearing the box goes back to no results');
	check(await page.evaluate(() => window.liveMark) === 1, 'the page never reloaded');
}

async function picker(page) {
	await page.goto(`${BASE}/patients/${pid}/encounters/${enc}/rx`);
	const path = await follow(page, page.getByRole('button', { name: 'Empezar una receta' }));
	check(/^\/patients\/[0-9]+\/rx\/[0-9]+$/.test(path), `a draft is started (${path})`);
	await page.evaluate(() => { window.liveMark = 1; });
	await typeInto(page, 'ibuprofeno');
	const pick = page.locator('#pick-list button[name=pick]');
	check(await settle(page, () => document.querySelectorAll('#pick-list button[name=pick]').length > 1),
	      'typing "ibuprofeno" in the picker offers matches');
	const all = await pick.count();
	check(/\d+ medicamentos coinciden/.test(await page.textContent('#pick-status')), 'the picker says how many');
	await typeInto(page, ' 400', false);
	check(await settle(page, (n) => document.querySelectorAll('#pick-list button[name=pick]').length < n, all),
	      'typing more narrows the picker');
	check(await page.evaluate(() => window.liveMark) === 1, 'the prescribing page did not reload');
	const url = new URL(page.url());
	check(url.searchParams.get('q') === 'ibuprofeno 400' && !url.searchParams.has('csrf'),
	      `the address follows, without the CSRF token (${url.search})`);
	await axeHere(page, 'the prescribing form with live matches');
	await follow(page, pick.filter({ hasText: 'Ibuprofeno 400 mg comprimido' }).first());
	check((await page.textContent('main')).includes('Ibuprofeno 400 mg comprimido'), 'a live match is picked');
	await typeInto(page, 'zzqx');
	check(await settle(page, () => /Ningún medicamento/.test(document.querySelector('#pick-status').textContent) &&
		!document.querySelector('#pick-list li')), 'no match: said in the status, the list is empty');
}

const browser = await launch();
try {
	const context = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'es-ES' });
	const page = await context.newPage();
	const errors = [];
	page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
	page.on('pageerror', (e) => errors.push(e.message));
	await signIn(page, { ...DOCTOR, next: '/formulary' });
	check(new URL(page.url()).pathname === '/formulary', 'doctor1 on the formulary');
	check(await page.locator('script[src="/static/live-search.js"]').count() === 1, 'the page loads the script');
	await formulary(page);
	await picker(page);
	check(errors.length === 0, `no console errors, no CSP refusals (${errors.join('; ')})`);
	await context.close();
} catch (e) {
	check(false, 'the flow ran to the end', String(e && e.stack ? e.stack : e));
} finally {
	await browser.close();
}
finish();
