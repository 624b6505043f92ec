<p><a href="/messages"><?cs var:Lang.chat.thread.back ?></a></p>
<h1><?cs var:Page.title ?></h1>
<p><?cs var:Lang.chat.away.intro ?></p>
<?cs if:Data.away_set ?><p class="notice-box"><?cs if:Data.away_on == "1" ?><?cs var:Lang.chat.away.on ?><?cs else ?><?cs var:Lang.chat.away.off ?><?cs /if ?></p><?cs /if ?>
<?cs if:Form.has_errors ?><p class="alert-box" role="alert"><?cs var:Lang.validate.summary ?></p><?cs /if ?>
<form method="post" action="/messages/away" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<label for="message"><?cs var:Lang.chat.away.message ?></label>
<?cs if:Form.errors.message ?><p class="error" id="message-error"><?cs var:Form.errors.message ?></p><?cs /if ?>
<textarea id="message" name="message" rows="4" maxlength="1000" required<?cs if:Form.errors.message ?> aria-invalid="true" aria-describedby="message-error"<?cs /if ?>><?cs var:Form.message ?></textarea>
<label for="until"><?cs var:Lang.chat.away.until ?></label>
<?cs if:Form.errors.until ?><p class="error" id="until-error"><?cs var:Form.errors.until ?></p><?cs /if ?>
<input id="until" name="until" type="date" value="<?cs var:Form.until ?>"<?cs if:Form.errors.until ?> aria-invalid="true" aria-describedby="until-error"<?cs /if ?>>
<button type="submit" class="primary"><?cs var:Lang.chat.away.save ?></button>
</form>
<?cs if:Data.away_set ?><form method="post" action="/messages/away" class="inline">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>"><input type="hidden" name="clear" value="1">
<button type="submit" class="link"><?cs var:Lang.chat.away.clear ?></button></form><?cs /if ?>
