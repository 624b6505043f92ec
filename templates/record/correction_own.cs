<h1><?cs var:Page.title ?></h1>
<p><?cs var:Lang.care.corrections.intro ?></p>
<?cs if:Data.msg ?><p class="notice-box" role="status"><?cs var:Data.msg ?></p><?cs /if ?>
<?cs include:"record/correction_list.cs" ?>
<h2><?cs var:Lang.care.corrections.new ?></h2>
<?cs include:"form_errors.cs" ?><?cs set:Form.labels.about = Lang.care.corrections.about ?><?cs set:Form.labels.body = Lang.care.corrections.body ?><?cs call:error_summary("") ?>
<form method="post" action="/record/corrections" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<label for="about"><?cs var:Lang.care.corrections.about ?></label>
<?cs if:Form.errors.about ?><p class="error" id="about-error"><?cs var:Form.errors.about ?></p><?cs /if ?>
<input id="about" name="about" maxlength="200" required value="<?cs var:Form.about ?>"<?cs if:Form.errors.about ?> aria-invalid="true" aria-describedby="about-error"<?cs /if ?>>
<label for="body"><?cs var:Lang.care.corrections.body ?></label>
<?cs if:Form.errors.body ?><p class="error" id="body-error"><?cs var:Form.errors.body ?></p><?cs /if ?>
<textarea id="body" name="body" rows="5" maxlength="2000" required<?cs if:Form.errors.body ?> aria-invalid="true" aria-describedby="body-error"<?cs /if ?>><?cs var:Form.body ?></textarea>
<button type="submit" class="primary"><?cs var:Lang.care.corrections.submit ?></button>
</form>
