<h1><?cs var:Page.title ?>: <?cs var:Data.day_label ?></h1>
<?cs include:"form_errors.cs" ?><?cs call:error_summary("") ?>
<nav aria-label="<?cs var:Lang.schedule.agenda.nav ?>">
<a href="/agenda?day=<?cs var:url_escape(Data.prev) ?>" rel="prev"><?cs var:Lang.schedule.agenda.prev_day ?></a> ·
<a href="/agenda"><?cs var:Lang.schedule.agenda.today ?></a> ·
<a href="/agenda?day=<?cs var:url_escape(Data.next) ?>" rel="next"><?cs var:Lang.schedule.agenda.next_day ?></a> ·
<a href="/agenda/week?week=<?cs var:url_escape(Data.monday) ?>"><?cs var:Lang.schedule.agenda.week_link ?></a>
</nav>
<?cs if:Data.done ?><p class="notice-box" role="status"><?cs var:Data.done ?></p><?cs /if ?>
<?cs if:subcount(Data.appts) == 0 ?><p><?cs var:Lang.schedule.agenda.none ?></p><?cs else ?>
<?cs if:Data.due ?><form method="post" action="/agenda"><input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>"><?cs /if ?>
<ol class="doctors agenda">
<?cs each:a = Data.appts ?><li><a href="/agenda/<?cs var:a.id ?>"><?cs var:a.start ?>–<?cs var:a.end ?> · <?cs var:a.patient ?></a> · <?cs var:a.mode ?><?cs if:a.location ?>, <?cs var:a.location ?><?cs /if ?> · <strong><?cs var:a.status_text ?></strong><?cs if:a.by_patient ?> · <em><?cs var:a.by_patient ?></em><?cs /if ?><?cs if:a.reason ?><br><?cs var:Lang.schedule.agenda.reason ?> <?cs var:a.reason ?><?cs /if ?><?cs if:a.cancel_reason ?><br><span class="muted"><?cs var:Lang.schedule.agenda.cancel_reason ?> <?cs var:a.cancel_reason ?></span><?cs /if ?><?cs if:a.call ?><br><a href="/appointments/<?cs var:a.id ?>/call"><?cs var:Lang.tele.join_link ?><span class="sr"> (<?cs var:a.start ?>)</span></a><?cs /if ?><?cs if:a.encounter ?><br><a href="/patients/<?cs var:a.patient_id ?>/encounters/<?cs var:a.encounter ?>"><?cs var:Lang.notes.agenda.note ?><span class="sr"> (<?cs var:a.start ?>)</span></a><?cs /if ?><?cs if:a.due ?><br><button formaction="/agenda/<?cs var:a.id ?>/status" name="status" value="completed"><?cs var:Lang.schedule.agenda.mark_completed ?><span class="sr"> (<?cs var:a.start ?>)</span></button> <button formaction="/agenda/<?cs var:a.id ?>/status" name="status" value="no_show" class="danger"><?cs var:Lang.schedule.agenda.mark_no_show ?><span class="sr"> (<?cs var:a.start ?>)</span></button><?cs /if ?></li>
<?cs /each ?></ol>
<?cs if:Data.due ?></form><?cs /if ?>
<?cs /if ?>
<p><a href="/schedule"><?cs var:Lang.schedule.agenda.schedule_link ?></a> · <a href="/calendar"><?cs var:Lang.schedule.calendar.title ?></a></p>
