<?cs if:Home.dispensed.shown ?>
<section aria-labelledby="h-desk">
<h2 id="h-desk"><?cs var:Lang.home.pharmacist.desk ?></h2>
<p><a class="button primary" href="/desk"><?cs var:Lang.home.pharmacist.open_desk ?></a></p>
<h3><?cs var:Lang.home.pharmacist.today ?></h3>
<?cs if:subcount(Home.dispensed.rows) ?><ul class="doctors">
<?cs each:d = Home.dispensed.rows ?><li><a href="/desk/rx/<?cs var:d.id ?>"><?cs var:d.code ?></a> <span class="muted"><?cs var:d.time ?></span></li>
<?cs /each ?></ul>
<?cs else ?><p><?cs var:Lang.home.pharmacist.none ?></p><?cs /if ?>
</section>
<?cs /if ?>
