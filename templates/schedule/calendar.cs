<h1><?cs var:Page.title ?></h1>
<?cs include:"form_errors.cs" ?><?cs call:error_summary("") ?>
<?cs if:Data.done ?><p class="notice-box" role="status"><?cs var:Data.done ?></p><?cs /if ?>
<p><?cs var:Lang.schedule.calendar.intro ?></p>
<p class="hint"><?cs var:Lang.schedule.calendar.privacy ?></p>
<?cs if:Data.feed.url ?>
<div class="notice-box" role="status">
<p><?cs var:Lang.schedule.calendar.new_url ?></p>
<label for="feed-url"><?cs var:Lang.schedule.calendar.url_label ?></label>
<input id="feed-url" type="text" readonly value="<?cs var:Data.feed.url ?>">
<p><?cs var:Lang.schedule.calendar.once ?></p>
</div>
<?cs /if ?>
<?cs if:Data.feed.created ?>
<p><?cs var:Lang.schedule.calendar.active ?> <?cs var:Data.feed.created ?>.</p>
<form method="post" action="/calendar" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<input type="hidden" name="action" value="create">
<button type="submit"><?cs var:Lang.schedule.calendar.regenerate ?></button>
</form>
<form method="post" action="/calendar" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<input type="hidden" name="action" value="revoke">
<button type="submit"><?cs var:Lang.schedule.calendar.revoke ?></button>
</form>
<?cs else ?>
<p><?cs var:Lang.schedule.calendar.none ?></p>
<form method="post" action="/calendar" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<input type="hidden" name="action" value="create">
<button type="submit" class="primary"><?cs var:Lang.schedule.calendar.create ?></button>
</form>
<?cs /if ?>
