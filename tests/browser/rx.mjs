// rx.mjs: a prescription as the people who use it would, on a 360x640
// phone with JavaScript switched off, in Debian's Chromium. doctor1
// (password + TOTP) opens the prescriptions of a visit, starts one for a
// pregnant patient, finds amoxicillin and ibuprofen with the formulary's
// plain search, leaves the suggested quantity, reads the instruction in
// plain words, overrides the pregnancy warning (reason and confirmation)
// and signs. patient1 then finds it in "Mis recetas", opens it and
// downloads the PDF. axe-core on the prescription pages. Prints "N passed,
// M failed".
import { sql, doneVisit, check, finish, launch, signIn, phone, follow, axeClean, fits } from './lib.mjs';

const DOCTOR = { email: 'doctor1@clinic.test', password: 'Doctor-One-Pass-2026', totp: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' };
const PATIENT = { email: 'patient1@clinic.test', password: 'Patient-One-Pass-2026' };
const REASON = 'Dolor intenso; dosis mínima y 3 días, valorado con obstetricia.';

// A visit of patient1 with doctor1 two days ago, done, and its encounter.
const [pid, enc] = doneVisit(PATIENT.email, 'T-0001', 2, 'Faringitis');

// Search the formulary from the add form, pick the match named `name`.
async function pick(page, query, name) {
	await page.fill('main input[name=q]', query);
	await follow(page, page.locator('main button[name=search]'));
	const match = page.locator('main button[name=pick]', { hasText: name });
	check(await match.count() >= 1, `the search "${query}" offers ${name}`);
	await follow(page, match.first());
	check((await page.textContent('main')).includes(name), `${name} is chosen`);
}

async function doctorPrescribes(browser) {
	const { context, page, errors } = await phone(browser, { acceptDownloads: true });
	await signIn(page, { ...DOCTOR, next: `/patients/${pid}/encounters/${enc}` });
	check(await follow(page, page.getByRole('link', { name: 'Recetas de la visita' })) ===
	      `/patients/${pid}/encounters/${enc}/rx`, 'the visit note links to its prescriptions');
	await page.selectOption('main select[name=pregnant]', 't');
	const path = await follow(page, page.getByRole('button', { name: 'Empezar una receta' }));
	const m = /^\/patients\/[0-9]+\/rx\/([0-9]+)$/.exec(path);
	check(m !== null, `a draft is started (${path})`);
	const id = m ? m[1] : '0';

	await pick(page, 'amoxicilina 500', 'Amoxicilina 500 mg cápsula');
	await page.fill('main input[name=dose_amount]', '1');
	await page.selectOption('main select[name=every_hours]', '8');
	await page.fill('main input[name=duration_days]', '7');
	await follow(page, page.getByRole('button', { name: 'Añadir a la receta' }));
	let main = await page.textContent('main');
	check(main.includes('1 cápsula por vía oral cada 8 horas durante 7 días') && main.includes('21 cápsulas'),
	      'the item in plain words, with the suggested quantity (21)');

	await pick(page, 'ibuprofeno 400', 'Ibuprofeno 400 mg comprimido');
	await page.fill('main input[name=dose_amount]', '1');
	await page.selectOption('main select[name=every_hours]', '8');
	await page.check('main input[name=as_needed]');
	await page.fill('main input[name=duration_days]', '3');
	await follow(page, page.getByRole('button', { name: 'Añadir a la receta' }));
	main = await page.textContent('main');
	check(main.includes('evitar en el embarazo'), 'the pregnancy warning is shown');
	await fits(page, 360);
	await axeClean(browser, context, page.url(), 'the draft with a warning');

	// a reason alone does not override a severe warning
	const form = page.locator('main form[action*="/warnings/"]').first();
	await form.locator('input[name=reason]').fill(REASON);
	await page.evaluate(() => document.querySelectorAll('input[name=confirm]').forEach((c) => c.removeAttribute('required')));
	await follow(page, form.getByRole('button', { name: 'Justificar' }));
	check((await page.textContent('main')).includes('casilla de confirmación'), 'without the confirmation: refused');
	// that refusal is a 422, which Chromium logs as a failed resource: expected
	errors.splice(0, errors.length, ...errors.filter((e) => !e.includes('422')));
	const again = page.locator('main form[action*="/warnings/"]').first();
	await again.locator('input[name=reason]').fill(REASON);
	await again.locator('input[name=confirm]').check();
	await follow(page, again.getByRole('button', { name: 'Justificar' }));
	main = await page.textContent('main');
	check(main.includes('Justificación registrada.') && main.includes(REASON), 'the override is recorded and shown');

	await follow(page, page.getByRole('button', { name: 'Firmar la receta' }));
	main = await page.textContent('main');
	check(main.includes('Receta firmada.') && main.includes('Activa'), 'signed: active');
	check(await page.locator('main form[action$="/items"]').count() === 0, 'the add form is gone');
	check(sql(`SELECT count(*) FROM rx.signatures WHERE prescription_id = ${id}`) === '1', 'one signature row');
	await axeClean(browser, context, page.url(), 'the signed prescription (doctor)');
	check(errors.length === 0, `doctor: no console errors (${errors.join('; ')})`);
	await context.close();
	return id;
}

async function patientDownloads(browser, id) {
	const { context, page, errors } = await phone(browser, { acceptDownloads: true });
	await signIn(page, { ...PATIENT, next: '/prescriptions' });
	check(new URL(page.url()).pathname === '/prescriptions', 'patient1 on "Mis recetas"');
	const link = page.locator(`main a[href="/prescriptions/${id}"]`);
	check(await link.count() === 1, 'the new prescription is listed');
	check((await page.textContent('main')).includes('Activa'), 'with its status');
	await axeClean(browser, context, page.url(), 'the patient\'s list');
	await follow(page, link);
	check((await page.textContent('main')).includes('1 cápsula por vía oral cada 8 horas durante 7 días'),
	      'the patient reads the instruction');
	await fits(page, 320);
	await axeClean(browser, context, page.url(), 'the patient\'s prescription');
	const [download] = await Promise.all([page.waitForEvent('download'),
		page.getByRole('link', { name: 'Descargar la receta (PDF)' }).click()]);
	const file = await download.path();
	const { readFileSync } = await import('node:fs');
	const pdf = readFileSync(file);
	check(pdf.subarray(0, 4).toString() === '%PDF' && pdf.length < 20480,
	      `the PDF downloads (${pdf.length} bytes, under 20 KB)`);
	check(errors.length === 0, `patient: no console errors (${errors.join('; ')})`);
	await context.close();
}

const browser = await launch();
try {
	const id = await doctorPrescribes(browser);
	await patientDownloads(browser, id);
} catch (e) {
	check(false, 'the flow ran to the end', String(e && e.stack ? e.stack : e));
} finally {
	await browser.close();
}
finish();
