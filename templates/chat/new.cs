<h1><?cs var:Page.title ?></h1>
<?cs if:Form.has_errors ?><p class="alert-box" role="alert"><?cs var:Lang.validate.summary ?></p><?cs /if ?>
<?cs if:!Data.patient && !subcount(Data.to) ?><p><?cs var:Lang.chat.new.none ?></p><?cs else ?>
<form method="post" action="/messages/new" class="stack" enctype="multipart/form-data">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<label for="to"><?cs if:Data.patient ?><?cs var:Lang.chat.new.to ?><?cs else ?><?cs var:Lang.chat.new.patient ?><?cs /if ?></label>
<?cs if:Form.errors.to ?><p class="error" id="to-error"><?cs var:Form.errors.to ?></p><?cs /if ?>
<select id="to" name="to" required<?cs if:Form.errors.to ?> aria-invalid="true" aria-describedby="to-error"<?cs /if ?>>
<option value=""><?cs var:Lang.chat.new.choose ?></option>
<?cs if:Data.patient ?><option value="desk"<?cs if:Form.to == "desk" ?> selected<?cs /if ?>><?cs var:Lang.chat.new.desk ?></option><?cs /if ?>
<?cs each:o = Data.to ?><option value="<?cs var:o.value ?>"<?cs if:Form.to == o.value ?> selected<?cs /if ?>><?cs var:o.name ?></option>
<?cs /each ?></select>
<label for="subject"><?cs var:Lang.chat.new.subject ?></label>
<p class="muted" id="subject-hint"><?cs var:Lang.chat.new.subject_rule ?></p>
<?cs if:Form.errors.subject ?><p class="error" id="subject-error"><?cs var:Form.errors.subject ?></p><?cs /if ?>
<input id="subject" name="subject" maxlength="120" required value="<?cs var:Form.subject ?>" aria-describedby="subject-hint<?cs if:Form.errors.subject ?> subject-error<?cs /if ?>"<?cs if:Form.errors.subject ?> aria-invalid="true"<?cs /if ?>>
<label for="body"><?cs var:Lang.chat.new.body ?></label>
<p class="muted" id="body-hint"><?cs var:Lang.chat.new.body_rule ?></p>
<?cs if:Form.errors.body ?><p class="error" id="body-error"><?cs var:Form.errors.body ?></p><?cs /if ?>
<textarea id="body" name="body" rows="6" maxlength="4000" required aria-describedby="body-hint<?cs if:Form.errors.body ?> body-error<?cs /if ?>"<?cs if:Form.errors.body ?> aria-invalid="true"<?cs /if ?>><?cs var:Form.body ?></textarea>
<?cs include:"chat/file_field.cs" ?>
<button type="submit" class="primary"><?cs var:Lang.chat.new.submit ?></button>
</form>
<?cs /if ?>
