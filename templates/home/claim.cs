<h1><?cs var:Page.title ?></h1>
<p><?cs var:Lang.home.claim.intro ?> <strong><?cs var:Data.email ?></strong></p>
<?cs include:"form_errors.cs" ?><?cs call:error_summary("") ?>
<form method="post" action="/claim" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<input type="hidden" name="token" value="<?cs var:Form.token ?>">
<label for="password"><?cs var:Lang.account.reset.password ?></label>
<p class="hint" id="password-hint"><?cs var:Lang.account.password.hint ?></p>
<?cs if:Form.errors.password ?><p class="error" id="password-error"><?cs var:Form.errors.password ?></p><?cs /if ?>
<input id="password" name="password" type="password" autocomplete="new-password" required<?cs if:Form.errors.password ?> aria-invalid="true" aria-describedby="password-error password-hint"<?cs else ?> aria-describedby="password-hint"<?cs /if ?>>
<label for="password_confirm"><?cs var:Lang.account.reset.password_confirm ?></label>
<?cs if:Form.errors.password_confirm ?><p class="error" id="password_confirm-error"><?cs var:Form.errors.password_confirm ?></p><?cs /if ?>
<input id="password_confirm" name="password_confirm" type="password" autocomplete="new-password" required<?cs if:Form.errors.password_confirm ?> aria-invalid="true" aria-describedby="password_confirm-error"<?cs /if ?>>
<button type="submit" class="primary"><?cs var:Lang.home.claim.submit ?></button>
</form>
