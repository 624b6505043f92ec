<h1><?cs var:Page.title ?></h1>
<p><?cs var:Lang.account.register.intro ?></p>
<?cs include:"form_errors.cs" ?><?cs set:Form.labels.full_name = Lang.account.register.full_name ?><?cs set:Form.labels.birth_date = Lang.account.register.birth_date ?><?cs set:Form.labels.email = Lang.account.register.email ?><?cs set:Form.labels.phone = Lang.account.register.phone ?><?cs set:Form.labels.password = Lang.account.register.password ?><?cs set:Form.labels.password_confirm = Lang.account.register.password_confirm ?><?cs set:Form.labels.language = Lang.account.register.language ?><?cs call:error_summary("") ?>
<form method="post" action="/register" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<label for="full_name"><?cs var:Lang.account.register.full_name ?></label>
<?cs if:Form.errors.full_name ?><p class="error" id="full_name-error"><span class="sr"><?cs var:Lang.account.field_error ?> </span><?cs var:Form.errors.full_name ?></p><?cs /if ?>
<input id="full_name" name="full_name" type="text" autocomplete="name" required maxlength="200" value="<?cs var:Form.full_name ?>"<?cs if:Form.errors.full_name ?> aria-invalid="true" aria-describedby="full_name-error"<?cs /if ?>>
<label for="birth_date"><?cs var:Lang.account.register.birth_date ?></label>
<p class="hint" id="birth_date-hint"><?cs var:Lang.account.register.birth_date_hint ?></p>
<?cs if:Form.errors.birth_date ?><p class="error" id="birth_date-error"><span class="sr"><?cs var:Lang.account.field_error ?> </span><?cs var:Form.errors.birth_date ?></p><?cs /if ?>
<input id="birth_date" name="birth_date" type="date" autocomplete="bday" required min="1900-01-02" value="<?cs var:Form.birth_date ?>"<?cs if:Form.errors.birth_date ?> aria-invalid="true" aria-describedby="birth_date-error birth_date-hint"<?cs else ?> aria-describedby="birth_date-hint"<?cs /if ?>>
<label for="email"><?cs var:Lang.account.register.email ?></label>
<?cs if:Form.errors.email ?><p class="error" id="email-error"><span class="sr"><?cs var:Lang.account.field_error ?> </span><?cs var:Form.errors.email ?></p><?cs /if ?>
<input id="email" name="email" type="email" autocomplete="email" required maxlength="254" value="<?cs var:Form.email ?>"<?cs if:Form.errors.email ?> aria-invalid="true" aria-describedby="email-error"<?cs /if ?>>
<label for="phone"><?cs var:Lang.account.register.phone ?></label>
<p class="hint" id="phone-hint"><?cs var:Lang.account.register.phone_hint ?></p>
<?cs if:Form.errors.phone ?><p class="error" id="phone-error"><span class="sr"><?cs var:Lang.account.field_error ?> </span><?cs var:Form.errors.phone ?></p><?cs /if ?>
<input id="phone" name="phone" type="tel" autocomplete="tel" maxlength="50" value="<?cs var:Form.phone ?>"<?cs if:Form.errors.phone ?> aria-invalid="true" aria-describedby="phone-error phone-hint"<?cs else ?> aria-describedby="phone-hint"<?cs /if ?>>
<label for="password"><?cs var:Lang.account.register.password ?></label>
<p class="hint" id="password-hint"><?cs var:Lang.account.password.hint ?></p>
<?cs if:Form.errors.password ?><p class="error" id="password-error"><span class="sr"><?cs var:Lang.account.field_error ?> </span><?cs var:Form.errors.password ?></p><?cs /if ?>
<input id="password" name="password" type="password" autocomplete="new-password" required<?cs if:Form.errors.password ?> aria-invalid="true" aria-describedby="password-error password-hint"<?cs else ?> aria-describedby="password-hint"<?cs /if ?>>
<label for="password_confirm"><?cs var:Lang.account.register.password_confirm ?></label>
<?cs if:Form.errors.password_confirm ?><p class="error" id="password_confirm-error"><span class="sr"><?cs var:Lang.account.field_error ?> </span><?cs var:Form.errors.password_confirm ?></p><?cs /if ?>
<input id="password_confirm" name="password_confirm" type="password" autocomplete="new-password" required<?cs if:Form.errors.password_confirm ?> aria-invalid="true" aria-describedby="password_confirm-error"<?cs /if ?>>
<label for="language"><?cs var:Lang.account.register.language ?></label>
<?cs if:Form.errors.language ?><p class="error" id="language-error"><span class="sr"><?cs var:Lang.account.field_error ?> </span><?cs var:Form.errors.language ?></p><?cs /if ?>
<select id="language" name="language"<?cs if:Form.errors.language ?> aria-invalid="true" aria-describedby="language-error"<?cs /if ?>>
<option value="es" lang="es"<?cs if:Form.language == "es" ?> selected<?cs /if ?>><?cs var:Lang.account.register.lang_es ?></option>
<option value="en" lang="en"<?cs if:Form.language == "en" ?> selected<?cs /if ?>><?cs var:Lang.account.register.lang_en ?></option>
</select>
<button type="submit" class="primary"><?cs var:Lang.account.register.submit ?></button>
</form>
<p><?cs var:Lang.account.register.have_account ?> <a href="/login"><?cs var:Lang.account.register.sign_in ?></a></p>
