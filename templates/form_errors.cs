<?cs # form_errors: the box above every form. The expired-form message
     (core: a form sent with a token that no longer matches is shown again
     with what was typed, Page.form_expired) and the error summary: one
     link per field in error (Form.errors.<name>, in the order they were
     found) to the field, whose id is prefix + name (or Form.targets.<name>
     when the page set one: a field picked by a search box); its words are
     Form.labels.<name>, when the page set them, and the message. ?><?cs
def:error_summary(prefix) ?><?cs
if:Page.form_expired ?><div class="alert-box" role="alert" id="form-expired"><p><?cs var:Lang.validate.expired ?></p></div>
<?cs /if ?><?cs
if:Form.has_errors ?><div class="alert-box error-summary" role="alert" aria-labelledby="error-summary-title">
<p id="error-summary-title"><strong><?cs var:Lang.validate.summary ?></strong></p>
<ul><?cs each:e = Form.errors ?><li><a href="#<?cs if:Form.targets[name(e)] ?><?cs var:Form.targets[name(e)] ?><?cs else ?><?cs var:prefix ?><?cs var:name(e) ?><?cs /if ?>"><?cs if:Form.labels[name(e)] ?><?cs var:Form.labels[name(e)] ?>: <?cs /if ?><?cs var:e ?></a></li><?cs /each ?></ul>
</div>
<?cs /if ?><?cs /def ?>
