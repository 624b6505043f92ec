<?cs # The in-call chat: the lines so far and, during the call, a plain form (PRG back to the page). ?>
<section id="chat" aria-labelledby="chat-h">
<h2 id="chat-h"><?cs var:Lang.tele.chat.title ?></h2>
<?cs if:subcount(Data.messages) ?><ol class="chat" id="call-chat"><?cs each:m = Data.messages ?><li id="c<?cs var:m.id ?>" class="chat-message<?cs if:m.mine ?> mine<?cs /if ?>"><p class="muted"><strong><?cs if:m.mine ?><?cs var:Lang.tele.chat.you ?><?cs else ?><?cs var:m.author ?><?cs /if ?></strong> · <?cs var:m.at ?></p><p class="note-text"><?cs var:m.body ?></p></li>
<?cs /each ?></ol><?cs else ?><ol class="chat" id="call-chat"></ol><p class="muted"><?cs var:Lang.tele.chat.empty ?></p><?cs /if ?>
<?cs if:Data.call.state == "admitted" ?>
<form method="post" action="<?cs var:Data.call.path ?>/chat" class="stack" id="chat-form">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<label for="chat-body"><?cs var:Lang.tele.chat.label ?></label>
<?cs if:Form.errors.body ?><p class="error" id="chat-body-error" role="alert"><?cs var:Form.errors.body ?></p><?cs /if ?>
<textarea id="chat-body" name="body" rows="2" maxlength="2000" required<?cs if:Form.errors.body ?> aria-invalid="true" aria-describedby="chat-body-error"<?cs /if ?>><?cs var:Form.body ?></textarea>
<button type="submit"><?cs var:Lang.tele.chat.send ?></button>
</form>
<?cs /if ?>
</section>
