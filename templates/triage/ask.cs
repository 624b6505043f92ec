<h1><?cs var:Page.title ?></h1>
<?cs include:"triage/thread.cs" ?>
<form method="<?cs if:Data.stored ?>post<?cs else ?>get<?cs /if ?>" action="<?cs var:Data.self ?>" class="stack">
<?cs include:"triage/carry.cs" ?>
<input type="hidden" name="q" value="<?cs var:Data.q.id ?>">
<fieldset><legend id="question"><span class="muted"><?cs var:Lang.triage.ask.number ?> <?cs var:Data.q.number ?> / <?cs var:Data.q.max ?>.</span> <?cs var:Data.q.text ?></legend>
<?cs if:Data.q.answer == "duration" ?>
<?cs loop:i = 0, 4, 1 ?><button type="submit" name="v" value="<?cs var:i ?>" class="primary"><?cs var:Lang.triage.duration[i] ?></button>
<?cs /loop ?>
<?cs elif:Data.q.answer == "severity" ?>
<?cs loop:i = 0, 2, 1 ?><button type="submit" name="v" value="<?cs var:i ?>" class="primary"><?cs var:Lang.triage.severity[i] ?></button>
<?cs /loop ?>
<?cs elif:Data.q.answer == "number" ?>
<label for="v"><?cs var:Lang.triage.ask.value ?></label>
<span><input type="text" id="v" name="v" inputmode="decimal" pattern="[0-9]+([.,][0-9])?" maxlength="7" size="7" required aria-describedby="question"> <?cs var:Data.q.unit ?></span>
<button type="submit" name="r" value="v" class="primary"><?cs var:Lang.triage.ask.next ?></button>
<?cs else ?>
<button type="submit" name="r" value="y" class="primary"><?cs var:Lang.triage.reply.y ?></button>
<button type="submit" name="r" value="n" class="primary"><?cs var:Lang.triage.reply.n ?></button>
<?cs /if ?>
<button type="submit" name="r" value="u" formnovalidate><?cs var:Lang.triage.reply.u ?></button>
</fieldset>
</form>
<p class="muted"><?cs var:Lang.triage.emergency_first ?></p>
