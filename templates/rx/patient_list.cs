<h1><?cs var:Page.title ?>: <?cs var:Data.patient.name ?></h1>
<?cs if:subcount(Data.list) == 0 ?><p><?cs var:Lang.rx.write.patient_list.none ?></p><?cs else ?>
<ul class="doctors">
<?cs each:x = Data.list ?><li><a href="/patients/<?cs var:Data.patient.id ?>/rx/<?cs var:x.id ?>"><?cs var:x.code ?></a> · <?cs var:x.created ?> · <strong class="rx-status rx-<?cs var:x.status ?>"><?cs var:x.status_text ?></strong><br><span class="muted"><?cs var:x.products ?> · <?cs var:x.prescriber ?><?cs if:x.expires ?> · <?cs var:Lang.rx.write.page.valid ?> <?cs var:x.issued ?> <?cs var:Lang.rx.write.page.valid_to ?> <?cs var:x.expires ?><?cs /if ?></span></li>
<?cs /each ?></ul>
<?cs /if ?>
<p><a href="/patients/<?cs var:Data.patient.id ?>/record"><?cs var:Lang.record.summary.title ?></a></p>
