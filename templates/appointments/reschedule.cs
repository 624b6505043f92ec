<h1><?cs var:Page.title ?></h1>
<p><?cs var:Lang.appointments.reschedule.current ?> <strong><?cs var:Data.appt.when ?></strong> – <?cs var:Data.appt.doctor ?></p>
<p><?cs var:Lang.appointments.reschedule.intro ?></p>
<?cs if:Data.count > 0 ?>
<?cs each:d = Data.days ?>
<h2><?cs var:d.weekday ?> <?cs var:d.date ?></h2>
<ul class="slots">
<?cs each:s = d.slots ?><li><form method="post" action="/appointments/<?cs var:Data.appt.id ?>/reschedule" class="inline"><input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>"><input type="hidden" name="start" value="<?cs var:s.epoch ?>"><button type="submit" class="link"><?cs var:s.time ?><span class="sr"> <?cs var:d.date ?>, <?cs var:s.mode ?></span></button></form></li>
<?cs /each ?></ul>
<?cs /each ?>
<?cs else ?><p><?cs var:Lang.appointments.slots.none ?></p><?cs /if ?>
<p><a href="/appointments/<?cs var:Data.appt.id ?>"><?cs var:Lang.appointments.back_appt ?></a></p>
