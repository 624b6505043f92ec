<h1><?cs var:Page.title ?></h1>
<?cs include:"triage/thread.cs" ?>
<form method="<?cs if:Data.stored ?>post<?cs else ?>get<?cs /if ?>" action="<?cs var:Data.self ?>" class="stack">
<?cs include:"triage/carry.cs" ?>
<input type="hidden" name="q" value="<?cs var:Data.q.id ?>">
<fieldset><legend id="question"><span class="muted"><?cs var:Lang.triage.ask.number ?> <?cs var:Data.q.number ?> / <?cs var:Data.q.max ?>.</span> <?cs var:Data.q.text ?></legend>
<button type="submit" name="r" value="y" class="primary"><?cs var:Lang.triage.reply.y ?></button>
<button type="submit" name="r" value="n" class="primary"><?cs var:Lang.triage.reply.n ?></button>
<button type="submit" name="r" value="u"><?cs var:Lang.triage.reply.u ?></button>
</fieldset>
</form>
<p class="muted"><?cs var:Lang.triage.emergency_first ?></p>
