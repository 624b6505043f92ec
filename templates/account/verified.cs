<h1><?cs var:Page.title ?></h1>
<p class="notice-box" role="status"><?cs var:Lang.account.verified.text ?></p>
<?cs if:Data.signed_in ?>
<p><a href="/"><?cs var:Lang.account.verified.home ?></a></p>
<?cs else ?>
<p><a href="/login"><?cs var:Lang.account.verified.sign_in ?></a></p>
<?cs /if ?>
