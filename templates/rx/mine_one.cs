<h1><?cs var:Page.title ?> <?cs var:Data.rx.code ?></h1>
<p class="rx-status rx-<?cs var:Data.rx.status ?>"><strong><?cs var:Data.rx.status_text ?></strong></p>
<dl class="contact">
<dt><?cs var:Lang.rx.write.page.prescriber ?></dt><dd><?cs var:Data.rx.prescriber ?></dd>
<dt><?cs var:Lang.rx.write.mine.valid ?></dt><dd><?cs var:Data.rx.issued ?> <?cs var:Lang.rx.write.page.valid_to ?> <?cs var:Data.rx.expires ?></dd>
<?cs if:Data.rx.cancelled_at ?><dt><?cs var:Lang.rx.write.page.cancelled ?></dt><dd><?cs var:Data.rx.cancelled_at ?></dd><?cs /if ?>
</dl>
<h2><?cs var:Lang.rx.write.page.items ?></h2>
<?cs include:"rx/items.cs" ?>
<?cs if:Data.rx.status == "active" || Data.rx.status == "partly_dispensed" ?><p><?cs var:Lang.rx.write.mine.show ?> <strong class="rx-code"><?cs var:Data.rx.code ?></strong></p><?cs /if ?>
<p><a class="button primary" href="/prescriptions/<?cs var:Data.rx.id ?>.pdf"><?cs var:Lang.rx.write.mine.pdf ?></a></p>
<p><a href="/prescriptions"><?cs var:Lang.rx.write.mine.title ?></a></p>
