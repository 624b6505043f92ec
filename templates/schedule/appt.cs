<h1><?cs var:Page.title ?></h1>
<dl class="contact">
<dt><?cs var:Lang.appointments.field.patient ?></dt><dd><?cs var:Data.appt.patient ?></dd>
<dt><?cs var:Lang.appointments.field.when ?></dt><dd><?cs var:Data.day_label ?>, <?cs var:Data.appt.start ?>–<?cs var:Data.appt.end ?></dd>
<dt><?cs var:Lang.appointments.field.mode ?></dt><dd><?cs var:Data.appt.mode ?></dd>
<?cs if:Data.appt.location ?><dt><?cs var:Lang.appointments.field.location ?></dt><dd><?cs var:Data.appt.location ?></dd><?cs /if ?>
<dt><?cs var:Lang.appointments.field.reason ?></dt><dd><?cs if:Data.appt.reason ?><?cs var:Data.appt.reason ?><?cs else ?>—<?cs /if ?></dd>
<dt><?cs var:Lang.appointments.field.status ?></dt><dd><?cs var:Data.appt.status_text ?><?cs if:Data.appt.cancel_reason ?> (<?cs var:Data.appt.cancel_reason ?>)<?cs /if ?></dd>
</dl>
<?cs if:Data.appt.call ?><p><a class="button primary" href="/appointments/<?cs var:Data.appt.id ?>/call"><?cs var:Lang.tele.join_link ?></a></p><?cs /if ?>
<?cs if:Data.appt.due ?>
<form method="post" action="/agenda/<?cs var:Data.appt.id ?>/status" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<fieldset><legend><?cs var:Lang.appointments.show.mark ?></legend>
<button type="submit" name="status" value="completed" class="primary"><?cs var:Lang.appointments.status.completed ?></button>
<button type="submit" name="status" value="no_show" class="danger"><?cs var:Lang.appointments.status.no_show ?></button>
</fieldset>
</form>
<?cs /if ?>
<?cs if:Data.appt.booked ?>
<h2><?cs var:Lang.schedule.agenda.cancel ?></h2>
<?cs include:"form_errors.cs" ?><?cs set:Form.labels.reason = Lang.schedule.agenda.cancel_label ?><?cs call:error_summary("") ?>
<form method="post" action="/agenda/<?cs var:Data.appt.id ?>/cancel" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<label for="reason"><?cs var:Lang.schedule.agenda.cancel_label ?></label>
<?cs if:Form.errors.reason ?><p class="error" id="reason-error"><?cs var:Form.errors.reason ?></p><?cs /if ?>
<textarea id="reason" name="reason" rows="3" maxlength="500" required<?cs if:Form.errors.reason ?> aria-invalid="true" aria-describedby="reason-error"<?cs /if ?>><?cs var:Form.reason ?></textarea>
<button type="submit" class="danger"><?cs var:Lang.schedule.agenda.cancel ?></button>
</form>
<?cs /if ?>
<?cs if:Data.appt.encounter ?><p><a href="/patients/<?cs var:Data.appt.patient_id ?>/encounters/<?cs var:Data.appt.encounter ?>"><?cs var:Lang.notes.agenda.note ?></a></p>
<?cs elif:Data.appt.patient_id ?><form method="post" action="/patients/<?cs var:Data.appt.patient_id ?>/encounters/new" class="inline"><input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>"><input type="hidden" name="appointment" value="<?cs var:Data.appt.id ?>"><button type="submit" class="primary"><?cs var:Lang.notes.agenda.open ?></button></form><?cs /if ?>
<?cs if:Data.appt.patient_id ?><p><a href="/patients/<?cs var:Data.appt.patient_id ?>/record"><?cs var:Lang.record.summary.title ?></a></p><?cs /if ?>
<p><a href="/agenda?day=<?cs var:url_escape(Data.day) ?>"><?cs var:Lang.schedule.agenda.back ?></a></p>
