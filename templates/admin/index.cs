<h1><?cs var:Page.title ?></h1>
<p><?cs var:Lang.admin.index.intro ?></p>
<ul class="doctors">
<li><a href="/admin/users"><strong><?cs var:Lang.admin.index.users ?></strong></a><br><span class="muted"><?cs var:Lang.admin.index.users_hint ?></span></li>
<li><a href="/admin/users/new"><strong><?cs var:Lang.admin.index.new_user ?></strong></a><br><span class="muted"><?cs var:Lang.admin.index.new_user_hint ?></span></li>
<li><a href="/admin/audit"><strong><?cs var:Lang.admin.index.audit ?></strong></a><br><span class="muted"><?cs var:Lang.admin.index.audit_hint ?></span></li>
<li><a href="/admin/break-glass"><strong><?cs var:Lang.care.report.title ?></strong></a><br><span class="muted"><?cs var:Lang.care.report.hint ?></span></li>
<li><a href="/admin/outbox"><strong><?cs var:Lang.admin.index.outbox ?></strong></a><br><span class="muted"><?cs var:Lang.admin.index.outbox_hint ?></span></li>
</ul>
