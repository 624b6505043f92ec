<?cs include:"record/macros.cs" ?>
<h1><?cs var:Page.title ?></h1>
<p><a href="<?cs var:Data.base ?>/<?cs var:Data.kind ?>"><?cs var:Data.kind_title ?></a></p>
<?cs if:Data.conflict ?><div class="alert-box" role="alert"><p><strong><?cs var:Lang.record.changed_meanwhile ?></strong></p><p><?cs var:Lang.record.conflict_new ?></p></div>
<h2><?cs var:Lang.record.current_list ?></h2>
<?cs if:subcount(Data.rows) > 0 ?><ul class="doctors"><?cs each:e = Data.rows ?><li><?cs call:rec_entry(e) ?> <span class="muted">(<?cs var:e.by ?>, <?cs var:e.at ?>)</span></li><?cs /each ?></ul><?cs else ?><?cs call:rec_list_state(Data.lists[Data.list]) ?><?cs /if ?>
<h2><?cs var:Lang.record.your_input ?></h2><?cs /if ?>
<?cs include:"record/form.cs" ?>
