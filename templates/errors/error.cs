<section class="error">
<h1><?cs var:Page.title ?></h1>
<p><?cs var:Page.error_text ?></p>
<p class="muted"><?cs var:Lang.error.request_id ?> <code><?cs var:Page.request_id ?></code></p>
<p><a href="/"><?cs var:Lang.error.home_link ?></a></p>
</section>
