<h1><?cs var:Page.title ?></h1>
<?cs if:Data.staff ?><p><?cs var:Lang.care.assign.patient ?>: <strong><?cs var:Data.patient.name ?></strong></p><?cs /if ?>
<p><?cs var:Lang.care.access.intro ?></p>
<?cs if:subcount(Data.events) ?>
<ul class="doctors">
<?cs each:e = Data.events ?><li><strong><?cs var:e.at ?></strong> · <?cs var:e.who ?><?cs if:e.role ?> (<?cs var:e.role ?>)<?cs /if ?><br>
<?cs var:e.what ?><?cs if:e.refused ?> · <strong><?cs var:Lang.care.access.refused ?></strong><?cs /if ?>
<?cs if:e.reason ?><br><span class="muted"><?cs var:Lang.care.access.break_glass ?>:</span> <?cs var:e.reason ?> (<?cs var:Lang.care.report.until ?> <?cs var:e.until ?>)<?cs /if ?></li>
<?cs /each ?></ul>
<?cs else ?>
<p><?cs var:Lang.care.access.none ?></p>
<?cs /if ?>
<?cs include:"record/care_pager.cs" ?>
