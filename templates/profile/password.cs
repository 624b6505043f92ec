<h1><?cs var:Page.title ?></h1>
<p><?cs var:Lang.profile.password.intro ?></p>
<?cs include:"form_errors.cs" ?><?cs set:Form.labels.new_password = Lang.profile.password.new ?><?cs set:Form.labels.confirm = Lang.profile.password.confirm ?><?cs call:error_summary("") ?>
<form method="post" action="/profile/password" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<label for="new_password"><?cs var:Lang.profile.password.new ?></label>
<p class="hint" id="new_password-hint"><?cs var:Lang.profile.password.hint ?></p>
<?cs if:Form.errors.new_password ?><p class="error" id="new_password-error"><?cs var:Form.errors.new_password ?></p><?cs /if ?>
<input id="new_password" name="new_password" type="password" autocomplete="new-password" required minlength="10"<?cs if:Form.errors.new_password ?> aria-invalid="true" aria-describedby="new_password-error new_password-hint"<?cs else ?> aria-describedby="new_password-hint"<?cs /if ?>>
<label for="confirm"><?cs var:Lang.profile.password.confirm ?></label>
<?cs if:Form.errors.confirm ?><p class="error" id="confirm-error"><?cs var:Form.errors.confirm ?></p><?cs /if ?>
<input id="confirm" name="confirm" type="password" autocomplete="new-password" required<?cs if:Form.errors.confirm ?> aria-invalid="true" aria-describedby="confirm-error"<?cs /if ?>>
<button type="submit" class="primary"><?cs var:Lang.profile.password.submit ?></button>
</form>
<p><a href="/profile"><?cs var:Lang.profile.back ?></a></p>
