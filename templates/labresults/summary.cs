<h2><?cs var:Lang.labresults.summary.title ?></h2>
<?cs if:Data.lab.day ?><p><a href="<?cs var:Data.lab.url ?>"><?cs var:Lang.labresults.summary.latest ?>: <?cs var:Data.lab.day ?></a> (<?cs var:Data.lab.count ?>)</p>
<?cs if:subcount(Data.lab.flagged) > 0 ?><ul class="doctors"><?cs each:f = Data.lab.flagged ?><li><?cs var:f ?></li><?cs /each ?></ul>
<?cs else ?><p class="muted"><?cs var:Lang.labresults.summary.all_normal ?></p><?cs /if ?>
<p><a href="<?cs if:Data.staff ?><?cs var:Data.base ?>/results<?cs else ?>/results<?cs /if ?>"><?cs var:Lang.labresults.summary.more ?></a></p>
<?cs else ?><p class="muted"><?cs var:Lang.labresults.summary.none ?></p><?cs /if ?>
