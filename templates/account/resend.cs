<h1><?cs var:Page.title ?></h1>
<?cs include:"form_errors.cs" ?><?cs call:error_summary("") ?>
<?cs if:Data.verified ?>
<p class="notice-box" role="status"><?cs var:Lang.account.resend.verified ?></p>
<p><a href="/"><?cs var:Lang.account.resend.home ?></a></p>
<?cs else ?>
<?cs if:Data.status == "sent" ?><p class="notice-box" role="status"><?cs var:Lang.account.resend.sent ?></p><?cs /if ?>
<?cs if:Data.status == "wait" ?><p class="alert-box" role="status"><?cs var:Lang.account.resend.wait ?></p><?cs /if ?>
<p><?cs var:Lang.account.resend.text ?> <strong><?cs var:Data.email ?></strong></p>
<form method="post" action="/verify/resend" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<button type="submit" class="primary"><?cs var:Lang.account.resend.submit ?></button>
</form>
<?cs /if ?>
