// tele-rec.js: records this browser's own microphone during a consented
// video consultation and uploads it in short chunks (docs/tele.md
// "Transcript"). Runs only when #call has data-record="1" (both the
// patient and the doctor said yes). tele.js hands over the stream with the
// 'tele:media' event and says 'tele:ended' when the call ends.
(function () {
  'use strict';
  var CHUNK_MS = 12000;   // each chunk is a recording of its own: it decodes alone
  var call = document.getElementById('call');
  if (!call || call.getAttribute('data-record') !== '1' || typeof MediaRecorder === 'undefined') return;
  var url = location.pathname.replace(/\/call(\/.*)?$/, '/call/audio');
  var csrf = call.getAttribute('data-csrf') || '';
  var stream = null, recorder = null, seq = 0, began = 0, stopped = false, timer = null;

  function type() {
    var kinds = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/webm', 'audio/ogg'];
    for (var i = 0; i < kinds.length; i++)
      if (MediaRecorder.isTypeSupported(kinds[i])) return kinds[i];
    return '';
  }

  // One chunk: sent with its number, its offset since recording began and
  // its length; a failed upload is tried once more (the server ignores a
  // number it already has).
  function upload(blob, n, offset, duration, retry) {
    var form = new FormData();
    form.append('csrf', csrf);
    form.append('seq', String(n));
    form.append('offset', String(offset));
    form.append('duration', String(Math.max(1, duration)));
    form.append('audio', blob, 'chunk-' + n + (blob.type.indexOf('ogg') >= 0 ? '.ogg' : '.webm'));
    fetch(url, { method: 'POST', body: form, credentials: 'same-origin', keepalive: stopped && blob.size < 60000 }).then(function (res) {
      if (res.status === 403) stop();            // consent missing or call over: record no more
      else if (!res.ok && res.status >= 500 && retry) setTimeout(function () { upload(blob, n, offset, duration, false); }, 3000);
    }, function () {
      if (retry) setTimeout(function () { upload(blob, n, offset, duration, false); }, 3000);
    });
  }

  // A new MediaRecorder per chunk, so each upload has its own header.
  function next() {
    if (stopped || !stream) return;
    var audio = new MediaStream(stream.getAudioTracks());
    if (!audio.getAudioTracks().length) return;
    var mime = type(), parts = [], start = Date.now(), n = seq++;
    try {
      recorder = mime ? new MediaRecorder(audio, { mimeType: mime, audioBitsPerSecond: 32000 })
                      : new MediaRecorder(audio);
    } catch (e) { return; }
    recorder.ondataavailable = function (ev) { if (ev.data && ev.data.size) parts.push(ev.data); };
    recorder.onstop = function () {
      if (parts.length) upload(new Blob(parts, { type: parts[0].type || mime }), n, start - began, Date.now() - start, true);
      next();
    };
    recorder.start();
    timer = setTimeout(function () { if (recorder && recorder.state !== 'inactive') recorder.stop(); }, CHUNK_MS);
  }

  function stop() {
    stopped = true;
    clearTimeout(timer);
    if (recorder && recorder.state !== 'inactive') recorder.stop();
  }

  document.addEventListener('tele:media', function (ev) {
    if (stream || !ev.detail || !ev.detail.stream) return;
    stream = ev.detail.stream;
    began = Date.now();
    next();
  });
  document.addEventListener('tele:ended', stop);
  window.addEventListener('pagehide', stop);
})();
