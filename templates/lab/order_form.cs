<h1><?cs var:Page.title ?>: <?cs var:Data.patient.name ?></h1>
<p class="muted"><?cs var:Data.enc.started ?> · <?cs var:Data.enc.doctor ?></p>
<?cs if:Data.created ?><p class="notice-box" role="status"><?cs var:Lang.lab.order.created ?></p><?cs /if ?>
<?cs if:subcount(Data.orders) > 0 ?><h2><?cs var:Lang.lab.order.existing ?></h2>
<ul class="doctors">
<?cs each:o = Data.orders ?><li><strong><?cs var:o.code ?></strong> · <?cs var:o.created ?> · <?cs var:o.priority ?><br><span class="muted"><?cs var:o.tests ?> <?cs var:Lang.lab.order.tests ?> · <?cs var:o.released ?> <?cs var:Lang.lab.order.released ?></span></li>
<?cs /each ?></ul><?cs /if ?>
<h2 id="find"><?cs var:Lang.lab.order.find ?></h2>
<form method="get" action="/patients/<?cs var:Data.patient.id ?>/encounters/<?cs var:Data.enc.id ?>/lab/new#tests" class="stack" aria-labelledby="find">
<label for="q"><?cs var:Lang.lab.order.search ?></label>
<p class="hint" id="q-hint"><?cs var:Lang.lab.order.search_hint ?></p>
<input id="q" name="q" type="search" maxlength="100" value="<?cs var:Data.q ?>" aria-describedby="q-hint">
<?cs each:t = Data.tests ?><?cs if:t.checked ?><input type="hidden" name="test" value="<?cs var:t.code ?>"><?cs /if ?><?cs /each ?>
<button type="submit"><?cs var:Lang.lab.order.search_button ?></button>
</form>
<?cs if:Data.none_found ?><p role="status" class="muted"><?cs var:Lang.lab.order.none_found ?></p><?cs /if ?>
<h2 id="new"><?cs var:Lang.lab.order.new ?></h2>
<?cs if:Form.has_errors ?><p class="alert-box" role="alert"><?cs var:Lang.validate.summary ?></p><?cs /if ?>
<form method="post" action="/patients/<?cs var:Data.patient.id ?>/encounters/<?cs var:Data.enc.id ?>/lab/new" class="stack" aria-labelledby="new">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<?cs if:Form.errors.tests ?><p class="error" id="tests-error" role="alert"><?cs var:Form.errors.tests ?></p><?cs /if ?>
<fieldset<?cs if:Form.errors.tests ?> aria-describedby="tests-error"<?cs /if ?>>
<legend><?cs var:Lang.lab.order.panels ?></legend>
<?cs each:p = Data.panels ?><label class="check"><input type="checkbox" name="panel" value="<?cs var:p.code ?>"<?cs if:p.checked ?> checked<?cs /if ?>> <span><strong><?cs var:p.name ?></strong> <span class="muted">(<?cs var:p.members ?>)</span></span></label>
<?cs /each ?></fieldset>
<fieldset id="tests">
<legend><?cs var:Lang.lab.order.single ?></legend>
<?cs if:subcount(Data.tests) == 0 ?><p class="muted"><?cs var:Lang.lab.order.single_hint ?></p><?cs /if ?>
<?cs each:t = Data.tests ?><label class="check"><input type="checkbox" name="test" value="<?cs var:t.code ?>"<?cs if:t.checked ?> checked<?cs /if ?>> <span><?cs var:t.name ?> <span class="muted"><?cs var:t.code ?><?cs if:t.unit ?> · <?cs var:t.unit ?><?cs /if ?></span></span></label>
<?cs /each ?></fieldset>
<label for="priority"><?cs var:Lang.lab.order.priority ?></label>
<select id="priority" name="priority">
<option value="routine"<?cs if:Form.priority != "urgent" ?> selected<?cs /if ?>><?cs var:Lang.lab.priority.routine ?></option>
<option value="urgent"<?cs if:Form.priority == "urgent" ?> selected<?cs /if ?>><?cs var:Lang.lab.priority.urgent ?></option>
</select>
<label for="note"><?cs var:Lang.lab.order.note ?></label>
<p class="hint" id="note-hint"><?cs var:Lang.lab.order.note_hint ?></p>
<?cs if:Form.errors.note ?><p class="error" id="note-error"><?cs var:Form.errors.note ?></p><?cs /if ?>
<textarea id="note" name="note" rows="3" maxlength="1000" aria-describedby="<?cs if:Form.errors.note ?>note-error <?cs /if ?>note-hint"<?cs if:Form.errors.note ?> aria-invalid="true"<?cs /if ?>><?cs var:Form.note ?></textarea>
<button type="submit" class="primary"><?cs var:Lang.lab.order.submit ?></button>
</form>
<p><a href="/patients/<?cs var:Data.patient.id ?>/encounters/<?cs var:Data.enc.id ?>"><?cs var:Lang.lab.order.back ?></a></p>
