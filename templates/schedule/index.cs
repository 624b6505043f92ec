<h1><?cs var:Page.title ?>: <?cs var:Data.doctor.name ?></h1>
<?cs if:Data.reception ?><p><a href="/schedule"><?cs var:Lang.schedule.choose.other ?></a></p><?cs /if ?>
<?cs if:Data.done ?><p class="notice-box" role="status"><?cs var:Data.done ?></p><?cs /if ?>
<?cs include:"form_errors.cs" ?><?cs call:error_summary("") ?><?cs if:Data.overlap_with ?><p class="alert-box"><?cs var:Lang.schedule.errors.overlap_with ?> <?cs var:Data.overlap_with ?>.</p><?cs /if ?>

<h2><?cs var:Lang.schedule.ranges.heading ?></h2>
<p><?cs var:Lang.schedule.ranges.intro ?></p>
<?cs if:subcount(Data.ranges) == 0 ?><p><?cs var:Lang.schedule.ranges.none ?></p><?cs else ?>
<div class="table-wrap">
<table class="list cards">
<thead><tr><th scope="col"><?cs var:Lang.schedule.ranges.weekday ?></th><th scope="col"><?cs var:Lang.schedule.ranges.hours ?></th><th scope="col"><?cs var:Lang.schedule.ranges.details ?></th><th scope="col"><span class="sr"><?cs var:Lang.schedule.actions ?></span></th></tr></thead>
<tbody>
<?cs each:g = Data.ranges ?>
<tr>
<td data-label="<?cs var:Lang.schedule.ranges.weekday ?>"><?cs var:g.weekday ?></td>
<td data-label="<?cs var:Lang.schedule.ranges.hours ?>"><?cs var:g.start ?>–<?cs var:g.end ?><br><span class="muted"><?cs var:g.slot ?> <?cs var:Lang.schedule.minutes ?></span></td>
<td data-label="<?cs var:Lang.schedule.ranges.details ?>"><?cs var:g.mode ?><?cs if:g.location ?>, <?cs var:g.location ?><?cs /if ?><br><span class="muted"><?cs var:Lang.schedule.ranges.valid_from ?> <?cs var:g.from ?><?cs if:g.to ?> <?cs var:Lang.schedule.ranges.until ?> <?cs var:g.to ?><?cs /if ?></span></td>
<td data-label=""><form method="post" action="/schedule/ranges/<?cs var:g.id ?>/delete" class="inline"><input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>"><button type="submit" class="link"><?cs var:Lang.schedule.delete ?><span class="sr"> (<?cs var:g.weekday ?> <?cs var:g.start ?>–<?cs var:g.end ?>)</span></button></form></td>
</tr>
<?cs /each ?>
</tbody>
</table>
</div>
<?cs /if ?>

<h3><?cs var:Lang.schedule.ranges.add ?></h3>
<form method="post" action="/schedule/ranges" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<input type="hidden" name="doctor" value="<?cs var:Data.doctor.id ?>">
<label for="weekday"><?cs var:Lang.schedule.ranges.weekday ?></label>
<?cs if:Form.errors.weekday ?><p class="error" id="weekday-error"><?cs var:Form.errors.weekday ?></p><?cs /if ?>
<select id="weekday" name="weekday"<?cs if:Form.errors.weekday ?> aria-invalid="true" aria-describedby="weekday-error"<?cs /if ?>>
<?cs each:w = Data.weekdays ?><option value="<?cs var:w.n ?>"<?cs if:Form.weekday == w.n ?> selected<?cs /if ?>><?cs var:w.name ?></option><?cs /each ?>
</select>
<label for="start"><?cs var:Lang.schedule.ranges.start ?></label>
<?cs if:Form.errors.start ?><p class="error" id="start-error"><?cs var:Form.errors.start ?></p><?cs /if ?>
<input id="start" name="start" type="time" required value="<?cs var:Form.start ?>"<?cs if:Form.errors.start ?> aria-invalid="true" aria-describedby="start-error"<?cs /if ?>>
<label for="end"><?cs var:Lang.schedule.ranges.end ?></label>
<?cs if:Form.errors.end ?><p class="error" id="end-error"><?cs var:Form.errors.end ?></p><?cs /if ?>
<input id="end" name="end" type="time" required value="<?cs var:Form.end ?>"<?cs if:Form.errors.end ?> aria-invalid="true" aria-describedby="end-error"<?cs /if ?>>
<label for="slot"><?cs var:Lang.schedule.slot_label ?></label>
<p class="hint" id="slot-hint"><?cs var:Lang.schedule.slot_hint ?></p>
<?cs if:Form.errors.slot ?><p class="error" id="slot-error"><?cs var:Form.errors.slot ?></p><?cs /if ?>
<input id="slot" name="slot" type="number" min="5" max="240" inputmode="numeric" required value="<?cs if:Form.slot ?><?cs var:Form.slot ?><?cs else ?>30<?cs /if ?>"<?cs if:Form.errors.slot ?> aria-invalid="true" aria-describedby="slot-error slot-hint"<?cs else ?> aria-describedby="slot-hint"<?cs /if ?>>
<fieldset>
<legend><?cs var:Lang.schedule.mode_label ?></legend>
<label class="check"><input type="radio" name="mode" value="in_person"<?cs if:Form.mode != "video" ?> checked<?cs /if ?>> <?cs var:Lang.schedule.modes.in_person ?></label>
<label class="check"><input type="radio" name="mode" value="video"<?cs if:Form.mode == "video" ?> checked<?cs /if ?>> <?cs var:Lang.schedule.modes.video ?></label>
</fieldset>
<label for="location"><?cs var:Lang.schedule.location_label ?></label>
<?cs if:Form.errors.location ?><p class="error" id="location-error"><?cs var:Form.errors.location ?></p><?cs /if ?>
<input id="location" name="location" type="text" maxlength="200" value="<?cs var:Form.location ?>"<?cs if:Form.errors.location ?> aria-invalid="true" aria-describedby="location-error"<?cs /if ?>>
<label for="valid_from"><?cs var:Lang.schedule.ranges.valid_from ?></label>
<?cs if:Form.errors.valid_from ?><p class="error" id="valid_from-error"><?cs var:Form.errors.valid_from ?></p><?cs /if ?>
<input id="valid_from" name="valid_from" type="date" required value="<?cs if:Form.valid_from ?><?cs var:Form.valid_from ?><?cs else ?><?cs var:Data.today ?><?cs /if ?>"<?cs if:Form.errors.valid_from ?> aria-invalid="true" aria-describedby="valid_from-error"<?cs /if ?>>
<label for="valid_to"><?cs var:Lang.schedule.ranges.valid_to ?></label>
<p class="hint" id="valid_to-hint"><?cs var:Lang.schedule.ranges.valid_to_hint ?></p>
<?cs if:Form.errors.valid_to ?><p class="error" id="valid_to-error"><?cs var:Form.errors.valid_to ?></p><?cs /if ?>
<input id="valid_to" name="valid_to" type="date" value="<?cs var:Form.valid_to ?>"<?cs if:Form.errors.valid_to ?> aria-invalid="true" aria-describedby="valid_to-error valid_to-hint"<?cs else ?> aria-describedby="valid_to-hint"<?cs /if ?>>
<button type="submit" class="primary"><?cs var:Lang.schedule.ranges.submit ?></button>
</form>

