<h1><?cs var:Page.title ?> <?cs var:Data.rx.code ?></h1>
<?cs if:Data.done ?><p class="notice-box" role="status"><?cs var:Data.done ?></p><?cs /if ?>
<?cs if:Data.alert ?><p class="alert-box" role="alert"><?cs var:Data.alert ?></p><?cs /if ?>
<dl class="contact">
<dt><?cs var:Lang.rx.write.page.patient ?></dt><dd><?cs var:Data.rx.patient ?><?cs if:Data.rx.weight ?> · <?cs var:Data.rx.weight ?> kg<?cs /if ?><?cs if:Data.rx.pregnant ?> · <?cs var:Data.rx.pregnant ?><?cs /if ?></dd>
<dt><?cs var:Lang.rx.write.page.status ?></dt><dd><strong class="rx-status rx-<?cs var:Data.rx.status ?>"><?cs var:Data.rx.status_text ?></strong></dd>
<dt><?cs var:Lang.rx.write.page.prescriber ?></dt><dd><?cs var:Data.rx.prescriber ?> · <?cs var:Lang.rx.write.page.created ?> <?cs var:Data.rx.created ?></dd>
<?cs if:Data.rx.signed_at ?><dt><?cs var:Lang.rx.write.page.signed ?></dt><dd><?cs var:Data.rx.signed_at ?> · <?cs var:Lang.rx.write.page.valid ?> <?cs var:Data.rx.issued ?> <?cs var:Lang.rx.write.page.valid_to ?> <?cs var:Data.rx.expires ?></dd><?cs /if ?>
<?cs if:Data.rx.cancelled_at ?><dt><?cs var:Lang.rx.write.page.cancelled ?></dt><dd><?cs var:Data.rx.cancelled_at ?> <?cs var:Lang.rx.write.page.cancelled_by ?> <?cs var:Data.rx.canceller ?>: <?cs var:Data.rx.cancel_reason ?></dd><?cs /if ?>
</dl>
<h2><?cs var:Lang.rx.write.page.items ?></h2>
<?cs include:"rx/items.cs" ?>
<?cs if:Data.editable ?>
<h2 id="add"><?cs var:Lang.rx.write.page.add ?></h2>
<?cs include:"form_errors.cs" ?><?cs set:Form.targets.product = "q" ?><?cs call:error_summary("") ?>
<form method="post" action="/patients/<?cs var:Data.patient.id ?>/rx/<?cs var:Data.rx.id ?>/items" class="stack">
<?cs def:err(name) ?><?cs if:Form.errors[name] ?><p class="error" id="e-<?cs var:name ?>"><?cs var:Form.errors[name] ?></p><?cs /if ?><?cs /def ?>
<?cs def:invalid(name) ?><?cs if:Form.errors[name] ?> aria-invalid="true" aria-describedby="e-<?cs var:name ?>"<?cs /if ?><?cs /def ?>
<label for="q"><?cs var:Lang.rx.write.page.search ?></label>
<input id="q" name="q" type="search" maxlength="100" value="<?cs var:Form.q ?>">
<button type="submit" name="search" value="1" data-live="pick-list" data-live-status="pick-status" formmethod="get" formaction="/patients/<?cs var:Data.patient.id ?>/rx/<?cs var:Data.rx.id ?>#add"><?cs var:Lang.rx.write.page.search_button ?></button>
<p id="pick-status" role="status"<?cs if:Data.searched == "0" ?> class="muted"<?cs /if ?>><?cs if:Data.searched == "0" ?><?cs var:Lang.rx.write.page.no_matches ?><?cs elif:subcount(Data.matches) > 0 ?><?cs var:subcount(Data.matches) ?> <?cs var:Lang.rx.write.page.matches ?><?cs /if ?></p>
<div id="pick-list"><?cs if:subcount(Data.matches) > 0 ?><ul class="slots"><?cs each:m = Data.matches ?><li><button type="submit" class="link" name="pick" value="<?cs var:m.code ?>" formmethod="get" formaction="/patients/<?cs var:Data.patient.id ?>/rx/<?cs var:Data.rx.id ?>#add"><?cs var:m.name ?></button></li><?cs /each ?></ul>
<?cs /if ?></div>
<?cs call:err("product") ?>
<?cs if:Data.product.code ?><p><?cs var:Lang.rx.write.page.chosen ?>: <strong><?cs var:Data.product.name ?></strong></p>
<input type="hidden" name="product" value="<?cs var:Data.product.code ?>">
<label for="dose_amount"><?cs var:Lang.rx.write.page.dose ?></label>
<?cs call:err("dose_amount") ?>
<input id="dose_amount" name="dose_amount" inputmode="decimal" maxlength="12" required value="<?cs var:Form.dose_amount ?>"<?cs call:invalid("dose_amount") ?>>
<label for="dose_unit"><?cs var:Lang.rx.write.page.dose_unit ?></label>
<?cs call:err("dose_unit") ?>
<select id="dose_unit" name="dose_unit"<?cs call:invalid("dose_unit") ?>>
<option value="<?cs var:Data.product.unit ?>"><?cs var:Data.product.unit_name ?></option>
<?cs if:Data.product.unit != "mg" ?><option value="mg"<?cs if:Form.dose_unit == "mg" ?> selected<?cs /if ?>>mg</option><?cs /if ?>
</select>
<label for="route"><?cs var:Lang.rx.write.page.route ?></label>
<?cs call:err("route") ?>
<select id="route" name="route"<?cs call:invalid("route") ?>><?cs each:o = Data.routes ?><option value="<?cs var:o.code ?>"<?cs if:Form.route == o.code ?> selected<?cs /if ?>><?cs var:o.name ?></option><?cs /each ?></select>
<label for="every_hours"><?cs var:Lang.rx.write.page.every ?></label>
<?cs call:err("every_hours") ?>
<select id="every_hours" name="every_hours"<?cs call:invalid("every_hours") ?>>
<option value=""><?cs var:Lang.rx.write.page.single ?></option>
<?cs each:h = Data.hours ?><option value="<?cs var:h ?>"<?cs if:Form.every_hours == h ?> selected<?cs /if ?>><?cs var:Lang.rx.write.page.every_prefix ?> <?cs var:h ?> <?cs var:Lang.rx.write.page.hours ?></option><?cs /each ?>
</select>
<label class="check"><input type="checkbox" name="as_needed" value="1"<?cs if:Form.as_needed ?> checked<?cs /if ?>> <span><?cs var:Lang.rx.write.page.as_needed ?></span></label>
<label for="duration_days"><?cs var:Lang.rx.write.page.duration ?></label>
<?cs call:err("duration_days") ?>
<input id="duration_days" name="duration_days" inputmode="numeric" pattern="[0-9]*" maxlength="3" value="<?cs var:Form.duration_days ?>"<?cs call:invalid("duration_days") ?>>
<label class="check"><input type="checkbox" name="until_told" value="1"<?cs if:Form.until_told ?> checked<?cs /if ?>> <span><?cs var:Lang.rx.write.page.until_told ?></span></label>
<label for="advice"><?cs var:Lang.rx.write.page.advice ?></label>
<?cs call:err("advice") ?>
<input id="advice" name="advice" maxlength="500" value="<?cs var:Form.advice ?>"<?cs call:invalid("advice") ?>>
<label for="quantity"><?cs var:Lang.rx.write.page.quantity ?> (<?cs var:Data.product.unit_name ?>)</label>
<?cs if:Data.suggested ?><p class="hint" id="quantity-hint"><?cs var:Lang.rx.write.page.suggested ?> <strong><?cs var:Data.suggested ?></strong></p><?cs /if ?>
<?cs call:err("quantity") ?>
<input id="quantity" name="quantity" inputmode="numeric" pattern="[0-9]*" maxlength="5" value="<?cs var:Form.quantity ?>"<?cs call:invalid("quantity") ?>>
<label for="refills"><?cs var:Lang.rx.write.page.refills_label ?></label>
<?cs call:err("refills") ?>
<input id="refills" name="refills" inputmode="numeric" pattern="[0-9]*" maxlength="2" value="<?cs var:Form.refills ?>"<?cs call:invalid("refills") ?>>
<?cs if:Data.typed_text ?><p class="hint"><?cs var:Lang.rx.write.page.typed ?> <?cs var:Data.typed_text ?></p><?cs /if ?>
<button type="submit" class="primary" name="csrf" value="<?cs var:Page.csrf ?>"><?cs var:Lang.rx.write.page.add_button ?></button>
<?cs else ?><p class="muted"><?cs var:Lang.rx.write.page.none_chosen ?></p><?cs /if ?>
</form>
<script src="/static/live-search.js" defer></script>
<?cs /if ?>
<?cs if:!Data.rx.signed_at && subcount(Data.items) > 0 ?>
<h2 id="checks"><?cs var:Lang.rx.write.page.checks ?></h2>
<?cs if:subcount(Data.warnings) == 0 ?><p class="notice-box"><?cs var:Lang.rx.write.page.checks_none ?></p><?cs else ?>
<p class="hint"><?cs var:Lang.rx.write.page.checks_hint ?></p><?cs /if ?>
<?cs /if ?>
<?cs if:subcount(Data.warnings) > 0 ?><?cs if:Data.rx.signed_at ?><h2 id="checks"><?cs var:Lang.rx.write.page.checks ?></h2><?cs /if ?>
<ul class="rx-warnings">
<?cs each:w = Data.warnings ?><li class="rx-warning rx-<?cs var:w.severity ?>"><p><strong><?cs var:w.severity_text ?> · <?cs var:w.kind ?></strong><br><?cs var:w.detail ?></p>
<?cs if:w.reason ?><p class="muted"><?cs var:Lang.rx.write.page.overridden ?> <?cs var:w.by ?>, <?cs var:w.at ?>: <?cs var:w.reason ?></p>
<?cs elif:Data.editable ?><form method="post" action="/patients/<?cs var:Data.patient.id ?>/rx/<?cs var:Data.rx.id ?>/warnings/<?cs var:w.id ?>" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<label for="reason-<?cs var:w.id ?>"><?cs var:Lang.rx.write.page.reason ?></label>
<?cs if:Data.override_error[w.id] ?><p class="error" id="e-reason-<?cs var:w.id ?>"><?cs var:Data.override_error[w.id] ?></p><?cs /if ?>
<input id="reason-<?cs var:w.id ?>" name="reason" maxlength="500" required value="<?cs var:Data.override_typed[w.id] ?>"<?cs if:Data.override_error[w.id] ?> aria-invalid="true" aria-describedby="e-reason-<?cs var:w.id ?>"<?cs /if ?>>
<?cs if:w.severe ?><label class="check"><input type="checkbox" name="confirm" value="1" required> <span><?cs var:Lang.rx.write.page.confirm ?></span></label><?cs /if ?>
<button type="submit"><?cs var:Lang.rx.write.page.override ?></button>
</form><?cs /if ?></li>
<?cs /each ?></ul><?cs /if ?>
<?cs if:Data.editable && subcount(Data.items) > 0 ?>
<h2><?cs var:Lang.rx.write.page.sign ?></h2>
<?cs if:Data.open > 0 ?><p class="alert-box"><?cs var:Data.open ?> <?cs var:Lang.rx.write.page.sign_open ?></p><?cs /if ?>
<p class="hint"><?cs var:Lang.rx.write.page.sign_hint ?></p>
<form method="post" action="/patients/<?cs var:Data.patient.id ?>/rx/<?cs var:Data.rx.id ?>/sign">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<button type="submit" class="primary"><?cs var:Lang.rx.write.page.sign_button ?></button>
</form>
<?cs /if ?>
<?cs if:Data.cancellable ?>
<h2><?cs var:Lang.rx.write.page.cancel ?></h2>
<p class="hint"><?cs var:Lang.rx.write.page.cancel_hint ?></p>
<form method="post" action="/patients/<?cs var:Data.patient.id ?>/rx/<?cs var:Data.rx.id ?>/cancel" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<label for="cancel-reason"><?cs var:Lang.rx.write.page.cancel_reason ?></label>
<input id="cancel-reason" name="reason" maxlength="500" required>
<button type="submit"><?cs var:Lang.rx.write.page.cancel_button ?></button>
</form>
<?cs /if ?>
<p><a href="/patients/<?cs var:Data.patient.id ?>/encounters/<?cs var:Data.rx.encounter ?>/rx"><?cs var:Lang.rx.write.page.back_encounter ?></a> · <a href="/patients/<?cs var:Data.patient.id ?>/rx"><?cs var:Lang.rx.write.page.back_list ?></a></p>
