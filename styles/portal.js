/* portal.js — the Cooperation Portal site's one script (mspdoc portal),
 * copied into the site as site.js. It works offline, from a file share as
 * from a web server, and fetches nothing:
 * - a restricted page: derives the key from the typed password (PBKDF2-
 *   HMAC-SHA256, the page's salt and iteration count), opens the page's
 *   sealed content (AES-256-GCM) and keeps the derived key, never the
 *   password, in sessionStorage: for this browser tab's session only;
 * - the list of entries: filters over the rows' data-f keys;
 * - the search page: the index in search-index.js, built by mspdoc. */
(function () {
	'use strict';
	var doc = document;
	doc.documentElement.className += ' js';

	function b64bytes(s) {
		var bin = atob(s), out = new Uint8Array(bin.length);
		for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
		return out;
	}
	function bytes64(u) {
		var s = '';
		for (var i = 0; i < u.length; i++) s += String.fromCharCode(u[i]);
		return btoa(s);
	}
	function $(id) { return doc.getElementById(id); }

	/* Restricted pages ------------------------------------------------- */
	var salt = doc.body.getAttribute('data-salt');
	var iterations = parseInt(doc.body.getAttribute('data-iter') || '0', 10);
	var slot = 'mspdoc-portal-key:' + salt;
	var key = null;

	function importKey(raw) {
		return crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['decrypt']);
	}
	function unseal(text) {
		var d = b64bytes(text.trim());
		return crypto.subtle.decrypt({ name: 'AES-GCM', iv: d.slice(0, 12) }, key, d.slice(12))
			.then(function (pt) { return new TextDecoder().decode(pt); });
	}
	function show(plain) {
		var nl = plain.indexOf('\n');
		var title = plain.slice(0, nl);
		doc.title = title + ' \u2014 ' + doc.title;
		var main = $('main');
		main.innerHTML = plain.slice(nl + 1);
		var lock = $('lock');
		if (lock) {
			lock.hidden = false;
			lock.addEventListener('click', function () {
				sessionStorage.removeItem(slot);
				location.reload();
			});
		}
		start();
		var h1 = main.querySelector('h1');
		if (h1 && doc.activeElement && doc.activeElement.id === 'password') {
			h1.tabIndex = -1;
			h1.focus();
		}
	}
	function say(text) {
		var m = $('unlock-msg');
		if (m) m.textContent = text;
	}
	function openWith(raw, typed) {
		return importKey(raw).then(function (k) {
			key = k;
			return unseal($('sealed').textContent);
		}).then(function (plain) {
			try { sessionStorage.setItem(slot, bytes64(raw)); } catch (e) { /* private mode */ }
			show(plain);
		}, function () {
			key = null;
			if (typed) {
				say('Wrong password: the page could not be opened. Check the password and type it again.');
				var pw = $('password');
				if (pw) { pw.value = ''; pw.setAttribute('aria-invalid', 'true'); pw.focus(); }
			} else {
				sessionStorage.removeItem(slot);
			}
		});
	}
	function unlock() {
		if (!window.crypto || !crypto.subtle) {
			say('This browser cannot open the portal here: open it from https:// or from a file, in a current browser.');
			return;
		}
		var saved = null;
		try { saved = sessionStorage.getItem(slot); } catch (e) { saved = null; }
		if (saved) openWith(b64bytes(saved), false);
		var form = $('unlock-form');
		form.addEventListener('submit', function (ev) {
			ev.preventDefault();
			var pw = $('password');
			if (!pw.value) return;
			say('Opening\u2026');
			crypto.subtle.importKey('raw', new TextEncoder().encode(pw.value), 'PBKDF2', false, ['deriveBits'])
				.then(function (base) {
					return crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: b64bytes(salt), iterations: iterations }, base, 256);
				})
				.then(function (bits) { return openWith(new Uint8Array(bits), true); });
		});
	}

	/* The list's filters ----------------------------------------------- */
	function filters() {
		var form = $('filters');
		if (!form) return;
		var rows = Array.prototype.slice.call(doc.querySelectorAll('tr[data-f]'));
		var selects = Array.prototype.slice.call(form.querySelectorAll('select'));
		var status = $('filter-status');
		function apply() {
			var want = [];
			selects.forEach(function (s) { if (s.value) want.push([s.name, s.value]); });
			var shown = 0;
			rows.forEach(function (r) {
				var keys = ' ' + r.getAttribute('data-f') + ' ';
				var ok = want.every(function (w) {
					return keys.indexOf(' ' + w[0] + w[1] + ' ') >= 0 || keys.indexOf(' ' + w[0] + '* ') >= 0;
				});
				r.hidden = !ok;
				if (ok) shown++;
			});
			status.textContent = want.length
				? 'Showing ' + shown + ' of ' + rows.length + ' entries.'
				: 'Showing all ' + rows.length + ' entries.';
		}
		var q = new URLSearchParams(location.search);
		selects.forEach(function (s) {
			var v = q.get(s.name);
			if (v !== null) s.value = v;
		});
		form.addEventListener('change', apply);
		form.addEventListener('reset', function () { setTimeout(apply, 0); });
		form.addEventListener('submit', function (ev) { ev.preventDefault(); apply(); });
		apply();
	}

	/* Search ------------------------------------------------------------ */
	/* The same folding and splitting as mspdoc's index (src/html/hw.c). */
	var special = { '\u00df': 'ss', '\u00f8': 'o', '\u00e6': 'ae', '\u0153': 'oe', '\u0111': 'd', '\u0142': 'l', '\u0131': 'i', '\u00fe': 'th', '\u00f0': 'd' };
	function fold(s) {
		return s.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '')
			.replace(/[\u00df\u00f8\u00e6\u0153\u0111\u0142\u0131\u00fe\u00f0]/g, function (c) { return special[c]; });
	}
	function words(s) {
		return fold(s).split(/[^a-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u1fff\u2070-\u2fff\u3040-\uffff]+/).filter(Boolean);
	}
	function search() {
		var form = $('search');
		if (!form || !window.MSPDOC_INDEX) return;
		var input = $('search-q'), list = $('search-results'), status = $('search-status');
		var ready = typeof window.MSPDOC_INDEX === 'string'
			? unseal(window.MSPDOC_INDEX).then(JSON.parse)
			: Promise.resolve(window.MSPDOC_INDEX);
		var index = null, pending = null;
		function run(q) {
			if (!index) { pending = q; status.textContent = 'Searching\u2026'; return; }
			var ws = words(q);
			list.textContent = '';
			if (!ws.length) { status.textContent = 'Type one or more words.'; return; }
			var keys = Object.keys(index.words), hits = null;
			ws.forEach(function (w) {
				var set = {};
				keys.forEach(function (k) {
					if (k.lastIndexOf(w, 0) === 0) index.words[k].forEach(function (d) { set[d] = 1; });
				});
				hits = hits === null ? set : Object.keys(hits).reduce(function (acc, d) {
					if (set[d]) acc[d] = 1;
					return acc;
				}, {});
			});
			var found = Object.keys(hits).map(Number).sort(function (a, b) { return a - b; });
			status.textContent = found.length === 0 ? 'No entry found.' : found.length === 1 ? '1 entry found.' : found.length + ' entries found.';
			found.forEach(function (d) {
				var e = index.docs[d], li = doc.createElement('li'), a = doc.createElement('a');
				a.href = e[0];
				a.textContent = e[1];
				var meta = doc.createElement('span');
				meta.className = 'meta';
				meta.textContent = e[2];
				li.appendChild(a);
				li.appendChild(meta);
				list.appendChild(li);
			});
		}
		form.addEventListener('submit', function (ev) {
			ev.preventDefault();
			run(input.value);
			if (history.replaceState) history.replaceState(null, '', '?q=' + encodeURIComponent(input.value));
		});
		var q = new URLSearchParams(location.search).get('q');
		if (q) { input.value = q; run(q); }
		ready.then(function (ix) {
			index = ix;
			if (pending !== null) run(pending);
		}, function () { status.textContent = 'The search index could not be read: build the site again.'; });
	}

	function start() {
		filters();
		search();
	}
	if (salt) unlock(); else start();
})();
