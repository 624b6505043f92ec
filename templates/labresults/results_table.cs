<div class="table-wrap">
<table class="list lab-results">
<caption><?cs var:Lang.labresults.table.caption ?> <?cs var:o.code ?> · <?cs var:o.day ?></caption>
<thead><tr><th scope="col"><?cs var:Lang.labresults.table.test ?></th><th scope="col"><?cs var:Lang.labresults.table.result ?></th><th scope="col"><?cs var:Lang.labresults.table.range ?></th></tr></thead>
<tbody>
<?cs each:x = o.results ?><tr><th scope="row"><?cs if:x.trend && !Data.base ?><a href="/results/analyte/<?cs var:x.analyte ?>"><?cs var:x.name ?></a><?cs else ?><?cs var:x.name ?><?cs /if ?></th>
<td><span class="lab-value"><?cs var:x.value ?></span> <?cs var:x.unit ?><?cs if:x.flag_text ?> <strong class="lab-flag lab-<?cs var:x.flag ?>"><span aria-hidden="true"><?cs var:x.symbol ?></span> <?cs var:x.flag_text ?></strong><?cs /if ?><?cs if:x.corrected ?><br><em class="lab-corrected"><?cs var:Lang.labresults.corrected ?></em><?cs if:x.reason ?>: <?cs var:x.reason ?><?cs /if ?><?cs /if ?></td>
<td><?cs if:x.range ?><?cs var:x.range ?><?cs else ?><span class="muted"><?cs var:Lang.labresults.table.no_range ?></span><?cs /if ?></td></tr>
<?cs /each ?></tbody>
</table>
</div>
