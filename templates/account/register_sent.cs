<h1><?cs var:Page.title ?></h1>
<p class="notice-box" role="status"><?cs var:Lang.account.register_sent.text ?></p>
<p><?cs var:Lang.account.register_sent.text2 ?></p>
<p><a href="/login"><?cs var:Lang.account.register_sent.sign_in ?></a></p>
<p><a href="/password/forgot"><?cs var:Lang.account.register_sent.forgot ?></a></p>
