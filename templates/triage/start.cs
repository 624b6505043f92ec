<h1><?cs var:Page.title ?></h1>
<p class="notice-box"><?cs var:Lang.triage.emergency_first ?></p>
<p><?cs var:Lang.triage.start.intro ?></p>
<?cs if:Data.error ?><p class="error" role="alert" id="start-error"><?cs var:Data.error ?></p><?cs /if ?>
<form method="<?cs if:Data.stored ?>post<?cs else ?>get<?cs /if ?>" action="<?cs if:Data.stored ?>/triage<?cs else ?>/triage/interview<?cs /if ?>" class="stack">
<?cs if:Data.stored ?><input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>"><?cs /if ?>
<label for="age"><?cs var:Lang.triage.start.age ?></label>
<input id="age" name="age" type="number" inputmode="numeric" min="0" max="130" required value="<?cs var:Data.form.age ?>">
<fieldset><legend><?cs var:Lang.triage.start.sex ?></legend>
<label><input type="radio" name="sex" value="female" required<?cs if:Data.form.sex == "female" ?> checked<?cs /if ?>> <?cs var:Lang.triage.start.female ?></label>
<label><input type="radio" name="sex" value="male"<?cs if:Data.form.sex == "male" ?> checked<?cs /if ?>> <?cs var:Lang.triage.start.male ?></label>
<label><input type="radio" name="sex" value="any"<?cs if:Data.form.sex == "any" ?> checked<?cs /if ?>> <?cs var:Lang.triage.start.any ?></label>
</fieldset>
<label><input type="checkbox" name="preg" value="1"<?cs if:Data.form.preg == "1" ?> checked<?cs /if ?>> <?cs var:Lang.triage.start.pregnant ?></label>
<label for="c"><?cs var:Lang.triage.start.complaint ?></label>
<p class="hint" id="c-hint"><?cs var:Lang.triage.start.complaint_hint ?></p>
<textarea id="c" name="c" rows="3" maxlength="300" required aria-describedby="c-hint"><?cs var:Data.form.c ?></textarea>
<button type="submit" class="primary"><?cs var:Lang.triage.start.submit ?></button>
</form>
<?cs if:Data.stored ?><p class="muted"><?cs var:Lang.triage.start.stored ?></p><?cs else ?><p class="muted"><?cs var:Lang.triage.start.anonymous ?></p><?cs /if ?>
<?cs if:subcount(Data.mine) ?>
<h2><?cs var:Lang.triage.start.mine ?></h2>
<ul class="doctors">
<?cs each:m = Data.mine ?><li><a href="/triage/<?cs var:m.id ?>"><?cs var:m.when ?> · <?cs var:m.complaint ?></a><?cs if:m.status == "open" ?> (<?cs var:Lang.triage.start.unfinished ?>)<?cs /if ?></li>
<?cs /each ?></ul>
<?cs /if ?>
<?cs include:"triage/about.cs" ?>