<h2><?cs var:Lang.schedule.exceptions.heading ?></h2>
<p><?cs var:Lang.schedule.exceptions.intro ?></p>
<?cs if:subcount(Data.exceptions) == 0 ?><p><?cs var:Lang.schedule.exceptions.none ?></p><?cs else ?>
<ul>
<?cs each:x = Data.exceptions ?>
<li><?cs var:x.label ?>: <?cs if:x.kind == "extra" ?><?cs var:Lang.schedule.exceptions.extra ?> <?cs var:x.start ?>–<?cs var:x.end ?> (<?cs var:x.slot ?> <?cs var:Lang.schedule.minutes ?>, <?cs var:x.mode ?><?cs if:x.location ?>, <?cs var:x.location ?><?cs /if ?>)<?cs elif:x.start ?><?cs var:Lang.schedule.exceptions.off ?> <?cs var:x.start ?>–<?cs var:x.end ?><?cs else ?><?cs var:Lang.schedule.exceptions.off_day ?><?cs /if ?><?cs if:x.note ?> — <?cs var:x.note ?><?cs /if ?>
<form method="post" action="/schedule/exceptions/<?cs var:x.id ?>/delete" class="inline"><input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>"><button type="submit" class="link"><?cs var:Lang.schedule.delete ?><span class="sr"> (<?cs var:x.day ?>)</span></button></form></li>
<?cs /each ?>
</ul>
<?cs /if ?>

