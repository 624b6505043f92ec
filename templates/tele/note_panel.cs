<?cs # The doctor's visit-note side panel: record/notes.c's own form (record/note_form.cs), saved by its own route and coming back to the call. ?>
<aside class="note-panel" aria-labelledby="note-h">
<h2 id="note-h"><?cs var:Lang.tele.note.title ?></h2>
<?cs if:!Data.enc.id ?><p class="muted"><?cs var:Lang.tele.note.later ?></p>
<?cs elif:Data.note.signed ?><p><?cs var:Lang.tele.note.signed ?> <a href="/patients/<?cs var:Data.patient.id ?>/encounters/<?cs var:Data.enc.id ?>"><?cs var:Lang.tele.note.open ?></a></p>
<?cs else ?><p class="muted"><?cs if:Data.draft.version ?><?cs var:Lang.notes.note.draft_of ?> <?cs var:Data.draft.version ?> · <?cs var:Lang.notes.note.saved ?> <?cs var:Data.draft.saved_at ?><?cs else ?><?cs var:Lang.notes.note.no_draft ?><?cs /if ?></p>
<?cs include:"record/note_form.cs" ?>
<p><a href="/patients/<?cs var:Data.patient.id ?>/encounters/<?cs var:Data.enc.id ?>"><?cs var:Lang.tele.note.open ?></a></p>
<?cs /if ?>
</aside>
