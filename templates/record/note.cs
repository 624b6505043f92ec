<?cs include:"record/note_head.cs" ?>
<?cs if:Data.note.signed ?>
<?cs include:"record/note_signed.cs" ?>
<h2><?cs var:Lang.notes.note.add_addendum ?></h2>
<form method="post" action="/patients/<?cs var:Data.patient.id ?>/encounters/<?cs var:Data.enc.id ?>/addenda" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<label for="body"><?cs var:Lang.notes.note.addendum_body ?></label>
<?cs if:Form.errors.body ?><p class="error" id="body-error"><?cs var:Form.errors.body ?></p><?cs /if ?>
<textarea id="body" name="body" rows="4" maxlength="20000" required<?cs if:Form.errors.body ?> aria-invalid="true" aria-describedby="body-error"<?cs /if ?>><?cs var:Form.body ?></textarea>
<button type="submit" class="primary"><?cs var:Lang.notes.note.addendum_sign ?></button>
</form>
<?cs else ?>
<?cs if:Data.conflict && Data.other.version ?>
<section class="alert-box"><h2><?cs var:Lang.notes.note.other ?> (<?cs var:Data.other.version ?>, <?cs var:Data.other.saved_by ?>, <?cs var:Data.other.saved_at ?>)</h2>
<h3><?cs var:Lang.notes.note.subjective ?></h3><p class="note-text"><?cs var:Data.other.subjective ?></p>
<h3><?cs var:Lang.notes.note.objective ?></h3><p class="note-text"><?cs var:Data.other.objective ?></p>
<h3><?cs var:Lang.notes.note.assessment ?></h3><p class="note-text"><?cs var:Data.other.assessment ?></p>
<?cs if:subcount(Data.other.dx) > 0 ?><ul><?cs each:d = Data.other.dx ?><li><code><?cs var:d.code ?></code> <?cs var:d.title ?></li><?cs /each ?></ul><?cs /if ?>
<h3><?cs var:Lang.notes.note.plan ?></h3><p class="note-text"><?cs var:Data.other.plan ?></p>
<p><?cs var:Lang.notes.note.yours ?></p></section>
<?cs /if ?>
<p class="muted"><?cs if:Data.draft.version ?><?cs var:Lang.notes.note.draft_of ?> <?cs var:Data.draft.version ?> · <?cs var:Data.draft.saved_by ?> · <?cs var:Lang.notes.note.saved ?> <?cs var:Data.draft.saved_at ?><?cs else ?><?cs var:Lang.notes.note.no_draft ?><?cs /if ?></p>
<?cs include:"record/note_form.cs" ?>
<?cs /if ?>
<p><a href="/patients/<?cs var:Data.patient.id ?>/encounters/<?cs var:Data.enc.id ?>/rx"><?cs var:Lang.rx.write.encounter.title ?></a></p>
<p><a href="/patients/<?cs var:Data.patient.id ?>/encounters/<?cs var:Data.enc.id ?>/lab/new"><?cs var:Lang.lab.order.title ?></a></p>
<p><a href="/patients/<?cs var:Data.patient.id ?>/encounters"><?cs var:Lang.notes.note.back_list ?></a> · <a href="/patients/<?cs var:Data.patient.id ?>/record"><?cs var:Lang.record.summary.title ?></a></p>
<?cs include:"triage/previsit.cs" ?>
