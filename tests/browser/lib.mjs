// lib.mjs: what the browser tests share: where the npm modules are, SQL on
// the stack's database, TOTP codes, launching Debian's Chromium, signing in
// through the forms, axe-core, and the "ok / FAIL" tally of the flow tests.
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
// ESM imports ignore NODE_PATH, so the modules are loaded with createRequire.
export const nodeModules = process.env.MEDSYS_NODE_MODULES ||
	(process.env.NODE_PATH || '').split(path.delimiter).find(Boolean) ||
	path.join(here, 'node_modules');
const require = createRequire(import.meta.url);

// load: an npm module of tests/browser/package.json by name.
export function load(name) {
	return require(path.join(nodeModules, name));
}

export const BASE = (process.env.MEDSYS_URL || '').replace(/\/+$/, '');

// One SQL statement through psql on the stack's database, as its owner
// (the stack's PostgreSQL runs as medsys); its output, trimmed.
export function sql(q) {
	const args = ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-h', process.env.MEDSYS_PGHOST,
		'-U', 'medsys', '-d', 'medsys', '-c', q];
	const root = process.getuid && process.getuid() === 0;
	return execFileSync(root ? 'runuser' : 'psql', root ? ['-u', 'medsys', '--', 'psql', ...args] : args,
		{ encoding: 'utf8' }).trim();
}

// doneVisit: a completed visit of the patient (email) with the doctor
// (licence number) `daysAgo` days ago, and its encounter; [patient id,
// encounter id] as strings.
export function doneVisit(email, licence, daysAgo, reason) {
	return sql(`WITH a AS (
	INSERT INTO appt.appointments (doctor_id, patient_id, starts_at, ends_at, mode, status, reason)
	SELECT d.id, u.id, now() - interval '${daysAgo} days', now() - interval '${daysAgo} days' + interval '20 minutes',
	       'in_person', 'completed', '${reason}'
	  FROM clinic.doctors d, auth.users u WHERE d.licence_number = '${licence}' AND u.email = '${email}'
	RETURNING id, patient_id, doctor_id)
	INSERT INTO ehr.encounters (patient_id, doctor_id, appointment_id, kind, created_by)
	SELECT a.patient_id, a.doctor_id, a.id, 'appointment', d.user_id FROM a JOIN clinic.doctors d ON d.id = a.doctor_id
	RETURNING patient_id || ' ' || id`).split(' ');
}

