<?cs if:Page.user.role.patient ?>
<p><a class="button primary" href="/doctors"><?cs var:Lang.home.book ?></a></p>
<?cs /if ?>
<?cs if:Home.appointments.shown ?>
<section aria-labelledby="h-appts">
<h2 id="h-appts"><?cs var:Lang.home.patient.next ?></h2>
<?cs if:subcount(Home.appointments.rows) ?><ul class="doctors">
<?cs each:a = Home.appointments.rows ?><li><a href="/appointments/<?cs var:a.id ?>"><?cs var:a.when ?> – <?cs var:a.doctor ?></a><br><span class="muted"><?cs var:Lang.appointments.mode[a.mode] ?><?cs if:a.location ?> · <?cs var:a.location ?><?cs /if ?></span><?cs if:a.call == "t" ?><br><a class="button primary" href="/appointments/<?cs var:a.id ?>/call"><?cs var:Lang.tele.join_link ?></a><?cs /if ?></li>
<?cs /each ?></ul>
<?cs else ?><p><?cs var:Lang.home.patient.no_next ?></p><?cs /if ?>
<p><a href="/appointments"><?cs var:Lang.home.patient.all_appts ?></a></p>
</section>
<?cs /if ?>
<?cs if:Home.prescriptions.shown ?>
<section aria-labelledby="h-rx">
<h2 id="h-rx"><?cs var:Lang.home.patient.rx ?></h2>
<?cs if:subcount(Home.prescriptions.rows) ?><ul class="doctors">
<?cs each:p = Home.prescriptions.rows ?><li><a href="/prescriptions/<?cs var:p.id ?>"><?cs var:p.products ?></a><br><span class="muted"><?cs var:p.code ?><?cs if:p.expires ?> · <?cs var:Lang.home.patient.rx_until ?> <?cs var:p.expires ?><?cs /if ?></span></li>
<?cs /each ?></ul>
<?cs else ?><p><?cs var:Lang.home.patient.no_rx ?></p><?cs /if ?>
</section>
<?cs /if ?>
