<h1><?cs var:Page.title ?></h1>
<?cs include:"form_errors.cs" ?><?cs call:error_summary("") ?>
<?cs if:Data.patient.id ?><p class="notice-box"><?cs var:Lang.appointments.for_patient ?> <strong><?cs var:Data.patient.name ?></strong> (<?cs var:Data.patient.email ?>)</p><?cs /if ?>
<dl class="contact">
<dt><?cs var:Lang.appointments.field.doctor ?></dt><dd><?cs var:Data.doctor.name ?></dd>
<dt><?cs var:Lang.appointments.field.when ?></dt><dd><?cs var:Data.slot.when ?> – <?cs var:Data.slot.until ?></dd>
<dt><?cs var:Lang.appointments.field.mode ?></dt><dd><?cs var:Data.slot.mode ?></dd>
<?cs if:Data.slot.location ?><dt><?cs var:Lang.appointments.field.location ?></dt><dd><?cs var:Data.slot.location ?></dd><?cs /if ?>
</dl>
<form method="post" action="/appointments" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<input type="hidden" name="doctor" value="<?cs var:Data.doctor.id ?>">
<input type="hidden" name="start" value="<?cs var:Data.slot.epoch ?>">
<input type="hidden" name="key" value="<?cs var:Data.key ?>">
<?cs if:Data.patient.id ?><input type="hidden" name="patient" value="<?cs var:Data.patient.id ?>"><?cs /if ?>
<?cs if:Data.slot.inside_cutoff ?><p class="warn-box" role="note"><?cs var:Lang.appointments.confirm.inside_cutoff ?> <?cs var:Data.slot.inside_cutoff ?>.</p><?cs /if ?>
<label for="reason"><?cs var:Lang.appointments.field.reason ?></label>
<p class="hint" id="reason-hint"><?cs var:Lang.appointments.confirm.reason_hint ?></p>
<textarea id="reason" name="reason" rows="4" maxlength="500" aria-describedby="reason-hint"><?cs var:Data.reason ?></textarea>
<button type="submit" class="primary"><?cs var:Lang.appointments.confirm.submit ?></button>
</form>
<p><a href="/doctors/<?cs var:Data.doctor.id ?><?cs if:Data.patient.id ?>?patient=<?cs var:Data.patient.id ?><?cs /if ?>"><?cs var:Lang.appointments.confirm.other ?></a></p>
