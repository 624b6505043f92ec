// lab_results.mjs: a patient reads their lab results on a 360x640 phone
// with JavaScript switched off, in Debian's Chromium: patient1 has three
// years of released glucose and haemoglobin results (and a value entered
// but not released, which must not show), follows "Resultados" in the
// header, sees the newest order with its flags in words and symbols,
// opens the order, the glucose trend (an SVG with its title and the table
// of every value), downloads the PDF, and opens the report's verification
// page. axe-core finds no violation on any of them. Prints "N passed, M
// failed".
import { BASE, sql, doneVisit, check, finish, launch, signIn, phone, follow, menuLink, axeClean, fits } from './lib.mjs';

const PATIENT = { email: 'patient1@clinic.test', password: 'Patient-One-Pass-2026' };
const [pid, enc] = doneVisit(PATIENT.email, 'T-0001', 3, 'Control anual');

// A released order of patient1 collected `daysAgo` days ago: glucose and
// haemoglobin (shipped catalog: 2345-7 mg/dL 70-99, 718-7 g/dL); its id.
function order(daysAgo, glucose, hb, released = true) {
	const id = sql(`INSERT INTO lab.orders (patient_id, encounter_id, ordered_by, created_at)
		SELECT ${pid}, ${enc}, d.user_id, now() - interval '${daysAgo} days' FROM clinic.doctors d
		 WHERE d.licence_number = 'T-0001' RETURNING id`);
	sql(`UPDATE lab.orders SET collected_at = now() - interval '${daysAgo} days' WHERE id = ${id}`);
	sql(`INSERT INTO lab.order_tests (order_id, analyte, position) VALUES (${id}, '2345-7', 1), (${id}, '718-7', 2)`);
	sql(`INSERT INTO lab.results (order_id, analyte, version, value_num, entered_by)
		SELECT ${id}, a, 1, v, o.ordered_by FROM lab.orders o, (VALUES ('2345-7', ${glucose}), ('718-7', ${hb})) x(a, v)
		 WHERE o.id = ${id}`);
	if (released)
		sql(`INSERT INTO lab.releases (result_id, released_by) SELECT r.id, o.ordered_by FROM lab.results r
			JOIN lab.orders o ON o.id = r.order_id WHERE r.order_id = ${id}`);
	return id;
}

order(1100, 92, 13.1);
order(730, 104, 12.6);
const newest = order(20, 117, 11.2);
const hidden = order(1, 389, 9.0, false);

async function patientReads(browser) {
	const { context, page, errors } = await phone(browser, { acceptDownloads: true });
	await signIn(page, { ...PATIENT, next: '/' });
	check(await follow(page, await menuLink(page, '/results')) === '/results',
	      'the header links to the results');
	let main = await page.textContent('main');
	check(main.includes('Mis resultados de laboratorio'), 'the results page');
	check(main.includes('117') && main.includes('▲') && main.includes('Alto'), 'a high glucose: symbol and word');
	check(main.includes('▼') && main.includes('Bajo'), 'a low haemoglobin: symbol and word');
	check(!main.includes('389'), 'the unreleased value does not show');
	check(await page.locator(`main a[href="/results/${hidden}"]`).count() === 0, 'nor its order');
	await fits(page, 360);
	await axeClean(browser, context, page.url(), 'the results list');

	await follow(page, page.locator(`main a[href="/results/${newest}"]`));
	main = await page.textContent('main');
	check(main.includes('70 – 99') && main.includes('Intervalo de referencia'), 'the order with its ranges');
	await fits(page, 360);
	await axeClean(browser, context, page.url(), 'one order');

	const [download] = await Promise.all([page.waitForEvent('download'),
		page.getByRole('link', { name: 'Descargar el informe (PDF)' }).click()]);
	const { readFileSync } = await import('node:fs');
	const pdf = readFileSync(await download.path());
	check(pdf.subarray(0, 4).toString() === '%PDF', `the report downloads (${pdf.length} bytes)`);

	check(await follow(page, page.locator('main a[href="/results/analyte/2345-7"]').first()) ===
	      '/results/analyte/2345-7', 'the glucose trend opens');
	check(await page.locator('main figure svg[role=img] title').count() === 1, 'the trend is an SVG with a title');
	check(await page.locator('main table tbody tr').count() === 3, 'the table alternative has the 3 values');
	main = await page.textContent('main');
	check(main.includes('3 resultados, 2 fuera del intervalo'), 'the chart is described in words');
	await fits(page, 360);
	await axeClean(browser, context, page.url(), 'the trend');
	check(errors.length === 0, `patient: no console errors (${errors.join('; ')})`);
	await context.close();
}

// The verification page of a report, as a phone camera opens it.
async function verifies(browser) {
	const { context, page } = await phone(browser);
	const { execFileSync } = await import('node:child_process');
	const { writeFileSync, mkdtempSync } = await import('node:fs');
	const dir = mkdtempSync('/tmp/medsys-labbrowser-');
	const login = await phone(browser);
	await signIn(login.page, { ...PATIENT, next: '/' });
	const res = await login.page.request.get(`${BASE}/results/${newest}.pdf`);
	writeFileSync(`${dir}/r.pdf`, await res.body());
	await login.context.close();
	execFileSync('pdftoppm', ['-r', '150', '-png', '-singlefile', `${dir}/r.pdf`, `${dir}/page`]);
	const url = execFileSync('zbarimg', ['-q', '--raw', `${dir}/page.png`], { encoding: 'utf8' }).trim();
	check(/\/lab\/v\/[A-Z2-7]{162}$/.test(url), `the QR code holds the verification URL (${url.slice(0, 60)}...)`);
	await page.goto(url);
	check((await page.textContent('main')).includes('Informe auténtico'), 'the report is genuine');
	await axeClean(browser, context, page.url(), 'the verification page');
	execFileSync('rm', ['-rf', dir]);
	await context.close();
}

const browser = await launch();
try {
	await patientReads(browser);
	await verifies(browser);
} catch (e) {
	check(false, 'the flow ran to the end', String(e && e.stack ? e.stack : e));
} finally {
	await browser.close();
}
finish();
