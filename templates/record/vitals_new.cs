<h1><?cs var:Page.title ?></h1>
<p><a href="<?cs var:Data.base ?>"><?cs var:Lang.vitals.back ?></a></p>
<?cs include:"form_errors.cs" ?><?cs call:error_summary("") ?>
<p class="hint"><?cs var:Lang.vitals.add_hint ?></p>
<form method="post" action="<?cs var:Data.base ?>" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<?cs include:"record/vitals_fields.cs" ?>
<button type="submit" class="primary"><?cs var:Lang.vitals.save ?></button>
</form>

<?cs include:"record/vitals_values.cs" ?>
<h2 id="recent"><?cs var:Lang.vitals.recent ?></h2>
<?cs if:subcount(Data.recent) == 0 ?><p><?cs var:Lang.vitals.none ?></p><?cs else ?>
<ul class="vitals">
<?cs each:x = Data.recent ?><li><a href="<?cs var:Data.base ?>/<?cs var:x.item ?>"><?cs var:x.taken ?></a><?cs if:x.error ?> <strong><?cs var:Lang.vitals.entered_in_error ?></strong><?cs elif:x.corrected ?> <span class="muted"><?cs var:Lang.vitals.corrected ?></span><?cs /if ?>:
<?cs call:vvalues(x) ?></li>
<?cs /each ?></ul>
<?cs /if ?>

