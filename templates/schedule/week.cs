<h1><?cs var:Page.title ?>: <?cs var:Data.day_label ?> – <?cs var:Data.last_label ?></h1>
<nav aria-label="<?cs var:Lang.schedule.agenda.nav ?>">
<a href="/agenda/week?week=<?cs var:url_escape(Data.prev) ?>" rel="prev"><?cs var:Lang.schedule.agenda.prev_week ?></a> ·
<a href="/agenda/week"><?cs var:Lang.schedule.agenda.this_week ?></a> ·
<a href="/agenda/week?week=<?cs var:url_escape(Data.next) ?>" rel="next"><?cs var:Lang.schedule.agenda.next_week ?></a>
</nav>
<?cs each:d = Data.days ?>
<h2><a href="/agenda?day=<?cs var:url_escape(d.day) ?>"><?cs var:d.label ?></a></h2>
<?cs if:subcount(d.appts) == 0 ?><p class="muted"><?cs var:Lang.schedule.agenda.none ?></p><?cs else ?>
<ul>
<?cs each:a = d.appts ?><li><?cs var:a.start ?>–<?cs var:a.end ?> · <?cs var:a.patient ?> · <?cs var:a.mode ?> · <?cs var:a.status_text ?><?cs if:a.by_patient ?> · <em><?cs var:a.by_patient ?></em><?cs /if ?><?cs if:a.reason ?><br><span class="muted"><?cs var:Lang.schedule.agenda.reason ?> <?cs var:a.reason ?></span><?cs /if ?></li>
<?cs /each ?>
</ul>
<?cs /if ?>
<?cs /each ?>
