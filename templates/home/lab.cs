<?cs if:Page.user.role.lab ?>
<section aria-labelledby="h-lab">
<h2 id="h-lab"><?cs var:Lang.home.lab.title ?></h2>
<p><?cs var:Lang.home.lab.empty ?></p>
<p><a href="/lab"><?cs var:Lang.home.lab.open ?></a></p>
</section>
<?cs /if ?>
