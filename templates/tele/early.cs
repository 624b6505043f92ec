<h1><?cs var:Page.title ?></h1>
<p class="notice-box" role="status"><?cs var:Lang.tele.early.opens ?> <strong><?cs var:Data.call.opens ?></strong>.</p>
<p><?cs var:Lang.tele.early.visit ?> <?cs var:Data.call.with ?>, <?cs var:Data.call.starts ?>.</p>
<p class="muted"><?cs var:Lang.tele.early.hint ?></p>
<p><a href="/appointments/<?cs var:Data.call.appt ?>"><?cs var:Lang.tele.back ?></a></p>
