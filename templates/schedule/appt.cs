<article class="appt">
<h3><?cs var:a.start ?>–<?cs var:a.end ?> · <?cs var:a.patient ?></h3>
<p><?cs var:a.mode ?><?cs if:a.location ?>, <?cs var:a.location ?><?cs /if ?> · <strong><?cs var:a.status_text ?></strong></p>
<?cs if:a.reason ?><p><?cs var:Lang.schedule.agenda.reason ?> <?cs var:a.reason ?></p><?cs /if ?>
<?cs if:a.status == "cancelled" && a.cancel_reason ?><p class="muted"><?cs var:Lang.schedule.agenda.cancel_reason ?> <?cs var:a.cancel_reason ?></p><?cs /if ?>
<?cs if:a.status == "booked" ?>
<form method="post" action="/agenda/<?cs var:a.id ?>/cancel" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<label for="reason-<?cs var:a.id ?>"><?cs var:Lang.schedule.agenda.cancel_label ?></label>
<?cs if:Form.appt == a.id && Form.errors.reason ?><p class="error" id="reason-<?cs var:a.id ?>-error"><?cs var:Form.errors.reason ?></p><?cs /if ?>
<input id="reason-<?cs var:a.id ?>" name="reason" type="text" maxlength="500" required<?cs if:Form.appt == a.id && Form.errors.reason ?> aria-invalid="true" aria-describedby="reason-<?cs var:a.id ?>-error"<?cs /if ?>>
<button type="submit"><?cs var:Lang.schedule.agenda.cancel ?><span class="sr"> (<?cs var:a.start ?>)</span></button>
</form>
<?cs if:a.due ?>
<form method="post" action="/agenda/<?cs var:a.id ?>/status" class="inline"><input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>"><input type="hidden" name="status" value="completed"><button type="submit"><?cs var:Lang.schedule.agenda.mark_completed ?><span class="sr"> (<?cs var:a.start ?>)</span></button></form>
<form method="post" action="/agenda/<?cs var:a.id ?>/status" class="inline"><input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>"><input type="hidden" name="status" value="no_show"><button type="submit"><?cs var:Lang.schedule.agenda.mark_no_show ?><span class="sr"> (<?cs var:a.start ?>)</span></button></form>
<?cs /if ?>
<?cs /if ?>
<?cs if:a.encounter ?><p><a href="/patients/<?cs var:a.patient_id ?>/encounters/<?cs var:a.encounter ?>"><?cs var:Lang.notes.agenda.note ?><span class="sr"> (<?cs var:a.start ?>)</span></a></p>
<?cs elif:a.status != "cancelled" ?><form method="post" action="/patients/<?cs var:a.patient_id ?>/encounters/new" class="inline"><input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>"><input type="hidden" name="appointment" value="<?cs var:a.id ?>"><button type="submit"><?cs var:Lang.notes.agenda.open ?><span class="sr"> (<?cs var:a.start ?>)</span></button></form><?cs /if ?>
</article>
