<h1><?cs var:Page.title ?></h1>
<?cs include:"form_errors.cs" ?><?cs call:error_summary("") ?>
<?cs if:Data.state == "ask" ?>
<p><?cs var:Lang.profile.confirm.ask ?> <strong><?cs var:Data.new_email ?></strong></p>
<form method="post" action="/profile/email/confirm" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<input type="hidden" name="token" value="<?cs var:Data.token ?>">
<button type="submit" class="primary"><?cs var:Lang.profile.confirm.submit ?></button>
</form>
<?cs elif:Data.state == "done" ?>
<p class="notice-box" role="status"><?cs var:Lang.profile.confirm.done ?></p>
<p><?cs if:Page.user.signed_in ?><a href="/profile"><?cs var:Lang.profile.back ?></a><?cs else ?><a href="/login"><?cs var:Lang.profile.confirm.sign_in ?></a><?cs /if ?></p>
<?cs elif:Data.state == "taken" ?>
<p class="alert-box" role="alert"><?cs var:Lang.profile.confirm.taken ?></p>
<?cs else ?>
<p class="alert-box" role="alert"><?cs var:Lang.profile.confirm.invalid ?></p>
<p><?cs if:Page.user.signed_in ?><a href="/profile/email"><?cs var:Lang.profile.confirm.again ?></a><?cs else ?><a href="/"><?cs var:Lang.error.home_link ?></a><?cs /if ?></p>
<?cs /if ?>
