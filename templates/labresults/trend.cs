<h1><?cs var:Page.title ?>: <?cs var:Data.name ?></h1>
<?cs if:Data.trend_svg ?><figure class="trend"><?cs escape: "none" ?><?cs var:Data.trend_svg ?><?cs /escape ?>
<figcaption><?cs var:Lang.labresults.trend.caption ?><?cs if:Data.band_changed ?> <?cs var:Lang.labresults.trend.band_changed ?><?cs /if ?></figcaption></figure><?cs /if ?>
<div class="table-wrap">
<table class="list">
<caption><?cs var:Data.name ?><?cs if:Data.unit ?> (<?cs var:Data.unit ?>)<?cs /if ?>, <?cs var:Lang.labresults.trend.newest_first ?></caption>
<thead><tr><th scope="col"><?cs var:Lang.labresults.trend.day ?></th><th scope="col"><?cs var:Lang.labresults.table.result ?></th><th scope="col"><?cs var:Lang.labresults.table.range ?></th></tr></thead>
<tbody>
<?cs each:p = Data.rows ?><tr><td><a href="/results/<?cs var:p.order ?>"><?cs var:p.day ?></a></td><td><?cs var:p.value ?><?cs if:p.outside ?> <strong class="lab-flag"><?cs var:Lang.labresults.trend.outside ?></strong><?cs /if ?></td><td><?cs var:p.range ?></td></tr>
<?cs /each ?></tbody>
</table>
</div>
<p><a href="/results"><?cs var:Lang.labresults.mine.title ?></a></p>
