<?cs # The visit note's draft form: the note page (record/note.cs) and the call page's side panel (tele/call.cs, with Data.note_back) share it. ?>
<?cs include:"form_errors.cs" ?><?cs set:Form.labels.body = Lang.notes.note.addendum_body ?><?cs call:error_summary("") ?>
<form method="post" action="/patients/<?cs var:Data.patient.id ?>/encounters/<?cs var:Data.enc.id ?>" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<input type="hidden" name="base" value="<?cs var:Form.base ?>">
<?cs if:Data.note_back ?><input type="hidden" name="back" value="<?cs var:Data.note_back ?>"><?cs /if ?>
<?cs def:area(name, label) ?><label for="<?cs var:name ?>"><?cs var:label ?></label>
<?cs if:Form.errors[name] ?><p class="error" id="<?cs var:name ?>-error"><?cs var:Form.errors[name] ?></p><?cs /if ?>
<textarea id="<?cs var:name ?>" name="<?cs var:name ?>" rows="5" maxlength="20000"<?cs if:Form.errors[name] ?> aria-invalid="true" aria-describedby="<?cs var:name ?>-error"<?cs /if ?>><?cs var:Form[name] ?></textarea><?cs /def ?>
<?cs call:area("subjective", Lang.notes.note.subjective) ?>
<?cs call:area("objective", Lang.notes.note.objective) ?>
<?cs call:area("assessment", Lang.notes.note.assessment) ?>
<fieldset id="dx"><legend><?cs var:Lang.notes.note.diagnoses ?></legend>
<?cs if:Form.errors.dx ?><p class="error"><?cs var:Form.errors.dx ?></p><?cs /if ?>
<?cs each:d = Data.dx ?><label class="check"><input type="checkbox" name="dx" value="<?cs var:d.code ?>"<?cs if:d.checked ?> checked<?cs /if ?>> <span><code><?cs var:d.code ?></code> <?cs var:d.title ?></span></label>
<?cs /each ?>
<?cs if:Data.searched && Data.matches == 0 ?><p class="muted"><?cs var:Lang.notes.note.no_matches ?></p><?cs /if ?>
<label for="q"><?cs var:Lang.notes.note.search ?></label>
<input id="q" name="q" type="search" maxlength="100" value="<?cs var:Form.q ?>">
<button type="submit" name="op" value="search" class="note-search"><?cs var:Lang.notes.note.search_button ?></button>
</fieldset>
<?cs call:area("plan", Lang.notes.note.plan) ?>
<button type="submit" name="op" value="save" class="primary"><?cs var:Lang.notes.note.save ?></button>
<p class="muted"><?cs var:Lang.notes.note.sign_hint ?></p>
<button type="submit" name="op" value="sign" class="primary"><?cs var:Lang.notes.note.sign ?></button>
</form>
