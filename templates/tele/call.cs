<?cs # The consultation room (docs/tele.md): join, waiting room, the call with its chat, the doctor's waiting list and note panel, ended. Works without JavaScript; tele.js reads #call's data-* attributes. ?>
<h1><?cs var:Page.title ?></h1>
<p><?cs if:Data.call.doctor_view ?><?cs var:Lang.tele.call.patient ?>: <strong><?cs var:Data.call.patient ?></strong><?cs else ?><?cs var:Lang.tele.call.doctor ?>: <strong><?cs var:Data.call.doctor ?></strong><?cs /if ?> · <?cs var:Data.call.starts ?></p>
<?cs if:Data.done ?><p class="notice-box" role="status"><?cs var:Data.done ?></p><?cs /if ?>
<?cs if:Data.call.ask_consent ?><?cs include:"tele/consent_box.cs" ?><?cs /if ?>
<?cs if:Data.call.state == "out" ?>
<p><?cs if:Data.call.doctor_view ?><?cs var:Lang.tele.join.doctor ?><?cs else ?><?cs var:Lang.tele.join.patient ?><?cs /if ?></p>
<form method="post" action="<?cs var:Data.call.path ?>/join" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<button type="submit" class="primary"><?cs var:Lang.tele.join.button ?></button>
</form>
<?cs elif:Data.call.state == "waiting" ?>
<div id="call" data-signals="<?cs var:Data.call.path ?>/signals" data-watch="<?cs var:Data.call.watch ?>" data-me="<?cs var:Data.call.me ?>" data-peer="<?cs var:Data.call.peer ?>" data-polite="<?cs var:Data.call.polite ?>" data-csrf="<?cs var:Page.csrf ?>" data-ice="<?cs var:Data.call.ice ?>" data-state="waiting"<?cs include:"tele/call_texts.cs" ?>>
<p id="call-status" class="notice-box" role="status"><?cs var:Lang.tele.waiting.text ?></p>
<p class="muted"><?cs var:Lang.tele.waiting.reload ?></p>
</div>
<p><a href="<?cs var:Data.call.path ?>"><?cs var:Lang.tele.refresh ?></a></p>
<form method="post" action="<?cs var:Data.call.path ?>/leave" class="inline"><input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>"><button type="submit" class="link"><?cs var:Lang.tele.leave ?></button></form>
<script src="/static/tele.js" defer></script>
<?cs elif:Data.call.state == "admitted" ?>
<div class="call-layout">
<section aria-labelledby="video-h">
<h2 id="video-h" class="sr"><?cs var:Lang.tele.call.media ?></h2>
<div id="call" data-signals="<?cs var:Data.call.path ?>/signals" data-watch="<?cs var:Data.call.watch ?>" data-me="<?cs var:Data.call.me ?>" data-peer="<?cs var:Data.call.peer ?>" data-polite="<?cs var:Data.call.polite ?>" data-csrf="<?cs var:Page.csrf ?>" data-ice="<?cs var:Data.call.ice ?>" data-state="admitted" data-chat="<?cs var:Data.call.chat_last ?>" data-record="<?cs var:Data.call.record ?>"<?cs include:"tele/call_texts.cs" ?>>
<video id="remote" autoplay playsinline aria-label="<?cs if:Data.call.doctor_view ?><?cs var:Data.call.patient ?><?cs else ?><?cs var:Data.call.doctor ?><?cs /if ?>"></video>
<video id="local" autoplay muted playsinline aria-label="<?cs var:Lang.tele.call.you ?>"></video>
<p id="call-status" role="status"><?cs if:Data.call.peer ?><?cs var:Lang.tele.call.peer_in ?><?cs else ?><?cs var:Lang.tele.call.peer_out ?><?cs /if ?></p>
<button id="audio-only" type="button" hidden><?cs var:Lang.tele.call.audio_only ?></button>
</div>
<div class="inline-forms">
<form method="post" action="<?cs var:Data.call.path ?>/leave" class="inline"><input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>"><button type="submit"><?cs var:Lang.tele.leave ?></button></form>
<?cs if:Data.call.doctor_view ?><form method="post" action="<?cs var:Data.call.path ?>/end" class="inline"><input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>"><button type="submit" class="danger"><?cs var:Lang.tele.end ?></button></form><?cs /if ?>
</div>
<?cs if:Data.call.doctor_view ?>
<h2><?cs var:Lang.tele.waiting_list.title ?></h2>
<?cs if:subcount(Data.waiting) ?><ul id="waiting-list"><?cs each:w = Data.waiting ?><li><?cs var:w.name ?> <span class="muted">(<?cs var:Lang.tele.waiting_list.since ?> <?cs var:w.since ?>)</span>
<form method="post" action="<?cs var:Data.call.path ?>/admit" class="inline"><input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>"><input type="hidden" name="user" value="<?cs var:w.id ?>"><button type="submit" class="primary"><?cs var:Lang.tele.waiting_list.admit ?> <?cs var:w.name ?></button></form></li>
<?cs /each ?></ul><?cs else ?><p class="muted" id="waiting-list"><?cs var:Lang.tele.waiting_list.empty ?></p><?cs /if ?>
<p><a href="<?cs var:Data.call.path ?>"><?cs var:Lang.tele.refresh ?></a></p>
<?cs /if ?>
<?cs include:"tele/chat.cs" ?>
</section>
<?cs else ?>
<div id="call" data-signals="<?cs var:Data.call.path ?>/signals" data-watch="" data-me="<?cs var:Data.call.me ?>" data-peer="" data-polite="<?cs var:Data.call.polite ?>" data-csrf="<?cs var:Page.csrf ?>" data-ice="[]" data-state="ended">
<p id="call-status" class="notice-box" role="status"><?cs var:Lang.tele.ended.text ?></p>
</div>
<?cs include:"tele/chat.cs" ?>
<p><a href="/appointments/<?cs var:Data.call.appt ?>"><?cs var:Lang.tele.back ?></a></p>
<?cs /if ?>
<?cs # One include of the panel (ClearSilver includes at parse time: the form's macros once). ?>
<?cs if:Data.call.doctor_view && (Data.call.state == "admitted" || Data.call.state == "ended") ?><?cs include:"tele/note_panel.cs" ?><?cs /if ?>
<?cs if:Data.call.state == "admitted" ?></div>
<script src="/static/tele.js" defer></script>
<script src="/static/tele-rec.js" defer></script><?cs /if ?>
