<h1><?cs var:Page.title ?></h1>
<p class="notice-box" role="status"><?cs var:Lang.account.forgot_sent.text ?></p>
<p><?cs var:Lang.account.forgot_sent.text2 ?></p>
<p><a href="/login"><?cs var:Lang.account.forgot_sent.back ?></a></p>
