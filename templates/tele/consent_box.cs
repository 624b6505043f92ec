<?cs # The transcript's consent question on the room page (tele/call.cs), until the caller answers it once (fcgi/pages/tele/consent.c). ?>
<section class="notice-box" aria-labelledby="consent-h">
<h2 id="consent-h"><?cs var:Lang.tele.consent.question ?></h2>
<p><?cs var:Lang.tele.consent.intro ?> <?cs var:Lang.tele.consent.both ?></p>
<p><a href="<?cs var:Data.call.path ?>/consent"><?cs var:Lang.tele.consent.more ?></a></p>
<form method="post" action="<?cs var:Data.call.path ?>/consent" class="inline">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<button type="submit" name="transcribe" value="yes" class="primary"><?cs var:Lang.tele.consent.yes ?></button>
<button type="submit" name="transcribe" value="no"><?cs var:Lang.tele.consent.no ?></button>
</form>
</section>
