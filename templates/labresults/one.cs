<?cs each:o = Data.orders ?>
<h1><?cs var:Page.title ?> <?cs var:o.code ?></h1>
<dl class="contact">
<dt><?cs var:Lang.labresults.one.collected ?></dt><dd><?cs var:o.day ?></dd>
<dt><?cs var:Lang.labresults.one.doctor ?></dt><dd><?cs var:o.doctor ?></dd>
<dt><?cs var:Lang.labresults.one.released ?></dt><dd><?cs var:o.released ?></dd>
</dl>
<?cs include:"labresults/results_table.cs" ?>
<p class="muted"><?cs var:Lang.labresults.one.flags_help ?></p>
<p><a class="button primary" href="<?cs if:Data.base ?><?cs var:Data.base ?><?cs else ?>/results<?cs /if ?>/<?cs var:o.id ?>.pdf"><?cs var:Lang.labresults.one.pdf ?></a></p>
<?cs /each ?>
<p><a href="<?cs if:Data.base ?><?cs var:Data.base ?><?cs else ?>/results<?cs /if ?>"><?cs var:Lang.labresults.mine.title ?></a></p>
