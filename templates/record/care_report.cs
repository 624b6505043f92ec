<p><a href="/admin"><?cs var:Lang.admin.index.title ?></a></p>
<h1><?cs var:Page.title ?></h1>
<p><?cs var:Lang.care.report.intro ?></p>
<?cs if:subcount(Data.grants) ?>
<ul class="doctors">
<?cs each:g = Data.grants ?><li><strong><?cs var:g.started ?></strong> · <a href="/admin/users/<?cs var:g.doctor_id ?>"><?cs var:g.doctor ?></a> → <?cs var:g.patient ?> (<?cs var:Lang.care.report.patient_id ?> <?cs var:g.patient_id ?>)<br>
<?cs var:Lang.care.report.until ?> <?cs var:g.until ?><?cs if:g.active ?> · <strong><?cs var:Lang.care.report.active ?></strong><?cs /if ?><br>
<span class="muted"><?cs var:Lang.care.report.reason ?>:</span> <?cs var:g.reason ?></li>
<?cs /each ?></ul>
<?cs else ?>
<p><?cs var:Lang.care.report.none ?></p>
<?cs /if ?>
<?cs include:"record/care_pager.cs" ?>
