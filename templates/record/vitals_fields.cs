<?cs def:vfield(name, label, unit, value, error) ?>
<label for="<?cs var:name ?>"><?cs var:label ?> (<?cs var:unit ?>)</label>
<?cs if:error ?><p class="error" id="<?cs var:name ?>-error"><?cs var:error ?></p><?cs /if ?>
<input id="<?cs var:name ?>" name="<?cs var:name ?>" type="text" inputmode="decimal" autocomplete="off" maxlength="12" value="<?cs var:value ?>"<?cs if:error ?> aria-invalid="true" aria-describedby="<?cs var:name ?>-error"<?cs /if ?>>
<?cs /def ?>
<?cs def:dtfield(name, label, type, value, dflt, error) ?>
<label for="<?cs var:name ?>"><?cs var:label ?></label>
<?cs if:error ?><p class="error" id="<?cs var:name ?>-error"><?cs var:error ?></p><?cs /if ?>
<input id="<?cs var:name ?>" name="<?cs var:name ?>" type="<?cs var:type ?>" required value="<?cs if:value ?><?cs var:value ?><?cs else ?><?cs var:dflt ?><?cs /if ?>"<?cs if:error ?> aria-invalid="true" aria-describedby="<?cs var:name ?>-error"<?cs /if ?>>
<?cs /def ?>
<?cs call:dtfield("taken_date", Lang.vitals.f.taken_date, "date", Form.taken_date, Data.now_date, Form.errors.taken_date) ?>
<?cs call:dtfield("taken_time", Lang.vitals.f.taken_time, "time", Form.taken_time, Data.now_time, Form.errors.taken_time) ?>
<fieldset>
<legend><?cs var:Lang.vitals.f.bp ?></legend>
<?cs call:vfield("systolic", Lang.vitals.f.systolic.label, Lang.vitals.f.systolic.unit, Form.systolic, Form.errors.systolic) ?>
<?cs call:vfield("diastolic", Lang.vitals.f.diastolic.label, Lang.vitals.f.diastolic.unit, Form.diastolic, Form.errors.diastolic) ?>
</fieldset>
<?cs call:vfield("heart_rate", Lang.vitals.f.heart_rate.label, Lang.vitals.f.heart_rate.unit, Form.heart_rate, Form.errors.heart_rate) ?>
<?cs call:vfield("temperature", Lang.vitals.f.temperature.label, Lang.vitals.f.temperature.unit, Form.temperature, Form.errors.temperature) ?>
<?cs call:vfield("weight", Lang.vitals.f.weight.label, Lang.vitals.f.weight.unit, Form.weight, Form.errors.weight) ?>
<?cs call:vfield("height", Lang.vitals.f.height.label, Lang.vitals.f.height.unit, Form.height, Form.errors.height) ?>
<?cs call:vfield("spo2", Lang.vitals.f.spo2.label, Lang.vitals.f.spo2.unit, Form.spo2, Form.errors.spo2) ?>
<?cs call:vfield("glucose", Lang.vitals.f.glucose.label, Lang.vitals.f.glucose.unit, Form.glucose, Form.errors.glucose) ?>
