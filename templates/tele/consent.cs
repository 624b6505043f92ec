<h1><?cs var:Page.title ?></h1>
<p><?cs var:Lang.tele.consent.intro ?></p>
<ul>
<li><?cs var:Lang.tele.consent.what ?></li>
<li><?cs var:Lang.tele.consent.both ?></li>
<li><?cs var:Lang.tele.consent.audio ?></li>
</ul>
<?cs if:Data.answer ?>
<p class="notice-box" role="status"><?cs if:Data.answer == "yes" ?><?cs var:Lang.tele.consent.said_yes ?><?cs else ?><?cs var:Lang.tele.consent.said_no ?><?cs /if ?>
<?cs if:Data.recording ?> <?cs var:Lang.tele.consent.recording ?><?cs /if ?></p>
<p><a href="<?cs var:Data.call ?>"><?cs var:Lang.tele.consent.to_call ?></a></p>
<?cs else ?>
<?cs include:"form_errors.cs" ?><?cs set:Form.labels.transcribe = Lang.tele.consent.question ?><?cs call:error_summary("transcribe-") ?>
<form method="post" action="/appointments/<?cs var:Data.appointment ?>/call/consent" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<fieldset><legend><?cs var:Lang.tele.consent.question ?></legend>
<p><button type="submit" name="transcribe" value="yes" id="transcribe-yes" class="primary"><?cs var:Lang.tele.consent.yes ?></button>
<button type="submit" name="transcribe" value="no" id="transcribe-no"><?cs var:Lang.tele.consent.no ?></button></p>
</fieldset>
</form>
<?cs /if ?>
