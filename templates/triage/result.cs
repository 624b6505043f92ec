<h1><?cs var:Page.title ?></h1>
<section aria-labelledby="advice" class="notice-box triage-<?cs var:Data.level ?>">
<h2 id="advice"><?cs var:Data.level_title ?></h2>
<p><?cs var:Data.level_text ?></p>
<?cs if:Data.redflag.advice ?><p><strong><?cs var:Data.redflag.advice ?></strong></p><?cs /if ?>
<?cs if:Data.redflag.crisis ?><p><strong><?cs var:Lang.triage.crisis ?></strong></p><?cs /if ?>
</section>
<?cs if:subcount(Data.conditions) ?>
<section aria-labelledby="possible">
<h2 id="possible"><?cs var:Lang.triage.result.possible ?></h2>
<p class="muted"><?cs var:Lang.triage.result.possible_hint ?></p>
<?cs each:c = Data.conditions ?><article class="condition">
<h3><?cs var:c.name ?> <span class="muted">(<?cs var:c.pct ?> %)</span></h3>
<p><?cs var:c.explain ?></p>
<?cs if:subcount(c.for) ?><p><?cs var:Lang.triage.result.for ?> <?cs each:f = c.for ?><?cs var:f ?><?cs if:!last(f) ?>; <?cs /if ?><?cs /each ?>.</p><?cs /if ?>
<?cs if:subcount(c.against) ?><p><?cs var:Lang.triage.result.against ?> <?cs each:f = c.against ?><?cs var:f ?><?cs if:!last(f) ?>; <?cs /if ?><?cs /each ?>.</p><?cs /if ?>
<?cs if:c.selfcare ?><p><strong><?cs var:Lang.triage.result.selfcare ?></strong> <?cs var:c.selfcare ?></p><?cs /if ?>
<?cs if:c.cautions ?><p><strong><?cs var:Lang.triage.result.cautions ?></strong> <?cs var:c.cautions ?></p><?cs /if ?>
<p class="muted"><?cs var:Lang.triage.result.source ?> <?cs var:c.source ?></p>
</article>
<?cs /each ?></section>
<?cs /if ?>
<section aria-labelledby="next">
<h2 id="next"><?cs var:Lang.triage.result.next ?></h2>
<p><?cs var:Data.level_next ?></p>
<?cs if:!Data.readonly && Data.level != "emergency" ?><p><a class="button primary" href="<?cs var:Data.book.href ?>"><?cs var:Lang.triage.book.button ?></a></p><?cs /if ?>
<?cs if:Data.stored && !Data.readonly ?>
<?cs if:Data.consented ?><p><?cs var:Lang.triage.consent.given ?><?cs if:Data.appointment ?> <a href="/appointments/<?cs var:Data.appointment ?>"><?cs var:Lang.triage.consent.appointment ?></a><?cs else ?> <?cs var:Lang.triage.consent.no_appointment ?><?cs /if ?></p>
<?cs else ?><form method="post" action="<?cs var:Data.self ?>/consent" class="stack"><input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>"><p><?cs var:Lang.triage.consent.ask ?></p><button type="submit"><?cs var:Lang.triage.consent.submit ?></button></form><?cs /if ?>
<?cs /if ?>
<?cs if:Data.readonly && Data.summary ?><h3><?cs var:Lang.triage.summary.title ?></h3>
<?cs if:Data.note_action ?><form method="get" action="<?cs var:Data.note_action ?>" class="stack">
<input type="hidden" name="previsit" value="<?cs var:Data.id ?>">
<fieldset><legend><?cs var:Lang.triage.summary.accept ?></legend>
<?cs each:p = Data.parts ?><label class="check"><input type="checkbox" name="part" value="<?cs var:p.k ?>" checked> <span class="note-text"><?cs var:p.text ?></span></label>
<?cs /each ?></fieldset>
<button type="submit" class="primary"><?cs var:Lang.triage.summary.accept_submit ?></button>
</form>
<?cs else ?><pre class="summary"><?cs var:Data.summary ?></pre><?cs /if ?>
<?cs /if ?>
</section>
<?cs include:"triage/thread.cs" ?>
<?cs if:!Data.readonly ?><p><a href="/triage"><?cs var:Lang.triage.result.again ?></a></p><?cs /if ?>
<?cs include:"triage/about.cs" ?>
<p class="muted"><?cs var:Lang.triage.result.version ?> <?cs var:Data.kb_version ?></p>
