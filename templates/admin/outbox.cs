<p><a href="/admin"><?cs var:Lang.admin.index.title ?></a></p>
<h1><?cs var:Page.title ?></h1>
<?cs include:"form_errors.cs" ?><?cs call:error_summary("") ?>
<p><?cs var:Lang.admin.outbox.intro ?></p>
<?cs if:Data.msg ?><p class="notice-box" role="status"><?cs var:Data.msg ?></p><?cs /if ?>
<?cs if:subcount(Data.events) ?>
<div class="table-wrap">
<table class="list">
<thead><tr><th scope="col"><?cs var:Lang.admin.outbox.col_id ?></th><th scope="col"><?cs var:Lang.admin.outbox.col_type ?></th><th scope="col"><?cs var:Lang.admin.outbox.col_recipient ?></th><th scope="col"><?cs var:Lang.admin.outbox.col_created ?></th><th scope="col"><?cs var:Lang.admin.outbox.col_attempts ?></th><th scope="col"><?cs var:Lang.admin.outbox.col_error ?></th><th scope="col"><?cs var:Lang.admin.outbox.col_action ?></th></tr></thead>
<tbody>
<?cs each:e = Data.events ?><tr>
<td><?cs var:e.id ?></td>
<td><code><?cs var:e.type ?></code></td>
<td><?cs if:e.domain ?><?cs var:Lang.admin.outbox.domain ?>: <?cs var:e.domain ?><?cs elif:e.user ?><a href="/admin/users/<?cs var:e.user ?>"><?cs var:Lang.admin.outbox.user ?> <?cs var:e.user ?></a><?cs /if ?></td>
<td><?cs var:e.created ?></td>
<td><?cs var:e.attempts ?></td>
<td><?cs var:e.error ?></td>
<td><form method="post" action="/admin/outbox/<?cs var:e.id ?>/retry" class="inline"><input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>"><button type="submit" class="link" aria-label="<?cs var:Lang.admin.outbox.retry_label ?> <?cs var:e.id ?>"><?cs var:Lang.admin.outbox.retry ?></button></form></td>
</tr>
<?cs /each ?></tbody>
</table>
</div>
<?cs else ?>
<p><?cs var:Lang.admin.outbox.none ?></p>
<?cs /if ?>
<?cs if:Data.next_before || Data.paged ?>
<nav aria-label="<?cs var:Page.title ?>"><p>
<?cs if:Data.paged ?><a href="/admin/outbox"><?cs var:Lang.admin.outbox.newest ?></a><?cs /if ?>
<?cs if:Data.next_before ?><a href="/admin/outbox?before=<?cs var:Data.next_before ?>" rel="next"><?cs var:Lang.admin.outbox.older ?></a><?cs /if ?>
</p></nav>
<?cs /if ?>
