<h1><?cs var:Page.title ?></h1>
<?cs include:"form_errors.cs" ?><?cs call:error_summary("") ?>
<p><?cs var:Lang.notices.intro ?></p>
<?cs if:Data.any_unread ?>
<form method="post" action="/notices/read-all">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<button type="submit" class="primary"><?cs var:Lang.notices.read_all ?></button>
</form>
<?cs /if ?>
<?cs if:subcount(Data.notices) ?>
<ul class="doctors">
<?cs each:n = Data.notices ?><li<?cs if:n.unread ?> class="notice-box"<?cs /if ?>>
<?cs if:n.unread ?><strong><?cs var:Lang.notices.unread ?>:</strong> <?cs /if ?><?cs var:n.text ?><br>
<span class="muted"><?cs var:Lang.notices.received ?>: <?cs var:n.created ?></span>
<?cs if:n.unread ?>
<form method="post" action="/notices/<?cs var:n.id ?>/read" class="inline">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<?cs if:n.link ?><input type="hidden" name="next" value="<?cs var:n.link ?>"><button type="submit" class="link"><?cs var:Lang.notices.open ?></button><?cs else ?><button type="submit" class="link"><?cs var:Lang.notices.mark_read ?></button><?cs /if ?>
</form>
<?cs elif:n.link ?>
<a href="<?cs var:n.link ?>"><?cs var:Lang.notices.view ?></a>
<?cs /if ?>
</li>
<?cs /each ?></ul>
<?cs else ?>
<p><?cs var:Lang.notices.none ?></p>
<?cs /if ?>
<?cs if:Data.next_before || Data.paged ?>
<nav aria-label="<?cs var:Page.title ?>"><p>
<?cs if:Data.paged ?><a href="/notices"><?cs var:Lang.notices.newest ?></a><?cs /if ?>
<?cs if:Data.next_before ?><a href="/notices?before=<?cs var:Data.next_before ?>" rel="next"><?cs var:Lang.notices.older ?></a><?cs /if ?>
</p></nav>
<?cs /if ?>
<p><a href="/account/security"><?cs var:Lang.notices.security_link ?></a></p>
