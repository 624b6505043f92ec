<?cs include:"record/macros.cs" ?>
<h1><?cs var:Page.title ?></h1>
<?cs include:"form_errors.cs" ?><?cs call:error_summary("") ?>
<p><a href="<?cs var:Data.base ?>/record"><?cs var:Lang.record.back ?></a></p>
<?cs if:Data.saved ?><p class="notice-box" role="status"><?cs var:Lang.record.saved ?></p><?cs /if ?>
<?cs if:Data.error ?><p class="alert-box" role="alert"><?cs var:Data.error ?></p><?cs /if ?>
<?cs if:Data.list ?><?cs if:Data.lists[Data.list].assertion == "none_known" ?><?cs call:rec_list_state(Data.lists[Data.list]) ?><?cs elif:subcount(Data.rows) == 0 ?><?cs call:rec_list_state(Data.lists[Data.list]) ?><?cs /if ?><?cs /if ?>
<?cs if:subcount(Data.rows) > 0 ?><ul class="doctors"><?cs each:e = Data.rows ?><li><?cs call:rec_entry(e) ?><?cs if:Data.staff ?><br><a href="<?cs var:Data.base ?>/<?cs var:Data.kind ?>/<?cs var:e.id ?>"><?cs var:Lang.record.open ?><span class="sr"> <?cs var:e.title ?></span></a> <span class="muted">(v<?cs var:e.version ?>, <?cs var:e.by ?>, <?cs var:e.at ?>)</span><?cs /if ?></li><?cs /each ?></ul>
<?cs elif:!Data.list ?><p class="muted"><?cs var:Lang.record.list.not_recorded ?></p><?cs /if ?>
<?cs if:Data.staff ?><?cs if:Data.kind != "social" || subcount(Data.rows) == 0 ?><p><a href="<?cs var:Data.base ?>/<?cs var:Data.kind ?>/new"><?cs var:Data.kind_add ?></a></p><?cs /if ?>
<?cs if:Data.kind == "allergies" ?><form method="post" action="<?cs var:Data.base ?>/allergies/none-known" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<input type="hidden" name="list_version" value="<?cs var:Data.list_version ?>">
<button type="submit"><?cs var:Lang.record.allergies.state_none_known ?></button>
</form><?cs /if ?><?cs /if ?>
