#!/bin/sh
# pocketsphinx.sh FILE: medsys-transcriber's default speech-to-text command
# (docs/tele.md "Transcript"). FILE is one audio chunk (WebM or Ogg, Opus
# or Vorbis); prints one utterance a line as "SECONDS<TAB>TEXT", SECONDS
# being where it starts in the chunk.
#
# ffmpeg decodes it to 16 kHz mono WAV, Debian's pocketsphinx 0.8
# (pocketsphinx_continuous, packages pocketsphinx and pocketsphinx-en-us)
# recognises it with its default US English model, and the word timings
# it prints with -time yes ("word start end confidence", an utterance
# between <s> and </s>) become lines. Another model (e.g. Spanish):
# MEDSYS_PS_ARGS="-hmm DIR -lm FILE.lm -dict FILE.dict" in the service's
# environment, or another command altogether (transcribe_command).
set -eu
in=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/medsys-stt.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
ffmpeg -nostdin -loglevel error -i "$in" -ar 16000 -ac 1 -f wav "$tmp/a.wav"
# shellcheck disable=SC2086 # MEDSYS_PS_ARGS is a list of options
pocketsphinx_continuous -infile "$tmp/a.wav" -time yes -logfn /dev/null ${MEDSYS_PS_ARGS:-} >"$tmp/out"
awk '
NF == 4 && $2 ~ /^[0-9.]+$/ && $3 ~ /^[0-9.]+$/ {
	w = $1
	if (w == "<s>") { start = $2; text = ""; next }
	if (w == "</s>") { if (text != "") printf "%s\t%s\n", start, text; text = ""; next }
	if (w ~ /^(<sil>|\[.*\]|\+\+.*\+\+|\+.*\+)$/) next
	sub(/\([0-9]+\)$/, "", w)
	text = text == "" ? w : text " " w
}' "$tmp/out"
