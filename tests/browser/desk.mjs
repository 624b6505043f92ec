// desk.mjs: the pharmacist desk as a pharmacist uses it, on a 360x640
// phone with JavaScript switched off, in Debian's Chromium: sign in
// (password + TOTP), type the prescription's code loosely (lower case, no
// dash), dispense part of it; then upload a photo of the QR code (a PNG
// made here with qrencode from the verification URL) and dispense the
// rest. The prescription is signed here with a key of the test's own,
// published in rx.signing_keys (Ed25519 through node's crypto, in the
// token layout of fcgi/lib/rxtoken.h). axe-core on the desk and the
// prescription page. Prints "N passed, M failed".
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BASE, sql, check, finish, launch, signIn, phone, axeClean } from './lib.mjs';

const TOTP = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const PHARMACIST = { email: `farmacia-${process.pid}@clinic.test`, password: 'Doctor-One-Pass-2026', totp: TOTP };
const PRODUCT = 'rxdesk-browser-ibuprofen-400mg-tab';

// The pharmacist: doctor1's password hash and TOTP secret, role pharmacist.
sql(`INSERT INTO auth.users (email, full_name, language, password_hash, email_verified_at, totp_secret, totp_enabled_at)
	SELECT '${PHARMACIST.email}', 'Farmacéutica Prueba', 'es', password_hash, now(), totp_secret, now()
	  FROM auth.users WHERE email = 'doctor1@clinic.test'`);
sql(`INSERT INTO auth.user_roles (user_id, role) SELECT id, 'pharmacist' FROM auth.users WHERE email = '${PHARMACIST.email}'`);

// A prescription of doctor1 for patient1: one item, 20 tablets.
sql(`INSERT INTO rx.products (code, atc, ingredients, classes, name_es, name_en, brands, strength, dose_form, route,
	dose_unit, unit_mg, pregnancy, eml, source, active) VALUES ('${PRODUCT}', 'M01AE01', '{ibuprofen}', '{nsaids}',
	'Ibuprofeno 400 mg comprimidos', 'Ibuprofen 400 mg tablets', '', '400 mg', 'tablet', 'oral', 'tablet', 400,
	'avoid', true, 'test', true) ON CONFLICT DO NOTHING`);
const [rxId, code, patientName] = sql(`WITH e AS (INSERT INTO ehr.encounters (patient_id, doctor_id, kind, created_by)
	SELECT p.id, d.id, 'walk_in', d.user_id FROM auth.users p, clinic.doctors d
	 WHERE p.email = 'patient1@clinic.test' AND d.licence_number = 'T-0001' RETURNING id, patient_id, created_by)
	INSERT INTO rx.prescriptions (patient_id, encounter_id, prescriber_id) SELECT patient_id, id, created_by FROM e
	RETURNING id || '|' || short_code || '|' || (SELECT full_name FROM auth.users WHERE id = patient_id)`).split('|');
sql(`INSERT INTO rx.items (prescription_id, line, product_code, dose_amount, dose_unit, route, every_hours, duration_days,
	quantity) VALUES (${rxId}, 1, '${PRODUCT}', 1, 'tablet', 'oral', 8, 5, 20)`);

// base32 (RFC 4648, upper case, no padding), as the token's text.
function base32(buf) {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
	let bits = 0, value = 0, out = '';
	for (const byte of buf) {
		value = (value << 8) | byte;
		bits += 8;
		while (bits >= 5) { out += alphabet[(value >>> (bits - 5)) & 31]; bits -= 5; }
	}
	if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
	return out;
}

// Sign it: a key of our own, published as retired (valid until tomorrow)
// so that it competes with no current key; the token is 101 bytes:
// version, id, 16 bytes of the digest, issue and expiry day, key id, and
// the Ed25519 signature of "medsys-rx-1" + the first 37 bytes.
function signPrescription(id) {
	const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
	const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url');
	const keyId = crypto.createHash('sha256').update(pub).digest().subarray(0, 8);
	sql(`INSERT INTO rx.signing_keys (key_id, public_key, valid_from, valid_until)
		VALUES ('\\x${keyId.toString('hex')}', '\\x${pub.toString('hex')}', now() - interval '1 day', now() + interval '1 day')`);
	const [today, digest] = sql(`SELECT current_date - DATE '1970-01-01' || '|' ||
		encode(rx.prescription_digest(${id}), 'hex')`).split('|');
	const head = Buffer.alloc(37);
	head.writeUInt8(1, 0);
	head.writeBigUInt64BE(BigInt(id), 1);
	Buffer.from(digest, 'hex').copy(head, 9, 0, 16);
	head.writeUInt16BE(Number(today), 25);
	head.writeUInt16BE(Number(today) + 30, 27);
	keyId.copy(head, 29);
	const sig = crypto.sign(null, Buffer.concat([Buffer.from('medsys-rx-1'), head]), privateKey);
	const token = base32(Buffer.concat([head, sig]));
	sql(`INSERT INTO rx.signatures (prescription_id, signed_by, issued_on, expires_on, digest, key_id, token)
		SELECT id, prescriber_id, DATE '1970-01-01' + ${today}, DATE '1970-01-01' + ${Number(today) + 30},
		       rx.prescription_digest(id), '\\x${keyId.toString('hex')}', '${token}'
		  FROM rx.prescriptions WHERE id = ${id}`);
	return token;
}
const token = signPrescription(rxId);

