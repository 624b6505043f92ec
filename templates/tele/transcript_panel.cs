<?cs # The reviewed consultation transcript beside the visit note (record/note_head.cs). ?><?cs
if:Data.transcript.version ?><details class="transcript-panel"><summary><?cs var:Lang.tele.transcript.panel ?> (<?cs var:Lang.tele.transcript.version ?> <?cs var:Data.transcript.version ?> · <?cs var:Data.transcript.by ?> · <?cs var:Data.transcript.saved ?>)</summary>
<pre class="note-text transcript-text"><?cs var:Data.transcript.body ?></pre>
<?cs if:Data.transcript.review ?><p><a href="<?cs var:Data.transcript.review ?>"><?cs var:Lang.tele.transcript.edit ?></a></p><?cs /if ?>
</details>
<?cs /if ?>
