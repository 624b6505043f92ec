<h1><?cs var:Page.title ?></h1>
<p><?cs var:Lang.care.break_glass.patient ?>: <strong><?cs var:Data.patient.name ?></strong></p>
<p><?cs var:Lang.care.break_glass.intro ?> <?cs var:Data.duration ?>.</p>
<?cs include:"form_errors.cs" ?><?cs set:Form.labels.reason = Lang.care.break_glass.reason ?><?cs call:error_summary("") ?>
<form method="post" action="/patients/<?cs var:Data.patient.id ?>/break-glass" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<label for="reason"><?cs var:Lang.care.break_glass.reason ?></label>
<p class="muted" id="reason-hint"><?cs var:Lang.care.break_glass.reason_rule ?></p>
<?cs if:Form.errors.reason ?><p class="error" id="reason-error"><?cs var:Form.errors.reason ?></p><?cs /if ?>
<textarea id="reason" name="reason" rows="4" maxlength="500" required aria-describedby="reason-hint<?cs if:Form.errors.reason ?> reason-error<?cs /if ?>"<?cs if:Form.errors.reason ?> aria-invalid="true"<?cs /if ?>><?cs var:Form.reason ?></textarea>
<button type="submit" class="primary"><?cs var:Lang.care.break_glass.submit ?></button>
</form>
