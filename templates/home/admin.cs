<?cs if:Home.health.shown ?>
<section aria-labelledby="h-admin">
<h2 id="h-admin"><?cs var:Lang.home.admin.title ?></h2>
<?cs each:h = Home.health.rows ?>
<dl class="summary">
<div><dt><a href="/admin/users"><?cs var:Lang.home.admin.users ?></a></dt><dd><?cs var:h.users ?><?cs if:h.disabled > 0 ?> (<?cs var:Lang.home.admin.disabled ?>: <?cs var:h.disabled ?>)<?cs /if ?></dd></div>
<div><dt><a href="/admin/outbox"><?cs var:Lang.home.admin.outbox ?></a></dt><dd><?cs if:h.dead > 0 || h.late > 0 ?><strong><?cs var:Lang.home.admin.outbox_bad ?></strong><?cs else ?><?cs var:Lang.home.admin.outbox_ok ?><?cs /if ?>: <?cs var:Lang.home.admin.pending ?> <?cs var:h.pending ?>, <?cs var:Lang.home.admin.late ?> <?cs var:h.late ?>, <?cs var:Lang.home.admin.dead ?> <?cs var:h.dead ?></dd></div>
<div><dt><a href="/admin/audit"><?cs var:Lang.home.admin.audit ?></a></dt><dd><?cs var:Lang.home.admin.audit_text ?></dd></div>
</dl>
<?cs /each ?>
</section>
<?cs /if ?>
