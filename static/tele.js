// tele.js: the video call of /appointments/ID/call (docs/tele.md "Call (browser)").
// Reads #call's data-* attributes, takes the camera and microphone, and
// connects the two browsers with WebRTC ("perfect negotiation": either side
// may offer, the polite one yields on a collision). Offers, answers and ICE
// candidates go through medsysd (POST .../signals) and come back by polling
// (GET .../signals?after=N, or the nginx-served watch URL first: 304 while
// nothing changed). Without JavaScript the page still has the chat form.
'use strict';
(function () {
	var call = document.getElementById('call');
	if (!call || !window.fetch) return;
	var d = call.dataset, base = d.signals.replace(/\/signals$/, '');
	var status = document.getElementById('call-status'), audioBtn = document.getElementById('audio-only');
	var remote = document.getElementById('remote'), local = document.getElementById('local');
	var polite = d.polite === '1', peer = d.peer || null, state = d.state, ice = [], restartWanted = false;
	try { ice = JSON.parse(d.ice || '[]'); } catch (e) { /* no STUN/TURN: host candidates only */ }
	// Poll state: the signals' ETag and the room version, the last signal
	// seen (fresh: none yet), the watch URL and its own ETag, when the
	// signals endpoint was last asked (also our presence heartbeat),
	// consecutive failures, a poll under way, fast polling until when.
	var etag = null, version = 0, after = 0, fresh = true, watch = d.watch || '', watchTag = null;
	var lastAsked = 0, fails = 0, timer, busy = false, quickUntil = 0;
	// Call state: my stream, the connection, my session id (a new one per
	// RTCPeerConnection) and the peer's, perfect negotiation's flags.
	var stream = null, pc = null, mySid = '', peerSid = null, makingOffer = false, ignoreOffer = false;
	// ?media=off: the chat only. data-chat: the newest chat line on the page (the poll asks for later ones).
	var noMedia = /[?&]media=off(&|$)/.test(location.search), lastChat = Number(d.chat) || 0;
	// The audio-only switch, the end, getUserMedia's promise, the queues of
	// signals in and out, candidates waiting to go, the timers.
	var audioOnly = false, ended = false, media = null, inbox = Promise.resolve(), outbox = Promise.resolve();
	var pending = [], flushTimer, downTimer;
	// Modest media for low-end phones and slow links.
	var VIDEO = { width: { ideal: 640, max: 640 }, height: { ideal: 360, max: 360 },
		frameRate: { ideal: 15, max: 15 }, facingMode: 'user' };
	var AUDIO = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };

	// The status line, in the page's language: the texts are data-t-KEY
	// attributes of #call (templates/tele/, lang/*/tele.hdf).
	function say(key) {
		var text = call.getAttribute('data-t-' + key);
		call.setAttribute('data-phase', key);
		if (text && status && status.textContent !== text) status.textContent = text;
	}

	// ---- Signalling out: one POST at a time, so candidates never overtake
	// the offer they belong to; retried while the network or the rate limit
	// says "later", dropped on any other refusal.
	function send(kind, body) {
		var form = new URLSearchParams({ csrf: d.csrf, to: peer, kind: kind, body: JSON.stringify(body) });
		quickUntil = Date.now() + 10000;   // an answer or more candidates will follow
		outbox = outbox.then(function () { return post(form, 0); });
	}
	function post(form, tries) {
		function later() {
			return tries < 5 && new Promise(function (ok) { setTimeout(ok, 1000 * (tries + 1) * (tries + 1)); })
				.then(function () { return post(form, tries + 1); });
		}
		return fetch(d.signals, { method: 'POST', credentials: 'same-origin', body: form }).then(function (r) {
			if (r.status === 429 || r.status >= 500) return later();
		}, later);
	}
	// Candidates come in bursts: gather them for a moment, send one signal.
	function queueCandidate(c) {
		pending.push(c);
		if (!flushTimer) flushTimer = setTimeout(function () {
			flushTimer = null;
			if (pending.length && pc) send('candidate', { sid: mySid, c: pending });
			pending = [];
		}, 150);
	}

	// ---- The connection
	function newPc() {
		pc = new RTCPeerConnection({ iceServers: ice });
		mySid = Math.random().toString(36).slice(2) + Date.now().toString(36);
		peerSid = null;
		var remoteStream = new MediaStream(), video = stream.getVideoTracks()[0];
		if (remote) remote.srcObject = remoteStream;
		stream.getAudioTracks().forEach(function (t) { pc.addTrack(t, stream); });
		if (video) pc.addTrack(video, stream);
		pc.ontrack = function (e) {
			remoteStream.addTrack(e.track);
			if (remote && remote.play) remote.play().catch(function () { /* autoplay refused: controls stay */ });
		};
		pc.onicecandidate = function (e) { if (e.candidate) queueCandidate(e.candidate.toJSON()); };
		pc.onnegotiationneeded = function () {
			var me = pc;
			makingOffer = true;
			me.setLocalDescription().then(function () {
				send(me.localDescription.type, { sid: mySid, sdp: me.localDescription.sdp });
			}).catch(function () { /* a collision won by the other side */ }).then(function () { makingOffer = false; });
		};
		pc.onconnectionstatechange = watchLink;
		pc.oniceconnectionstatechange = watchLink;
		say('connecting');
	}
	// Connected, or not: a link that stays 'disconnected' for 4 s, or fails,
	// gets an ICE restart (a phone that moved from Wi-Fi to mobile data).
	function watchLink() {
		if (!pc) return;
		var s = pc.iceConnectionState;
		if (s === 'connected' || s === 'completed') {
			clearTimeout(downTimer);
			downTimer = null;
			say('connected');
		} else if (s === 'failed' || pc.connectionState === 'failed') {
			restart();
		} else if (s === 'new' || s === 'checking') {
			say('connecting');
		} else if (s === 'disconnected' && !downTimer) {
			say('reconnecting');
			downTimer = setTimeout(function () { downTimer = null; if (pc && pc.iceConnectionState !== 'connected') restart(); }, 4000);
		}
	}
	// A restart may come hours into a call, after the page's TURN credential
	// expired (turn_ttl_seconds): the next poll asks the signals endpoint
	// unconditionally (a 200, which carries a fresh "ice"), and the restart
	// follows it (restartNow), in the poll's own turn so that no two asks
	// handle the same signals.
	function restart() {
		if (!pc || !pc.restartIce) return;
		restartWanted = true;
		etag = null;
		if (!busy) { clearTimeout(timer); poll(); }
	}
	function restartNow() {
		if (!restartWanted || !pc) return;
		restartWanted = false;
		try { pc.setConfiguration(Object.assign(pc.getConfiguration(), { iceServers: ice })); } catch (e) { /* keep the old */ }
		pc.restartIce();   // fires negotiationneeded: a new offer with new ICE credentials
		if (pc.iceConnectionState !== 'connected') say('reconnecting');
	}
	// The call is over with this peer connection: close it (the tracks stay ours).
	function reset() {
		clearTimeout(downTimer);
		downTimer = null;
		pending = [];
		if (pc) pc.close();
		pc = null;
		peerSid = null;
		if (remote) remote.srcObject = null;
	}
	// A connection when there is someone to call and none yet.
	function ensurePc() {
		if (!pc && stream && peer && state === 'admitted' && !ended) newPc();
		else if (!pc && stream && state === 'admitted' && !ended) say('alone');
	}

	// ---- Signalling in. Everything that touches the connection runs in
	// turn, in this queue (a failed step is logged, the next one still runs).
	function queue(fn) {
		inbox = inbox.then(fn).catch(function (e) { if (window.console) console.warn('tele.js', e); });
	}
	// One signal. Each body carries the sender connection's sid: a signal of
	// a connection we are not talking to is either stale (ignored) or from a
	// new connection of the peer (a reload, a rejoin): a fresh one of ours.
	function handle(s) {
		var b;
		try { b = JSON.parse(s.body); } catch (e) { return; }
		if (s.kind === 'bye') {
			if (b.sid === peerSid) { reset(); ensurePc(); }
			return;
		}
		if (s.kind === 'candidate')   // errors are expected for those of an ignored offer
			return pc && b.sid === peerSid && b.c ? Promise.all(b.c.map(function (c) {
				return pc.addIceCandidate(c).catch(function () { /* see above */ });
			})) : null;
		if (s.kind === 'answer' && (!pc || b.for !== mySid)) return;     // to an offer of an old connection
		if (peerSid && b.sid !== peerSid) {   // the peer started over: so do we
			reset();
			ensurePc();                        // which offers, unless this is the peer's offer
			if (s.kind !== 'offer') return;
		}
		if (!pc) ensurePc();
		if (!pc) return;
		return describe(s.kind, b);
	}
	function describe(kind, b) {
		var me = pc, collision = kind === 'offer' && (makingOffer || me.signalingState !== 'stable');
		ignoreOffer = !polite && collision;
		if (ignoreOffer) return;
		return me.setRemoteDescription({ type: kind, sdp: b.sdp }).then(function () {
			peerSid = b.sid;
			if (kind !== 'offer') return;
			if (audioOnly) setVideo(false);   // the peer's video too stays off
			return me.setLocalDescription().then(function () {
				send('answer', { sid: mySid, for: b.sid, sdp: me.localDescription.sdp });
			});
		}).catch(function () { if (me === pc) restart(); });
	}
	// A page's first answer holds every signal ever sent to this user in
	// this room: only what follows the peer's last offer still matters, and
	// nothing when the peer said bye after it.
	function current(list) {
		for (var i = list.length - 1; i >= 0; i--)
			if (list[i].kind === 'offer' || list[i].kind === 'bye')
				return list[i].kind === 'offer' ? list.slice(i) : [];
		return [];
	}

	// ---- Polling: the watch URL (served by nginx) tells whether the room
	// changed; only then, or every 15 s as our heartbeat, the signals
	// endpoint is asked. Slower when connected, hidden or failing; paused
	// while offline.
	function get(url, tag) {
		return fetch(url, { credentials: 'same-origin', cache: 'no-store', headers: tag ? { 'If-None-Match': tag } : {} });
	}
	function poll() {
		if (busy || ended) return;
		busy = true;
		var first = watch && etag && Date.now() - lastAsked < 15000 ? get(watch, watchTag).then(function (r) {
			if (r.status === 304) return false;
			if (!r.ok) { watch = ''; watchTag = null; return true; }   // 403/404/410: the signals endpoint gives a fresh one
			watchTag = r.headers.get('ETag');
			return r.text().then(function (v) { return !(Number(v) <= version); });   // the file holds the room's version
		}) : Promise.resolve(true);
		first.then(function (changed) { return changed && signals(); }).then(function () {
			fails = 0;
		}, function () {
			fails++;
		}).then(function () {
			busy = false;
			schedule();
		});
	}
	function signals() {
		var wasFresh = fresh, unconditional = !etag;
		lastAsked = Date.now();
		return get(d.signals + '?after=' + after + '&chat=' + lastChat, etag).then(function (r) {
			if (r.status === 304) return null;
			if (!r.ok) throw new Error(r.status);
			etag = r.headers.get('ETag');
			return r.json();
		}).then(function (data) {
			if (!data) return;
			var list = (data.signals || []).filter(function (s) { return s.id > after; });
			fresh = false;
			version = Math.max(version, Number(data.version) || 0);
			if (typeof data.watch === 'string' && data.watch !== watch) { watch = data.watch; watchTag = null; }
			if (Array.isArray(data.ice)) ice = data.ice;
			setPeer(data.peer === null || data.peer === undefined ? null : String(data.peer));
			list.forEach(function (s) { after = Math.max(after, s.id); quickUntil = Date.now() + 10000; });
			(wasFresh ? current(list) : list).forEach(function (s) {
				if (String(s.from) === peer) queue(function () { return handle(s); });
			});
			(data.chat || []).forEach(addChat);
			setState(data.state);
			queue(ensurePc);
		}).then(function () {
			if (unconditional) restartNow();
		}, function (e) {
			if (unconditional) restartNow();   // offline: restart with what we have
			throw e;
		});
	}
	function schedule() {
		clearTimeout(timer);
		if (ended || !navigator.onLine) return;             // 'online' starts it again
		// Quick while negotiating (a signal went or came in the last 10 s).
		var ms = state === 'waiting' ? 2000 : pc && pc.iceConnectionState === 'connected' && Date.now() > quickUntil ? 3000 : 1000;
		if (fails) ms = Math.min(1000 * Math.pow(2, fails), 30000);
		timer = setTimeout(poll, document.hidden ? ms * 4 : ms);
	}
	function setPeer(p) {
		if (p === peer) return;
		if (peer) queue(reset);   // the other one left (or another one came)
		peer = p;
	}
	function setState(s) {
		if (s === state || !s) return;
		var was = state;
		state = s;
		if (s === 'ended') return end();
		if (s === 'waiting') { queue(reset); return say('waiting'); }   // left elsewhere, waits again
		if (s === 'out') return location.reload();                       // the page offers to join again
		// Admitted: start here when the page has the call's elements, else
		// load the call page (the waiting room may be a different page).
		if (was === 'waiting' && s === 'admitted') { if (remote) start(); else location.reload(); }
	}
	// The in-call chat's new lines, added as text to the list the server
	// rendered (templates/tele/chat.cs, same markup); the "no messages yet"
	// line after an empty list goes.
	function addChat(m) {
		var list = document.getElementById('call-chat'), li, head;
		if (!list || document.getElementById('c' + m.id)) return;
		if (!list.children.length && list.nextElementSibling && list.nextElementSibling.tagName === 'P')
			list.nextElementSibling.hidden = true;
		li = el('li', 'chat-message' + (m.mine ? ' mine' : ''));
		li.id = 'c' + m.id;
		head = li.appendChild(el('p', 'muted'));
		head.appendChild(el('strong', '', m.mine && d.tYou ? d.tYou : m.author));
		head.appendChild(document.createTextNode(' · ' + m.at));
		li.appendChild(el('p', 'note-text', m.body));
		list.appendChild(li);
		lastChat = Math.max(lastChat, m.id);
	}
	function el(tag, cls, text) {
		var e = document.createElement(tag);
		e.className = cls;
		if (text !== undefined) e.textContent = text;
		return e;
	}

	// ---- Media: camera and microphone; when that fails (the camera alone
	// may be refused, missing or busy) the microphone alone; when that fails
	// too, the page that says what to do. ?media=off (that page's chat link):
	// none at all, the chat and the status only.
	function start() {
		if (media) return media;
		if (noMedia || !navigator.mediaDevices || !window.RTCPeerConnection) {
			say(noMedia ? 'nomedia' : 'unsupported');
			if (audioBtn) audioBtn.disabled = true;
			return media = Promise.resolve();
		}
		say('connecting');
		media = navigator.mediaDevices.getUserMedia({ audio: AUDIO, video: VIDEO }).catch(function () {
			return navigator.mediaDevices.getUserMedia({ audio: AUDIO });
		}).then(function (s) {
			stream = s;
			if (local) local.srcObject = s;
			if (audioBtn) audioBtn.hidden = !s.getVideoTracks().length;   // hidden without JavaScript or camera
			document.dispatchEvent(new CustomEvent('tele:media', { detail: { stream: s } }));
		}, function (e) {
			var why = e.name === 'NotAllowedError' || e.name === 'SecurityError' ? 'denied'
				: e.name === 'NotReadableError' ? 'busy' : 'missing';
			ended = true;   // no more polling on the way out
			location.href = base + '/blocked?why=' + why;
		});
		queue(function () { return media; });
		queue(ensurePc);
		return media;
	}
	function end() {
		ended = true;
		clearTimeout(timer);
		reset();
		if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
		if (local) local.srcObject = null;
		if (audioBtn) audioBtn.disabled = true;
		say('ended');
		document.dispatchEvent(new CustomEvent('tele:ended'));
	}

	// ---- Audio only: video stops both ways (the video transceiver goes
	// inactive, which renegotiates) and the camera is released; switching
	// back asks for the camera again.
	function setVideo(on) {
		var tx = pc && pc.getTransceivers().filter(function (t) { return t.receiver.track.kind === 'video'; })[0];
		if (!tx) return;
		tx.sender.replaceTrack(on ? stream.getVideoTracks()[0] || null : null).catch(function () { /* closed meanwhile */ });
		tx.direction = on ? 'sendrecv' : 'inactive';
	}
	function toggleAudioOnly() {
		audioOnly = !audioOnly;
		audioBtn.setAttribute('aria-pressed', String(audioOnly));
		if (audioOnly) {
			stream.getVideoTracks().forEach(function (t) { t.stop(); stream.removeTrack(t); });
			setVideo(false);
			return;
		}
		navigator.mediaDevices.getUserMedia({ video: VIDEO }).then(function (s) {
			stream.addTrack(s.getVideoTracks()[0]);
			if (local) { local.srcObject = null; local.srcObject = stream; }
			setVideo(true);
		}).catch(function () { audioOnly = true; audioBtn.setAttribute('aria-pressed', 'true'); });
	}

	// ---- The chat form during a call: sent in the background, since its
	// usual answer (a redirect back to the page) would reload the page and
	// drop the call. Refused (a 422 page with the reason): sent the usual way.
	function sendChat(e) {
		var form = e.target;
		if (!pc || ended) return;
		e.preventDefault();
		fetch(form.action, { method: 'POST', credentials: 'same-origin', redirect: 'manual',
			body: new URLSearchParams(new FormData(form)) }).then(function (r) {
			if (r.type !== 'opaqueredirect') return form.submit();
			form.reset();
			quickUntil = Date.now() + 10000;
			poll();
		}, function () { form.submit(); });
	}

	// ---- Wiring
	if (audioBtn) {
		audioBtn.setAttribute('aria-pressed', 'false');
		audioBtn.addEventListener('click', function () { if (stream && !ended) toggleAudioOnly(); });
	}
	if (document.getElementById('chat-form')) document.getElementById('chat-form').addEventListener('submit', sendChat);
	// Lines added while the page is open are read out by screen readers.
	if (document.getElementById('call-chat')) document.getElementById('call-chat').setAttribute('aria-live', 'polite');
	document.addEventListener('visibilitychange', function () { if (!document.hidden) schedule(); });
	window.addEventListener('offline', function () { say('offline'); clearTimeout(timer); });
	window.addEventListener('online', function () { if (pc) { restart(); watchLink(); } else ensurePc(); poll(); });
	// Leaving (the Leave form, closing the tab): tell the peer at once
	// rather than let it wait for the connection to time out.
	window.addEventListener('pagehide', function () {
		if (!pc || !peer || ended || !navigator.sendBeacon) return;
		navigator.sendBeacon(d.signals, new URLSearchParams({ csrf: d.csrf, to: peer, kind: 'bye',
			body: JSON.stringify({ sid: mySid }) }));
	});
	if (state === 'ended') say('ended');
	else {
		if (state === 'admitted') start();
		else say('waiting');
		poll();
	}
})();
