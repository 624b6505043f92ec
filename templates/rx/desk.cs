<h1><?cs var:Page.title ?></h1>
<?cs include:"form_errors.cs" ?><?cs set:Form.labels.code = Lang.rx.desk.code.label ?><?cs set:Form.labels.photo = Lang.rx.desk.photo.label ?><?cs call:error_summary("") ?>
<?cs if:Data.refused ?><section aria-labelledby="verdict">
<p id="verdict" class="verdict verdict-bad"><strong><?cs if:Data.refused == "token" ?><?cs var:Lang.rx.desk.refused.token_word ?><?cs else ?><?cs var:Lang.rx.desk.refused.code_word ?><?cs /if ?></strong></p>
<p><?cs if:Data.refused == "token" ?><?cs var:Lang.rx.desk.refused.token ?><?cs else ?><?cs var:Lang.rx.desk.refused.code ?><?cs /if ?></p>
</section><?cs /if ?>
<?cs if:Data.wait ?><p class="alert-box" role="alert"><?cs var:Lang.rx.desk.throttled ?> <strong><?cs var:Data.wait ?></strong>.</p><?cs /if ?>
<p><?cs var:Lang.rx.desk.intro ?></p>
<p class="notice-box"><?cs var:Lang.rx.desk.camera ?></p>
<h2 id="by-code"><?cs var:Lang.rx.desk.code.heading ?></h2>
<form method="post" action="/desk/code" class="stack" aria-labelledby="by-code">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<label for="code"><?cs var:Lang.rx.desk.code.label ?></label>
<p class="hint" id="code-hint"><?cs var:Lang.rx.desk.code.hint ?></p>
<?cs if:Form.errors.code ?><p class="error" id="code-error" role="alert"><?cs var:Form.errors.code ?></p><?cs /if ?>
<input id="code" name="code" type="text" required maxlength="40" autocomplete="off" autocapitalize="characters" spellcheck="false" value="<?cs var:Form.code ?>"<?cs if:Form.errors.code ?> aria-invalid="true" aria-describedby="code-error code-hint"<?cs else ?> aria-describedby="code-hint"<?cs /if ?>>
<button type="submit" class="primary"><?cs var:Lang.rx.desk.code.submit ?></button>
</form>
<h2 id="by-photo"><?cs var:Lang.rx.desk.photo.heading ?></h2>
<form method="post" action="/desk/photo" enctype="multipart/form-data" class="stack" aria-labelledby="by-photo">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<label for="photo"><?cs var:Lang.rx.desk.photo.label ?></label>
<p class="hint" id="photo-hint"><?cs var:Lang.rx.desk.photo.hint ?> <?cs var:Data.max_mb ?> MB.</p>
<?cs if:Form.errors.photo ?><p class="error" id="photo-error" role="alert"><?cs var:Form.errors.photo ?></p><?cs /if ?>
<input id="photo" name="photo" type="file" required accept="image/jpeg,image/png"<?cs if:Form.errors.photo ?> aria-invalid="true" aria-describedby="photo-error photo-hint"<?cs else ?> aria-describedby="photo-hint"<?cs /if ?>>
<button type="submit" class="primary"><?cs var:Lang.rx.desk.photo.submit ?></button>
</form>
<p class="muted"><?cs var:Lang.rx.desk.presented_only ?></p>
