<?cs # week: the slot picker of one week, shared by slots.cs (booking: a GET form per day to the confirm page) and reschedule.cs (Data.appt.id set: a POST form per day that moves the appointment). One <option> per slot keeps a long week small. ?>
<p><strong><?cs var:Lang.appointments.week.from ?> <?cs var:Data.week.monday ?> <?cs var:Lang.appointments.week.to ?> <?cs var:Data.week.sunday ?></strong></p>
<nav class="weeks" aria-label="<?cs var:Lang.appointments.week.nav ?>">
<?cs if:Data.week.prev ?><a href="<?cs var:Data.week.link ?>week=<?cs var:Data.week.prev ?><?cs var:Data.psuffix ?>" rel="prev"><?cs var:Lang.appointments.week.prev ?></a><?cs /if ?>
<?cs if:Data.week.next ?><a href="<?cs var:Data.week.link ?>week=<?cs var:Data.week.next ?><?cs var:Data.psuffix ?>" rel="next"><?cs var:Lang.appointments.week.next ?></a><?cs /if ?>
</nav>
<?cs if:Data.count > 0 ?>
<?cs each:d = Data.days ?>
<?cs if:Data.appt.id ?><form method="post" action="/appointments/<?cs var:Data.appt.id ?>/reschedule" class="day"><input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>"><?cs else ?><form action="/appointments/new" class="day"><input type="hidden" name="doctor" value="<?cs var:Data.doctor.id ?>"><?cs if:Data.patient.id ?><input type="hidden" name="patient" value="<?cs var:Data.patient.id ?>"><?cs /if ?><?cs /if ?>
<input type="hidden" name="day" value="<?cs var:d.date ?>">
<h2><label for="t<?cs var:d.date ?>"><?cs var:d.label ?></label></h2>
<select id="t<?cs var:d.date ?>" name="time"><?cs each:g = d.groups ?><optgroup label="<?cs var:g.label ?>"><?cs each:t = g.times ?><option><?cs var:t ?><?cs /each ?></optgroup><?cs /each ?></select>
<button type="submit"><?cs if:Data.appt.id ?><?cs var:Lang.appointments.week.move ?><?cs else ?><?cs var:Lang.appointments.week.choose ?><?cs /if ?></button>
</form>
<?cs /each ?>
<?cs else ?><p><?cs var:Lang.appointments.week.none ?></p><?cs /if ?>
