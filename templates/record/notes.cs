<h1><?cs var:Page.title ?></h1>
<?cs if:subcount(Data.notes) == 0 ?><p><?cs var:Lang.notes.mine.none ?></p><?cs else ?>
<ul class="doctors">
<?cs each:n = Data.notes ?><li><a href="/record/notes/<?cs var:n.id ?>"><?cs var:n.date ?> · <?cs var:n.doctor ?></a><?cs if:n.codes || n.addenda ?><br><span class="muted"><?cs var:n.codes ?><?cs if:n.addenda ?><?cs if:n.codes ?> · <?cs /if ?><?cs var:Lang.notes.mine.addenda ?><?cs /if ?></span><?cs /if ?></li>
<?cs /each ?></ul>
<?cs if:subcount(Data.notes) == 40 ?><p class="muted"><?cs var:Lang.notes.mine.limit ?></p><?cs /if ?>
<?cs /if ?>
