<?cs include:"record/macros.cs" ?>
<h1><?cs var:Page.title ?></h1>
<p><strong><?cs var:Data.patient.name ?></strong><?cs if:Data.patient.birth ?> · <?cs var:Lang.record.summary.born ?> <?cs var:Data.patient.birth ?> (<?cs var:Data.patient.age ?> <?cs var:Lang.record.summary.years ?>)<?cs /if ?></p>
<p><a href="<?cs var:Data.base ?>/summary.pdf"><?cs var:Lang.record.pdf.download ?></a><?cs if:!Data.staff ?> · <a href="/record/export.json"><?cs var:Lang.export.download ?></a><?cs /if ?></p>
<h2><?cs var:Lang.record.kind.problems.title ?></h2>
<?cs if:subcount(Data.problems) > 0 ?><ul class="doctors"><?cs each:e = Data.problems ?><li><?cs call:rec_entry(e) ?></li><?cs /each ?></ul>
<?cs else ?><?cs call:rec_list_state(Data.lists.problems) ?><?cs if:?Data.lists.problems.assertion ?><p class="muted"><?cs var:Lang.record.kind.problems.empty ?></p><?cs /if ?><?cs /if ?>
<p><a href="<?cs var:Data.base ?>/problems"><?cs var:Lang.record.kind.problems.more ?></a></p>
<h2><?cs var:Lang.record.kind.allergies.title ?></h2>
<?cs if:Data.lists.allergies.assertion == "none_known" ?><?cs call:rec_list_state(Data.lists.allergies) ?>
<?cs elif:subcount(Data.allergies) > 0 ?><ul class="doctors"><?cs each:e = Data.allergies ?><li><?cs call:rec_entry(e) ?></li><?cs /each ?></ul>
<?cs else ?><?cs call:rec_list_state(Data.lists.allergies) ?><?cs if:?Data.lists.allergies.assertion ?><p class="muted"><?cs var:Lang.record.kind.allergies.empty ?></p><?cs /if ?><?cs /if ?>
<p><a href="<?cs var:Data.base ?>/allergies"><?cs var:Lang.record.kind.allergies.more ?></a></p>
<h2><?cs var:Lang.record.summary.current_meds ?></h2>
<?cs if:Data.n_meds > 0 ?><ul class="doctors"><?cs each:e = Data.meds ?><?cs if:e.status == "active" ?><li><?cs call:rec_entry(e) ?></li><?cs /if ?><?cs /each ?></ul>
<?cs else ?><?cs call:rec_list_state(Data.lists.medications) ?><?cs if:?Data.lists.medications.assertion ?><p class="muted"><?cs var:Lang.record.kind.medications.empty ?></p><?cs /if ?><?cs /if ?>
<p><a href="<?cs var:Data.base ?>/medications"><?cs var:Lang.record.kind.medications.more ?></a></p>
<h2><?cs var:Lang.record.summary.vitals ?></h2>
<?cs if:subcount(Data.vitals) > 0 ?><ul class="doctors"><?cs each:v = Data.vitals ?><li><?cs var:v ?></li><?cs /each ?></ul>
<?cs else ?><p class="muted"><?cs var:Lang.record.vitals.none ?></p><?cs /if ?>
<?cs include:"labresults/summary.cs" ?>
<h2><?cs var:Lang.record.summary.visits ?></h2>
<?cs if:subcount(Data.visits) > 0 ?><ul class="doctors"><?cs each:v = Data.visits ?><li><?cs if:Data.staff ?><a href="<?cs var:Data.base ?>/encounters/<?cs var:v.id ?>"><?cs elif:v.signed ?><a href="/record/notes/<?cs var:v.id ?>"><?cs /if ?><?cs var:v.at ?> – <?cs var:v.doctor ?><?cs if:Data.staff || v.signed ?></a><?cs /if ?><br><span class="muted"><?cs if:v.signed ?><?cs var:Lang.record.summary.signed ?><?cs else ?><?cs var:Lang.record.summary.unsigned ?><?cs /if ?></span></li><?cs /each ?></ul>
<?cs else ?><p class="muted"><?cs var:Lang.record.summary.no_visits ?></p><?cs /if ?>
<h2><?cs var:Lang.record.summary.more ?></h2>
<ul class="doctors">
<li><a href="<?cs var:Data.base ?>/immunizations"><?cs var:Lang.record.kind.immunizations.title ?></a></li>
<li><a href="<?cs var:Data.base ?>/family"><?cs var:Lang.record.kind.family.title ?></a></li>
<li><a href="<?cs var:Data.base ?>/social"><?cs var:Lang.record.kind.social.title ?></a></li>
<li><a href="<?cs var:Data.base ?>/vitals"><?cs var:Lang.vitals.title ?></a></li>
<li><a href="<?cs var:Data.base ?>/documents"><?cs var:Lang.documents.title ?></a></li>
<?cs if:Data.staff ?><li><a href="<?cs var:Data.base ?>/encounters"><?cs var:Lang.notes.list.title ?></a></li>
<li><a href="<?cs var:Data.base ?>/rx"><?cs var:Lang.rx.write.patient_list.title ?></a></li>
<li><a href="<?cs var:Data.base ?>/access"><?cs var:Lang.care.access.staff_title ?></a></li>
<li><a href="<?cs var:Data.base ?>/corrections"><?cs var:Lang.care.corrections.staff_title ?></a></li>
<?cs else ?><li><a href="/record/notes"><?cs var:Lang.notes.mine.title ?></a></li>
<li><a href="/prescriptions"><?cs var:Lang.rx.write.mine.title ?></a></li>
<li><a href="/record/access"><?cs var:Lang.care.access.title ?></a></li>
<li><a href="/record/corrections"><?cs var:Lang.care.corrections.title ?></a></li><?cs /if ?>
</ul>
