<h1><?cs var:Page.title ?></h1>
<p><?cs var:Lang.Rx.Formulary.intro ?></p>
<form method="get" action="/formulary" role="search">
<label for="q"><?cs var:Lang.Rx.Formulary.search ?></label>
<p class="hint" id="q-hint"><?cs var:Lang.Rx.Formulary.hint ?></p>
<input id="q" name="q" type="search" value="<?cs var:Data.q ?>" maxlength="100" autocomplete="off" aria-describedby="q-hint">
<button type="submit" class="primary"><?cs var:Lang.Rx.Formulary.button ?></button>
</form>
<?cs if:Data.too_long ?><p class="alert-box" role="alert"><?cs var:Lang.Rx.Formulary.too_long ?></p>
<?cs elif:Data.searched && !subcount(Data.results) ?><p role="status"><?cs var:Lang.Rx.Formulary.none ?></p>
<?cs elif:Data.searched ?><p role="status"><?cs var:Data.count ?> <?cs var:Lang.Rx.Formulary.found ?></p>
<div class="table-wrap">
<table class="list">
<thead><tr><th scope="col"><?cs var:Lang.Rx.Formulary.col_product ?></th><th scope="col"><?cs var:Lang.Rx.Formulary.col_atc ?></th><th scope="col"><?cs var:Lang.Rx.Formulary.col_route ?></th><th scope="col"><?cs var:Lang.Rx.Formulary.col_brands ?></th></tr></thead>
<tbody>
<?cs each:p = Data.results ?><tr>
<td><?cs var:p.name ?><?cs if:p.eml ?> <span class="muted"><?cs var:Lang.Rx.Formulary.eml ?></span><?cs /if ?></td>
<td><a href="/formulary?q=<?cs var:url_escape(p.atc) ?>"><?cs var:p.atc ?></a></td>
<td><?cs var:Lang.Rx.Formulary.route[p.route] ?></td>
<td><?cs var:p.brands ?></td>
</tr>
<?cs /each ?></tbody>
</table>
</div>
<p class="muted"><?cs var:Lang.Rx.Formulary.eml ?>: <?cs var:Lang.Rx.Formulary.eml_title ?></p>
<?cs /if ?>
