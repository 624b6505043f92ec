<?cs # file_field: the attachment field of the reply and new-thread forms (docs/chat.md "Attachments"). ?>
<label for="file"><?cs var:Lang.chat.files.label ?></label>
<p class="muted" id="file-hint"><?cs var:Lang.chat.files.hint ?> <?cs var:Data.max_mb ?> MB. <?cs var:Lang.chat.files.saved ?></p>
<?cs if:Form.errors.file ?><p class="error" id="file-error" role="alert"><?cs var:Form.errors.file ?></p><?cs /if ?>
<input id="file" name="file" type="file" accept="application/pdf,image/jpeg,image/png" aria-describedby="file-hint<?cs if:Form.errors.file ?> file-error<?cs /if ?>"<?cs if:Form.errors.file ?> aria-invalid="true"<?cs /if ?>>
