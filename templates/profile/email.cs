<h1><?cs var:Page.title ?></h1>
<p><?cs var:Lang.profile.email.current ?> <strong><?cs var:Data.email ?></strong></p>
<p><?cs var:Lang.profile.email.intro ?></p>
<?cs include:"form_errors.cs" ?><?cs set:Form.labels.email = Lang.profile.email.new ?><?cs call:error_summary("") ?>
<form method="post" action="/profile/email" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<label for="email"><?cs var:Lang.profile.email.new ?></label>
<?cs if:Form.errors.email ?><p class="error" id="email-error"><?cs var:Form.errors.email ?></p><?cs /if ?>
<input id="email" name="email" type="email" autocomplete="email" required maxlength="254" value="<?cs var:Form.email ?>"<?cs if:Form.errors.email ?> aria-invalid="true" aria-describedby="email-error"<?cs /if ?>>
<button type="submit" class="primary"><?cs var:Lang.profile.email.submit ?></button>
</form>
<p><a href="/profile"><?cs var:Lang.profile.back ?></a></p>
