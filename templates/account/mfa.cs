<h1><?cs var:Page.title ?></h1>
<?cs include:"form_errors.cs" ?><?cs set:Form.labels.code = Lang.account.mfa.code ?><?cs call:error_summary("") ?>
<p><?cs var:Lang.account.mfa.intro ?></p>
<form method="post" action="/login/2fa" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<?cs if:Form.next ?><input type="hidden" name="next" value="<?cs var:Form.next ?>"><?cs /if ?>
<label for="code"><?cs var:Lang.account.mfa.code ?></label>
<p class="hint" id="code-hint"><?cs var:Lang.account.mfa.hint ?></p>
<?cs if:Form.errors.code ?><p class="error" id="code-error" role="alert"><span class="sr"><?cs var:Lang.account.field_error ?> </span><?cs var:Form.errors.code ?></p><?cs /if ?>
<input id="code" name="code" type="text" autocomplete="one-time-code" autocapitalize="none" spellcheck="false" required maxlength="40"<?cs if:Form.errors.code ?> aria-invalid="true" aria-describedby="code-error code-hint"<?cs else ?> aria-describedby="code-hint"<?cs /if ?>>
<button type="submit" class="primary"><?cs var:Lang.account.mfa.submit ?></button>
</form>
<form method="post" action="/logout" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<button type="submit" class="link"><?cs var:Lang.account.mfa.cancel ?></button>
</form>
