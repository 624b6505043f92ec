<h1><?cs var:Page.title ?></h1>
<?cs include:"form_errors.cs" ?><?cs call:error_summary("") ?>
<p><?cs var:Lang.appointments.reschedule.current ?> <strong><?cs var:Data.appt.when ?></strong> – <?cs var:Data.appt.doctor ?></p>
<p><?cs var:Lang.appointments.reschedule.intro ?></p>
<?cs include:"appointments/week.cs" ?>
<p><a href="/appointments/<?cs var:Data.appt.id ?>"><?cs var:Lang.appointments.back_appt ?></a></p>
