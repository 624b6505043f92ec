<h1><?cs var:Page.title ?></h1>
<?cs if:subcount(Data.list) == 0 ?><p><?cs var:Lang.lab.critical.none ?></p><?cs else ?>
<ul class="doctors">
<?cs each:c = Data.list ?><li><a href="/lab/critical/<?cs var:c.id ?>"><?cs var:c.analyte ?> · <?cs var:c.patient ?></a><br><span class="muted"><?cs var:Lang.lab.critical.notified ?> <?cs var:c.notified ?> · <?cs if:c.acknowledged ?><?cs var:Lang.lab.critical.acknowledged ?> <?cs var:c.acknowledged ?><?cs else ?><strong><?cs var:Lang.lab.critical.open ?></strong><?cs /if ?><?cs if:c.escalated ?> · <?cs var:Lang.lab.critical.escalated ?> <?cs var:c.escalated ?><?cs /if ?></span></li>
<?cs /each ?></ul><?cs /if ?>
