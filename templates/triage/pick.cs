<h1><?cs var:Page.title ?></h1>
<?cs if:Data.crisis ?><p class="notice-box"><strong><?cs var:Lang.triage.crisis ?></strong></p><?cs else ?><p class="notice-box"><?cs var:Lang.triage.emergency_first ?></p><?cs /if ?>
<p><?cs var:Lang.triage.pick.intro ?> «<?cs var:Data.complaint ?>»</p>
<form method="<?cs if:Data.stored ?>post<?cs else ?>get<?cs /if ?>" action="<?cs var:Data.self ?>" class="stack">
<?cs include:"triage/carry.cs" ?>
<fieldset><legend><?cs var:Lang.triage.pick.legend ?></legend>
<?cs each:p = Data.picks ?><label><input type="checkbox" name="f" value="<?cs var:p.id ?>"> <?cs var:p.name ?></label>
<?cs /each ?></fieldset>
<input type="hidden" name="none" value="1">
<button type="submit" class="primary"><?cs var:Lang.triage.pick.submit ?></button>
</form>
<p><a href="/triage"><?cs var:Lang.triage.pick.again ?></a></p>
