<p><a href="/admin/users"><?cs var:Lang.admin.users.title ?></a></p>
<h1><?cs var:Page.title ?></h1>
<p><?cs var:Lang.admin.new.intro ?></p>
<?cs include:"form_errors.cs" ?><?cs set:Form.labels.email = Lang.admin.new.email ?><?cs set:Form.labels.full_name = Lang.admin.new.full_name ?><?cs set:Form.labels.language = Lang.admin.new.language ?><?cs set:Form.labels.role = Lang.admin.new.role ?><?cs set:Form.labels.licence_number = Lang.admin.new.licence_number ?><?cs set:Form.labels.pharmacy_name = Lang.admin.new.pharmacy_name ?><?cs call:error_summary("") ?>
<form method="post" action="/admin/users/new" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<label for="email"><?cs var:Lang.admin.new.email ?></label>
<?cs if:Form.errors.email ?><p class="error" id="email-error"><span class="sr"><?cs var:Lang.admin.field_error ?> </span><?cs var:Form.errors.email ?></p><?cs /if ?>
<input id="email" name="email" type="email" autocomplete="off" required maxlength="254" value="<?cs var:Form.email ?>"<?cs if:Form.errors.email ?> aria-invalid="true" aria-describedby="email-error"<?cs /if ?>>
<label for="full_name"><?cs var:Lang.admin.new.full_name ?></label>
<p class="hint" id="full_name-hint"><?cs var:Lang.admin.new.full_name_hint ?></p>
<?cs if:Form.errors.full_name ?><p class="error" id="full_name-error"><span class="sr"><?cs var:Lang.admin.field_error ?> </span><?cs var:Form.errors.full_name ?></p><?cs /if ?>
<input id="full_name" name="full_name" type="text" autocomplete="off" required maxlength="200" value="<?cs var:Form.full_name ?>"<?cs if:Form.errors.full_name ?> aria-invalid="true" aria-describedby="full_name-error full_name-hint"<?cs else ?> aria-describedby="full_name-hint"<?cs /if ?>>
<label for="language"><?cs var:Lang.admin.new.language ?></label>
<?cs if:Form.errors.language ?><p class="error" id="language-error"><span class="sr"><?cs var:Lang.admin.field_error ?> </span><?cs var:Form.errors.language ?></p><?cs /if ?>
<select id="language" name="language"<?cs if:Form.errors.language ?> aria-invalid="true" aria-describedby="language-error"<?cs /if ?>>
<option value="es" lang="es"<?cs if:Form.language == "es" ?> selected<?cs /if ?>><?cs var:Lang.admin.lang_es ?></option>
<option value="en" lang="en"<?cs if:Form.language == "en" ?> selected<?cs /if ?>><?cs var:Lang.admin.lang_en ?></option>
</select>
<label for="role"><?cs var:Lang.admin.new.role ?></label>
<?cs if:Form.errors.role ?><p class="error" id="role-error"><span class="sr"><?cs var:Lang.admin.field_error ?> </span><?cs var:Form.errors.role ?></p><?cs /if ?>
<select id="role" name="role" required<?cs if:Form.errors.role ?> aria-invalid="true" aria-describedby="role-error"<?cs /if ?>>
<?cs each:o = Data.roles ?><option value="<?cs var:o.code ?>"<?cs if:Form.role == o.code ?> selected<?cs /if ?>><?cs var:o.name ?></option>
<?cs /each ?></select>
<label for="licence_number"><?cs var:Lang.admin.new.licence_number ?></label>
<p class="hint" id="licence_number-hint"><?cs var:Lang.admin.new.licence_hint ?></p>
<?cs if:Form.errors.licence_number ?><p class="error" id="licence_number-error"><span class="sr"><?cs var:Lang.admin.field_error ?> </span><?cs var:Form.errors.licence_number ?></p><?cs /if ?>
<input id="licence_number" name="licence_number" type="text" autocomplete="off" maxlength="50" value="<?cs var:Form.licence_number ?>"<?cs if:Form.errors.licence_number ?> aria-invalid="true" aria-describedby="licence_number-error licence_number-hint"<?cs else ?> aria-describedby="licence_number-hint"<?cs /if ?>>
<label for="pharmacy_name"><?cs var:Lang.admin.new.pharmacy_name ?></label>
<p class="hint" id="pharmacy_name-hint"><?cs var:Lang.admin.new.pharmacy_hint ?></p>
<?cs if:Form.errors.pharmacy_name ?><p class="error" id="pharmacy_name-error"><span class="sr"><?cs var:Lang.admin.field_error ?> </span><?cs var:Form.errors.pharmacy_name ?></p><?cs /if ?>
<input id="pharmacy_name" name="pharmacy_name" type="text" autocomplete="off" maxlength="200" value="<?cs var:Form.pharmacy_name ?>"<?cs if:Form.errors.pharmacy_name ?> aria-invalid="true" aria-describedby="pharmacy_name-error pharmacy_name-hint"<?cs else ?> aria-describedby="pharmacy_name-hint"<?cs /if ?>>
<?cs if:subcount(Data.specialties) ?>
<fieldset aria-describedby="specialties-hint">
<legend><?cs var:Lang.admin.new.specialties ?></legend>
<p class="hint" id="specialties-hint"><?cs var:Lang.admin.new.specialties_hint ?></p>
<?cs each:s = Data.specialties ?><label class="check"><input type="checkbox" name="specialty" value="<?cs var:s.id ?>"<?cs if:s.checked ?> checked<?cs /if ?>> <?cs var:s.name ?></label>
<?cs /each ?></fieldset>
<?cs /if ?>
<button type="submit" class="primary"><?cs var:Lang.admin.new.submit ?></button>
</form>
