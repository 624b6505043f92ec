// notes.mjs: the visit note as the people who use it would, on a 360x640
// phone with JavaScript switched off, in Debian's Chromium. First doctor1
// (password + TOTP) opens a past visit from the agenda, writes the SOAP
// note, codes it from the ICD-10 search, saves a draft, signs it and adds an
// addendum; the database then holds one signature with the right hash and
// the audit rows. Then patient1 reads the summary and the signed note (also
// at 320 px). axe-core on both note pages. Prints "N passed, M failed".
import { BASE, sql, check, finish, launch, signIn, phone, follow, axeClean, fits } from './lib.mjs';

const DOCTOR = { email: 'doctor1@clinic.test', password: 'Doctor-One-Pass-2026', totp: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' };
const PATIENT = { email: 'patient1@clinic.test', password: 'Patient-One-Pass-2026' };
const SOAP = {
	subjective: 'Tos productiva desde hace 6 días, sin fiebre.',
	objective: 'Roncus dispersos en ambos campos. SpO2 97 %.',
	assessment: 'Bronquitis aguda probablemente vírica.',
	plan: 'Hidratación, paracetamol si dolor; volver si fiebre o disnea.',
};
const ADDENDUM = 'Llamada a los 5 días: mejoría clara, sin fiebre.';

// A visit three days ago at 10:00 (Madrid), done: patient1 with doctor1
// (licence T-0001 in tests/harness/seed.sql), with no encounter yet.
const [apptId, day] = sql(`INSERT INTO appt.appointments (doctor_id, patient_id, starts_at, ends_at, mode, status, reason)
	SELECT d.id, u.id, t, t + interval '20 minutes', 'in_person', 'completed', 'Tos'
	  FROM clinic.doctors d, auth.users u,
	       (SELECT ((now() AT TIME ZONE 'Europe/Madrid')::date - 3 + time '10:00') AT TIME ZONE 'Europe/Madrid' AS t) x
	 WHERE d.licence_number = 'T-0001' AND u.email = 'patient1@clinic.test'
	RETURNING id || ' ' || to_char(starts_at AT TIME ZONE 'Europe/Madrid', 'YYYY-MM-DD')`).split(' ');

async function doctorWritesAndSigns(browser) {
	const { context, page, errors } = await phone(browser);
	await signIn(page, { ...DOCTOR, next: `/agenda?day=${day}` });
	check(new URL(page.url()).pathname === '/agenda', `signed in with password and TOTP, on the agenda of ${day}`);
	const visit = page.locator(`main ol.agenda a[href="/agenda/${apptId}"]`);
	check(await visit.count() === 1, 'the agenda lists the visit');
	check(await follow(page, visit) === `/agenda/${apptId}`, 'its link opens the visit');
	const path = await follow(page, page.getByRole('button', { name: 'Abrir el encuentro' }));
	const m = /^\/patients\/([0-9]+)\/encounters\/([0-9]+)$/.exec(path);
	check(m !== null, `"Abrir el encuentro" leads to the note (${path})`);
	const enc = m ? m[2] : '0';

	for (const [name, text] of Object.entries(SOAP)) await page.fill(`textarea[name=${name}]`, text);
	await page.fill('input[name=q]', 'bronquitis');
	await follow(page, page.locator('main button[name=op][value=search]'));
	const j209 = page.locator('main input[name=dx][value="J20.9"]');
	check(await j209.count() === 1 && !(await j209.isChecked()), 'the search offers J20.9, unticked');
	check(await page.inputValue('textarea[name=plan]') === SOAP.plan, 'the search kept what was typed');
	await j209.check();
	await follow(page, page.locator('main button[name=op][value=save]'));
	let main = await page.textContent('main');
	check(main.includes('Borrador guardado.') && main.includes('Borrador versión 1'), 'the draft is saved (version 1)');
	check(await page.inputValue('textarea[name=assessment]') === SOAP.assessment &&
	      await page.locator('main input[name=dx][value="J20.9"]').isChecked(), 'the draft shows the text and the code');

	await follow(page, page.getByRole('button', { name: 'Firmar la nota' }));
	main = await page.textContent('main');
	check(main.includes('Nota firmada.') && main.includes('Firma verificada') && main.includes('Firmada por Dra. Test Uno'),
	      'signed: the page says so, with the verified signature line');
	check(Object.values(SOAP).every((t) => main.includes(t)) && main.includes('J20.9'),
	      'the signed note shows the four sections and J20.9');
	check(await page.locator('main textarea[name=subjective], main button[name=op]').count() === 0,
	      'the form to edit the note is gone');
	check(await page.locator('main textarea[name=body]').count() === 1, 'an addendum form is there instead');
	const shown = (await page.textContent('main p.hash code')).trim();
	await axeClean(browser, context, page.url(), 'the signed note (doctor)');

	await page.fill('textarea[name=body]', ADDENDUM);
	await follow(page, page.getByRole('button', { name: 'Firmar el anexo' }));
	main = await page.textContent('main');
	check(main.includes('Anexo firmado.') && (await page.textContent('main article')).includes(ADDENDUM),
	      'the addendum is signed and shown');
	check(errors.length === 0, `doctor: no console errors (${errors.join('; ')})`);

	// The database: one signature, of the last version, whose hash is the
	// canonical one (migration 015) and the one the page showed.
	const sig = sql(`SELECT count(*) || ' ' || bool_and(content_hash = ehr.note_version_hash(encounter_id, version)) ||
		' ' || max(version) || ' ' || max(encode(content_hash, 'hex')) FROM ehr.note_signatures WHERE encounter_id = ${enc}`);
	check(sig === `1 true 2 ${shown}`, `one signature, version 2, hash = ehr.note_version_hash = the page's (${sig})`);
	check(sql(`SELECT count(*) FROM ehr.note_addenda WHERE encounter_id = ${enc} AND body = '${ADDENDUM}'
		AND content_hash = ehr.addendum_hash(encounter_id, (SELECT content_hash FROM ehr.note_signatures
		WHERE encounter_id = ${enc}), body)`) === '1', 'one addendum, its hash chained to the note');
	const audit = Object.fromEntries(sql(`SELECT action, count(*) FROM audit.events WHERE actor_id =
		(SELECT id FROM auth.users WHERE email = '${DOCTOR.email}') AND (object LIKE 'encounter:${enc} %'
		OR object LIKE 'note:${enc} %') GROUP BY action`).split('\n').map((l) => l.split('|')));
	const seen = JSON.stringify(audit);
	for (const a of ['encounter_opened', 'note_saved', 'note_signed', 'addendum_signed'])
		check(audit[`record.${a}`] === '1', `audit: one record.${a} row by the doctor (${seen})`);
	check(Number(audit['record.note']) >= 3, `audit: every read of the note (record.note ${audit['record.note']})`);
	check(sql(`SELECT count(*) FROM audit.events WHERE object ~* 'tos|bronquitis|mejor'`) === '0',
	      'the audit rows hold no note text');
	await context.close();
	return enc;
}

async function patientReads(browser, enc) {
	const { context, page, errors } = await phone(browser);
	await signIn(page, { ...PATIENT, next: '/record' });
	check(new URL(page.url()).pathname === '/record', 'patient1 signed in, on the record summary');
	const link = page.locator(`main a[href="/record/notes/${enc}"]`);
	check(await link.count() === 1, 'the summary lists the visit, linked to its note');
	await fits(page, 320);
	await page.setViewportSize({ width: 360, height: 640 });
	check(await follow(page, link) === `/record/notes/${enc}`, 'the link opens the signed note');
	const main = await page.textContent('main');
	check(Object.values(SOAP).every((t) => main.includes(t)) && main.includes('J20.9') && main.includes('Firma verificada'),
	      'the patient sees the note, its code and the verified signature');
	check((await page.textContent('main article')).includes(ADDENDUM), 'and the addendum');
	await fits(page, 360);
	await fits(page, 320);
	check(errors.length === 0, `patient: no console errors (${errors.join('; ')})`);
	check(Number(sql(`SELECT count(*) FROM audit.events WHERE action = 'record.note' AND object LIKE 'note:${enc} %'
		AND actor_id = (SELECT id FROM auth.users WHERE email = '${PATIENT.email}')`)) >= 1, 'the patient\'s read is audited');
	await axeClean(browser, context, `${BASE}/record/notes/${enc}`, 'the patient\'s note');
	await context.close();
}

const browser = await launch();
try {
	const enc = await doctorWritesAndSigns(browser);
	await patientReads(browser, enc);
} catch (e) {
	check(false, 'the flow ran to the end', String(e && e.stack ? e.stack : e));
} finally {
	await browser.close();
}
finish();
