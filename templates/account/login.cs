<h1><?cs var:Page.title ?></h1>
<?cs if:Data.done == "reset" ?><p class="notice-box" role="status"><?cs var:Lang.account.login.reset_done ?></p><?cs /if ?>
<?cs if:Data.failed ?><p class="alert-box" role="alert" id="login-failed"><?cs var:Lang.account.login.failed ?></p><?cs /if ?>
<?cs if:Data.disabled ?><p class="alert-box" role="alert" id="login-disabled"><?cs var:Lang.account.login.disabled ?></p><?cs /if ?>
<?cs include:"form_errors.cs" ?><?cs set:Form.labels.email = Lang.account.login.email ?><?cs set:Form.labels.password = Lang.account.login.password ?><?cs call:error_summary("") ?>
<form method="post" action="/login" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<?cs if:Form.next ?><input type="hidden" name="next" value="<?cs var:Form.next ?>"><?cs /if ?>
<label for="email"><?cs var:Lang.account.login.email ?></label>
<?cs if:Form.errors.email ?><p class="error" id="email-error"><span class="sr"><?cs var:Lang.account.field_error ?> </span><?cs var:Form.errors.email ?></p><?cs /if ?>
<input id="email" name="email" type="email" autocomplete="username" required maxlength="254" value="<?cs var:Form.email ?>"<?cs if:Form.errors.email ?> aria-invalid="true" aria-describedby="email-error"<?cs elif:Data.failed ?> aria-invalid="true" aria-describedby="login-failed"<?cs /if ?>>
<label for="password"><?cs var:Lang.account.login.password ?></label>
<?cs if:Form.errors.password ?><p class="error" id="password-error"><span class="sr"><?cs var:Lang.account.field_error ?> </span><?cs var:Form.errors.password ?></p><?cs /if ?>
<input id="password" name="password" type="password" autocomplete="current-password" required<?cs if:Form.errors.password ?> aria-invalid="true" aria-describedby="password-error"<?cs elif:Data.failed ?> aria-invalid="true" aria-describedby="login-failed"<?cs /if ?>>
<button type="submit" class="primary"><?cs var:Lang.account.login.submit ?></button>
</form>
<p><a href="/password/forgot"><?cs var:Lang.account.login.forgot ?></a></p>
<p><?cs var:Lang.account.login.no_account ?> <a href="/register"><?cs var:Lang.account.login.register ?></a></p>
