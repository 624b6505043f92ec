<h1><?cs var:Page.title ?></h1>
<?cs include:"form_errors.cs" ?><?cs call:error_summary("") ?>
<?cs if:Data.patient.id ?><p class="notice-box"><?cs var:Lang.appointments.for_patient ?> <strong><?cs var:Data.patient.name ?></strong> (<?cs var:Data.patient.email ?>)</p><?cs /if ?>
<p><strong><?cs var:Data.doctor.name ?></strong><?cs if:Data.doctor.specialties ?><br><span class="muted"><?cs var:Data.doctor.specialties ?></span><?cs /if ?></p>
<p><?cs var:Lang.appointments.slots.intro ?> <?cs var:Data.weeks ?> <?cs var:Lang.appointments.slots.weeks ?></p>
<?cs include:"appointments/week.cs" ?>
<p><a href="/doctors<?cs if:Data.patient.id ?>?patient=<?cs var:Data.patient.id ?><?cs /if ?>"><?cs var:Lang.appointments.back_doctors ?></a></p>
