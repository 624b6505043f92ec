// triage.mjs: the symptom checker the way a person on a small phone with
// JavaScript switched off would use it, once in Spanish without signing
// in (nothing stored; signing in only to book) and once in English signed
// in (stored): age, sex, the complaint in their own words, one question
// per page (the first answer changed through the thread), the result,
// and the booking button ending in an appointment with the reason filled
// in. Debian's Chromium at 360x640 (and 320); axe-core on every kind of
// page. Prints "N passed, M failed".
import { BASE, sql, check, finish, launch, signIn, phone, follow, axeClean, fits } from './lib.mjs';

// A family doctor of its own, seeing patients every day 08:00-20:00.
sql(`INSERT INTO clinic.doctors (display_name, licence_number) VALUES ('Dra. Triaje Navegador', 'B-0101')`);
sql(`INSERT INTO clinic.doctor_specialties (doctor_id, specialty_id)
     SELECT d.id, s.id FROM clinic.doctors d, clinic.specialties s
      WHERE d.licence_number = 'B-0101' AND s.code = 'family'`);
sql(`INSERT INTO appt.schedules (doctor_id, weekday, start_time, end_time, slot_minutes, valid_from)
     SELECT d.id, w, '08:00', '20:00', 30, '2020-01-01' FROM clinic.doctors d, generate_series(1, 7) w
      WHERE d.licence_number = 'B-0101'`);

const T = {
	es: { yes: 'Sí', no: 'No', change: 'Cambiar', result: 'Su resultado', about: 'Qué es y qué no es esta herramienta',
	      book: 'Pedir cita', reason: 'Comprobador de síntomas', complaint: 'dolor de garganta y fiebre' },
	en: { yes: 'Yes', no: 'No', change: 'Change', result: 'Your result', about: 'What this tool is and is not',
	      book: 'Book an appointment', reason: 'Symptom checker', complaint: 'sore throat and fever' },
};

// One interview from the start page to the result; returns the number of
// questions answered.
async function interview(browser, context, page, lang, what) {
	const t = T[lang];
	await page.goto(`${BASE}/triage`);
	check(await page.getAttribute('html', 'lang') === lang, `${what}: the start page is in ${lang}`);
	await axeClean(browser, context, page.url(), `${what}: the start page`);
	await page.fill('input[name=age]', '34');
	await page.check('input[name=sex][value=female]');
	await page.fill('textarea[name=c]', t.complaint);
	await follow(page, page.locator('main form.stack button[type=submit]'));
	if (await page.locator('main input[name=f]').count() > 0) {
		await page.locator('main input[name=f]').first().check();
		await follow(page, page.locator('main form.stack button[type=submit]'));
	}
	let asked = 0, wentBack = false;
	while (await page.locator('main button[name=r]').count() > 0 && asked < 40) {
		if (!wentBack && await page.locator('main button[name=r][value=y]').count() > 0) {
			wentBack = true;
			await fits(page, 320);
			await fits(page, 360);
			await axeClean(browser, context, page.url(), `${what}: a question`);
			const first = await page.textContent('main legend');
			await follow(page, page.locator('main button[name=r][value=y]'));
			const thread = await page.textContent('main ol.thread');
			check(thread.includes(t.yes), `${what}: the thread shows the answer given`);
			await follow(page, page.locator('main ol.thread', { hasText: t.change }).locator('a, button').first());
			check(await page.textContent('main legend') === first, `${what}: going back asks the first question again`);
		}
		// No; to a duration or severity its lowest choice; to a number "don't know".
		const no = page.locator('main button[name=r][value=n]'), low = page.locator('main button[name=v]');
		await follow(page, await no.count() > 0 ? no : await low.count() > 0 ? low.first()
		                                              : page.locator('main button[name=r][value=u]'));
		asked++;
	}
	const main = await page.textContent('main');
	check(main.includes(t.result) && main.includes(t.about), `${what}: the result, with what the tool is and is not`);
	check(wentBack, `${what}: a yes/no question to answer and change`);
	check(asked >= 1 && asked <= 20, `${what}: between 1 and 20 questions (${asked})`);
	await fits(page, 320);
	await fits(page, 360);
	await axeClean(browser, context, page.url(), `${what}: the result`);
	return asked;
}

