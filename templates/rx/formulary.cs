<h1><?cs var:Page.title ?></h1>
<p><?cs var:Lang.rx.formulary.intro ?></p>
<form method="get" action="/formulary" role="search" data-live="found" data-live-status="found-status">
<label for="q"><?cs var:Lang.rx.formulary.search ?></label>
<p class="hint" id="q-hint"><?cs var:Lang.rx.formulary.hint ?></p>
<input id="q" name="q" type="search" value="<?cs var:Data.q ?>" maxlength="100" autocomplete="off" aria-describedby="q-hint">
<button type="submit" class="primary"><?cs var:Lang.rx.formulary.button ?></button>
</form>
<p id="found-status" role="status"><?cs if:Data.too_long ?><?cs elif:Data.searched && !subcount(Data.results) ?><?cs var:Lang.rx.formulary.none ?><?cs elif:Data.searched ?><?cs var:Data.count ?> <?cs var:Lang.rx.formulary.found ?><?cs /if ?></p>
<div id="found">
<?cs if:Data.too_long ?><p class="alert-box" role="alert"><?cs var:Lang.rx.formulary.too_long ?></p>
<?cs elif:Data.searched && subcount(Data.results) ?><div class="table-wrap">
<table class="list">
<thead><tr><th scope="col"><?cs var:Lang.rx.formulary.col_product ?></th><th scope="col"><?cs var:Lang.rx.formulary.col_atc ?></th><th scope="col"><?cs var:Lang.rx.formulary.col_route ?></th><th scope="col"><?cs var:Lang.rx.formulary.col_brands ?></th></tr></thead>
<tbody>
<?cs each:p = Data.results ?><tr>
<td><?cs var:p.name ?><?cs if:p.eml ?> <span class="muted"><?cs var:Lang.rx.formulary.eml ?></span><?cs /if ?></td>
<td><a href="/formulary?q=<?cs var:url_escape(p.atc) ?>"><?cs var:p.atc ?></a></td>
<td><?cs var:Lang.rx.formulary.route[p.route] ?></td>
<td><?cs var:p.brands ?></td>
</tr>
<?cs /each ?></tbody>
</table>
</div>
<p class="muted"><?cs var:Lang.rx.formulary.eml ?>: <?cs var:Lang.rx.formulary.eml_title ?></p>
<?cs /if ?></div>
<script src="/static/live-search.js" defer></script>
