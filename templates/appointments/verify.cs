<h1><?cs var:Page.title ?></h1>
<p class="notice-box"><?cs var:Lang.appointments.verify.text ?></p>
<p><a href="/verify/resend"><?cs var:Lang.appointments.verify.link ?></a></p>
