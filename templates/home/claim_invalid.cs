<h1><?cs var:Page.title ?></h1>
<p class="alert-box"><?cs var:Lang.home.claim.invalid_text ?></p>
<p><a href="/login"><?cs var:Lang.account.link_invalid.sign_in ?></a></p>