// totpCode: the current RFC 6238 code (SHA-1, 30 s, 6 digits) of a base32
// secret, as an authenticator app shows it. The server takes each code once.
export function totpCode(secretB32) {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
	let bits = '';
	for (const ch of secretB32.replace(/[\s=]/g, '').toUpperCase())
		bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
	const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
	const step = Buffer.alloc(8);
	step.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30)));
	const mac = crypto.createHmac('sha1', key).update(step).digest();
	const o = mac[mac.length - 1] & 15;
	return String((mac.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

export const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync'];

// launch: Debian's Chromium (or MEDSYS_CHROMIUM) through playwright-core.
export function launch() {
	return load('playwright-core').chromium.launch({
		executablePath: process.env.MEDSYS_CHROMIUM || '/usr/bin/chromium', args: LAUNCH_ARGS, timeout: 60000 });
}

let passed = 0, failed = 0;

// check: count one check and print "ok" or "FAIL" (with the details, a
// string or a list of lines, that explain a failure).
export function check(ok, what, details) {
	if (ok) { passed++; console.log(`  ok    ${what}`); return; }
	failed++;
	console.log(`  FAIL  ${what}`);
	for (const l of Array.isArray(details) ? details : details ? [details] : []) console.log(`          ${l}`);
}

// finish: print "N passed, M failed" and exit 1 when anything failed.
export function finish() {
	console.log(`${passed} passed, ${failed} failed`);
	process.exit(failed ? 1 : 0);
}

// signIn: the sign-in form as a person fills it (works without
// JavaScript): email and password, then the TOTP code when the account has
// a second factor; ends where the server sends the browser (next=...).
export async function signIn(page, { email, password, totp, next = '/' }) {
	await page.goto(`${BASE}/login?next=${encodeURIComponent(next)}`);
	await page.fill('input[name=email]', email);
	await page.fill('input[type=password]', password);
	await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
	if (totp) {
		await page.fill('input[name=code]', totpCode(totp));
		await Promise.all([page.waitForNavigation(), page.click('main form[action="/login/2fa"] button[type=submit]')]);
	}
}

// formatViolations: axe-core's violations as lines to print (rule, help,
// the first nodes with their failure summary).
export function formatViolations(violations) {
	const out = [];
	for (const v of violations) {
		out.push(`[${v.impact || 'n/a'}] ${v.id}: ${v.help} (${v.helpUrl})`);
		for (const n of v.nodes.slice(0, 5)) {
			out.push(`    at ${n.target.join(' ')}: ${n.html.slice(0, 120)}`);
			const summary = (n.failureSummary || '').split('\n').map((s) => s.trim()).filter(Boolean);
			for (const s of summary.slice(0, 4)) out.push(`       ${s}`);
		}
		if (v.nodes.length > 5) out.push(`    ... and ${v.nodes.length - 5} more`);
	}
	return out;
}

let axeSource = null;

// axeViolations: axe-core's violations on url as seen with the cookies of
// context (signed in). axe is a script: it needs JavaScript on and the CSP
// bypassed, so it runs in a context of its own, closed afterwards.
export async function axeViolations(browser, context, url) {
	axeSource ??= fs.readFileSync(path.join(nodeModules, 'axe-core', 'axe.min.js'), 'utf8');
	const viewport = { width: 360, height: 640 };
	const own = await browser.newContext({ viewport, locale: 'es-ES', bypassCSP: true, storageState: await context.storageState() });
	try {
		const tab = await own.newPage();
		await tab.goto(url, { waitUntil: 'load' });
		await tab.addScriptTag({ content: axeSource });
		// eslint-disable-next-line no-undef
		return (await tab.evaluate(() => axe.run(document, { resultTypes: ['violations'] }))).violations;
	} finally {
		await own.close();
	}
}

// phone: a JavaScript-less 360x640 tab (Spanish), its console errors
// collected in `errors`; extra: more newContext options.
export async function phone(browser, extra = {}) {
	const context = await browser.newContext({ viewport: { width: 360, height: 640 }, javaScriptEnabled: false,
		locale: 'es-ES', ...extra });
	const page = await context.newPage();
	const errors = [];
	page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
	page.on('pageerror', (e) => errors.push(e.message));
	return { context, page, errors };
}

// follow: click and wait for the page the click loads; its path.
export async function follow(page, locator) {
	await Promise.all([page.waitForNavigation(), locator.click()]);
	return new URL(page.url()).pathname;
}

// menuLink: the header menu's link to href, the menu opened first (a
// <details>: its links are hidden until it opens, templates/layout.cs).
export async function menuLink(page, href) {
	const menu = page.locator('header details.menu');
	if (!(await menu.evaluate((d) => d.open)))
		await page.click('header details.menu summary');
	return page.locator(`header details.menu nav a[href="${href}"]`);
}

// axeClean: a check that axe-core finds no violation on url.
export async function axeClean(browser, context, url, what) {
	const violations = await axeViolations(browser, context, url);
	check(violations.length === 0, `axe-core: no violations on ${what}`, formatViolations(violations));
}

// fits: a check that the document fits `width` px without sideways
// scrolling; the viewport is left at that width. page.evaluate runs even
// with javaScriptEnabled: false (Playwright's own script world; the page's
// scripts stay off).
export async function fits(page, width) {
	await page.setViewportSize({ width, height: 640 });
	const m = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
	check(m[0] <= m[1], `${new URL(page.url()).pathname} fits ${width} px (scrollWidth ${m[0]}, clientWidth ${m[1]})`);
}
