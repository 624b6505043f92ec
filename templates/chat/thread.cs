<p><a href="/messages"><?cs var:Lang.chat.thread.back ?></a></p>
<h1><?cs var:Page.title ?></h1>
<p><?cs if:Data.thread.doctor_view || Page.user.role.reception ?><?cs var:Lang.chat.thread.patient ?>: <strong><?cs var:Data.thread.patient ?></strong><?cs else ?><?cs var:Lang.chat.thread.with ?> <strong><?cs if:Data.thread.desk ?><?cs var:Lang.chat.thread.desk ?><?cs else ?><?cs var:Data.thread.doctor ?><?cs /if ?></strong><?cs /if ?>
<?cs if:Data.thread.needs_reply ?> · <strong><?cs var:Lang.chat.thread.needs_reply ?></strong><?cs /if ?></p>
<?cs if:Data.copy_error ?><p class="alert-box" role="alert"><?cs var:Data.copy_error ?></p><?cs /if ?>
<?cs if:Data.thread.doctor_view ?><div class="inline-forms">
<form method="post" action="/messages/<?cs var:Data.thread.id ?>/needs-reply" class="inline"><input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>"><button type="submit" class="link"><?cs if:Data.thread.needs_reply ?><?cs var:Lang.chat.thread.unmark_needs_reply ?><?cs else ?><?cs var:Lang.chat.thread.mark_needs_reply ?><?cs /if ?></button></form>
<form method="post" action="/messages/<?cs var:Data.thread.id ?>/close" class="inline"><input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>"><button type="submit" class="link"><?cs if:Data.thread.closed ?><?cs var:Lang.chat.thread.reopen ?><?cs else ?><?cs var:Lang.chat.thread.close ?><?cs /if ?></button></form>
</div><?cs /if ?>
<ol class="chat" id="messages" data-thread="<?cs var:Data.thread.id ?>" data-version="<?cs var:Data.thread.version ?>" data-last="<?cs var:Data.thread.last ?>" data-watch="<?cs var:Data.thread.watch ?>" data-you="<?cs var:Lang.chat.thread.you ?>" data-auto="<?cs var:Lang.chat.thread.auto ?>" data-seen="<?cs var:Lang.chat.thread.seen ?>">
<?cs each:m = Data.messages ?><li id="m<?cs var:m.id ?>" class="chat-message<?cs if:m.mine ?> mine<?cs /if ?>">
<p class="muted"><strong><?cs if:m.mine ?><?cs var:Lang.chat.thread.you ?><?cs else ?><?cs var:m.author ?><?cs /if ?></strong> · <?cs var:m.at ?><?cs if:m.auto ?> · <?cs var:Lang.chat.thread.auto ?><?cs /if ?><?cs if:m.seen ?> · <span class="seen"><?cs var:Lang.chat.thread.seen ?></span><?cs /if ?></p>
<p class="note-text"><?cs each:part = m.parts ?><?cs if:part.link ?><a href="<?cs var:part.text ?>" rel="noopener nofollow noreferrer"><?cs var:part.text ?></a><?cs else ?><?cs var:part.text ?><?cs /if ?><?cs /each ?></p><?cs if:subcount(m.files) ?>
<ul class="chat-files" aria-label="<?cs var:Lang.chat.files.attachments ?>"><?cs each:f = m.files ?><li><a href="/messages/<?cs var:Data.thread.id ?>/files/<?cs var:f.id ?>" rel="nofollow" download><?cs var:f.name ?></a> <span class="muted">(<?cs var:f.type ?>, <?cs var:f.size ?>)</span><?cs if:Data.thread.doctor_view && !Data.thread.desk ?> <form method="post" action="/messages/<?cs var:Data.thread.id ?>/files/<?cs var:f.id ?>/copy" class="inline"><input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>"><button type="submit" class="link"><?cs var:Lang.chat.files.copy ?></button></form><?cs /if ?></li><?cs /each ?></ul><?cs /if ?>
<?cs if:Data.thread.doctor_view && !m.mine ?><form method="post" action="/messages/<?cs var:Data.thread.id ?>/copy" class="inline"><input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>"><input type="hidden" name="message" value="<?cs var:m.id ?>"><button type="submit" class="link"><?cs var:Lang.chat.copy.button ?></button></form><?cs /if ?></li>
<?cs /each ?></ol>
<p id="latest" class="sr"><?cs var:Lang.chat.thread.latest ?></p>
<p id="chat-status" class="sr" role="status" aria-live="polite"></p>
<?cs if:Data.thread.closed ?><p class="notice-box"><?cs var:Lang.chat.thread.closed ?></p><?cs /if ?>
<?cs if:!Data.thread.closed || Form.errors.body ?>
<h2><?cs var:Lang.chat.thread.reply ?></h2>
<form method="post" action="/messages/<?cs var:Data.thread.id ?>" class="stack" id="reply" enctype="multipart/form-data">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<label for="body"><?cs var:Lang.chat.thread.reply ?></label>
<p class="muted" id="body-hint"><?cs var:Lang.chat.thread.body_rule ?></p>
<?cs if:Form.errors.body ?><p class="error" id="body-error" role="alert"><?cs var:Form.errors.body ?></p><?cs /if ?>
<textarea id="body" name="body" rows="5" maxlength="4000" aria-describedby="body-hint<?cs if:Form.errors.body ?> body-error<?cs /if ?>"<?cs if:Form.errors.body ?> aria-invalid="true"<?cs /if ?>><?cs var:Form.body ?></textarea>
<?cs include:"chat/file_field.cs" ?>
<button type="submit" class="primary"><?cs var:Lang.chat.thread.send ?></button>
</form>
<?cs /if ?>
<script src="/static/chat.js" defer></script>
