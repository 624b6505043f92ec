<h1><?cs var:Page.title ?></h1>
<?cs if:Data.kind == "reset" ?>
<p class="alert-box"><?cs var:Lang.account.link_invalid.reset_text ?></p>
<p><a href="/password/forgot"><?cs var:Lang.account.link_invalid.reset_again ?></a></p>
<?cs else ?>
<p class="alert-box"><?cs var:Lang.account.link_invalid.verify_text ?></p>
<p><?cs var:Lang.account.link_invalid.verify_again ?></p>
<?cs /if ?>
<p><a href="/login"><?cs var:Lang.account.link_invalid.sign_in ?></a></p>
