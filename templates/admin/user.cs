<p><a href="/admin/users"><?cs var:Lang.admin.user.back ?></a></p>
<h1><?cs var:Data.user.name ?></h1>
<?cs if:Data.msg ?><p class="<?cs if:Data.msg_alert ?>alert-box<?cs else ?>notice-box<?cs /if ?>" role="status"><?cs var:Data.msg ?></p><?cs /if ?>
<?cs include:"form_errors.cs" ?><?cs set:Form.labels.role = Lang.admin.user.grant_role ?><?cs set:Form.labels.licence_number = Lang.admin.new.licence_number ?><?cs set:Form.labels.pharmacy_name = Lang.admin.new.pharmacy_name ?><?cs call:error_summary("") ?>
<?cs if:Data.user.is_me ?><p class="muted"><?cs var:Lang.admin.user.is_me ?></p><?cs /if ?>
<h2><?cs var:Lang.admin.user.details ?></h2>
<dl class="contact">
<dt><?cs var:Lang.admin.user.email ?></dt><dd><?cs var:Data.user.email ?></dd>
<dt><?cs var:Lang.admin.user.name ?></dt><dd><?cs var:Data.user.name ?></dd>
<dt><?cs var:Lang.admin.user.language ?></dt><dd><?cs var:Data.user.language ?></dd>
<dt><?cs var:Lang.admin.user.created ?></dt><dd><?cs var:Data.user.created ?></dd>
<dt><?cs var:Lang.admin.user.verified ?></dt><dd><?cs if:Data.user.verified ?><?cs var:Lang.admin.yes ?><?cs else ?><?cs var:Lang.admin.no ?><?cs /if ?></dd>
<dt><?cs var:Lang.admin.user.status ?></dt><dd><?cs if:Data.user.disabled_at ?><strong><?cs var:Lang.admin.users.disabled ?></strong> (<?cs var:Lang.admin.user.disabled_since ?>: <?cs var:Data.user.disabled_at ?>)<?cs else ?><?cs var:Lang.admin.user.active ?><?cs /if ?></dd>
<dt><?cs var:Lang.admin.user.totp ?></dt><dd><?cs if:Data.user.totp ?><?cs var:Lang.admin.yes ?><?cs else ?><?cs var:Lang.admin.no ?><?cs /if ?></dd>
<dt><?cs var:Lang.admin.user.sessions ?></dt><dd><?cs var:Data.user.sessions ?></dd>
<?cs if:Data.user.doctor_licence ?>
<dt><?cs var:Lang.admin.user.doctor_licence ?></dt><dd><?cs var:Data.user.doctor_licence ?></dd>
<dt><?cs var:Lang.admin.user.doctor_specialties ?></dt><dd><?cs var:Data.user.doctor_specialties ?></dd>
<?cs /if ?>
<?cs if:Data.user.pharmacy ?>
<dt><?cs var:Lang.admin.user.pharmacy ?></dt><dd><?cs var:Data.user.pharmacy ?></dd>
<dt><?cs var:Lang.admin.user.pharmacy_licence ?></dt><dd><?cs var:Data.user.pharmacy_licence ?></dd>
<?cs /if ?>
</dl>
<p><a href="/admin/audit?subject=<?cs var:url_escape(Data.user.email) ?>"><?cs var:Lang.admin.user.audit_link ?></a></p>
<h2><?cs var:Lang.admin.user.roles ?></h2>
<?cs if:subcount(Data.user.roles) ?>
<div class="table-wrap">
<table class="list">
<thead><tr><th scope="col"><?cs var:Lang.admin.user.role ?></th><th scope="col"><?cs var:Lang.admin.user.granted_at ?></th><th scope="col"><?cs var:Lang.admin.user.granted_by ?></th><th scope="col"><?cs var:Lang.admin.user.actions ?></th></tr></thead>
<tbody>
<?cs each:g = Data.user.roles ?><tr>
<td><?cs var:g.name ?></td>
<td><?cs var:g.granted_at ?></td>
<td><?cs if:g.granted_by ?><?cs var:g.granted_by ?><?cs else ?><?cs var:Lang.admin.user.by_system ?><?cs /if ?></td>
<td><form method="post" action="/admin/users/<?cs var:Data.user.id ?>/revoke" class="inline"><input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>"><input type="hidden" name="role" value="<?cs var:g.code ?>"><button type="submit" class="link" aria-label="<?cs var:Lang.admin.user.revoke_label ?>: <?cs var:g.name ?>"><?cs var:Lang.admin.user.revoke ?></button></form></td>
</tr>
<?cs /each ?></tbody>
</table>
</div>
<?cs else ?>
<p><?cs var:Lang.admin.user.no_roles ?></p>
<?cs /if ?>
<h2 id="grant"><?cs var:Lang.admin.user.grant_title ?></h2>
<?cs if:subcount(Data.grantable) ?>
<form method="post" action="/admin/users/<?cs var:Data.user.id ?>/grant" class="stack" aria-labelledby="grant">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<label for="role"><?cs var:Lang.admin.user.grant_role ?></label>
<p class="hint" id="role-hint"><?cs var:Lang.admin.user.grant_hint ?></p>
<?cs if:Form.errors.role ?><p class="error" id="role-error"><span class="sr"><?cs var:Lang.admin.field_error ?> </span><?cs var:Form.errors.role ?></p><?cs /if ?>
<select id="role" name="role"<?cs if:Form.errors.role ?> aria-invalid="true" aria-describedby="role-error role-hint"<?cs else ?> aria-describedby="role-hint"<?cs /if ?>>
<?cs each:o = Data.grantable ?><option value="<?cs var:o.code ?>"<?cs if:Form.role == o.code ?> selected<?cs /if ?>><?cs var:o.name ?></option>
<?cs /each ?></select>
<?cs if:Data.needs_doctor_details || Data.needs_pharmacist_details ?>
<p class="hint"><?cs var:Lang.admin.user.grant_details ?></p>
<label for="licence_number"><?cs var:Lang.admin.new.licence_number ?></label>
<p class="hint" id="licence_number-hint"><?cs var:Lang.admin.new.licence_hint ?></p>
<?cs if:Form.errors.licence_number ?><p class="error" id="licence_number-error"><span class="sr"><?cs var:Lang.admin.field_error ?> </span><?cs var:Form.errors.licence_number ?></p><?cs /if ?>
<input id="licence_number" name="licence_number" type="text" autocomplete="off" maxlength="50" value="<?cs var:Form.licence_number ?>"<?cs if:Form.errors.licence_number ?> aria-invalid="true" aria-describedby="licence_number-error licence_number-hint"<?cs else ?> aria-describedby="licence_number-hint"<?cs /if ?>>
<?cs if:Data.needs_pharmacist_details ?>
<label for="pharmacy_name"><?cs var:Lang.admin.new.pharmacy_name ?></label>
<p class="hint" id="pharmacy_name-hint"><?cs var:Lang.admin.new.pharmacy_hint ?></p>
<?cs if:Form.errors.pharmacy_name ?><p class="error" id="pharmacy_name-error"><span class="sr"><?cs var:Lang.admin.field_error ?> </span><?cs var:Form.errors.pharmacy_name ?></p><?cs /if ?>
<input id="pharmacy_name" name="pharmacy_name" type="text" autocomplete="off" maxlength="200" value="<?cs var:Form.pharmacy_name ?>"<?cs if:Form.errors.pharmacy_name ?> aria-invalid="true" aria-describedby="pharmacy_name-error pharmacy_name-hint"<?cs else ?> aria-describedby="pharmacy_name-hint"<?cs /if ?>>
<?cs /if ?>
<?cs if:Data.needs_doctor_details && subcount(Data.specialties) ?>
<fieldset aria-describedby="specialties-hint">
<legend><?cs var:Lang.admin.new.specialties ?></legend>
<p class="hint" id="specialties-hint"><?cs var:Lang.admin.new.specialties_hint ?></p>
<?cs each:s = Data.specialties ?><label class="check"><input type="checkbox" name="specialty" value="<?cs var:s.id ?>"<?cs if:s.checked ?> checked<?cs /if ?>> <?cs var:s.name ?></label>
<?cs /each ?></fieldset>
<?cs /if ?>
<?cs /if ?>
<button type="submit" class="primary"><?cs var:Lang.admin.user.grant_submit ?></button>
</form>
<?cs else ?>
<p><?cs var:Lang.admin.user.all_granted ?></p>
<?cs /if ?>
<?cs if:Data.user.disabled_at ?>
<h2 id="enable"><?cs var:Lang.admin.user.enable_title ?></h2>
<p><?cs var:Lang.admin.user.enable_hint ?></p>
<form method="post" action="/admin/users/<?cs var:Data.user.id ?>/enable" aria-labelledby="enable">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<button type="submit" class="primary"><?cs var:Lang.admin.user.enable_submit ?></button>
</form>
<?cs elif:!Data.user.is_me ?>
<h2 id="disable"><?cs var:Lang.admin.user.disable_title ?></h2>
<p><?cs var:Lang.admin.user.disable_hint ?></p>
<p><a href="/admin/users/<?cs var:Data.user.id ?>/disable"><?cs var:Lang.admin.user.disable_link ?></a></p>
<?cs /if ?>
