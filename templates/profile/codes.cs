<h1><?cs var:Page.title ?></h1>
<?cs if:Data.why == "enabled" ?><p class="notice-box" role="status"><?cs var:Lang.profile.codes.enabled ?></p><?cs /if ?>
<p class="alert-box" role="alert"><?cs var:Lang.profile.codes.warning ?></p>
<ol class="codes">
<?cs each:c = Data.codes ?><li><code><?cs var:c ?></code></li>
<?cs /each ?></ol>
<p><?cs var:Lang.profile.codes.how ?></p>
<p><a href="/profile"><?cs var:Lang.profile.codes.continue ?></a></p>
