<h1><?cs var:Page.title ?></h1>
<?cs if:Data.done ?><p class="notice-box" role="status"><?cs var:Data.done ?></p><?cs /if ?>
<?cs if:Data.alert ?><p class="alert-box" role="alert"><?cs var:Data.alert ?></p><?cs /if ?>
<dl class="contact">
<dt><?cs var:Lang.notes.note.patient ?></dt><dd><?cs var:Data.patient.name ?></dd>
<dt><?cs var:Lang.notes.note.when ?></dt><dd><?cs var:Data.enc.started ?> · <?cs var:Data.enc.kind ?></dd>
<dt><?cs var:Lang.notes.note.doctor ?></dt><dd><?cs var:Data.enc.doctor ?></dd>
<?cs if:Data.enc.reason ?><dt><?cs var:Lang.notes.note.reason ?></dt><dd><?cs var:Data.enc.reason ?></dd><?cs /if ?>
</dl>
<?cs include:"tele/transcript_panel.cs" ?>
