<?cs if:subcount(Data.corrections) ?>
<ul class="doctors">
<?cs each:c = Data.corrections ?><li><strong><?cs var:c.about ?></strong> · <?cs var:c.at ?><br><?cs var:c.body ?><br>
<?cs if:c.status == "open" ?><em><?cs var:Lang.care.corrections.status_open ?></em>
<?cs else ?><strong><?cs if:c.status == "accepted" ?><?cs var:Lang.care.corrections.status_accepted ?><?cs else ?><?cs var:Lang.care.corrections.status_refused ?><?cs /if ?></strong> · <?cs var:c.answered ?> (<?cs var:c.by ?>)<?cs if:c.answer ?><br><?cs var:c.answer ?><?cs /if ?><?cs /if ?>
<?cs if:Data.staff_answer && c.status == "open" ?><?cs include:"record/correction_answer.cs" ?><?cs /if ?></li>
<?cs /each ?></ul>
<?cs else ?>
<p><?cs var:Lang.care.corrections.none ?></p>
<?cs /if ?>
