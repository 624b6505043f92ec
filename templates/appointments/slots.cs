<h1><?cs var:Page.title ?></h1>
<?cs if:Data.patient.id ?><p class="notice-box"><?cs var:Lang.appointments.for_patient ?> <strong><?cs var:Data.patient.name ?></strong> (<?cs var:Data.patient.email ?>)</p><?cs /if ?>
<p><strong><?cs var:Data.doctor.name ?></strong><?cs if:Data.doctor.specialties ?><br><span class="muted"><?cs var:Data.doctor.specialties ?></span><?cs /if ?></p>
<p><?cs var:Lang.appointments.slots.intro ?> <?cs var:Data.weeks ?> <?cs var:Lang.appointments.slots.weeks ?></p>
<?cs if:Data.count > 0 ?>
<?cs each:d = Data.days ?>
<h2><?cs var:d.weekday ?> <?cs var:d.date ?></h2>
<ul class="slots">
<?cs each:s = d.slots ?><li><a href="/appointments/new?doctor=<?cs var:Data.doctor.id ?>&amp;start=<?cs var:s.epoch ?><?cs var:Data.psuffix ?>"><?cs var:s.time ?><span class="sr"> <?cs var:d.date ?>, <?cs var:s.mode ?></span></a></li>
<?cs /each ?></ul>
<?cs /each ?>
<?cs else ?><p><?cs var:Lang.appointments.slots.none ?></p><?cs /if ?>
<p><a href="/doctors<?cs if:Data.patient.id ?>?patient=<?cs var:Data.patient.id ?><?cs /if ?>"><?cs var:Lang.appointments.back_doctors ?></a></p>
