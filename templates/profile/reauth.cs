<h1><?cs var:Page.title ?></h1>
<p><?cs var:Lang.profile.reauth.intro ?></p>
<?cs include:"form_errors.cs" ?><?cs set:Form.labels.password = Lang.profile.reauth.password ?><?cs call:error_summary("") ?>
<form method="post" action="/profile/reauth" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<input type="hidden" name="next" value="<?cs var:Data.next ?>">
<label for="password"><?cs var:Lang.profile.reauth.password ?></label>
<?cs if:Form.errors.password ?><p class="error" id="password-error"><?cs var:Form.errors.password ?></p><?cs /if ?>
<input id="password" name="password" type="password" autocomplete="current-password" required<?cs if:Form.errors.password ?> aria-invalid="true" aria-describedby="password-error"<?cs /if ?>>
<button type="submit" class="primary"><?cs var:Lang.profile.reauth.submit ?></button>
</form>
<p><a href="/profile"><?cs var:Lang.profile.back ?></a></p>
