<h1><?cs var:Page.title ?></h1>
<?cs if:Data.done ?><p class="notice-box" role="status"><?cs var:Lang.appointments.show.done ?></p><?cs /if ?>
<?cs if:Data.error == "too_late" ?><p class="alert-box" role="alert"><?cs var:Lang.appointments.show.too_late ?> <?cs var:Data.cutoff_words ?>.</p>
<?cs elif:Data.error == "not_booked" ?><p class="alert-box" role="alert"><?cs var:Lang.appointments.show.not_booked ?></p>
<?cs elif:Data.error == "not_started" ?><p class="alert-box" role="alert"><?cs var:Lang.appointments.show.not_started ?></p><?cs /if ?>
<dl class="contact">
<?cs if:Data.reception ?><dt><?cs var:Lang.appointments.field.patient ?></dt><dd><a href="/reception?patient=<?cs var:Data.appt.patient_id ?>"><?cs var:Data.appt.patient ?></a> (<?cs var:Data.appt.patient_email ?>)</dd><?cs /if ?>
<dt><?cs var:Lang.appointments.field.doctor ?></dt><dd><?cs var:Data.appt.doctor ?></dd>
<dt><?cs var:Lang.appointments.field.when ?></dt><dd><?cs var:Data.appt.when ?> – <?cs var:Data.appt.until ?></dd>
<dt><?cs var:Lang.appointments.field.mode ?></dt><dd><?cs var:Data.appt.mode ?></dd>
<?cs if:Data.appt.location ?><dt><?cs var:Lang.appointments.field.location ?></dt><dd><?cs var:Data.appt.location ?></dd><?cs /if ?>
<dt><?cs var:Lang.appointments.field.reason ?></dt><dd><?cs if:Data.appt.reason ?><?cs var:Data.appt.reason ?><?cs else ?>—<?cs /if ?></dd>
<dt><?cs var:Lang.appointments.field.status ?></dt><dd><?cs var:Data.appt.status_text ?><?cs if:Data.appt.cancel_reason ?> (<?cs var:Data.appt.cancel_reason ?>)<?cs /if ?></dd>
</dl>
<?cs if:Data.appt.call ?><p><a class="button primary" href="/appointments/<?cs var:Data.appt.id ?>/call"><?cs var:Lang.tele.join_link ?></a></p><?cs /if ?>
<?cs if:Data.appt.changeable ?>
<p><a href="/appointments/<?cs var:Data.appt.id ?>/reschedule"><?cs var:Lang.appointments.show.reschedule ?></a></p>
<?cs include:"form_errors.cs" ?><?cs set:Form.labels.reason = Lang.appointments.show.cancel_reason ?><?cs call:error_summary("") ?>
<form method="post" action="/appointments/<?cs var:Data.appt.id ?>/cancel" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<label for="reason"><?cs var:Lang.appointments.show.cancel_reason ?><?cs if:!Data.reception ?> <?cs var:Lang.appointments.optional ?><?cs /if ?></label>
<?cs if:Form.errors.reason ?><p class="error" id="reason-error"><?cs var:Form.errors.reason ?></p><?cs /if ?>
<textarea id="reason" name="reason" rows="3" maxlength="500"<?cs if:Data.reception ?> required<?cs /if ?><?cs if:Form.errors.reason ?> aria-invalid="true" aria-describedby="reason-error"<?cs /if ?>><?cs var:Form.reason ?></textarea>
<button type="submit" class="danger"><?cs var:Lang.appointments.show.cancel ?></button>
</form>
<?cs elif:Data.appt.booked && Data.appt.ahead ?><p class="muted"><?cs var:Lang.appointments.show.cutoff_passed ?></p><?cs /if ?>
<?cs if:Data.reception && Data.appt.started ?>
<form method="post" action="/appointments/<?cs var:Data.appt.id ?>/status" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<fieldset><legend><?cs var:Lang.appointments.show.mark ?></legend>
<button type="submit" name="status" value="completed" class="primary"><?cs var:Lang.appointments.status.completed ?></button>
<button type="submit" name="status" value="no_show" class="danger"><?cs var:Lang.appointments.status.no_show ?></button>
</fieldset>
</form>
<?cs /if ?>
<?cs if:subcount(Data.history) > 0 ?>
<h2><?cs var:Lang.appointments.show.history ?></h2>
<ul class="doctors">
<?cs each:h = Data.history ?><li><?cs var:h.at ?> · <?cs var:h.action ?><?cs if:h.old ?> (<?cs var:h.old ?> → <?cs var:h.new ?>)<?cs /if ?><?cs if:h.actor ?> · <span class="muted"><?cs var:h.actor ?></span><?cs /if ?><?cs if:h.note ?><br><span class="muted"><?cs var:h.note ?></span><?cs /if ?></li>
<?cs /each ?></ul>
<?cs /if ?>
<p><?cs if:Data.reception ?><a href="/reception?patient=<?cs var:Data.appt.patient_id ?>"><?cs var:Lang.appointments.back_patient ?></a><?cs else ?><a href="/appointments"><?cs var:Lang.appointments.back_list ?></a><?cs /if ?></p>
