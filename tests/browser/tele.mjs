// tele.mjs: a video visit in Debian's Chromium with fake camera and
// microphone (docs/tele.md "Call (browser)"): the patient waits, the doctor
// admits, both browsers connect through medsysd's signalling and media
// flows both ways (RTCPeerConnection.getStats: inbound-rtp bytes); the
// audio-only switch stops video and keeps the sound; going offline and back
// restarts ICE; the patient leaves and rejoins and the call comes back;
// another patient gets the 404 page; a refused camera leads to the
// "blocked" page; the chat works with JavaScript off; the doctor ends the
// visit. axe-core on the waiting room, the call page and the blocked page.
// Prints "N passed, M failed".
import { BASE, LAUNCH_ARGS, load, sql, check, finish, signIn, follow, phone, axeClean, fits } from './lib.mjs';
import { FAKE_MEDIA, openVisit, tab as bareTab, reaches } from './tele_lib.mjs';

const PATIENT = { email: 'patient1@clinic.test', password: 'Patient-One-Pass-2026' };
const OTHER = { email: 'patient2@clinic.test', password: 'Patient-Two-Pass-2026' };
const DOCTOR = { email: 'doctor1@clinic.test', password: 'Doctor-One-Pass-2026', totp: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' };

// A video visit of patient1 with doctor1 starting in 5 minutes: its room is open.
const APPT = openVisit();
const CALL = `/appointments/${APPT}/call`;

// Every RTCPeerConnection a page makes, kept for getStats(), and whether
// 'tele:ended' was dispatched (added before the page's own scripts run).
function spy() {
	const Native = window.RTCPeerConnection;
	window.pcs = [];
	window.RTCPeerConnection = function (config) { const pc = new Native(config); window.pcs.push(pc); return pc; };
	window.RTCPeerConnection.prototype = Native.prototype;
	document.addEventListener('tele:ended', () => { window.teleEnded = true; });
	document.addEventListener('tele:media', (e) => { window.teleMedia = e.detail.stream.getAudioTracks().length; });
}

// The bytes each kind of media received and sent on the page's newest
// connection, and its ICE username fragment.
function stats(page) {
	return page.evaluate(async () => {
		const pc = window.pcs[window.pcs.length - 1], out = { inAudio: 0, inVideo: 0, outAudio: 0, outVideo: 0, ufrag: '' };
		if (!pc || pc.signalingState === 'closed') return out;
		(await pc.getStats()).forEach((s) => {
			if (s.type === 'inbound-rtp') out[s.kind === 'audio' ? 'inAudio' : 'inVideo'] += s.bytesReceived || 0;
			if (s.type === 'outbound-rtp') out[s.kind === 'audio' ? 'outAudio' : 'outVideo'] += s.bytesSent || 0;
		});
		out.ufrag = pc.localDescription ? (/a=ice-ufrag:(\S+)/.exec(pc.localDescription.sdp) || [])[1] : '';
		return out;
	});
}
// A tab whose RTCPeerConnections and events are spied on.
const tab = (browser) => bareTab(browser, spy);
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
// Stats now and 2.5 s later: what grew in between.
async function flow(page) {
	const a = await stats(page);
	await pause(2500);
	const b = await stats(page);
	return { a, b, inAudio: b.inAudio > a.inAudio, inVideo: b.inVideo > a.inVideo, outVideo: b.outVideo > a.outVideo };
}
// The negotiated direction of the newest connection's video.
function video(page) {
	return page.evaluate(() => {
		const pc = window.pcs[window.pcs.length - 1];
		const t = pc && pc.getTransceivers().find((x) => x.receiver.track.kind === 'video');
		return t ? t.currentDirection : null;
	});
}
// Ask fn every half second until it says yes (true) or ms pass (false).
async function until(fn, ms = 15000) {
	for (const end = Date.now() + ms; Date.now() < end; await pause(500))
		if (await fn()) return true;
	return false;
}
const phase = (page) => page.getAttribute('#call', 'data-phase');

// Enter the room as a person does: the consent question first if the page
// asks it (answered no: nothing is recorded), then Join.
async function enter(page) {
	await page.goto(`${BASE}${CALL}`);
	if (/\/consent$/.test(new URL(page.url()).pathname)) {
		await follow(page, page.locator('main form button[name=transcribe][value=no]'));
		await page.goto(`${BASE}${CALL}`);
	}
	const join = page.locator(`main form[action="${CALL}/join"] button`);
	if (await join.count()) await follow(page, join);
}

const browser = await load('playwright-core').chromium.launch({
	executablePath: process.env.MEDSYS_CHROMIUM || '/usr/bin/chromium', args: [...LAUNCH_ARGS, ...FAKE_MEDIA], timeout: 60000 });
try {
	const p = await tab(browser), d = await tab(browser);
	await signIn(p.page, PATIENT);
	await signIn(d.page, DOCTOR);

	// ---- waiting room, admission, connection
	await enter(p.page);
	check(await p.page.getAttribute('#call', 'data-state') === 'waiting', 'the patient waits in the waiting room');
	check(await p.page.getAttribute('#call', 'data-polite') === '1', 'the patient is the polite side');
	await axeClean(browser, p.context, `${BASE}${CALL}`, 'the waiting room');
	await enter(d.page);
	check(await reaches(d.page, 'alone', 15000), 'the doctor has camera and microphone and waits for the patient');
	check(await d.page.evaluate(() => window.teleMedia) === 1, "'tele:media' gives the doctor's microphone");
	await axeClean(browser, d.context, `${BASE}${CALL}`, 'the call page (doctor)');
	await follow(d.page, d.page.locator(`#waiting-list form[action="${CALL}/admit"] button`));
	const both = await reaches(p.page, 'connected') && await reaches(d.page, 'connected');
	const connectedAt = Date.now();
	check(both, 'admitted: patient and doctor connect', [`patient: ${await phase(p.page)}`, `doctor: ${await phase(d.page)}`]);
	await fits(p.page, 320);
	await p.page.setViewportSize({ width: 360, height: 640 });
	const pf = await flow(p.page), df = await flow(d.page);
	check(pf.inAudio && pf.inVideo && pf.b.inAudio > 0 && pf.b.inVideo > 0,
		'the patient receives the doctor\'s audio and video (inbound-rtp bytesReceived)', JSON.stringify(pf));
	check(df.inAudio && df.inVideo && df.b.inAudio > 0 && df.b.inVideo > 0,
		'the doctor receives the patient\'s audio and video', JSON.stringify(df));

	// ---- a quiet call polls nginx's poll file, not medsysd: 10 s after
	// the last signal the patient's page asks the watch link (304) every
	// 3 s, and medsysd's signals endpoint only as the 15 s heartbeat.
	const asked = [];
	const seen = (r) => asked.push(`${r.request().method()} ${new URL(r.url()).pathname} ${r.status()}`);
	await pause(Math.max(0, 12000 - (Date.now() - connectedAt)));
	p.page.on('response', seen);
	await pause(10000);
	p.page.off('response', seen);
	const watched = asked.filter((a) => /^GET \/poll\/room\/\d+ 304$/.test(a)).length;
	const signalled = asked.filter((a) => a.startsWith(`GET ${CALL}/signals`)).length;
	check(await p.page.getAttribute('#call', 'data-watch') !== '' && watched >= 1 && signalled <= 1 && asked.length >= 2 && asked.length === watched + signalled,
		`idle: nginx answers the polls (${watched} times 304) and medsysd is asked at most once in 10 s (${signalled})`, asked);

	// ---- audio only: video stops both ways, the sound goes on; and back
	await p.page.click('#audio-only');
	check(await p.page.getAttribute('#audio-only', 'aria-pressed') === 'true', 'the audio-only switch is pressed');
	const stopped = await until(async () => await video(p.page) === 'inactive' && await video(d.page) === 'inactive');
	check(stopped, 'audio only: renegotiated, the video transceivers inactive on both sides');
	await pause(1000);
	const pa = await flow(p.page), da = await flow(d.page);
	check(!pa.outVideo && !da.inVideo, 'audio only: the patient sends no video', JSON.stringify([pa, da]));
	check(!da.outVideo && !pa.inVideo, 'audio only: nor receives any', JSON.stringify([pa, da]));
	check(pa.inAudio && da.inAudio, 'audio only: the sound still flows both ways', JSON.stringify([pa, da]));
	await p.page.click('#audio-only');
	const on = await until(async () => await video(p.page) === 'sendrecv' && await video(d.page) === 'sendrecv');
	const dv = await flow(d.page);
	check(on && dv.inVideo && dv.inAudio, 'video back on: the doctor sees the patient again', JSON.stringify(dv));

	// ---- a network change: offline, then online restarts ICE
	const before = await stats(p.page);
	await p.context.setOffline(true);
	check(await reaches(p.page, 'offline', 5000), 'offline: the status says so');
	await p.context.setOffline(false);
	const back = await reaches(p.page, 'connected', 20000);
	await pause(1500);
	const after = await stats(p.page);
	check(back && after.ufrag && after.ufrag !== before.ufrag, "online again: an ICE restart (new ufrag) and connected", `${before.ufrag} -> ${after.ufrag}`);
	check((await flow(d.page)).inAudio, 'after the restart the doctor still hears the patient');

	// ---- the patient leaves and rejoins: the doctor's open page reconnects
	await follow(p.page, p.page.locator(`main form[action="${CALL}/leave"] button`));
	check(await reaches(d.page, 'alone', 15000), 'the patient left: the doctor\'s page says it waits');
	await enter(p.page);
	check(await p.page.getAttribute('#call', 'data-state') === 'waiting', 'rejoining, the patient waits again');
	const patientId = sql("SELECT id FROM auth.users WHERE email = 'patient1@clinic.test'");
	const csrf = await d.page.getAttribute('#call', 'data-csrf');
	// The doctor admits from the same session without leaving the open call page.
	const admit = await d.context.request.post(`${BASE}${CALL}/admit`, { form: { csrf, user: patientId }, maxRedirects: 0 });
	check(admit.status() === 303, `admitted again (${admit.status()})`);
	const again = await reaches(p.page, 'connected') && await reaches(d.page, 'connected');
	const rf = await flow(d.page), rp = await flow(p.page);
	check(again && rf.inAudio && rf.inVideo && rp.inAudio && rp.inVideo, 'rejoined: the call is back with media both ways',
		[`patient: ${await phase(p.page)} ${JSON.stringify(rp)}`, `doctor: ${await phase(d.page)} ${JSON.stringify(rf)}`]);

	// ---- the doctor reloads the page: the patient's open page reconnects
	await d.page.reload();
	const reloaded = await reaches(d.page, 'connected') && await reaches(p.page, 'connected');
	const lp = await flow(p.page);
	check(reloaded && lp.inAudio && lp.inVideo, 'the doctor reloaded: connected again, media flowing', JSON.stringify(lp));

	// ---- another patient: refused, not told the visit exists
	const o = await tab(browser);
	await signIn(o.page, OTHER);
	for (const path of [CALL, `${CALL}/blocked`]) {
		const res = await o.page.goto(`${BASE}${path}`);
		check(res.status() === 404 && await o.page.locator('#call').count() === 0, `another patient gets 404 for ${path} (${res.status()})`);
	}
	await o.context.close();

	// ---- camera refused: the blocked page, which explains and offers the chat
	const noUi = await load('playwright-core').chromium.launch({
		executablePath: process.env.MEDSYS_CHROMIUM || '/usr/bin/chromium', args: [...LAUNCH_ARGS, '--use-fake-device-for-media-stream'], timeout: 60000 });
	try {
		const b = await tab(noUi);
		await signIn(b.page, PATIENT);   // not next=CALL: its redirect would race the goto below
		await b.page.goto(`${BASE}${CALL}`);
		let blocked = true;
		await b.page.waitForURL(/\/call\/blocked\?why=denied$/, { timeout: 15000 }).catch(() => { blocked = false; });
		check(blocked, `a refused camera leads to the blocked page (${b.page.url()})`);
		const text = await b.page.textContent('main');
		check(/Chrome/.test(text) && /Firefox/.test(text) && /Safari/.test(text) && /Android/.test(text),
			'it says what to do in Chrome, Android, Firefox and Safari');
		check(await b.page.locator(`main a[href="${CALL}"]`).count() > 0, 'with a "try again" link');
		await axeClean(noUi, b.context, `${BASE}${CALL}/blocked?why=denied`, 'the blocked page');
		await follow(b.page, b.page.locator(`main a[href="${CALL}?media=off"]`));
		check(await reaches(b.page, 'nomedia', 10000) && /\?media=off$/.test(b.page.url()),
			'its chat link opens the call without camera or microphone');
		check(b.errors.length === 0, `no console errors on the refused side (${b.errors.join('; ')})`);
		await b.context.close();
	} finally {
		await noUi.close();
	}
	// The patient's call page as axe sees it (without media: the same page,
	// and no second connection of the patient to disturb the call).
	await axeClean(browser, p.context, `${BASE}${CALL}?media=off`, 'the call page (patient)');

	// ---- the chat with JavaScript off; the doctor's open page shows it
	const off = await phone(browser);
	await signIn(off.page, { ...PATIENT, next: CALL });
	await off.page.goto(`${BASE}${CALL}`);
	const line = `Se me corta el vídeo ${Date.now()}`;
	await off.page.fill('#chat-body', line);
	await follow(off.page, off.page.locator('#chat-form button[type=submit]'));
	check((await off.page.textContent('#call-chat')).includes(line), 'without JavaScript the patient\'s chat line is on the page');
	let shown = true;
	await d.page.waitForFunction((t) => document.getElementById('call-chat').textContent.includes(t), line, { timeout: 15000 })
		.catch(() => { shown = false; });
	check(shown, 'the doctor\'s open call page shows it without reloading');
	check(off.errors.length === 0, 'no console errors with JavaScript off');
	await off.context.close();

	// ---- with JavaScript the chat form does not reload the page (the call goes on)
	const pcsBefore = await d.page.evaluate(() => { window.chatMark = 1; return window.pcs.length; });
	const reply = `Le llamo por teléfono si hace falta ${Date.now()}`;
	await d.page.fill('#chat-body', reply);
	await d.page.click('#chat-form button[type=submit]');
	let both2 = true;
	for (const pg of [d.page, p.page])
		await pg.waitForFunction((t) => document.getElementById('call-chat').textContent.includes(t), reply, { timeout: 15000 })
			.catch(() => { both2 = false; });
	check(both2, 'the doctor\'s chat line (JavaScript on) reaches both open pages');
	check(await d.page.evaluate((n) => window.chatMark === 1 && window.pcs.length === n && !document.getElementById('chat-body').value, pcsBefore)
		&& await phase(d.page) === 'connected', 'without reloading the doctor\'s page: the call stays connected');

	// ---- the doctor ends the visit: the patient's page stops
	await follow(d.page, d.page.locator(`main form[action="${CALL}/end"] button`));
	check(await reaches(p.page, 'ended', 15000), 'ended: the patient\'s page says so');
	check(await p.page.evaluate(() => window.teleEnded === true && !document.getElementById('local').srcObject),
		"'tele:ended' dispatched, camera and microphone released");
	check(p.errors.length === 0 && d.errors.length === 0, `no console errors, no CSP refusals (${[...p.errors, ...d.errors].join('; ')})`);
	await p.context.close();
	await d.context.close();
} catch (e) {
	check(false, 'the flow ran to the end', String(e && e.stack ? e.stack : e));
} finally {
	await browser.close();
}
finish();