async function follow(page, locator) {
	await Promise.all([page.waitForNavigation(), locator.click()]);
	return new URL(page.url());
}

async function fits(page, width) {
	await page.setViewportSize({ width, height: 640 });
	const m = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
	check(m[0] <= m[1], `${new URL(page.url()).pathname} fits ${width} px (scrollWidth ${m[0]}, clientWidth ${m[1]})`);
	await page.setViewportSize({ width: 360, height: 640 });
}

async function pharmacistFlow(browser) {
	const { context, page, errors } = await phone(browser);
	await signIn(page, { ...PHARMACIST, next: '/desk' });
	check(new URL(page.url()).pathname === '/desk', 'signed in with password and TOTP, at the desk');
	check((await page.textContent('main h1')).includes('Mostrador de farmacia'), 'the desk page in Spanish');
	await fits(page, 320);
	await axeClean(browser, context, `${BASE}/desk`, 'the desk');

	// Typed: lower case, without the dash.
	await page.fill('#code', code.toLowerCase());
	let url = await follow(page, page.getByRole('button', { name: 'Abrir receta' }));
	check(url.pathname === `/desk/rx/${rxId}` && url.searchParams.get('c') === code,
	      `the typed code opens the prescription (${url.pathname}${url.search})`);
	let main = await page.textContent('main');
	check(main.includes('AUTÉNTICA') && main.includes(patientName) && main.includes('Ibuprofeno 400 mg comprimidos'),
	      'genuine, with the patient and the item');
	check(main.includes('Queda por dispensar: 20'), 'all 20 tablets are still to dispense');
	await fits(page, 320);
	await axeClean(browser, context, page.url(), 'the prescription at the desk');
	await page.fill(`#qty-1`, '8');
	url = await follow(page, page.getByRole('button', { name: 'Dispensar estas cantidades' }));
	main = await page.textContent('main');
	check(url.searchParams.get('done') === '1' && main.includes('Dispensado. Se ha avisado al paciente.') &&
	      main.includes('Queda por dispensar: 12'), 'part dispensed: 12 left');

	// A photo of the QR: what a phone camera would have opened.
	await follow(page, page.getByRole('link', { name: 'Volver al mostrador' }));
	const png = path.join(os.tmpdir(), `desk-qr-${process.pid}.png`);
	execFileSync('qrencode', ['-l', 'M', '-s', '8', '-o', png, `${BASE}/rx/v/${token}`]);
	await page.setInputFiles('#photo', png);
	url = await follow(page, page.getByRole('button', { name: 'Leer la foto' }));
	fs.unlinkSync(png);
	check(url.pathname === `/desk/rx/${rxId}` && url.searchParams.get('t') === token,
	      'the photo opens the same prescription by its token');
	main = await page.textContent('main');
	check(main.includes('AUTÉNTICA') && main.includes('Queda por dispensar: 12'), 'genuine, 12 left');
	url = await follow(page, page.getByRole('button', { name: 'Dispensar todo lo que queda' }));
	main = await page.textContent('main');
	check(main.includes('DISPENSADA POR COMPLETO') && (await page.locator('main form[action$="/dispense"]').count()) === 0,
	      'fully dispensed: no dispensing form any more');
	await axeClean(browser, context, page.url(), 'the fully dispensed prescription');
	check(errors.length === 0, `no console errors (${errors.join('; ')})`);
	await context.close();
}

const browser = await launch();
try {
	await pharmacistFlow(browser);
} finally {
	await browser.close();
}
check(sql(`SELECT string_agg(quantity::text, ',' ORDER BY id) FROM rx.dispensings WHERE prescription_id = ${rxId}`) === '8,12',
      'the database holds two dispensings: 8 and 12');
check(Number(sql(`SELECT count(*) FROM audit.events WHERE action = 'record.prescription'
	AND object = 'prescription:${rxId} basis=presented'`)) >= 3, 'every open is an audited read, basis presented');
finish();
