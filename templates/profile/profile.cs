<h1><?cs var:Page.title ?></h1>
<?cs if:Data.done == "saved" ?><p class="notice-box" role="status"><?cs var:Lang.profile.done.saved ?></p>
<?cs elif:Data.done == "password" ?><p class="notice-box" role="status"><?cs var:Lang.profile.done.password ?></p>
<?cs elif:Data.done == "email_sent" ?><p class="notice-box" role="status"><?cs var:Lang.profile.done.email_sent ?></p>
<?cs /if ?>
<section aria-labelledby="account-heading">
<h2 id="account-heading"><?cs var:Lang.profile.account ?></h2>
<dl class="contact">
<dt><?cs var:Lang.profile.email ?></dt>
<dd><?cs var:Data.email ?> <span class="muted">(<?cs if:Data.email_verified == "1" ?><?cs var:Lang.profile.verified ?><?cs else ?><?cs var:Lang.profile.not_verified ?><?cs /if ?>)</span><br><a href="/profile/email"><?cs var:Lang.profile.change_email ?></a></dd>
<dt><?cs var:Lang.profile.password_label ?></dt>
<dd><a href="/profile/password"><?cs var:Lang.profile.change_password ?></a></dd>
<dt><?cs var:Lang.profile.mfa_label ?></dt>
<dd><?cs if:Data.mfa_enabled == "1" ?><?cs var:Lang.profile.mfa_on ?><br><a href="/account/2fa"><?cs var:Lang.profile.mfa_manage ?></a><?cs else ?><?cs var:Lang.profile.mfa_off ?><br><a href="/account/2fa"><?cs var:Lang.profile.mfa_setup ?></a><?cs /if ?></dd>
<dt><?cs var:Lang.profile.sessions_label ?></dt>
<dd><a href="/profile/sessions"><?cs var:Lang.profile.sessions_link ?></a></dd>
</dl>
</section>
<section aria-labelledby="details-heading">
<h2 id="details-heading"><?cs var:Lang.profile.edit.heading ?></h2>
<?cs include:"form_errors.cs" ?><?cs set:Form.labels.full_name = Lang.profile.edit.full_name ?><?cs set:Form.labels.phone = Lang.profile.edit.phone ?><?cs set:Form.labels.language = Lang.profile.edit.language ?><?cs set:Form.labels.time_zone = Lang.profile.edit.time_zone ?><?cs call:error_summary("") ?>
<form method="post" action="/profile" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<label for="full_name"><?cs var:Lang.profile.edit.full_name ?></label>
<?cs if:Form.errors.full_name ?><p class="error" id="full_name-error"><?cs var:Form.errors.full_name ?></p><?cs /if ?>
<input id="full_name" name="full_name" autocomplete="name" required maxlength="200" value="<?cs var:Form.full_name ?>"<?cs if:Form.errors.full_name ?> aria-invalid="true" aria-describedby="full_name-error"<?cs /if ?>>
<label for="phone"><?cs var:Lang.profile.edit.phone ?></label>
<p class="hint" id="phone-hint"><?cs var:Lang.profile.edit.phone_hint ?></p>
<?cs if:Form.errors.phone ?><p class="error" id="phone-error"><?cs var:Form.errors.phone ?></p><?cs /if ?>
<input id="phone" name="phone" type="tel" autocomplete="tel" maxlength="50" value="<?cs var:Form.phone ?>"<?cs if:Form.errors.phone ?> aria-invalid="true" aria-describedby="phone-error phone-hint"<?cs else ?> aria-describedby="phone-hint"<?cs /if ?>>
<label for="language"><?cs var:Lang.profile.edit.language ?></label>
<?cs if:Form.errors.language ?><p class="error" id="language-error"><?cs var:Form.errors.language ?></p><?cs /if ?>
<select id="language" name="language"<?cs if:Form.errors.language ?> aria-invalid="true" aria-describedby="language-error"<?cs /if ?>>
<option value="es" lang="es"<?cs if:Form.language == "es" ?> selected<?cs /if ?>><?cs var:Lang.profile.edit.lang_es ?></option>
<option value="en" lang="en"<?cs if:Form.language == "en" ?> selected<?cs /if ?>><?cs var:Lang.profile.edit.lang_en ?></option>
</select>
<label for="time_zone"><?cs var:Lang.profile.edit.time_zone ?></label>
<?cs if:Form.errors.time_zone ?><p class="error" id="time_zone-error"><?cs var:Form.errors.time_zone ?></p><?cs /if ?>
<select id="time_zone" name="time_zone"<?cs if:Form.errors.time_zone ?> aria-invalid="true" aria-describedby="time_zone-error"<?cs /if ?>>
<?cs each:z = Data.zones ?><option value="<?cs var:z ?>"<?cs if:z == Form.time_zone ?> selected<?cs /if ?>><?cs var:z ?></option>
<?cs /each ?></select>
<?cs if:Data.asks_sex ?><label for="sex"><?cs var:Lang.profile.edit.sex ?></label>
<p class="hint" id="sex-hint"><?cs var:Lang.profile.edit.sex_hint ?></p>
<select id="sex" name="sex" aria-describedby="sex-hint">
<option value=""><?cs var:Lang.profile.edit.sex_unknown ?></option>
<option value="female"<?cs if:Form.sex == "female" ?> selected<?cs /if ?>><?cs var:Lang.profile.edit.sex_female ?></option>
<option value="male"<?cs if:Form.sex == "male" ?> selected<?cs /if ?>><?cs var:Lang.profile.edit.sex_male ?></option>
</select>
<?cs /if ?><button type="submit" class="primary"><?cs var:Lang.profile.edit.submit ?></button>
</form>
</section>
