<p><a href="/admin"><?cs var:Lang.admin.index.title ?></a></p>
<h1><?cs var:Page.title ?></h1>
<p><?cs var:Lang.admin.audit.intro ?></p>
<?cs include:"form_errors.cs" ?><?cs set:Form.labels.actor = Lang.admin.audit.actor ?><?cs set:Form.labels.subject = Lang.admin.audit.subject ?><?cs set:Form.labels.action = Lang.admin.audit.action ?><?cs set:Form.labels.from = Lang.admin.audit.from ?><?cs set:Form.labels.to = Lang.admin.audit.to ?><?cs call:error_summary("") ?>
<form method="get" action="/admin/audit" class="stack" role="search" aria-label="<?cs var:Lang.admin.audit.filters ?>">
<label for="actor"><?cs var:Lang.admin.audit.actor ?></label>
<?cs if:Form.errors.actor ?><p class="error" id="actor-error"><span class="sr"><?cs var:Lang.admin.field_error ?> </span><?cs var:Form.errors.actor ?></p><?cs /if ?>
<input id="actor" name="actor" type="search" maxlength="254" value="<?cs var:Form.actor ?>"<?cs if:Form.errors.actor ?> aria-invalid="true" aria-describedby="actor-error email-hint"<?cs else ?> aria-describedby="email-hint"<?cs /if ?>>
<label for="subject"><?cs var:Lang.admin.audit.subject ?></label>
<p class="hint" id="email-hint"><?cs var:Lang.admin.audit.email_hint ?></p>
<?cs if:Form.errors.subject ?><p class="error" id="subject-error"><span class="sr"><?cs var:Lang.admin.field_error ?> </span><?cs var:Form.errors.subject ?></p><?cs /if ?>
<input id="subject" name="subject" type="search" maxlength="254" value="<?cs var:Form.subject ?>"<?cs if:Form.errors.subject ?> aria-invalid="true" aria-describedby="subject-error email-hint"<?cs else ?> aria-describedby="email-hint"<?cs /if ?>>
<label for="action"><?cs var:Lang.admin.audit.action ?></label>
<p class="hint" id="action-hint"><?cs var:Lang.admin.audit.action_hint ?></p>
<?cs if:Form.errors.action ?><p class="error" id="action-error"><span class="sr"><?cs var:Lang.admin.field_error ?> </span><?cs var:Form.errors.action ?></p><?cs /if ?>
<input id="action" name="action" type="text" maxlength="60" autocomplete="off" value="<?cs var:Form.action ?>"<?cs if:Form.errors.action ?> aria-invalid="true" aria-describedby="action-error action-hint"<?cs else ?> aria-describedby="action-hint"<?cs /if ?>>
<label for="from"><?cs var:Lang.admin.audit.from ?></label>
<?cs if:Form.errors.from ?><p class="error" id="from-error"><span class="sr"><?cs var:Lang.admin.field_error ?> </span><?cs var:Form.errors.from ?></p><?cs /if ?>
<input id="from" name="from" type="date" value="<?cs var:Form.from ?>"<?cs if:Form.errors.from ?> aria-invalid="true" aria-describedby="from-error date-hint"<?cs else ?> aria-describedby="date-hint"<?cs /if ?>>
<label for="to"><?cs var:Lang.admin.audit.to ?></label>
<p class="hint" id="date-hint"><?cs var:Lang.admin.audit.date_hint ?></p>
<?cs if:Form.errors.to ?><p class="error" id="to-error"><span class="sr"><?cs var:Lang.admin.field_error ?> </span><?cs var:Form.errors.to ?></p><?cs /if ?>
<input id="to" name="to" type="date" value="<?cs var:Form.to ?>"<?cs if:Form.errors.to ?> aria-invalid="true" aria-describedby="to-error date-hint"<?cs else ?> aria-describedby="date-hint"<?cs /if ?>>
<label class="check"><input id="hide_own" name="hide_own" type="checkbox" value="1"<?cs if:Form.hide_own == "1" ?> checked<?cs /if ?>> <?cs var:Lang.admin.audit.hide_own ?></label>
<button type="submit" class="primary"><?cs var:Lang.admin.audit.submit ?></button>
</form>
<?cs if:Data.searched ?>
<h2><?cs var:Lang.admin.audit.results ?></h2>
<?cs if:subcount(Data.events) ?>
<div class="table-wrap">
<table class="list cards">
<thead><tr><th scope="col"><?cs var:Lang.admin.audit.col_time ?></th><th scope="col"><?cs var:Lang.admin.audit.col_actor ?></th><th scope="col"><?cs var:Lang.admin.audit.col_subject ?></th><th scope="col"><?cs var:Lang.admin.audit.col_action ?></th><th scope="col"><?cs var:Lang.admin.audit.col_object ?></th><th scope="col"><?cs var:Lang.admin.audit.col_addr ?></th><th scope="col"><?cs var:Lang.admin.audit.col_request ?></th></tr></thead>
<tbody>
<?cs each:e = Data.events ?><tr>
<td data-label="<?cs var:Lang.admin.audit.col_time ?>"><?cs var:e.at ?></td>
<td data-label="<?cs var:Lang.admin.audit.col_actor ?>"><?cs if:e.actor_id ?><a href="/admin/users/<?cs var:e.actor_id ?>"><?cs var:e.actor ?></a><?cs else ?><?cs var:Lang.admin.audit.anonymous ?><?cs /if ?></td>
<td data-label="<?cs var:Lang.admin.audit.col_subject ?>"><?cs if:e.subject_id ?><a href="/admin/users/<?cs var:e.subject_id ?>"><?cs var:e.subject ?></a><?cs /if ?></td>
<td data-label="<?cs var:Lang.admin.audit.col_action ?>"><?cs var:e.words.action ?><br><code class="muted"><?cs var:e.action ?></code></td>
<td data-label="<?cs var:Lang.admin.audit.col_object ?>"><?cs var:e.object ?></td>
<td data-label="<?cs var:Lang.admin.audit.col_addr ?>"><?cs var:e.addr ?></td>
<td data-label="<?cs var:Lang.admin.audit.col_request ?>"><code><?cs var:e.request ?></code></td>
</tr>
<?cs /each ?></tbody>
</table>
</div>
<?cs else ?>
<p><?cs var:Lang.admin.audit.none ?></p>
<?cs /if ?>
<?cs if:Data.next_before || Data.paged ?>
<nav aria-label="<?cs var:Lang.admin.audit.results ?>"><p>
<?cs if:Data.paged ?><a href="/admin/audit?actor=<?cs var:url_escape(Form.actor) ?>&amp;subject=<?cs var:url_escape(Form.subject) ?>&amp;action=<?cs var:url_escape(Form.action) ?>&amp;from=<?cs var:url_escape(Form.from) ?>&amp;to=<?cs var:url_escape(Form.to) ?>&amp;hide_own=<?cs var:Form.hide_own ?>"><?cs var:Lang.admin.audit.newest ?></a><?cs /if ?>
<?cs if:Data.next_before ?><a href="/admin/audit?actor=<?cs var:url_escape(Form.actor) ?>&amp;subject=<?cs var:url_escape(Form.subject) ?>&amp;action=<?cs var:url_escape(Form.action) ?>&amp;from=<?cs var:url_escape(Form.from) ?>&amp;to=<?cs var:url_escape(Form.to) ?>&amp;hide_own=<?cs var:Form.hide_own ?>&amp;before=<?cs var:Data.next_before ?>" rel="next"><?cs var:Lang.admin.audit.older ?></a><?cs /if ?>
</p></nav>
<?cs /if ?>
<?cs /if ?>
