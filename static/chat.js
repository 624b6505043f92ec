// chat.js: a thread page that updates itself (docs/chat.md "Polling").
// Every few seconds it asks the thread's poll file, which nginx answers
// itself (304 while nothing changed; the link in data-watch is signed for
// this session and expires). When the file shows a newer version it asks
// medsysd, /messages/ID/poll?after=LAST with the ETag it holds, for the
// new messages as JSON, added here as text (never as HTML). Without a
// working link it asks medsysd every time, which also hands out a fresh one.
'use strict';
(function () {
	var list = document.getElementById('messages'), status = document.getElementById('chat-status');
	if (!list || !window.fetch) return;
	var version = Number(list.dataset.version), etag = '"v' + version + '"', last = list.dataset.last || '0';
	var watch = list.dataset.watch || '', watchTag = '', delay = 3000, timer;

	function el(tag, cls, text) {
		var e = document.createElement(tag);
		if (cls) e.className = cls;
		if (text !== undefined) e.textContent = text;
		return e;
	}
	function add(m) {
		if (document.getElementById('m' + m.id)) return;
		var li = el('li', 'chat-message' + (m.mine ? ' mine' : '')), head = el('p', 'muted');
		li.id = 'm' + m.id;
		head.appendChild(el('strong', '', m.mine ? list.dataset.you : m.author));
		head.appendChild(document.createTextNode(' · ' + m.at + (m.auto ? ' · ' + list.dataset.auto : '')));
		li.appendChild(head);
		li.appendChild(el('p', 'note-text', m.body));
		list.appendChild(li);
		last = String(m.id);
		if (!m.mine && status) status.textContent = m.author + ': ' + m.body.slice(0, 140);
	}
	// An attachment of a message just added: a download link, as text.
	function addFile(f) {
		var li = document.getElementById('m' + f.message), ul, item, a;
		if (!li) return;
		if (!(ul = li.querySelector('ul.chat-files'))) li.appendChild(ul = el('ul', 'chat-files'));
		item = el('li');
		a = el('a', '', f.name);
		a.href = '/messages/' + list.dataset.thread + '/files/' + f.id;
		a.rel = 'nofollow';
		a.setAttribute('download', '');
		item.appendChild(a);
		item.appendChild(document.createTextNode(' (' + f.type + ', ' + f.size + ')'));
		ul.appendChild(item);
	}
	// The other side read up to message n: "seen" on my messages so far.
	function markSeen(n) {
		var mine = list.querySelectorAll('li.mine');
		for (var i = 0; i < mine.length; i++) {
			var head = mine[i].querySelector('p.muted');
			if (Number(mine[i].id.slice(1)) > n || !head || head.querySelector('.seen')) continue;
			head.appendChild(document.createTextNode(' · '));
			head.appendChild(el('span', 'seen', list.dataset.seen));
		}
	}
	function schedule() {
		clearTimeout(timer);
		timer = setTimeout(poll, document.hidden ? delay * 5 : delay);
	}
	function retry() {
		delay = Math.min(delay * 2, 60000);   // signed out or offline: back off
		schedule();
	}
	function idle() {
		delay = 3000;
		schedule();
	}
	// nginx's answer: 304 unchanged; 200 with the version; 403, 404 or 410
	// (a bad, missing or expired link): ask medsysd, which sends a new one.
	function poll() {
		if (!watch) return ask(true);
		var h = watchTag ? { 'If-None-Match': watchTag } : {};
		fetch(watch, { credentials: 'same-origin', cache: 'no-store', headers: h }).then(function (r) {
			if (r.status === 304) return idle();
			if (!r.ok) { watch = ''; return ask(false); }
			watchTag = r.headers.get('ETag') || '';
			return r.text().then(function (t) { return Number(t) > version ? ask(true) : idle(); });
		}).catch(retry);
	}
	// medsysd's poll; conditional: with the ETag (else always a 200, with a link).
	function ask(conditional) {
		var url = '/messages/' + list.dataset.thread + '/poll?after=' + encodeURIComponent(last);
		var h = conditional ? { 'If-None-Match': etag } : {};
		return fetch(url, { credentials: 'same-origin', cache: 'no-store', headers: h }).then(function (r) {
			if (r.status === 304) return null;
			if (!r.ok) throw new Error(r.status);
			etag = r.headers.get('ETag') || etag;
			return r.json();
		}).then(function (data) {
			if (data) {
				data.messages.forEach(add);
				if (data.files) data.files.forEach(addFile);
				if (data.seen_upto) markSeen(data.seen_upto);
				version = Math.max(version, Number(data.version));
				if (data.watch && data.watch !== watch) { watch = data.watch; watchTag = ''; }
			}
			idle();
		}).catch(retry);
	}
	document.addEventListener('visibilitychange', function () { if (!document.hidden) poll(); });
	schedule();
})();
