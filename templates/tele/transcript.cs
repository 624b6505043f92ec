<h1><?cs var:Page.title ?></h1>
<?cs if:Data.done ?><p class="notice-box" role="status"><?cs var:Data.done ?></p><?cs /if ?>
<?cs if:Data.doctor ?>
<p><?cs var:Lang.tele.transcript.intro ?></p>
<?cs if:Data.pending > 0 ?><p class="notice-box" role="status"><?cs var:Lang.tele.transcript.pending ?> <?cs var:Data.pending ?></p><?cs /if ?>
<?cs if:Data.latest.version ?><p class="muted"><?cs var:Lang.tele.transcript.version ?> <?cs var:Data.latest.version ?> · <?cs var:Data.latest.by ?> · <?cs var:Data.latest.saved ?></p><?cs else ?><p class="muted"><?cs var:Lang.tele.transcript.not_reviewed ?></p><?cs /if ?>
<?cs include:"form_errors.cs" ?><?cs set:Form.labels.body = Lang.tele.transcript.body ?><?cs call:error_summary("") ?>
<form method="post" action="/appointments/<?cs var:Data.appointment ?>/transcript" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<input type="hidden" name="base" value="<?cs var:Form.base ?>">
<label for="body"><?cs var:Lang.tele.transcript.body ?></label>
<?cs if:Form.errors.body ?><p class="error" id="body-error"><?cs var:Form.errors.body ?></p><?cs /if ?>
<textarea id="body" name="body" rows="20" maxlength="200000" required<?cs if:Form.errors.body ?> aria-invalid="true" aria-describedby="body-error"<?cs /if ?>><?cs var:Form.body ?></textarea>
<button type="submit" class="primary"><?cs var:Lang.tele.transcript.save ?></button>
</form>
<h2><?cs var:Lang.tele.transcript.heard ?></h2>
<?cs if:subcount(Data.lines) > 0 ?><ol class="transcript-lines"><?cs each:l = Data.lines ?>
<li data-source="<?cs var:l.source ?>"><span class="muted"><?cs var:l.at ?></span> <strong><?cs var:l.name ?></strong> (<?cs var:l.role ?><?cs if:l.source == "chat" ?>, <?cs var:Lang.tele.transcript.source.chat ?><?cs /if ?>): <?cs var:l.body ?></li><?cs /each ?></ol>
<?cs else ?><p><?cs var:Lang.tele.transcript.no_lines ?></p><?cs /if ?>
<?cs if:Data.encounter ?><p><a href="/patients/<?cs var:Data.patient ?>/encounters/<?cs var:Data.encounter ?>"><?cs var:Lang.tele.transcript.to_note ?></a></p><?cs /if ?>
<?cs else ?>
<?cs if:Data.latest.version ?><p class="muted"><?cs var:Lang.tele.transcript.version ?> <?cs var:Data.latest.version ?> · <?cs var:Data.latest.by ?> · <?cs var:Data.latest.saved ?></p>
<pre class="note-text transcript-text"><?cs var:Data.latest.body ?></pre>
<?cs else ?><p><?cs var:Lang.tele.transcript.not_reviewed_patient ?></p><?cs /if ?>
<?cs /if ?>
