<h1><?cs var:Page.title ?></h1>
<p><a href="/doctors"><?cs var:Lang.appointments.list.book ?></a></p>
<h2><?cs var:Lang.appointments.list.upcoming ?></h2>
<?cs if:Data.n_upcoming > 0 ?>
<ul class="doctors">
<?cs each:a = Data.upcoming ?><li><a href="/appointments/<?cs var:a.id ?>"><?cs var:a.when ?> – <?cs var:a.doctor ?></a><br><span class="muted"><?cs var:a.mode ?> · <span class="status-<?cs var:a.status ?>"><?cs var:a.status_text ?></span></span></li>
<?cs /each ?></ul>
<?cs else ?><p><?cs var:Lang.appointments.list.none_upcoming ?></p><?cs /if ?>
<h2><?cs var:Lang.appointments.list.past ?></h2>
<?cs if:Data.n_past > 0 ?>
<ul class="doctors">
<?cs each:a = Data.past ?><li><a href="/appointments/<?cs var:a.id ?>"><?cs var:a.when ?> – <?cs var:a.doctor ?></a><br><span class="muted"><?cs var:a.mode ?> · <?cs var:a.status_text ?></span></li>
<?cs /each ?></ul>
<?cs else ?><p><?cs var:Lang.appointments.list.none_past ?></p><?cs /if ?>
