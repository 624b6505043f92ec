<h1><?cs var:Page.title ?></h1>
<?cs if:Data.patient.id ?>
<p><strong><?cs var:Data.patient.name ?></strong><?cs if:Data.patient.email ?> (<?cs var:Data.patient.email ?>)<?cs else ?> (<?cs var:Lang.home.walkin.no_account ?>) <a href="/reception/walk-in/<?cs var:Data.patient.id ?>/claim"><?cs var:Lang.home.walkin.claim_title ?></a><?cs /if ?></p>
<p><a href="/doctors?patient=<?cs var:Data.patient.id ?>"><?cs var:Lang.appointments.reception.book ?></a></p>
<h2><?cs var:Lang.appointments.list.upcoming ?></h2>
<?cs if:Data.n_upcoming > 0 ?><ul class="doctors">
<?cs each:a = Data.upcoming ?><li><a href="/appointments/<?cs var:a.id ?>"><?cs var:a.when ?> – <?cs var:a.doctor ?></a><br><span class="muted"><?cs var:a.mode ?> · <?cs var:a.status_text ?></span></li>
<?cs /each ?></ul><?cs else ?><p><?cs var:Lang.appointments.list.none_upcoming ?></p><?cs /if ?>
<h2><?cs var:Lang.appointments.list.past ?></h2>
<?cs if:Data.n_past > 0 ?><ul class="doctors">
<?cs each:a = Data.past ?><li><a href="/appointments/<?cs var:a.id ?>"><?cs var:a.when ?> – <?cs var:a.doctor ?></a><br><span class="muted"><?cs var:a.mode ?> · <?cs var:a.status_text ?></span></li>
<?cs /each ?></ul><?cs else ?><p><?cs var:Lang.appointments.list.none_past ?></p><?cs /if ?>
<p><a href="/reception"><?cs var:Lang.appointments.reception.other ?></a></p>
<?cs else ?>
<p><a href="/reception/walk-in"><?cs var:Lang.home.reception.walkin ?></a></p>
<form method="get" action="/reception" class="stack" role="search">
<label for="q"><?cs var:Lang.appointments.reception.find ?></label>
<p class="hint" id="q-hint"><?cs var:Lang.appointments.reception.find_hint ?></p>
<input id="q" name="q" type="search" maxlength="100" value="<?cs var:Data.q ?>" aria-describedby="q-hint">
<button type="submit" class="primary"><?cs var:Lang.appointments.doctors.search ?></button>
</form>
<?cs if:Data.too_short ?><p class="alert-box" role="alert"><?cs var:Lang.appointments.reception.too_short ?></p><?cs /if ?>
<?cs if:Data.searched ?>
<h2><?cs var:Lang.appointments.doctors.results ?></h2>
<?cs if:Data.count > 0 ?><ul class="doctors">
<?cs each:p = Data.patients ?><li><a href="/reception?patient=<?cs var:p.id ?>"><?cs var:p.name ?></a><br><span class="muted"><?cs var:p.email ?></span></li>
<?cs /each ?></ul><?cs else ?><p><?cs var:Lang.appointments.reception.none ?></p><?cs /if ?>
<?cs /if ?>
<?cs /if ?>
