<h1><?cs var:Page.title ?></h1>
<?cs if:subcount(Data.list) == 0 ?><p><?cs var:Lang.rx.write.mine.none ?></p><?cs else ?>
<ul class="doctors">
<?cs each:x = Data.list ?><li><a href="/prescriptions/<?cs var:x.id ?>"><?cs var:x.products ?></a><br><strong class="rx-status rx-<?cs var:x.status ?>"><?cs var:x.status_text ?></strong> · <?cs var:x.prescriber ?> · <?cs var:Lang.rx.write.mine.valid ?> <?cs var:x.issued ?> <?cs var:Lang.rx.write.page.valid_to ?> <?cs var:x.expires ?></li>
<?cs /each ?></ul>
<?cs /if ?>
<p><a href="/record"><?cs var:Lang.record.summary.title ?></a></p>
