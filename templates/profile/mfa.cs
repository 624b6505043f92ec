<h1><?cs var:Page.title ?></h1>
<?cs if:Data.done == "disabled" ?><p class="notice-box" role="status"><?cs var:Lang.profile.mfa.done_disabled ?></p><?cs /if ?>
<p><?cs var:Lang.profile.mfa.intro ?></p>
<?cs if:Data.mfa_enabled == "1" ?>
<p class="notice-box"><?cs var:Lang.profile.mfa.is_on ?></p>
<p><?cs var:Lang.profile.mfa.codes_left ?> <strong><?cs var:Data.codes_left ?></strong></p>
<h2><?cs var:Lang.profile.mfa.renew_heading ?></h2>
<p><?cs var:Lang.profile.mfa.renew_text ?></p>
<form method="post" action="/account/2fa/recovery-codes" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<button type="submit" class="primary"><?cs var:Lang.profile.mfa.renew ?></button>
</form>
<?cs if:Data.staff ?>
<p class="muted"><?cs var:Lang.profile.mfa.staff_keep ?></p>
<?cs else ?>
<h2><?cs var:Lang.profile.mfa.disable_heading ?></h2>
<p><?cs var:Lang.profile.mfa.disable_text ?></p>
<form method="post" action="/account/2fa/disable" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<button type="submit" class="primary"><?cs var:Lang.profile.mfa.disable ?></button>
</form>
<?cs /if ?>
<?cs else ?>
<?cs if:Data.staff ?><p class="alert-box" role="alert"><?cs var:Lang.profile.mfa.staff_required ?></p><?cs /if ?>
<ol>
<li><?cs var:Lang.profile.mfa.step_app ?></li>
<li><?cs var:Lang.profile.mfa.step_scan ?>
<div class="qr"><?cs escape: "none" ?><?cs var:Data.qr_svg ?><?cs /escape ?></div>
<p><?cs var:Lang.profile.mfa.step_key ?><br><code class="secret"><?cs var:Data.secret ?></code></p></li>
<li><?cs var:Lang.profile.mfa.step_code ?></li>
</ol>
<?cs include:"form_errors.cs" ?><?cs set:Form.labels.code = Lang.profile.mfa.code ?><?cs call:error_summary("") ?>
<form method="post" action="/account/2fa/confirm" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<label for="code"><?cs var:Lang.profile.mfa.code ?></label>
<?cs if:Form.errors.code ?><p class="error" id="code-error"><?cs var:Form.errors.code ?></p><?cs /if ?>
<input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required maxlength="7"<?cs if:Form.errors.code ?> aria-invalid="true" aria-describedby="code-error"<?cs /if ?>>
<button type="submit" class="primary"><?cs var:Lang.profile.mfa.confirm ?></button>
</form>
<?cs /if ?>
<?cs if:!Data.staff || Data.mfa_enabled == "1" ?><p><a href="/profile"><?cs var:Lang.profile.back ?></a></p><?cs /if ?>
