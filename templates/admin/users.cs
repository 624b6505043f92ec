<p><a href="/admin"><?cs var:Lang.admin.index.title ?></a></p>
<h1><?cs var:Page.title ?></h1>
<p><a href="/admin/users/new"><?cs var:Lang.admin.users.new_link ?></a></p>
<form method="get" action="/admin/users" class="stack" role="search" aria-label="<?cs var:Lang.admin.users.search ?>">
<label for="q"><?cs var:Lang.admin.users.q ?></label>
<input id="q" name="q" type="search" maxlength="254" value="<?cs var:Form.q ?>">
<label for="role"><?cs var:Lang.admin.users.role ?></label>
<select id="role" name="role">
<option value=""><?cs var:Lang.admin.users.any_role ?></option>
<?cs each:o = Data.roles ?><option value="<?cs var:o.code ?>"<?cs if:Form.role == o.code ?> selected<?cs /if ?>><?cs var:o.name ?></option>
<?cs /each ?></select>
<button type="submit" class="primary"><?cs var:Lang.admin.users.submit ?></button>
</form>
<h2><?cs var:Lang.admin.users.results ?></h2>
<?cs if:subcount(Data.users) ?>
<div class="table-wrap">
<table class="list cards">
<thead><tr><th scope="col"><?cs var:Lang.admin.users.col_email ?></th><th scope="col"><?cs var:Lang.admin.users.col_name ?></th><th scope="col"><?cs var:Lang.admin.users.col_roles ?></th><th scope="col"><?cs var:Lang.admin.users.col_verified ?></th><th scope="col"><?cs var:Lang.admin.users.col_status ?></th><th scope="col"><?cs var:Lang.admin.users.col_2fa ?></th></tr></thead>
<tbody>
<?cs each:u = Data.users ?><tr>
<td data-label="<?cs var:Lang.admin.users.col_email ?>"><a href="/admin/users/<?cs var:u.id ?>"><?cs var:u.email ?></a></td>
<td data-label="<?cs var:Lang.admin.users.col_name ?>"><?cs var:u.name ?></td>
<td data-label="<?cs var:Lang.admin.users.col_roles ?>"><?cs var:u.roles ?></td>
<td data-label="<?cs var:Lang.admin.users.col_verified ?>"><?cs if:u.verified ?><?cs var:Lang.admin.yes ?><?cs else ?><?cs var:Lang.admin.no ?><?cs /if ?></td>
<td data-label="<?cs var:Lang.admin.users.col_status ?>"><?cs if:u.disabled ?><strong><?cs var:Lang.admin.users.disabled ?></strong><?cs else ?><?cs var:Lang.admin.users.active ?><?cs /if ?></td>
<td data-label="<?cs var:Lang.admin.users.col_2fa ?>"><?cs if:u.totp ?><?cs var:Lang.admin.yes ?><?cs else ?><?cs var:Lang.admin.no ?><?cs /if ?></td>
</tr>
<?cs /each ?></tbody>
</table>
</div>
<?cs else ?>
<p><?cs var:Lang.admin.users.none ?></p>
<?cs /if ?>
<?cs if:Data.prev_page || Data.next_page ?>
<nav aria-label="<?cs var:Lang.admin.users.page ?>"><p>
<?cs if:Data.prev_page ?><a href="/admin/users?q=<?cs var:url_escape(Form.q) ?>&amp;role=<?cs var:url_escape(Form.role) ?>&amp;page=<?cs var:Data.prev_page ?>" rel="prev"><?cs var:Lang.admin.users.prev ?></a><?cs /if ?>
<?cs if:Data.next_page ?><a href="/admin/users?q=<?cs var:url_escape(Form.q) ?>&amp;role=<?cs var:url_escape(Form.role) ?>&amp;page=<?cs var:Data.next_page ?>" rel="next"><?cs var:Lang.admin.users.next ?></a><?cs /if ?>
</p></nav>
<?cs /if ?>