<h3><?cs var:Lang.schedule.exceptions.add ?></h3>
<form method="post" action="/schedule/exceptions" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<input type="hidden" name="doctor" value="<?cs var:Data.doctor.id ?>">
<label for="x_day"><?cs var:Lang.schedule.exceptions.day ?></label>
<?cs if:Form.errors.x_day ?><p class="error" id="x_day-error"><?cs var:Form.errors.x_day ?></p><?cs /if ?>
<input id="x_day" name="x_day" type="date" required value="<?cs var:Form.x_day ?>"<?cs if:Form.errors.x_day ?> aria-invalid="true" aria-describedby="x_day-error"<?cs /if ?>>
<fieldset>
<legend><?cs var:Lang.schedule.exceptions.kind ?></legend>
<label class="check"><input type="radio" name="x_kind" value="off"<?cs if:Form.x_kind != "extra" ?> checked<?cs /if ?>> <?cs var:Lang.schedule.exceptions.kind_off ?></label>
<label class="check"><input type="radio" name="x_kind" value="extra"<?cs if:Form.x_kind == "extra" ?> checked<?cs /if ?>> <?cs var:Lang.schedule.exceptions.kind_extra ?></label>
</fieldset>
<p class="hint" id="x_times-hint"><?cs var:Lang.schedule.exceptions.times_hint ?></p>
<label for="x_start"><?cs var:Lang.schedule.ranges.start ?></label>
<?cs if:Form.errors.x_start ?><p class="error" id="x_start-error"><?cs var:Form.errors.x_start ?></p><?cs /if ?>
<input id="x_start" name="x_start" type="time" value="<?cs var:Form.x_start ?>"<?cs if:Form.errors.x_start ?> aria-invalid="true" aria-describedby="x_start-error x_times-hint"<?cs else ?> aria-describedby="x_times-hint"<?cs /if ?>>
<label for="x_end"><?cs var:Lang.schedule.ranges.end ?></label>
<?cs if:Form.errors.x_end ?><p class="error" id="x_end-error"><?cs var:Form.errors.x_end ?></p><?cs /if ?>
<input id="x_end" name="x_end" type="time" value="<?cs var:Form.x_end ?>"<?cs if:Form.errors.x_end ?> aria-invalid="true" aria-describedby="x_end-error x_times-hint"<?cs else ?> aria-describedby="x_times-hint"<?cs /if ?>>
<label for="x_slot"><?cs var:Lang.schedule.slot_label ?></label>
<?cs if:Form.errors.x_slot ?><p class="error" id="x_slot-error"><?cs var:Form.errors.x_slot ?></p><?cs /if ?>
<input id="x_slot" name="x_slot" type="number" min="5" max="240" inputmode="numeric" value="<?cs var:Form.x_slot ?>"<?cs if:Form.errors.x_slot ?> aria-invalid="true" aria-describedby="x_slot-error"<?cs /if ?>>
<fieldset>
<legend><?cs var:Lang.schedule.mode_label ?></legend>
<label class="check"><input type="radio" name="x_mode" value="in_person"<?cs if:Form.x_mode != "video" ?> checked<?cs /if ?>> <?cs var:Lang.schedule.modes.in_person ?></label>
<label class="check"><input type="radio" name="x_mode" value="video"<?cs if:Form.x_mode == "video" ?> checked<?cs /if ?>> <?cs var:Lang.schedule.modes.video ?></label>
</fieldset>
<label for="x_location"><?cs var:Lang.schedule.location_label ?></label>
<input id="x_location" name="x_location" type="text" maxlength="200" value="<?cs var:Form.x_location ?>">
<label for="x_note"><?cs var:Lang.schedule.exceptions.note ?></label>
<input id="x_note" name="x_note" type="text" maxlength="200" value="<?cs var:Form.x_note ?>">
<?cs if:subcount(Data.affected) > 0 ?>
<p class="warn-box"><?cs var:Lang.schedule.exceptions.affected ?></p>
<ul class="doctors"><?cs each:a = Data.affected ?><li><?cs var:a.when ?> · <?cs var:a.patient ?></li><?cs /each ?></ul>
<fieldset<?cs if:Form.errors.x_booked ?> aria-describedby="x_booked-error"<?cs /if ?>>
<legend><?cs var:Lang.schedule.exceptions.booked ?></legend>
<?cs if:Form.errors.x_booked ?><p class="error" id="x_booked-error"><?cs var:Form.errors.x_booked ?></p><?cs /if ?>
<label class="check"><input type="radio" name="x_booked" value="keep"<?cs if:Form.x_booked == "keep" ?> checked<?cs /if ?>> <?cs var:Lang.schedule.exceptions.keep ?></label>
<label class="check"><input type="radio" name="x_booked" value="cancel"<?cs if:Form.x_booked == "cancel" ?> checked<?cs /if ?>> <?cs var:Lang.schedule.exceptions.cancel ?></label>
</fieldset>
<label for="x_cancel_reason"><?cs var:Lang.schedule.exceptions.cancel_reason ?></label>
<?cs if:Form.errors.x_cancel_reason ?><p class="error" id="x_cancel_reason-error"><?cs var:Form.errors.x_cancel_reason ?></p><?cs /if ?>
<textarea id="x_cancel_reason" name="x_cancel_reason" rows="3" maxlength="500"<?cs if:Form.errors.x_cancel_reason ?> aria-invalid="true" aria-describedby="x_cancel_reason-error"<?cs /if ?>><?cs var:Form.x_cancel_reason ?></textarea>
<?cs /if ?>
<button type="submit" class="primary"><?cs var:Lang.schedule.exceptions.submit ?></button>
</form>

<h2><?cs var:Lang.schedule.preview.heading ?></h2>
<p><?cs var:Lang.schedule.preview.intro ?></p>
<?cs if:subcount(Data.preview) == 0 ?><p><?cs var:Lang.schedule.preview.none ?></p><?cs /if ?>
<?cs each:d = Data.preview ?>
<h3><?cs var:d.label ?></h3>
<ul class="slots">
<?cs each:s = d.slots ?><li><?cs var:s.start ?>–<?cs var:s.end ?><?cs if:s.video ?> (<?cs var:Lang.schedule.modes.video ?>)<?cs /if ?><?cs if:s.booked ?> — <?cs var:Lang.schedule.preview.booked ?><?cs /if ?></li>
<?cs /each ?>
</ul>
<?cs /each ?>
