<h1><?cs var:Page.title ?></h1>
<?cs if:subcount(Data.orders) == 0 ?><p><?cs var:Lang.labresults.mine.none ?></p><?cs else ?>
<p><?cs var:Lang.labresults.mine.intro ?></p>
<?cs each:o = Data.orders ?><section class="lab-order" aria-labelledby="order-<?cs var:o.id ?>">
<h2 id="order-<?cs var:o.id ?>"><a href="<?cs if:Data.base ?><?cs var:Data.base ?><?cs else ?>/results<?cs /if ?>/<?cs var:o.id ?>"><?cs var:o.day ?></a> · <?cs var:o.doctor ?></h2>
<?cs include:"labresults/results_table.cs" ?>
</section>
<?cs /each ?>
<?cs /if ?>
<p><a href="<?cs if:Data.base ?><?cs var:Data.back ?><?cs else ?>/record<?cs /if ?>"><?cs var:Lang.record.summary.title ?></a></p>
