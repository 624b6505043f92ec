<?cs if:Home.agenda.shown ?>
<section aria-labelledby="h-agenda">
<h2 id="h-agenda"><?cs var:Lang.home.doctor.today ?></h2>
<?cs if:subcount(Home.agenda.rows) ?><ul class="doctors">
<?cs each:a = Home.agenda.rows ?><li><a href="/agenda/<?cs var:a.id ?>"><?cs var:a.start ?>–<?cs var:a.end ?> <?cs var:a.patient ?></a><br><span class="muted"><?cs var:Lang.appointments.mode[a.mode] ?> · <?cs var:Lang.appointments.status[a.status] ?></span></li>
<?cs /each ?></ul>
<?cs else ?><p><?cs var:Lang.home.doctor.no_today ?></p><?cs /if ?>
<p><a href="/agenda"><?cs var:Lang.home.doctor.agenda ?></a></p>
</section>
<?cs /if ?>
<?cs if:Home.waiting.shown ?>
<section aria-labelledby="h-waiting">
<h2 id="h-waiting"><?cs var:Lang.home.doctor.waiting ?></h2>
<?cs each:w = Home.waiting.rows ?>
<?cs if:w.notes == 0 && w.rx_drafts == 0 && Page.user.unread == 0 ?><p><?cs var:Lang.home.doctor.nothing ?></p><?cs else ?>
<ul>
<?cs if:Page.user.unread > 0 ?><li><a href="/notices"><?cs var:Lang.home.mine.unread ?>: <?cs var:Page.user.unread ?></a></li><?cs /if ?>
<?cs if:w.notes > 0 ?><li><?cs var:Lang.home.doctor.notes ?>: <?cs var:w.notes ?></li><?cs /if ?>
<?cs if:w.rx_drafts > 0 ?><li><?cs var:Lang.home.doctor.rx_drafts ?>: <?cs var:w.rx_drafts ?></li><?cs /if ?>
</ul>
<?cs /if ?>
<?cs /each ?>
</section>
<?cs /if ?>
