<?cs include:"record/note_head.cs" ?>
<?cs include:"record/note_signed.cs" ?>
<p><a href="/record/notes"><?cs var:Lang.notes.note.back_mine ?></a></p>
