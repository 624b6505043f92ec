<h1><?cs var:Page.title ?></h1>
<?cs include:"form_errors.cs" ?><?cs call:error_summary("") ?>
<?cs if:Data.done == "others" ?><p class="notice-box" role="status"><?cs var:Lang.profile.sessions.done_others ?></p>
<?cs elif:Data.done == "ended" ?><p class="notice-box" role="status"><?cs var:Lang.profile.sessions.done_ended ?></p>
<?cs /if ?>
<p><?cs var:Lang.profile.sessions.intro ?></p>
<div class="table-wrap">
<table class="list">
<thead><tr><th scope="col"><?cs var:Lang.profile.sessions.device ?></th><th scope="col"><?cs var:Lang.profile.sessions.times ?></th><th scope="col"><span class="sr"><?cs var:Lang.profile.sessions.actions ?></span></th></tr></thead>
<tbody>
<?cs each:s = Data.sessions ?>
<tr>
<td><?cs if:s.agent ?><?cs var:s.agent ?><?cs else ?><?cs var:Lang.profile.sessions.unknown_device ?><?cs /if ?><br><span class="muted"><?cs var:s.addr ?></span><?cs if:s.current ?><br><strong><?cs var:Lang.profile.sessions.this_one ?></strong><?cs /if ?><?cs if:s.pending ?><br><span class="muted"><?cs var:Lang.profile.sessions.pending ?></span><?cs /if ?></td>
<td><?cs var:Lang.profile.sessions.created ?> <?cs var:s.created ?><br><?cs var:Lang.profile.sessions.seen ?> <?cs var:s.seen ?></td>
<td><?cs if:!s.current ?><form method="post" action="/profile/sessions/<?cs var:s.id ?>/end" class="inline"><input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>"><button type="submit" class="link"><?cs var:Lang.profile.sessions.end ?><span class="sr"> (<?cs var:s.created ?>)</span></button></form><?cs /if ?></td>
</tr>
<?cs /each ?>
</tbody>
</table>
</div>
<?cs if:Data.others > 0 ?>
<form method="post" action="/profile/sessions/others" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<button type="submit" class="primary"><?cs var:Lang.profile.sessions.end_others ?></button>
</form>
<?cs /if ?>
<p><a href="/profile"><?cs var:Lang.profile.back ?></a></p>