// From the result's booking button to a booked appointment.
async function book(page, lang, what, email) {
	const t = T[lang];
	await follow(page, page.locator('main a', { hasText: t.book }));
	if (new URL(page.url()).pathname === '/login') {
		await page.fill('input[name=email]', email);
		await page.fill('input[type=password]', 'Patient-One-Pass-2026');
		await follow(page, page.locator('main button[type=submit]'));
	}
	check(new URL(page.url()).pathname === '/doctors', `${what}: the booking button leads to the doctors (${page.url()})`);
	await follow(page, page.locator('main ul.doctors a', { hasText: 'Dra. Triaje Navegador' }));
	await follow(page, page.locator('main nav.weeks a[rel=next]'));
	const day = page.locator('main form.day').nth(lang === 'es' ? 1 : 2);
	await day.locator('select').selectOption(lang === 'es' ? '10:30' : '11:00');
	await follow(page, day.locator('button[type=submit]'));
	const reason = await page.inputValue('textarea[name=reason]');
	check(reason.startsWith(t.reason), `${what}: the reason is filled in (${reason})`);
	const landed = await follow(page, page.locator('main form.stack button[type=submit]'));
	check(/^\/appointments\/[0-9]+$/.test(landed), `${what}: booked (${landed})`);
	check((await page.textContent('main')).includes(t.reason), `${what}: the appointment shows the reason`);
}

// Questions that want a severity or a number (a "tummy ache" reaches the
// pain's severity, a child's rash and fever the temperature): on the phone,
// no axe violations; answering "don't know" until they come.
async function typedQuestions(browser, context, page) {
	for (const [q, url] of [['abdominal_pain_severe', '/triage/interview?age=40&sex=male&c=tummy%20ache'],
	                        ['high_fever', '/triage/interview?age=4&sex=female&c=rash%20and%20fever']]) {
		await page.goto(`${BASE}${url}`);
		for (let n = 0; n < 25 && await page.locator(`main input[name=q][value=${q}]`).count() === 0; n++)
			await follow(page, page.locator('main button[name=r][value=u]'));
		check(await page.locator('main [name=v]').count() > 0, `${q}: asked with choices or a number box`);
		await fits(page, 320);
		await axeClean(browser, context, page.url(), `${q}: the question`);
	}
}

const browser = await launch();
try {
	// Spanish, anonymous: nothing stored until the booking.
	{
		const { context, page, errors } = await phone(browser);
		const before = sql('SELECT count(*) FROM bot.interviews');
		await interview(browser, context, page, 'es', 'es anonymous');
		check(sql('SELECT count(*) FROM bot.interviews') === before, 'es anonymous: no interview stored');
		await book(page, 'es', 'es anonymous', 'patient1@clinic.test');
		await typedQuestions(browser, context, page);
		check(errors.length === 0, `es: no console errors (${errors.join('; ')})`);
		await context.close();
	}
	// English, signed in: the interview is stored and resumable.
	{
		const { context, page, errors } = await phone(browser, { locale: 'en-GB' });
		await signIn(page, { email: 'patient2@clinic.test', password: 'Patient-Two-Pass-2026', next: '/triage' });
		await page.goto(`${BASE}/language/en?next=/triage`);
		await interview(browser, context, page, 'en', 'en signed in');
		check(/^\/triage\/[0-9]+$/.test(new URL(page.url()).pathname), `en signed in: a stored interview (${page.url()})`);
		const stored = sql(`SELECT status FROM bot.interviews i JOIN auth.users u ON u.id = i.patient_id
		                     WHERE u.email = 'patient2@clinic.test' ORDER BY i.id DESC LIMIT 1`);
		check(stored === 'done', `en signed in: stored as finished (${stored})`);
		await book(page, 'en', 'en signed in', 'patient2@clinic.test');
		check(errors.length === 0, `en: no console errors (${errors.join('; ')})`);
		await context.close();
	}
} finally {
	await browser.close();
}
finish();
