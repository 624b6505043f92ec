<?cs include:"record/macros.cs" ?>
<h1><?cs var:Page.title ?></h1>
<p><a href="<?cs var:Data.base ?>/<?cs var:Data.kind ?>"><?cs var:Data.kind_title ?></a></p>
<?cs if:Data.saved ?><p class="notice-box" role="status"><?cs var:Lang.record.saved ?></p><?cs /if ?>
<?cs if:Data.conflict ?><div class="alert-box" role="alert"><p><strong><?cs var:Lang.record.changed_meanwhile ?></strong></p><p><?cs var:Lang.record.conflict_entry ?></p></div><?cs /if ?>
<h2><?cs var:Lang.record.current ?></h2>
<p><?cs call:rec_entry(Data.rows.0) ?></p>
<h2><?cs var:Lang.record.history ?></h2>
<ol class="doctors" reversed><?cs each:e = Data.rows ?><li><?cs var:Lang.record.version ?> <?cs var:e.version ?> · <?cs var:e.at ?> · <?cs var:e.by ?><?cs if:e.reason ?><br><span class="muted"><?cs var:Lang.record.why ?>:</span> <?cs var:e.reason ?><?cs /if ?><br><?cs call:rec_entry(e) ?></li><?cs /each ?></ol>
<h2><?cs if:Data.conflict ?><?cs var:Lang.record.your_input ?><?cs else ?><?cs var:Lang.record.correct ?><?cs /if ?></h2>
<?cs include:"record/form.cs" ?>
