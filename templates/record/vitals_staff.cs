<h2 id="recent"><?cs var:Lang.vitals.recent ?></h2>
<?cs if:subcount(Data.recent) == 0 ?><p><?cs var:Lang.vitals.none ?></p><?cs else ?>
<ul class="vitals">
<?cs each:x = Data.recent ?><li><a href="<?cs var:x.href ?>"><?cs var:x.taken ?></a><?cs if:x.error ?> <strong><?cs var:Lang.vitals.entered_in_error ?></strong><?cs elif:x.corrected ?> <span class="muted"><?cs var:Lang.vitals.corrected ?></span><?cs /if ?>:
<?cs if:x.systolic ?> <?cs var:x.systolic ?>/<?cs var:x.diastolic ?> <?cs var:Lang.vitals.f.systolic.unit ?>;<?cs /if ?><?cs if:x.heart_rate ?> <?cs var:x.heart_rate ?> <?cs var:Lang.vitals.f.heart_rate.unit ?>;<?cs /if ?><?cs if:x.temperature ?> <?cs var:x.temperature ?> <?cs var:Lang.vitals.f.temperature.unit ?>;<?cs /if ?><?cs if:x.weight ?> <?cs var:x.weight ?> <?cs var:Lang.vitals.f.weight.unit ?>;<?cs /if ?><?cs if:x.height ?> <?cs var:x.height ?> <?cs var:Lang.vitals.f.height.unit ?>;<?cs /if ?><?cs if:x.spo2 ?> <?cs var:Lang.vitals.f.spo2.short ?> <?cs var:x.spo2 ?> %;<?cs /if ?><?cs if:x.glucose ?> <?cs var:Lang.vitals.f.glucose.short ?> <?cs var:x.glucose ?> <?cs var:Lang.vitals.f.glucose.unit ?>;<?cs /if ?></li>
<?cs /each ?></ul>
<?cs /if ?>

<h2 id="new"><?cs var:Lang.vitals.add ?></h2>
<p class="hint"><?cs var:Lang.vitals.add_hint ?></p>
<form method="post" action="<?cs var:Data.base ?>#new" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<?cs include:"record/vitals_fields.cs" ?>
<button type="submit" class="primary"><?cs var:Lang.vitals.save ?></button>
</form>
