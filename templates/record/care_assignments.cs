<h1><?cs var:Page.title ?></h1>
<p><?cs var:Lang.care.assign.patient ?>: <strong><?cs var:Data.patient.name ?></strong></p>
<p><?cs var:Lang.care.assign.intro ?></p>
<?cs if:Data.msg ?><p class="notice-box" role="status"><?cs var:Data.msg ?></p><?cs /if ?>
<?cs include:"form_errors.cs" ?><?cs set:Form.labels.doctor = Lang.care.assign.doctor ?><?cs call:error_summary("") ?>
<form method="post" action="/patients/<?cs var:Data.patient.id ?>/assignments" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<label for="doctor"><?cs var:Lang.care.assign.doctor ?></label>
<?cs if:Form.errors.doctor ?><p class="error" id="doctor-error"><?cs var:Form.errors.doctor ?></p><?cs /if ?>
<select id="doctor" name="doctor" required<?cs if:Form.errors.doctor ?> aria-invalid="true" aria-describedby="doctor-error"<?cs /if ?>>
<?cs each:d = Data.doctors ?><option value="<?cs var:d.id ?>"<?cs if:Form.doctor == d.id ?> selected<?cs /if ?>><?cs var:d.name ?></option>
<?cs /each ?></select>
<button type="submit" class="primary"><?cs var:Lang.care.assign.submit ?></button>
</form>
<h2><?cs var:Lang.care.assign.list ?></h2>
<?cs if:subcount(Data.assignments) ?>
<ul class="doctors">
<?cs each:a = Data.assignments ?><li><strong><?cs var:a.doctor ?></strong> · <?cs var:Lang.care.assign.since ?> <?cs var:a.since ?> (<?cs var:a.by ?>)
<?cs if:a.ended ?><br><span class="muted"><?cs var:Lang.care.assign.ended ?> <?cs var:a.ended ?> (<?cs var:a.ended_by ?>)</span>
<?cs else ?><form method="post" action="/patients/<?cs var:Data.patient.id ?>/assignments/<?cs var:a.id ?>/end" class="inline"><input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>"><button type="submit" class="link"><?cs var:Lang.care.assign.end ?><span class="sr"> (<?cs var:a.doctor ?>)</span></button></form><?cs /if ?></li>
<?cs /each ?></ul>
<?cs else ?>
<p><?cs var:Lang.care.assign.none ?></p>
<?cs /if ?>
