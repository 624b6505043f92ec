<h1><?cs var:Page.title ?> <?cs var:Data.rx.code ?></h1>
<?cs include:"form_errors.cs" ?><?cs call:error_summary("") ?>
<section aria-labelledby="verdict">
<p id="verdict" class="verdict <?cs if:Data.can_dispense ?>verdict-ok<?cs elif:Data.verdict == "dispensed" ?>verdict-warn<?cs else ?>verdict-bad<?cs /if ?>"><strong><?cs var:Data.verdict_word ?></strong></p>
<p><?cs var:Data.verdict_text ?><?cs if:Data.why ?> (<?cs var:Data.why ?>)<?cs /if ?></p>
</section>
<?cs if:Data.done ?><p class="notice-box" role="status"><?cs var:Lang.rx.desk.done ?></p><?cs /if ?>
<?cs if:Data.conflict.kind == "line" ?><p class="alert-box" role="alert"><?cs var:Lang.rx.desk.conflict.line ?></p>
<?cs elif:Data.conflict.kind == "status" ?><p class="alert-box" role="alert"><?cs var:Lang.rx.desk.conflict.status ?></p><?cs /if ?>
<?cs if:Data.nothing ?><p class="alert-box" role="alert"><?cs var:Lang.rx.desk.nothing ?></p><?cs /if ?>
<dl class="contact">
<dt><?cs var:Lang.rx.desk.patient ?></dt><dd><strong><?cs var:Data.rx.patient ?></strong><?cs if:Data.rx.birth ?> · <?cs var:Lang.rx.desk.born ?> <?cs var:Data.rx.birth ?><?cs /if ?></dd>
<dt><?cs var:Lang.rx.desk.prescriber ?></dt><dd><?cs var:Data.rx.prescriber ?><?cs if:Data.rx.licence ?> · <?cs var:Lang.rx.desk.licence ?> <?cs var:Data.rx.licence ?><?cs /if ?></dd>
<dt><?cs var:Lang.rx.desk.valid ?></dt><dd><?cs var:Data.rx.issued ?> – <?cs var:Data.rx.expires ?></dd>
<?cs if:Data.rx.cancelled_at ?><dt><?cs var:Lang.rx.desk.cancelled_at ?></dt><dd><?cs var:Data.rx.cancelled_at ?>: <?cs var:Data.rx.cancel_reason ?></dd><?cs /if ?>
</dl>
<h2 id="allergies"><?cs var:Lang.rx.desk.allergies ?></h2>
<?cs if:subcount(Data.allergies) ?><ul class="doctors" aria-labelledby="allergies">
<?cs each:a = Data.allergies ?><li><strong><?cs var:a.substance ?></strong> · <?cs var:a.type ?> · <?cs var:a.severity ?><?cs if:a.reaction ?><br><span class="muted"><?cs var:a.reaction ?></span><?cs /if ?></li>
<?cs /each ?></ul>
<?cs elif:Data.allergy_list == "none_known" ?><p><?cs var:Lang.rx.desk.no_known_allergies ?></p>
<?cs else ?><p><?cs var:Lang.rx.desk.allergies_not_recorded ?></p><?cs /if ?>
<?cs if:subcount(Data.overrides) ?>
<h2 id="overrides"><?cs var:Lang.rx.desk.overrides ?></h2>
<ul class="doctors" aria-labelledby="overrides">
<?cs each:o = Data.overrides ?><li><strong><?cs var:o.kind ?> · <?cs var:o.severity ?></strong><?cs if:o.line ?> (<?cs var:Lang.rx.desk.item ?> <?cs var:o.line ?>)<?cs /if ?><br>
<?cs var:o.detail ?><br><span class="muted"><?cs var:Lang.rx.desk.override_reason ?>:</span> <?cs var:o.reason ?> <span class="muted">(<?cs var:o.by ?>, <?cs var:o.at ?>)</span></li>
<?cs /each ?></ul>
<?cs /if ?>
<h2 id="items"><?cs var:Lang.rx.desk.items ?></h2>
<?cs if:Data.can_dispense ?><form method="post" action="/desk/rx/<?cs var:Data.rx.id ?>/dispense" class="stack" aria-labelledby="items">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<input type="hidden" name="<?cs var:Data.proof.kind ?>" value="<?cs var:Data.proof.value ?>"><?cs /if ?>
<ul class="doctors">
<?cs each:i = Data.items ?><li id="item-<?cs var:i.line ?>"><strong><?cs var:i.line ?>. <?cs var:i.name ?></strong><br>
<?cs var:i.text ?><br>
<span class="muted"><?cs var:Lang.rx.desk.quantity ?>: <?cs var:i.quantity ?><?cs if:i.refills > 0 ?> · <?cs var:Lang.rx.desk.refills ?>: <?cs var:i.refills ?><?cs /if ?> · <?cs var:Lang.rx.desk.dispensed ?>: <?cs var:i.dispensed ?> / <?cs var:i.allowed ?></span><br>
<?cs if:i.done ?><strong class="item-done"><?cs var:Lang.rx.desk.item_done ?></strong><?cs if:i.last_by ?> <span class="muted">(<?cs var:Lang.rx.desk.last ?> <?cs var:i.last_by ?>, <?cs var:i.last_at ?>)</span><?cs /if ?>
<?cs else ?><strong><?cs var:Lang.rx.desk.remaining ?>: <?cs var:i.remaining ?></strong><?cs if:i.last_by ?> <span class="muted">(<?cs var:Lang.rx.desk.last ?> <?cs var:i.last_by ?>, <?cs var:i.last_at ?>)</span><?cs /if ?><?cs /if ?>
<?cs if:Data.conflict.line == i.line || (Data.conflict.kind == "status" && i.done) ?><p class="error" role="alert"><?cs if:i.last_by ?><?cs var:Lang.rx.desk.already_by ?> <?cs var:i.last_by ?> <?cs var:Lang.rx.desk.already_at ?> <?cs var:i.last_at ?>.<?cs /if ?> <?cs var:Lang.rx.desk.remaining ?>: <?cs var:i.remaining ?>.</p><?cs /if ?>
<?cs if:Data.can_dispense && !i.done ?><label for="qty-<?cs var:i.line ?>"><?cs var:Lang.rx.desk.qty_label ?><span class="sr"> <?cs var:i.name ?></span></label>
<input id="qty-<?cs var:i.line ?>" name="qty_<?cs var:i.line ?>" type="number" inputmode="numeric" min="0" max="<?cs var:i.remaining ?>" value="<?cs var:i.default ?>"><?cs /if ?>
</li>
<?cs /each ?></ul>
<?cs if:Data.can_dispense ?><button type="submit" class="primary"><?cs var:Lang.rx.desk.dispense ?></button>
<button type="submit" name="all" value="1" class="primary"><?cs var:Lang.rx.desk.dispense_all ?></button>
</form><?cs /if ?>
<p><a href="/desk"><?cs var:Lang.rx.desk.back ?></a></p>
