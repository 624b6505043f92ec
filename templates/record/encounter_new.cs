<h1><?cs var:Page.title ?>: <?cs var:Data.patient.name ?></h1>
<?cs include:"form_errors.cs" ?><?cs call:error_summary("") ?>
<p><?cs var:Lang.notes.new.intro ?></p>
<form method="post" action="/patients/<?cs var:Data.patient.id ?>/encounters/new" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<button type="submit" class="primary"><?cs var:Lang.notes.new.start ?></button>
</form>
<p><a href="/patients/<?cs var:Data.patient.id ?>/encounters"><?cs var:Lang.notes.note.back_list ?></a></p>
