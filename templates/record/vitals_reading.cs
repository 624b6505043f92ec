<h1><?cs var:Page.title ?></h1>
<p><a href="<?cs var:Data.base ?>"><?cs var:Lang.vitals.back ?></a></p>
<?cs if:Data.conflict ?><p class="alert-box" role="alert"><?cs var:Lang.vitals.conflict ?></p><?cs else ?><?cs include:"form_errors.cs" ?><?cs call:error_summary("") ?><?cs /if ?>

<?cs include:"record/vitals_values.cs" ?>
<h2><?cs var:Lang.vitals.reading.versions ?></h2>
<ol class="versions" reversed>
<?cs each:v = Data.versions ?><li><strong><?cs var:v.taken ?></strong><?cs if:v.error ?> <strong><?cs var:Lang.vitals.entered_in_error ?></strong><?cs /if ?>:
<?cs call:vvalues(v) ?>
<br><span class="muted"><?cs var:Lang.vitals.reading.recorded ?> <?cs var:v.by ?>, <?cs var:v.at ?><?cs if:v.reason ?> — <?cs var:Lang.vitals.reading.reason ?>: <?cs var:v.reason ?><?cs /if ?></span></li>
<?cs /each ?></ol>

<h2 id="correct"><?cs var:Lang.vitals.reading.correct ?></h2>
<p class="hint"><?cs var:Lang.vitals.reading.correct_hint ?></p>
<form method="post" action="<?cs var:Data.base ?>/<?cs var:Data.item ?>" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<input type="hidden" name="version" value="<?cs var:Data.version ?>">
<?cs include:"record/vitals_fields.cs" ?>
<label for="reason"><?cs var:Lang.vitals.reading.reason ?></label>
<?cs if:Form.errors.reason ?><p class="error" id="reason-error"><?cs var:Form.errors.reason ?></p><?cs /if ?>
<input id="reason" name="reason" type="text" required maxlength="500" value="<?cs var:Form.reason ?>"<?cs if:Form.errors.reason ?> aria-invalid="true" aria-describedby="reason-error"<?cs /if ?>>
<fieldset>
<legend><?cs var:Lang.vitals.reading.action ?></legend>
<label class="check"><input type="radio" name="action" value="correct"<?cs if:Form.action != "error" ?> checked<?cs /if ?>> <?cs var:Lang.vitals.reading.action_correct ?></label>
<label class="check"><input type="radio" name="action" value="error"<?cs if:Form.action == "error" ?> checked<?cs /if ?>> <?cs var:Lang.vitals.reading.action_error ?></label>
</fieldset>
<button type="submit" class="primary"><?cs var:Lang.vitals.reading.submit ?></button>
</form>
