<h1><?cs var:Page.title ?></h1>
<form method="get" action="/lab" class="stack" role="search" aria-labelledby="code-label">
<label for="code" id="code-label"><?cs var:Lang.lab.worklist.code ?></label>
<p class="hint" id="code-hint"><?cs var:Lang.lab.worklist.code_hint ?></p>
<?cs if:Data.not_found ?><p class="error" id="code-error" role="alert"><?cs var:Lang.lab.worklist.not_found ?></p><?cs /if ?>
<input id="code" name="code" type="text" maxlength="40" autocomplete="off" autocapitalize="characters" spellcheck="false" value="<?cs var:Data.code ?>" aria-describedby="<?cs if:Data.not_found ?>code-error <?cs /if ?>code-hint"<?cs if:Data.not_found ?> aria-invalid="true"<?cs /if ?>>
<button type="submit"><?cs var:Lang.lab.worklist.open ?></button>
</form>
<h2 id="pending"><?cs var:Lang.lab.worklist.pending ?></h2>
<?cs if:subcount(Data.list) == 0 ?><p><?cs var:Lang.lab.worklist.none ?></p><?cs else ?>
<div class="table-wrap" tabindex="0" role="region" aria-labelledby="pending"><table class="list" aria-labelledby="pending">
<thead><tr><th scope="col"><?cs var:Lang.lab.worklist.col_code ?></th><th scope="col"><?cs var:Lang.lab.worklist.col_priority ?></th><th scope="col"><?cs var:Lang.lab.worklist.col_patient ?></th><th scope="col"><?cs var:Lang.lab.worklist.col_ordered ?></th><th scope="col"><?cs var:Lang.lab.worklist.col_state ?></th></tr></thead>
<tbody>
<?cs each:o = Data.list ?><tr><td><a href="/lab/orders/<?cs var:o.id ?>"><?cs var:o.code ?></a></td><td><?cs if:o.urgent ?><strong>‼ <?cs var:Lang.lab.priority.urgent ?></strong><?cs else ?><?cs var:Lang.lab.priority.routine ?><?cs /if ?></td><td><?cs var:o.patient ?></td><td><?cs var:o.created ?><br><span class="muted"><?cs var:o.doctor ?></span></td><td><?cs if:o.collected ?><?cs var:Lang.lab.worklist.collected ?> <?cs var:o.collected ?><?cs else ?><?cs var:Lang.lab.worklist.to_collect ?><?cs /if ?><br><span class="muted"><?cs var:o.entered ?>/<?cs var:o.tests ?> <?cs var:Lang.lab.worklist.entered ?> · <?cs var:o.released ?> <?cs var:Lang.lab.worklist.released ?></span></td></tr>
<?cs /each ?></tbody></table></div><?cs /if ?>
