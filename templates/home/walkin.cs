<h1><?cs var:Page.title ?></h1>
<p><?cs var:Lang.home.walkin.intro ?></p>
<?cs include:"form_errors.cs" ?><?cs call:error_summary("") ?>
<form method="post" action="/reception/walk-in" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<label for="full_name"><?cs var:Lang.account.register.full_name ?></label>
<?cs if:Form.errors.full_name ?><p class="error" id="full_name-error"><?cs var:Form.errors.full_name ?></p><?cs /if ?>
<input id="full_name" name="full_name" type="text" autocomplete="off" required maxlength="200" value="<?cs var:Form.full_name ?>"<?cs if:Form.errors.full_name ?> aria-invalid="true" aria-describedby="full_name-error"<?cs /if ?>>
<label for="birth_date"><?cs var:Lang.account.register.birth_date ?></label>
<p class="hint" id="birth_date-hint"><?cs var:Lang.account.register.birth_date_hint ?></p>
<?cs if:Form.errors.birth_date ?><p class="error" id="birth_date-error"><?cs var:Form.errors.birth_date ?></p><?cs /if ?>
<input id="birth_date" name="birth_date" type="date" required min="1900-01-02" value="<?cs var:Form.birth_date ?>"<?cs if:Form.errors.birth_date ?> aria-invalid="true" aria-describedby="birth_date-error birth_date-hint"<?cs else ?> aria-describedby="birth_date-hint"<?cs /if ?>>
<label for="phone"><?cs var:Lang.account.register.phone ?></label>
<?cs if:Form.errors.phone ?><p class="error" id="phone-error"><?cs var:Form.errors.phone ?></p><?cs /if ?>
<input id="phone" name="phone" type="tel" autocomplete="off" maxlength="50" value="<?cs var:Form.phone ?>"<?cs if:Form.errors.phone ?> aria-invalid="true" aria-describedby="phone-error"<?cs /if ?>>
<label for="language"><?cs var:Lang.account.register.language ?></label>
<select id="language" name="language">
<option value="es" lang="es"<?cs if:Form.language == "es" ?> selected<?cs /if ?>><?cs var:Lang.account.register.lang_es ?></option>
<option value="en" lang="en"<?cs if:Form.language == "en" ?> selected<?cs /if ?>><?cs var:Lang.account.register.lang_en ?></option>
</select>
<label for="email"><?cs var:Lang.home.walkin.email ?></label>
<p class="hint" id="email-hint"><?cs var:Lang.home.walkin.email_hint ?></p>
<?cs if:Form.errors.email ?><p class="error" id="email-error"><?cs var:Form.errors.email ?></p><?cs /if ?>
<input id="email" name="email" type="email" autocomplete="off" maxlength="254" value="<?cs var:Form.email ?>"<?cs if:Form.errors.email ?> aria-invalid="true" aria-describedby="email-error email-hint"<?cs else ?> aria-describedby="email-hint"<?cs /if ?>>
<button type="submit" class="primary"><?cs var:Lang.home.walkin.submit ?></button>
</form>
