<form method="post" action="/patients/<?cs var:Data.patient.id ?>/corrections/<?cs var:c.id ?>/answer" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<fieldset><legend><?cs var:Lang.care.corrections.answer ?><span class="sr"> (<?cs var:c.about ?>)</span></legend>
<?cs if:Form.id == c.id && Form.errors.decision ?><p class="error" id="decision-error-<?cs var:c.id ?>"><?cs var:Form.errors.decision ?></p><?cs /if ?>
<label class="check"><input type="radio" name="decision" value="accepted" required<?cs if:Form.id == c.id && Form.decision == "accepted" ?> checked<?cs /if ?>> <?cs var:Lang.care.corrections.accept ?></label>
<label class="check"><input type="radio" name="decision" value="refused"<?cs if:Form.id == c.id && Form.decision == "refused" ?> checked<?cs /if ?>> <?cs var:Lang.care.corrections.refuse ?></label>
<label for="answer-<?cs var:c.id ?>"><?cs var:Lang.care.corrections.note ?></label>
<?cs if:Form.id == c.id && Form.errors.answer ?><p class="error" id="answer-error-<?cs var:c.id ?>"><?cs var:Form.errors.answer ?></p><?cs /if ?>
<textarea id="answer-<?cs var:c.id ?>" name="answer" rows="3" maxlength="2000"<?cs if:Form.id == c.id && Form.errors.answer ?> aria-invalid="true" aria-describedby="answer-error-<?cs var:c.id ?>"<?cs /if ?>><?cs if:Form.id == c.id ?><?cs var:Form.answer ?><?cs /if ?></textarea>
<button type="submit" class="primary"><?cs var:Lang.care.corrections.send_answer ?></button>
</fieldset>
</form>
