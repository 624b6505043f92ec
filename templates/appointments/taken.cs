<h1><?cs var:Page.title ?></h1>
<?cs include:"form_errors.cs" ?><?cs call:error_summary("") ?>
<?cs if:Data.own.id ?><p class="alert-box" role="alert"><?cs var:Lang.appointments.taken.own ?> <a href="/appointments/<?cs var:Data.own.id ?>"><?cs var:Data.own.when ?></a>. <?cs var:Lang.appointments.taken.nothing ?></p>
<?cs else ?><p class="alert-box" role="alert"><?cs var:Lang.appointments.taken.text ?></p><?cs /if ?>
<?cs if:subcount(Data.alts) > 0 ?>
<h2><?cs var:Lang.appointments.taken.alternatives ?></h2>
<ul class="slots">
<?cs each:a = Data.alts ?><li><?cs if:Data.move_id ?><form method="post" action="/appointments/<?cs var:Data.move_id ?>/reschedule" class="inline"><input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>"><input type="hidden" name="start" value="<?cs var:a.epoch ?>"><button type="submit" class="link"><?cs var:a.when ?><span class="sr">, <?cs var:a.mode ?></span></button></form><?cs else ?><a href="/appointments/new?doctor=<?cs var:Data.doctor.id ?>&amp;start=<?cs var:a.epoch ?><?cs var:Data.psuffix ?>"><?cs var:a.when ?><span class="sr">, <?cs var:a.mode ?></span></a><?cs /if ?></li>
<?cs /each ?></ul>
<?cs else ?><p><?cs var:Lang.appointments.slots.none ?></p><?cs /if ?>
<?cs if:Data.move_id ?><p><a href="/appointments/<?cs var:Data.move_id ?>"><?cs var:Lang.appointments.back_appt ?></a></p>
<?cs else ?><p><a href="/doctors/<?cs var:Data.doctor.id ?><?cs if:Data.week ?>?week=<?cs var:Data.week ?><?cs var:Data.psuffix ?><?cs elif:Data.patient.id ?>?patient=<?cs var:Data.patient.id ?><?cs /if ?>"><?cs var:Lang.appointments.taken.all ?></a></p><?cs /if ?>
