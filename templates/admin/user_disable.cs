<p><a href="/admin/users/<?cs var:Data.user.id ?>"><?cs var:Lang.admin.user.disable_back ?></a></p>
<h1><?cs var:Page.title ?></h1>
<?cs include:"form_errors.cs" ?><?cs call:error_summary("") ?>
<p class="alert-box"><?cs var:Lang.admin.user.disable_ask ?> <strong><?cs var:Data.user.name ?></strong> (<?cs var:Data.user.email ?>)?</p>
<p><?cs var:Lang.admin.user.disable_hint ?></p>
<form method="post" action="/admin/users/<?cs var:Data.user.id ?>/disable">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<input type="hidden" name="confirm" value="yes">
<button type="submit" class="danger"><?cs var:Lang.admin.user.disable_submit ?></button>
</form>
<p><a href="/admin/users/<?cs var:Data.user.id ?>"><?cs var:Lang.admin.user.disable_cancel ?></a></p>
