<p><a href="<?cs var:Data.base ?>"><?cs var:Lang.documents.versions.back ?></a></p>
<h1><?cs var:Page.title ?></h1>
<p><strong><?cs var:Data.current_title ?></strong><?cs if:Data.current_error ?> <em>(<?cs var:Lang.documents.entered_in_error ?>)</em><?cs /if ?></p>
<p><?cs var:Lang.documents.versions.intro ?></p>
<?cs if:Data.changed_meanwhile ?><p class="alert-box" role="alert"><?cs var:Lang.documents.versions.changed_meanwhile ?></p><?cs /if ?>
<ul class="doctors">
<?cs each:v = Data.versions ?><li>
<strong><?cs var:Lang.documents.versions.version ?> <?cs var:v.version ?>:</strong> <?cs var:v.title ?><br>
<span class="muted"><?cs var:Lang.documents.versions.state ?>: <?cs if:v.error ?><?cs var:Lang.documents.entered_in_error ?><?cs else ?><?cs var:Lang.documents.versions.current ?><?cs /if ?> · <?cs var:Lang.documents.versions.at ?>: <?cs var:v.at ?> · <?cs var:Lang.documents.versions.by ?>: <?cs var:v.by ?></span>
<?cs if:v.reason ?><br><?cs var:Lang.documents.versions.reason ?>: <?cs var:v.reason ?><?cs /if ?>
</li>
<?cs /each ?></ul>
<p><a href="<?cs var:Data.base ?>/<?cs var:Data.item ?>" download><?cs var:Lang.documents.download ?><span class="sr"> <?cs var:Data.current_title ?></span></a></p>
<?cs if:!Data.current_error ?>
<h2 id="correct"><?cs var:Lang.documents.versions.correct ?></h2>
<?cs include:"form_errors.cs" ?><?cs set:Form.labels.title = Lang.documents.versions.new_title ?><?cs set:Form.labels.reason = Lang.documents.versions.reason_label ?><?cs call:error_summary("") ?>
<form method="post" action="<?cs var:Data.base ?>/<?cs var:Data.item ?>/versions" class="stack" aria-labelledby="correct">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<input type="hidden" name="version" value="<?cs if:Form.version ?><?cs var:Form.version ?><?cs else ?><?cs var:Data.current_version ?><?cs /if ?>">
<fieldset<?cs if:Form.errors.action ?> aria-describedby="action-error"<?cs /if ?>>
<legend><?cs var:Lang.documents.versions.action ?></legend>
<?cs if:Form.errors.action ?><p class="error" id="action-error"><span class="sr"><?cs var:Lang.documents.field_error ?> </span><?cs var:Form.errors.action ?></p><?cs /if ?>
<label class="check"><input type="radio" name="action" value="retitle"<?cs if:Form.action != "error" ?> checked<?cs /if ?>> <?cs var:Lang.documents.versions.retitle ?></label>
<label class="check"><input type="radio" name="action" value="error"<?cs if:Form.action == "error" ?> checked<?cs /if ?>> <?cs var:Lang.documents.versions.error ?></label>
</fieldset>
<label for="title"><?cs var:Lang.documents.versions.new_title ?></label>
<?cs if:Form.errors.title ?><p class="error" id="title-error"><span class="sr"><?cs var:Lang.documents.field_error ?> </span><?cs var:Form.errors.title ?></p><?cs /if ?>
<input id="title" name="title" type="text" maxlength="200" value="<?cs if:Form.title ?><?cs var:Form.title ?><?cs else ?><?cs var:Data.current_title ?><?cs /if ?>"<?cs if:Form.errors.title ?> aria-invalid="true" aria-describedby="title-error"<?cs /if ?>>
<label for="reason"><?cs var:Lang.documents.versions.reason_label ?></label>
<?cs if:Form.errors.reason ?><p class="error" id="reason-error"><span class="sr"><?cs var:Lang.documents.field_error ?> </span><?cs var:Form.errors.reason ?></p><?cs /if ?>
<input id="reason" name="reason" type="text" required maxlength="500" value="<?cs var:Form.reason ?>"<?cs if:Form.errors.reason ?> aria-invalid="true" aria-describedby="reason-error"<?cs /if ?>>
<button type="submit" class="primary"><?cs var:Lang.documents.versions.submit ?></button>
</form>
<?cs /if ?>
