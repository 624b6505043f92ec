<h1><?cs var:Page.title ?></h1>
<p><?cs var:Lang.chat.list.intro ?></p>
<p><?cs if:Data.can_start ?><a href="/messages/new"><?cs var:Lang.chat.list.start ?></a><?cs /if ?>
<?cs if:Page.user.role.doctor ?> · <a href="/messages/away"><?cs var:Lang.chat.list.away ?></a><?cs /if ?></p>
<?cs if:subcount(Data.threads) ?>
<ul class="doctors threads">
<?cs each:t = Data.threads ?><li<?cs if:t.unread > 0 ?> class="notice-box"<?cs /if ?>>
<a href="/messages/<?cs var:t.id ?>"><strong><?cs var:t.subject ?></strong></a>
<?cs if:t.unread > 0 ?> <span class="badge"><?cs var:t.unread ?> <span class="sr"><?cs var:Lang.chat.list.unread ?></span></span><?cs /if ?><br>
<span class="muted"><?cs var:Lang.chat.list.with ?>:</span> <?cs if:t.desk && !Page.user.role.reception ?><?cs var:Lang.chat.list.desk ?><?cs else ?><?cs var:t.other ?><?cs /if ?>
· <span class="muted"><?cs var:Lang.chat.list.last ?>:</span> <?cs var:t.at ?>
<?cs if:t.needs_reply ?> · <strong><?cs var:Lang.chat.list.needs_reply ?></strong><?cs /if ?>
<?cs if:t.closed ?> · <?cs var:Lang.chat.list.closed ?><?cs /if ?></li>
<?cs /each ?></ul>
<?cs else ?>
<p><?cs var:Lang.chat.list.empty ?></p>
<?cs /if ?>
