// homes.mjs: every role's home on a 360x640 phone with JavaScript off, in
// Debian's Chromium: sign in through the form, land on one's own home
// with its sections, open the compact menu (a <details>, no script) and
// walk every page it links to: no sideways scrolling at 360 and 320 px
// (document width = viewport width), axe-core finds no violation, HTML +
// CSS under 14 KB gzipped. Also: the header stays within two lines at
// 320 px, the wide tables become summary lists on a phone, and radio
// buttons sit beside their labels. Prints "N passed, M failed".
import zlib from 'node:zlib';
import { BASE, sql, check, finish, launch, signIn, phone, axeClean, fits } from './lib.mjs';

const DOCTOR_TOTP = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const ADMIN_TOTP = 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU';
const BUDGET = 14 * 1024;

// Staff the seed lacks: doctor1's password and second factor, one role each.
function staff(role) {
	const email = `${role}-home-${process.pid}@clinic.test`;
	sql(`INSERT INTO auth.users (email, full_name, language, password_hash, email_verified_at, totp_secret, totp_enabled_at)
		SELECT '${email}', 'Prueba ${role}', 'es', password_hash, now(), totp_secret, now()
		  FROM auth.users WHERE email = 'doctor1@clinic.test'`);
	sql(`INSERT INTO auth.user_roles (user_id, role) SELECT id, '${role}' FROM auth.users WHERE email = '${email}'`);
	return { email, password: 'Doctor-One-Pass-2026', totp: DOCTOR_TOTP };
}

// Each role: who signs in, and what its home must show (selectors in main).
const ROLES = [
	{ role: 'patient', who: { email: 'patient1@clinic.test', password: 'Patient-One-Pass-2026' },
	  home: ['main a.button[href="/doctors"]', 'main #h-appts', 'main #h-rx'] },
	{ role: 'doctor', who: { email: 'doctor1@clinic.test', password: 'Doctor-One-Pass-2026', totp: DOCTOR_TOTP },
	  home: ['main #h-agenda', 'main #h-waiting'] },
	{ role: 'reception', who: staff('reception'),
	  home: ['main form[action="/reception"] input[name=q]', 'main a[href="/reception/walk-in"]', 'main #h-today'] },
	{ role: 'pharmacist', who: staff('pharmacist'), home: ['main a[href="/desk"]', 'main #h-desk'] },
	{ role: 'lab', who: staff('lab'), home: ['main a[href="/lab"]', 'main #h-lab'] },
	{ role: 'admin', who: { email: 'admin1@clinic.test', password: 'Admin-One-Pass-2026', totp: ADMIN_TOTP },
	  home: ['main a[href="/admin/users"]', 'main a[href="/admin/audit"]', 'main a[href="/admin/outbox"]'] },
];

// The gzipped size of the page at path and of its stylesheet, as sent
// with the context's cookies (gzip level 6, as nginx's default is lower).
async function gzipBytes(context, path) {
	const html = await (await context.request.get(`${BASE}${path}`)).body();
	const css = await (await context.request.get(`${BASE}/static/style.css`)).body();
	return zlib.gzipSync(html, { level: 6 }).length + zlib.gzipSync(css, { level: 6 }).length;
}

// One page reached from the menu: it loads, fits, is small and clean.
async function checkPage(browser, context, page, path, who) {
	const resp = await page.goto(`${BASE}${path}`);
	check(resp && resp.status() < 400, `${who}: ${path} answers ${resp && resp.status()}`);
	await fits(page, 360);
	await fits(page, 320);
	await page.setViewportSize({ width: 360, height: 640 });
	const bytes = await gzipBytes(context, path);
	check(bytes < BUDGET, `${who}: ${path} is ${bytes} bytes gzipped (HTML + CSS), under 14 KB`);
	await axeClean(browser, context, `${BASE}${path}`, `${who}: ${path}`);
}

