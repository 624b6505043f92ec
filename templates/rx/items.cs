<?cs if:subcount(Data.items) == 0 ?><p><?cs var:Lang.rx.write.page.no_items ?></p><?cs else ?>
<ol class="rx-items">
<?cs each:i = Data.items ?><li><strong><?cs var:i.name ?></strong><br><?cs var:i.text ?><br><span class="muted"><?cs var:i.quantity ?><?cs if:i.refills > 0 ?> · <?cs var:i.refills ?> <?cs var:Lang.rx.write.page.refills ?><?cs /if ?></span>
<?cs if:Data.rx.signed_at ?><br><span><?cs var:Lang.rx.write.page.dispensed ?> <?cs var:i.dispensed ?> <?cs var:Lang.rx.write.page.of ?> <?cs var:i.allowed ?>; <?cs var:i.remaining ?> <?cs var:Lang.rx.write.page.remaining ?><?cs if:i.last_at ?> (<?cs var:Lang.rx.write.page.last ?> <?cs var:i.last_by ?>, <?cs var:i.last_at ?>)<?cs /if ?></span><?cs /if ?>
<?cs if:Data.editable ?><form method="post" action="/patients/<?cs var:Data.patient.id ?>/rx/<?cs var:Data.rx.id ?>/items/<?cs var:i.line ?>/remove"><input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>"><button type="submit"><?cs var:Lang.rx.write.page.remove ?> <span class="sr"><?cs var:i.name ?></span></button></form><?cs /if ?></li>
<?cs /each ?></ol>
<?cs /if ?>
