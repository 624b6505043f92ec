<section class="error">
<h1><?cs var:Page.title ?></h1>
<p><?cs var:Page.error_text ?></p>
<?cs if:Page.break_glass_url ?><p><?cs var:Lang.care.no_relationship ?></p>
<p><a href="<?cs var:Page.break_glass_url ?>"><?cs var:Lang.care.break_glass_link ?></a></p><?cs /if ?>
<p class="muted"><?cs var:Lang.error.request_id ?> <code><?cs var:Page.request_id ?></code></p>
<p><a href="/"><?cs var:Lang.error.home_link ?></a></p>
</section>
