<h1><?cs var:Page.title ?></h1>
<p><?cs var:Lang.care.assign.patient ?>: <strong><?cs var:Data.patient.name ?></strong></p>
<p><?cs var:Lang.care.corrections.staff_intro ?></p>
<?cs if:Data.msg ?><p class="notice-box" role="status"><?cs var:Data.msg ?></p><?cs /if ?>
<?cs include:"form_errors.cs" ?><?cs call:error_summary("") ?>
<?cs include:"record/correction_list.cs" ?>
