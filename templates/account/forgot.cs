<h1><?cs var:Page.title ?></h1>
<p><?cs var:Lang.account.forgot.intro ?></p>
<?cs include:"form_errors.cs" ?><?cs set:Form.labels.email = Lang.account.forgot.email ?><?cs call:error_summary("") ?>
<form method="post" action="/password/forgot" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<label for="email"><?cs var:Lang.account.forgot.email ?></label>
<?cs if:Form.errors.email ?><p class="error" id="email-error"><span class="sr"><?cs var:Lang.account.field_error ?> </span><?cs var:Form.errors.email ?></p><?cs /if ?>
<input id="email" name="email" type="email" autocomplete="email" required maxlength="254" value="<?cs var:Form.email ?>"<?cs if:Form.errors.email ?> aria-invalid="true" aria-describedby="email-error"<?cs /if ?>>
<button type="submit" class="primary"><?cs var:Lang.account.forgot.submit ?></button>
</form>
<p><a href="/login"><?cs var:Lang.account.forgot.back ?></a></p>
