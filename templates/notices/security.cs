<h1><?cs var:Page.title ?></h1>
<p><?cs var:Lang.notices.security.intro ?></p>
<?cs if:subcount(Data.events) ?>
<div class="table-wrap">
<table class="list">
<thead><tr><th scope="col"><?cs var:Lang.notices.security.col_time ?></th><th scope="col"><?cs var:Lang.notices.security.col_action ?></th><th scope="col"><?cs var:Lang.notices.security.col_who ?></th><th scope="col"><?cs var:Lang.notices.security.col_addr ?></th></tr></thead>
<tbody>
<?cs each:e = Data.events ?><tr>
<td><?cs var:e.at ?></td>
<td><?cs var:e.action ?><?cs if:e.code ?> (<code><?cs var:e.code ?></code>)<?cs /if ?></td>
<td><?cs var:e.who ?></td>
<td><?cs var:e.addr ?></td>
</tr>
<?cs /each ?></tbody>
</table>
</div>
<?cs else ?>
<p><?cs var:Lang.notices.security.none ?></p>
<?cs /if ?>
<?cs if:Data.next_before || Data.paged ?>
<nav aria-label="<?cs var:Page.title ?>"><p>
<?cs if:Data.paged ?><a href="/account/security"><?cs var:Lang.notices.security.newest ?></a><?cs /if ?>
<?cs if:Data.next_before ?><a href="/account/security?before=<?cs var:Data.next_before ?>" rel="next"><?cs var:Lang.notices.security.older ?></a><?cs /if ?>
</p></nav>
<?cs /if ?>
