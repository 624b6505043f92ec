<h1><?cs var:Page.title ?>: <?cs var:Data.weekday ?> <?cs var:Data.day ?></h1>
<nav aria-label="<?cs var:Lang.schedule.agenda.nav ?>">
<a href="/agenda?day=<?cs var:url_escape(Data.prev) ?>" rel="prev"><?cs var:Lang.schedule.agenda.prev_day ?></a> ·
<a href="/agenda"><?cs var:Lang.schedule.agenda.today ?></a> ·
<a href="/agenda?day=<?cs var:url_escape(Data.next) ?>" rel="next"><?cs var:Lang.schedule.agenda.next_day ?></a> ·
<a href="/agenda/week?week=<?cs var:url_escape(Data.monday) ?>"><?cs var:Lang.schedule.agenda.week_link ?></a>
</nav>
<?cs if:Data.done ?><p class="notice-box" role="status"><?cs var:Data.done ?></p><?cs /if ?>
<?cs if:Form.has_errors ?><p class="alert-box" role="alert"><?cs var:Lang.schedule.agenda.reason_needed ?></p><?cs /if ?>
<?cs if:subcount(Data.appts) == 0 ?><p><?cs var:Lang.schedule.agenda.none ?></p><?cs /if ?>
<?cs each:a = Data.appts ?>
<?cs include:"schedule/appt.cs" ?>
<?cs /each ?>
<p><a href="/schedule"><?cs var:Lang.schedule.agenda.schedule_link ?></a> · <a href="/calendar"><?cs var:Lang.schedule.calendar.title ?></a></p>
