<h1><?cs var:Page.title ?></h1>
<p class="alert-box" role="alert"><?cs var:Lang.account.throttled.text ?> <?cs var:Lang.account.throttled.wait ?> <strong><?cs var:Data.wait ?></strong>.</p>
<p><a href="/login"><?cs var:Lang.account.throttled.back ?></a></p>