async function visitRole(browser, { role, who, home }) {
	if (who.totp) sql(`UPDATE auth.users SET totp_last_step = 0 WHERE email = '${who.email}'`);
	const { context, page, errors } = await phone(browser);
	await signIn(page, who);
	check(new URL(page.url()).pathname === '/', `${role}: signed in, on / (${page.url()})`);
	for (const sel of home)
		check(await page.locator(sel).count() > 0, `${role}: the home shows ${sel}`);
	check(await page.locator('main ul.doctors li strong').count() === 0, `${role}: not the public page`);

	// The header: brand, notices, menu; at 320 px at most two lines.
	await page.setViewportSize({ width: 320, height: 640 });
	const headerHeight = await page.evaluate(() => document.querySelector('header.site').getBoundingClientRect().height);
	check(headerHeight <= 2 * 48 + 20, `${role}: the header is at most two lines at 320 px (${headerHeight} px)`);
	const menu = page.locator('header details.menu');
	check(await menu.count() === 1, `${role}: a compact menu`);
	check(!(await page.locator('header details.menu nav').isVisible()), `${role}: the menu starts closed`);
	await page.click('header details.menu summary');
	check(await page.locator('header details.menu nav').isVisible(), `${role}: the menu opens without JavaScript`);
	await fits(page, 320);
	const links = await page.locator('header details.menu nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
	const paths = [...new Set(['/', '/notices', ...links])];
	check(links.length >= 2, `${role}: the menu links ${links.join(' ')}`);
	for (const path of paths)
		await checkPage(browser, context, page, path, role);
	check(errors.length === 0, `${role}: no console errors (${errors.join('; ')})`);
	await context.close();
}

// Wide tables as summary lists on a phone: each cell shows its column's
// name (data-label) before its value, and the table is no wider.
async function summaryLists(browser) {
	const admin = ROLES.find((r) => r.role === 'admin').who;
	sql(`UPDATE auth.users SET totp_last_step = 0 WHERE email = '${admin.email}'`);
	const { context, page } = await phone(browser);
	await signIn(page, admin);
	for (const path of ['/admin/users', '/admin/audit']) {
		await page.goto(`${BASE}${path}`);
		const cell = await page.locator('main table.cards td').first().evaluate((td) =>
			[getComputedStyle(td).display, getComputedStyle(td, '::before').content, td.dataset.label]);
		check(cell[0] === 'flex' && cell[1] === `"${cell[2]}"` && cell[2].length > 0,
		      `${path}: a cell shows its column's name at 360 px (${cell.join(' | ')})`);
		await fits(page, 320);
	}
	await context.close();
}

// The schedule form's radio buttons: a small box beside its label, like
// every other radio and checkbox (form.stack label.check).
async function radios(browser) {
	const doctor = ROLES.find((r) => r.role === 'doctor').who;
	sql(`UPDATE auth.users SET totp_last_step = 0 WHERE email = '${doctor.email}'`);
	const { context, page } = await phone(browser);
	await signIn(page, { ...doctor, next: '/schedule' });
	const boxes = await page.locator('main input[type=radio]').evaluateAll((rs) => rs.map((r) => {
		const box = r.getBoundingClientRect(), label = r.closest('label');
		const lb = label ? label.getBoundingClientRect() : { height: 0 };
		return { w: box.width, labelled: !!label, sameLine: lb.height < 60, check: !!label && label.classList.contains('check') };
	}));
	check(boxes.length >= 4, `/schedule has its radio buttons (${boxes.length})`);
	check(boxes.every((b) => b.w <= 24 && b.labelled && b.sameLine && b.check),
	      `/schedule: every radio is a small box beside its label (${JSON.stringify(boxes[0])})`);
	await context.close();
}

const browser = await launch();
try {
	for (const r of ROLES)
		await visitRole(browser, r);
	await summaryLists(browser);
	await radios(browser);
} catch (e) {
	check(false, 'the walk ran to the end', String(e && e.stack ? e.stack : e));
} finally {
	await browser.close();
}
finish();
