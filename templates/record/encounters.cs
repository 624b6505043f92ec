<h1><?cs var:Page.title ?>: <?cs var:Data.patient.name ?></h1>
<p><a href="/patients/<?cs var:Data.patient.id ?>/encounters/new"><?cs var:Lang.notes.list.new ?></a></p>
<?cs if:subcount(Data.encounters) == 0 ?><p><?cs var:Lang.notes.list.none ?></p><?cs else ?>
<ul class="doctors">
<?cs each:e = Data.encounters ?><li><a href="/patients/<?cs var:Data.patient.id ?>/encounters/<?cs var:e.id ?>"><?cs var:e.started ?> · <?cs var:e.doctor ?></a><br><span class="muted"><?cs var:e.kind ?> · <?cs var:e.state ?><?cs if:e.addenda ?> · <?cs var:e.addenda ?> <?cs var:Lang.notes.list.addenda ?><?cs /if ?></span></li>
<?cs /each ?></ul>
<?cs /if ?>
