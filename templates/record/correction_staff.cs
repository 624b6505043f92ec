<h1><?cs var:Page.title ?></h1>
<p><?cs var:Lang.care.assign.patient ?>: <strong><?cs var:Data.patient.name ?></strong></p>
<p><?cs var:Lang.care.corrections.staff_intro ?></p>
<?cs if:Data.msg ?><p class="notice-box" role="status"><?cs var:Data.msg ?></p><?cs /if ?>
<?cs if:Form.has_errors ?><p class="alert-box" role="alert"><?cs var:Lang.validate.summary ?></p><?cs /if ?>
<?cs include:"record/correction_list.cs" ?>
