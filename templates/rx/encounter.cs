<h1><?cs var:Page.title ?>: <?cs var:Data.patient.name ?></h1>
<p class="muted"><?cs var:Data.enc.started ?> · <?cs var:Data.enc.doctor ?></p>
<?cs if:subcount(Data.list) == 0 ?><p><?cs var:Lang.rx.write.encounter.none ?></p><?cs else ?>
<ul class="doctors">
<?cs each:x = Data.list ?><li><a href="/patients/<?cs var:Data.patient.id ?>/rx/<?cs var:x.id ?>"><?cs var:x.code ?></a> · <?cs var:x.created ?><br><span class="muted"><?cs var:x.status_text ?> · <?cs var:x.prescriber ?></span></li>
<?cs /each ?></ul>
<?cs /if ?>
<h2><?cs var:Lang.rx.write.encounter.new ?></h2>
<?cs include:"form_errors.cs" ?><?cs set:Form.labels.weight = Lang.rx.write.encounter.weight ?><?cs call:error_summary("") ?>
<form method="post" action="/patients/<?cs var:Data.patient.id ?>/encounters/<?cs var:Data.enc.id ?>/rx/new" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<label for="weight"><?cs var:Lang.rx.write.encounter.weight ?></label>
<p class="hint" id="weight-hint"><?cs var:Lang.rx.write.encounter.weight_hint ?></p>
<?cs if:Form.errors.weight ?><p class="error" id="weight-error"><?cs var:Form.errors.weight ?></p><?cs /if ?>
<input id="weight" name="weight" inputmode="decimal" maxlength="7" value="<?cs var:Form.weight ?>" aria-describedby="<?cs if:Form.errors.weight ?>weight-error <?cs /if ?>weight-hint"<?cs if:Form.errors.weight ?> aria-invalid="true"<?cs /if ?>>
<label for="pregnant"><?cs var:Lang.rx.write.encounter.pregnant ?></label>
<select id="pregnant" name="pregnant">
<option value=""><?cs var:Lang.rx.write.encounter.pregnant_unknown ?></option>
<option value="f"<?cs if:Form.pregnant == "f" ?> selected<?cs /if ?>><?cs var:Lang.rx.write.encounter.pregnant_no ?></option>
<option value="t"<?cs if:Form.pregnant == "t" ?> selected<?cs /if ?>><?cs var:Lang.rx.write.encounter.pregnant_yes ?></option>
</select>
<button type="submit" class="primary"><?cs var:Lang.rx.write.encounter.start ?></button>
</form>
<p><a href="/patients/<?cs var:Data.patient.id ?>/encounters/<?cs var:Data.enc.id ?>"><?cs var:Lang.rx.write.encounter.back ?></a> · <a href="/patients/<?cs var:Data.patient.id ?>/rx"><?cs var:Lang.rx.write.page.back_list ?></a></p>
