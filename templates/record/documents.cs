<h1><?cs var:Page.title ?><?cs if:Data.staff ?>: <?cs var:Data.patient ?><?cs /if ?></h1>
<p><?cs if:Data.staff ?><?cs var:Lang.documents.intro_staff ?><?cs else ?><?cs var:Lang.documents.intro ?><?cs /if ?></p>
<?cs if:subcount(Data.docs) ?>
<ul class="doctors">
<?cs each:d = Data.docs ?><li>
<strong><?cs var:d.title ?></strong><?cs if:d.error ?> <em>(<?cs var:Lang.documents.entered_in_error ?>)</em><?cs elif:d.corrected ?> <span class="muted">(<?cs var:Lang.documents.corrected ?>)</span><?cs /if ?><br>
<span class="muted"><?cs var:d.type ?>, <?cs var:d.size ?> · <?cs var:Lang.documents.added ?>: <?cs var:d.added ?><?cs if:Data.staff ?> · <?cs var:Lang.documents.by ?>: <?cs var:d.author ?><?cs /if ?></span><br>
<a href="<?cs var:Data.base ?>/<?cs var:d.id ?>" download><?cs var:Lang.documents.download ?><span class="sr"> <?cs var:d.title ?></span></a><?cs if:Data.staff ?> · <a href="<?cs var:Data.base ?>/<?cs var:d.id ?>/versions"><?cs var:Lang.documents.history ?><span class="sr"> <?cs var:d.title ?></span></a><?cs /if ?>
</li>
<?cs /each ?></ul>
<?cs else ?>
<p><?cs var:Lang.documents.none ?></p>
<?cs /if ?>
<?cs if:Data.staff ?>
<h2 id="upload"><?cs var:Lang.documents.upload ?></h2>
<?cs include:"form_errors.cs" ?><?cs set:Form.labels.title = Lang.documents.title_label ?><?cs set:Form.labels.file = Lang.documents.file_label ?><?cs call:error_summary("") ?>
<form method="post" action="<?cs var:Data.base ?>" enctype="multipart/form-data" class="stack" aria-labelledby="upload">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<label for="title"><?cs var:Lang.documents.title_label ?></label>
<p class="hint" id="title-hint"><?cs var:Lang.documents.title_hint ?></p>
<?cs if:Form.errors.title ?><p class="error" id="title-error"><span class="sr"><?cs var:Lang.documents.field_error ?> </span><?cs var:Form.errors.title ?></p><?cs /if ?>
<input id="title" name="title" type="text" required maxlength="200" value="<?cs var:Form.title ?>"<?cs if:Form.errors.title ?> aria-invalid="true" aria-describedby="title-error title-hint"<?cs else ?> aria-describedby="title-hint"<?cs /if ?>>
<label for="file"><?cs var:Lang.documents.file_label ?></label>
<p class="hint" id="file-hint"><?cs var:Lang.documents.file_hint ?> <?cs var:Data.max_mb ?> MB.</p>
<?cs if:Form.errors.file ?><p class="error" id="file-error"><span class="sr"><?cs var:Lang.documents.field_error ?> </span><?cs var:Form.errors.file ?></p><?cs /if ?>
<input id="file" name="file" type="file" required accept="application/pdf,image/jpeg,image/png"<?cs if:Form.errors.file ?> aria-invalid="true" aria-describedby="file-error file-hint"<?cs else ?> aria-describedby="file-hint"<?cs /if ?>>
<button type="submit" class="primary"><?cs var:Lang.documents.submit ?></button>
</form>
<?cs /if ?>
