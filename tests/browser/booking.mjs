// booking.mjs: a patient books a visit the way a person on a small phone
// with JavaScript switched off would: sign in, find the doctor, go to the
// next week of free times, pick a day and a time, give a reason, confirm.
// Debian's Chromium at 360x640 (and 320), no JavaScript. Prints "N passed, M failed".
import { BASE, sql, check, finish, launch, signIn } from './lib.mjs';

// A doctor of its own, seeing patients every day 08:00-20:00.
sql(`INSERT INTO clinic.doctors (display_name, licence_number) VALUES ('Dr. Navegador Prueba', 'B-0001')`);
sql(`INSERT INTO appt.schedules (doctor_id, weekday, start_time, end_time, slot_minutes, valid_from)
     SELECT d.id, w, '08:00', '20:00', 30, '2020-01-01' FROM clinic.doctors d, generate_series(1, 7) w
      WHERE d.licence_number = 'B-0001'`);

const browser = await launch();
try {
	const context = await browser.newContext({ viewport: { width: 360, height: 640 }, javaScriptEnabled: false,
		locale: 'es-ES' });
	const page = await context.newPage();
	const errors = [];
	page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

	await signIn(page, { email: 'patient1@clinic.test', password: 'Patient-One-Pass-2026', next: '/doctors' });
	check(new URL(page.url()).pathname === '/doctors', 'signed in and sent on to /doctors');

	await page.fill('input[name=q]', 'Navegador');
	await Promise.all([page.waitForNavigation(), page.click('main form[role=search] button[type=submit]')]);
	const doctor = page.locator('main ul.doctors a', { hasText: 'Dr. Navegador Prueba' });
	check(await doctor.count() === 1, 'the search finds the doctor by name');
	await Promise.all([page.waitForNavigation(), doctor.click()]);

	// The picker shows one week (this one first): one form per day, a
	// list of times in each. Go to the next week, a whole week ahead.
	check(await page.locator('main a[rel=prev]').count() === 0, 'the first week has no previous week');
	await Promise.all([page.waitForNavigation(), page.click('main nav.weeks a[rel=next]')]);
	const days = page.locator('main form.day');
	check(await days.count() === 7, `next week: seven days to choose from (${await days.count()})`);
	const options = await page.locator('main form.day option').count();
	check(options === 7 * 24, `every free time of the week is listed (${options})`);
	check(await page.locator('main nav.weeks a[rel=prev]').count() === 1, 'the second week links back');
	for (const width of [360, 320]) {
		await page.setViewportSize({ width, height: 640 });
		const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
		check(fits, `the week fits ${width} px without sideways scrolling`);
	}
	const tuesday = days.nth(1);
	const day = await tuesday.locator('input[name=day]').getAttribute('value');
	await tuesday.locator('select').selectOption('10:30');
	await Promise.all([page.waitForNavigation(), tuesday.locator('button[type=submit]').click()]);
	// in words, as every page writes dates: "martes 15 de diciembre, 10:30"
	const months = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre',
		'octubre', 'noviembre', 'diciembre'];
	const [, month, dom] = day.split('-').map(Number);
	const words = `martes ${dom} de ${months[month - 1]}`;
	check((await page.textContent('main')).includes(`${words}`) && (await page.textContent('main')).includes('10:30'),
		`the confirm page names the time picked (${words}, 10:30)`);

	await page.fill('textarea[name=reason]', 'Dolor de espalda (prueba de navegador)');
	await Promise.all([page.waitForNavigation(), page.click('main form.stack button[type=submit]')]);
	const landed = new URL(page.url()).pathname;
	check(/^\/appointments\/[0-9]+$/.test(landed), `confirming lands on the appointment (${landed})`);
	const body = await page.textContent('main');
	check(body.includes('Dr. Navegador Prueba') && body.includes('Dolor de espalda'),
	      'the appointment shows the doctor and the reason');
	const booked = sql(`SELECT count(*) FROM appt.appointments a JOIN clinic.doctors d ON d.id = a.doctor_id
	                     WHERE d.licence_number = 'B-0001' AND a.status = 'booked'`);
	check(booked === '1', 'exactly one appointment is booked');
	const at = sql(`SELECT to_char(a.starts_at AT TIME ZONE 'Europe/Madrid', 'YYYY-MM-DD HH24:MI')
	                  FROM appt.appointments a JOIN clinic.doctors d ON d.id = a.doctor_id
	                 WHERE d.licence_number = 'B-0001' AND a.status = 'booked'`);
	check(at === `${day} 10:30`, `it is booked at the time picked (${at})`);
	check(errors.length === 0, `no console errors (${errors.join('; ')})`);
} finally {
	await browser.close();
}
finish();
