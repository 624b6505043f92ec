<?cs include:"form_errors.cs" ?><?cs set:Form.labels.reason = Lang.record.reason ?><?cs call:error_summary("f-") ?>
<form method="post" action="<?cs var:Data.action ?>" class="stack">
<input type="hidden" name="version" value="<?cs var:Data.version ?>">
<input type="hidden" name="list_version" value="<?cs var:Data.list_version ?>">
<?cs each:f = Data.f ?><?cs if:f.type == "code" ?><fieldset><legend><?cs var:f.label ?></legend>
<label for="q"><?cs var:Lang.record.picker.search ?></label>
<input id="q" name="q" type="search" value="<?cs var:Data.q ?>" maxlength="100">
<button type="submit" name="search" value="1" formmethod="get" formaction="<?cs var:Data.search_action ?>"><?cs var:Lang.record.picker.button ?></button>
<?cs if:subcount(Data.matches) > 0 ?><ul class="slots"><?cs each:m = Data.matches ?><li><?cs if:m.leaf ?><button type="submit" class="link" name="pick" value="<?cs var:m.code ?>" formmethod="get" formaction="<?cs var:Data.search_action ?>"><?cs var:m.code ?> <?cs var:m.title ?></button><?cs else ?><span class="muted"><?cs var:m.code ?> <?cs var:m.title ?></span><?cs /if ?></li><?cs /each ?></ul>
<?cs elif:Data.no_matches ?><p class="muted"><?cs var:Lang.record.picker.none ?></p><?cs /if ?>
<label for="f-<?cs var:f.name ?>"><?cs var:Lang.record.picker.code ?></label>
<?cs if:Form.errors[f.name] ?><p class="error" id="e-<?cs var:f.name ?>"><?cs var:Form.errors[f.name] ?></p><?cs /if ?>
<input id="f-<?cs var:f.name ?>" name="<?cs var:f.name ?>" value="<?cs var:f.value ?>" maxlength="8" autocomplete="off"<?cs if:f.required ?> required<?cs /if ?><?cs if:Form.errors[f.name] ?> aria-invalid="true" aria-describedby="e-<?cs var:f.name ?>"<?cs /if ?>>
<?cs if:Data.code_title ?><p class="hint"><?cs var:Data.code_title ?></p><?cs /if ?>
</fieldset>
<?cs else ?><label for="f-<?cs var:f.name ?>"><?cs var:f.label ?><?cs if:!f.required ?> <span class="muted">(<?cs var:Lang.record.optional ?>)</span><?cs /if ?></label>
<?cs if:Form.errors[f.name] ?><p class="error" id="e-<?cs var:f.name ?>"><?cs var:Form.errors[f.name] ?></p><?cs /if ?>
<?cs if:f.type == "choice" ?><select id="f-<?cs var:f.name ?>" name="<?cs var:f.name ?>"<?cs if:Form.errors[f.name] ?> aria-invalid="true" aria-describedby="e-<?cs var:f.name ?>"<?cs /if ?>><?cs each:o = f.opts ?><option value="<?cs var:o.value ?>"<?cs if:o.sel ?> selected<?cs /if ?>><?cs var:o.label ?></option><?cs /each ?></select>
<?cs else ?><input id="f-<?cs var:f.name ?>" name="<?cs var:f.name ?>" value="<?cs var:f.value ?>"<?cs if:f.type == "date" ?> type="date"<?cs elif:f.type == "number" ?> inputmode="numeric" pattern="[0-9]*"<?cs else ?> maxlength="<?cs var:f.max ?>"<?cs /if ?><?cs if:f.required ?> required<?cs /if ?><?cs if:Form.errors[f.name] ?> aria-invalid="true" aria-describedby="e-<?cs var:f.name ?>"<?cs /if ?>>
<?cs /if ?><?cs /if ?><?cs /each ?>
<?cs if:Data.item ?><label for="f-reason"><?cs var:Lang.record.reason ?></label>
<p class="hint" id="h-reason"><?cs var:Lang.record.reason_hint ?></p>
<?cs if:Form.errors.reason ?><p class="error" id="e-reason"><?cs var:Form.errors.reason ?></p><?cs /if ?>
<input id="f-reason" name="reason" value="<?cs var:Data.reason ?>" maxlength="500" required aria-describedby="<?cs if:Form.errors.reason ?>e-reason <?cs /if ?>h-reason"<?cs if:Form.errors.reason ?> aria-invalid="true"<?cs /if ?>><?cs /if ?>
<button type="submit" class="primary" name="csrf" value="<?cs var:Page.csrf ?>"><?cs var:Lang.record.save ?></button>
</form>
