<section aria-labelledby="about-tool" class="muted">
<h2 id="about-tool"><?cs var:Lang.triage.about.title ?></h2>
<p><?cs var:Lang.triage.about.is ?></p>
<p><?cs var:Lang.triage.about.is_not ?></p>
</section>
