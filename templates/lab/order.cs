<h1><?cs var:Page.title ?> <?cs var:Data.order.code ?></h1>
<?cs if:Data.done ?><p class="notice-box" role="status"><?cs var:Data.done ?></p><?cs /if ?>
<?cs if:Data.alert ?><p class="alert-box" role="alert"><?cs var:Data.alert ?></p><?cs /if ?>
<dl class="contact">
<dt><?cs var:Lang.lab.entry.priority ?></dt><dd><?cs if:Data.order.priority == "urgent" ?><strong>‼ <?cs var:Data.order.priority_text ?></strong><?cs else ?><?cs var:Data.order.priority_text ?><?cs /if ?></dd>
<dt><?cs var:Lang.lab.entry.patient ?></dt><dd><?cs var:Data.order.patient ?> · <?cs var:Lang.lab.entry.born ?> <?cs if:Data.order.birth ?><?cs var:Data.order.birth ?><?cs else ?>?<?cs /if ?> · <?cs var:Data.order.sex ?></dd>
<dt><?cs var:Lang.lab.entry.doctor ?></dt><dd><?cs var:Data.order.doctor ?> · <?cs var:Data.order.created ?></dd>
<?cs if:Data.order.note ?><dt><?cs var:Lang.lab.entry.note ?></dt><dd><?cs var:Data.order.note ?></dd><?cs /if ?>
<dt><?cs var:Lang.lab.entry.specimen ?></dt><dd><?cs if:Data.order.collected ?><?cs var:Lang.lab.entry.collected ?> <?cs var:Data.order.collected ?> · <?cs var:Data.order.collector ?><?cs else ?><?cs var:Lang.lab.entry.not_collected ?><?cs /if ?></dd>
</dl>
<p><a href="/lab/orders/<?cs var:Data.order.id ?>/label.pdf"><?cs var:Lang.lab.entry.label ?></a> · <a href="/lab"><?cs var:Lang.lab.entry.back ?></a></p>
<?cs if:!Data.order.collected ?><form method="post" action="/lab/orders/<?cs var:Data.order.id ?>/collect" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<button type="submit" class="primary"><?cs var:Lang.lab.entry.collect ?></button>
</form><?cs /if ?>
<h2 id="results"><?cs var:Lang.lab.entry.results ?></h2>
<?cs if:Data.order.collected && Data.missing > 0 ?><form method="post" action="/lab/orders/<?cs var:Data.order.id ?>/results" class="stack" aria-labelledby="results">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>"><?cs /if ?>
<div class="table-wrap" tabindex="0" role="region" aria-labelledby="results"><table class="list" aria-labelledby="results">
<thead><tr><th scope="col"><?cs var:Lang.lab.entry.test ?></th><th scope="col"><?cs var:Lang.lab.entry.value ?></th><th scope="col"><?cs var:Lang.lab.entry.flag ?></th><th scope="col"><?cs var:Lang.lab.entry.range ?></th><th scope="col"><?cs var:Lang.lab.entry.state ?></th></tr></thead>
<tbody>
<?cs each:t = Data.tests ?><tr>
<th scope="row"><?cs if:Data.order.collected && t.version == "0" ?><label for="<?cs var:t.field ?>"><?cs var:t.name ?></label><?cs else ?><?cs var:t.name ?><?cs /if ?><br><span class="muted"><?cs var:t.code ?><?cs if:t.panel ?> · <?cs var:t.panel ?><?cs /if ?></span></th>
<td><?cs if:t.version != "0" ?><strong><?cs var:t.value ?></strong> <?cs var:t.unit ?><?cs elif:Data.order.collected ?>
<?cs if:t.error ?><p class="error" id="e-<?cs var:t.field ?>"><?cs var:t.error ?></p><?cs /if ?>
<?cs if:t.kind == "coded" ?><select id="<?cs var:t.field ?>" name="<?cs var:t.field ?>"<?cs if:t.error ?> aria-invalid="true" aria-describedby="e-<?cs var:t.field ?>"<?cs /if ?>><option value=""><?cs var:Lang.lab.entry.choose ?></option><?cs each:c = t.choices ?><option<?cs if:t.typed == c ?> selected<?cs /if ?>><?cs var:c ?></option><?cs /each ?></select>
<?cs elif:t.kind == "numeric" ?><input id="<?cs var:t.field ?>" name="<?cs var:t.field ?>" inputmode="decimal" maxlength="20" size="8" value="<?cs var:t.typed ?>"<?cs if:t.error ?> aria-invalid="true" aria-describedby="e-<?cs var:t.field ?>"<?cs /if ?>>
<?cs if:subcount(t.units) > 0 ?><select name="<?cs var:t.ufield ?>" aria-label="<?cs var:Lang.lab.entry.unit ?> <?cs var:t.name ?>"><option value="<?cs var:t.unit ?>"><?cs var:t.unit ?></option><?cs each:u = t.units ?><option<?cs if:t.typed_unit == u ?> selected<?cs /if ?>><?cs var:u ?></option><?cs /each ?></select><?cs else ?><?cs var:t.unit ?><?cs /if ?>
<?cs else ?><input id="<?cs var:t.field ?>" name="<?cs var:t.field ?>" maxlength="500" value="<?cs var:t.typed ?>"<?cs if:t.error ?> aria-invalid="true" aria-describedby="e-<?cs var:t.field ?>"<?cs /if ?>><?cs /if ?>
<?cs else ?><span class="muted">—</span><?cs /if ?></td>
<td><?cs if:t.flag_text ?><?cs if:t.flag != "normal" ?><strong><?cs var:t.flag_text ?></strong><?cs else ?><?cs var:t.flag_text ?><?cs /if ?><?cs /if ?></td>
<td><?cs var:t.range ?></td>
<td><?cs if:t.released ?><?cs var:Lang.lab.entry.released ?><?cs elif:t.version != "0" ?><strong><?cs var:Lang.lab.entry.to_release ?></strong><?cs else ?><?cs var:Lang.lab.entry.not_entered ?><?cs /if ?><?cs if:t.version != "0" ?><br><span class="muted"><?cs var:t.entered_by ?> · <?cs var:t.entered_at ?><?cs if:t.version != "1" ?> · <?cs var:Lang.lab.entry.version ?> <?cs var:t.version ?>: <?cs var:t.reason ?><?cs /if ?></span><?cs /if ?></td>
</tr>
<?cs /each ?></tbody></table></div>
<?cs if:Data.order.collected && Data.missing > 0 ?><button type="submit" class="primary"><?cs var:Lang.lab.entry.save ?></button>
</form><?cs /if ?>
<?cs if:Data.pending > 0 ?><h2 id="release"><?cs var:Lang.lab.entry.release_heading ?></h2>
<p><?cs var:Lang.lab.entry.release_intro ?></p>
<form method="post" action="/lab/orders/<?cs var:Data.order.id ?>/release" class="stack" aria-labelledby="release">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<?cs if:Data.second_person ?><p class="hint"><?cs var:Lang.lab.entry.second_person ?></p><?cs else ?>
<?cs if:Form.errors.confirm ?><p class="error" id="e-confirm"><?cs var:Form.errors.confirm ?></p><?cs /if ?>
<label class="check"><input type="checkbox" name="confirm" value="1"<?cs if:Form.errors.confirm ?> aria-invalid="true" aria-describedby="e-confirm"<?cs /if ?>> <span><?cs var:Lang.lab.entry.confirm ?></span></label><?cs /if ?>
<button type="submit" class="primary"><?cs var:Lang.lab.entry.release ?></button>
</form><?cs /if ?>
<?cs if:Data.order.collected && Data.missing < subcount(Data.tests) ?><h2 id="correct"><?cs var:Lang.lab.entry.correct_heading ?></h2>
<p class="hint"><?cs var:Lang.lab.entry.correct_intro ?></p>
<form method="post" action="/lab/orders/<?cs var:Data.order.id ?>/correct#correct" class="stack" aria-labelledby="correct">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<label for="c-analyte"><?cs var:Lang.lab.entry.test ?></label>
<select id="c-analyte" name="analyte"><?cs each:t = Data.tests ?><?cs if:t.version != "0" ?><option value="<?cs var:t.code ?>"<?cs if:Form.analyte == t.code ?> selected<?cs /if ?>><?cs var:t.name ?> (<?cs var:t.value ?> <?cs var:t.unit ?>)</option><?cs /if ?><?cs /each ?></select>
<label for="c-value"><?cs var:Lang.lab.entry.new_value ?></label>
<?cs if:Form.errors.value ?><p class="error" id="e-c-value"><?cs var:Form.errors.value ?></p><?cs /if ?>
<input id="c-value" name="value" maxlength="500" value="<?cs var:Form.value ?>"<?cs if:Form.errors.value ?> aria-invalid="true" aria-describedby="e-c-value"<?cs /if ?>>
<label for="c-reason"><?cs var:Lang.lab.entry.reason ?></label>
<?cs if:Form.errors.reason ?><p class="error" id="e-c-reason"><?cs var:Form.errors.reason ?></p><?cs /if ?>
<textarea id="c-reason" name="reason" rows="2" maxlength="500"<?cs if:Form.errors.reason ?> aria-invalid="true" aria-describedby="e-c-reason"<?cs /if ?>><?cs var:Form.reason ?></textarea>
<button type="submit"><?cs var:Lang.lab.entry.correct ?></button>
</form><?cs /if ?>
