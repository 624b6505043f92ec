<?cs def:section(name, text) ?><h2><?cs var:name ?></h2><?cs if:text ?><p class="note-text"><?cs var:text ?></p><?cs else ?><p class="muted"><?cs var:Lang.notes.note.none ?></p><?cs /if ?><?cs /def ?>
<?cs call:section(Lang.notes.note.subjective, Data.note.subjective) ?>
<?cs call:section(Lang.notes.note.objective, Data.note.objective) ?>
<?cs call:section(Lang.notes.note.assessment, Data.note.assessment) ?>
<h3><?cs var:Lang.notes.note.diagnoses ?></h3>
<?cs if:subcount(Data.note.dx) == 0 ?><p class="muted"><?cs var:Lang.notes.note.none ?></p><?cs else ?><ul>
<?cs each:d = Data.note.dx ?><li><code><?cs var:d.code ?></code> <?cs var:d.title ?></li>
<?cs /each ?></ul><?cs /if ?>
<?cs call:section(Lang.notes.note.plan, Data.note.plan) ?>
<p><?cs var:Lang.notes.note.signed_by ?> <?cs var:Data.note.signer ?> <?cs var:Lang.notes.note.signed_at ?> <?cs var:Data.note.signed_at ?>.</p>
<?cs if:Data.note.verified == "1" ?><p class="notice-box" role="status"><?cs var:Lang.notes.note.verified ?></p><?cs else ?><p class="alert-box" role="alert"><?cs var:Lang.notes.note.mismatch ?></p><?cs /if ?>
<p class="hash muted"><?cs var:Lang.notes.note.hash ?>: <code><?cs var:Data.note.hash ?></code></p>
<?cs if:subcount(Data.addenda) > 0 ?>
<h2><?cs var:Lang.notes.note.addenda ?></h2>
<?cs each:a = Data.addenda ?><article id="addendum-<?cs var:a.id ?>">
<p class="note-text"><?cs var:a.body ?></p>
<p class="muted"><?cs var:Lang.notes.note.addendum_by ?> <?cs var:a.by ?> <?cs var:Lang.notes.note.signed_at ?> <?cs var:a.at ?>.</p>
<?cs if:a.verified == "1" ?><p class="notice-box" role="status"><?cs var:Lang.notes.note.verified ?></p><?cs else ?><p class="alert-box" role="alert"><?cs var:Lang.notes.note.mismatch ?></p><?cs /if ?>
</article>
<?cs /each ?><?cs /if ?>
