// live-search.js: results while one types, for the plain GET searches
// marked data-live (a form, or the search button of a bigger form): the
// server renders the same page; the element named by data-live is swapped
// and the text of data-live-status copied into the page's own live region.
'use strict';
document.querySelectorAll('[data-live]').forEach(function (el) {
	var form = el.form || el, input = form.querySelector('input[type=search]'), timer, ctl;

	function swap(doc, id) {
		var cur = document.getElementById(id), next = doc.getElementById(id);
		if (cur && next) cur.replaceWith(document.adoptNode(next));
	}
	function run() {
		var q = input.value.trim(), data = new FormData(form), mine;
		var url = new URL(el.getAttribute('formaction') || form.getAttribute('action'), location.href);
		if (q.length === 1) return;
		if (el !== form) data.append(el.name, el.value);
		data.delete('csrf');	// the token stays out of URLs and history
		url.search = new URLSearchParams(data);
		if (ctl) ctl.abort();
		mine = ctl = new AbortController();
		fetch(url, { signal: mine.signal, credentials: 'same-origin' }).then(function (r) {
			if (!r.ok) throw new Error(r.status);
			return r.text();
		}).then(function (html) {
			var doc = new DOMParser().parseFromString(html, 'text/html');
			var s = document.getElementById(el.dataset.liveStatus), n = doc.getElementById(el.dataset.liveStatus);
			if (mine !== ctl) return;
			swap(doc, el.dataset.live);
			// the same node, new text: screen readers announce the change
			if (s && n) { s.textContent = n.textContent; s.className = n.className; }
			history.replaceState(history.state, '', url);
		}).catch(function () { /* the page stays as it is; the button still submits */ });
	}
	if (input) input.addEventListener('input', function () {
		clearTimeout(timer);
		timer = setTimeout(run, 200);
	});
});
