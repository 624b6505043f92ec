<h1><?cs var:Page.title ?></h1>
<?cs if:Data.done ?><p class="notice-box" role="status"><?cs var:Data.done ?></p><?cs /if ?>
<?cs if:!Data.alert.acknowledged ?><p class="alert-box" role="alert"><strong><?cs var:Lang.lab.critical.urgent ?></strong> <?cs var:Lang.lab.critical.explain ?></p><?cs /if ?>
<dl class="contact">
<dt><?cs var:Lang.lab.entry.patient ?></dt><dd><a href="/patients/<?cs var:Data.alert.patient_id ?>"><?cs var:Data.alert.patient ?></a></dd>
<dt><?cs var:Lang.lab.entry.order ?></dt><dd><?cs var:Data.alert.code ?></dd>
<dt><?cs var:Lang.lab.entry.test ?></dt><dd><?cs var:Data.alert.analyte ?></dd>
<dt><?cs var:Lang.lab.entry.value ?></dt><dd><strong><?cs var:Data.alert.value ?> <?cs var:Data.alert.unit ?></strong> · <strong><?cs var:Data.alert.flag_text ?></strong></dd>
<dt><?cs var:Lang.lab.critical.limits ?></dt><dd><?cs if:Data.alert.critical_low ?>≤ <?cs var:Data.alert.critical_low ?><?cs /if ?><?cs if:Data.alert.critical_low && Data.alert.critical_high ?> · <?cs /if ?><?cs if:Data.alert.critical_high ?>≥ <?cs var:Data.alert.critical_high ?><?cs /if ?> <?cs var:Data.alert.unit ?></dd>
<dt><?cs var:Lang.lab.critical.notified ?></dt><dd><?cs var:Data.alert.notified ?></dd>
<?cs if:Data.alert.escalated ?><dt><?cs var:Lang.lab.critical.escalated ?></dt><dd><?cs var:Data.alert.escalated ?></dd><?cs /if ?>
<?cs if:Data.alert.acknowledged ?><dt><?cs var:Lang.lab.critical.acknowledged ?></dt><dd><?cs var:Data.alert.acknowledged ?></dd><?cs /if ?>
</dl>
<?cs if:!Data.alert.acknowledged ?><form method="post" action="/lab/critical/<?cs var:Data.alert.id ?>/ack" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<button type="submit" class="primary"><?cs var:Lang.lab.critical.ack ?></button>
</form><?cs /if ?>
<p><a href="/lab/critical"><?cs var:Lang.lab.critical.back ?></a></p>
