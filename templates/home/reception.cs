<?cs if:Home.today.shown ?>
<section aria-labelledby="h-find">
<h2 id="h-find"><?cs var:Lang.home.reception.find ?></h2>
<form method="get" action="/reception" class="stack" role="search">
<label for="q"><?cs var:Lang.appointments.reception.find ?></label>
<input id="q" name="q" type="search" maxlength="100">
<button type="submit" class="primary"><?cs var:Lang.appointments.doctors.search ?></button>
</form>
<p><a href="/reception/walk-in"><?cs var:Lang.home.reception.walkin ?></a></p>
</section>
<section aria-labelledby="h-today">
<h2 id="h-today"><?cs var:Lang.home.reception.today ?></h2>
<?cs if:subcount(Home.today.rows) ?><ul class="doctors">
<?cs each:a = Home.today.rows ?><li><a href="/appointments/<?cs var:a.id ?>"><?cs var:a.start ?> <?cs var:a.patient ?></a><br><span class="muted"><?cs var:a.doctor ?> · <?cs var:Lang.appointments.mode[a.mode] ?> · <?cs var:Lang.appointments.status[a.status] ?></span></li>
<?cs /each ?></ul>
<?cs else ?><p><?cs var:Lang.home.reception.no_today ?></p><?cs /if ?>
</section>
<?cs /if ?>
