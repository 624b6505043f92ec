<?cs if:subcount(Data.told) || subcount(Data.thread) ?>
<section aria-labelledby="thread-h">
<h2 id="thread-h"><?cs var:Lang.triage.thread.title ?></h2>
<ol class="thread">
<li><?cs var:Lang.triage.thread.complaint ?> «<?cs var:Data.complaint ?>»<?cs if:subcount(Data.told) ?>: <?cs each:t = Data.told ?><?cs var:t.name ?><?cs if:t.absent ?> (<?cs var:Lang.triage.reply.n ?>)<?cs /if ?><?cs if:!last(t) ?>, <?cs /if ?><?cs /each ?><?cs /if ?></li>
<?cs each:t = Data.thread ?><li><?cs var:t.question ?> <strong><?cs var:t.reply ?></strong>
<?cs if:!Data.readonly ?><?cs if:Data.stored ?><form method="post" action="<?cs var:Data.self ?>" class="inline"><input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>"><input type="hidden" name="keep" value="<?cs var:t.keep ?>"><button type="submit" class="link"><?cs var:Lang.triage.thread.change ?><span class="sr">: <?cs var:t.question ?></span></button></form><?cs else ?><a href="<?cs var:t.href ?>"><?cs var:Lang.triage.thread.change ?><span class="sr">: <?cs var:t.question ?></span></a><?cs /if ?><?cs /if ?></li>
<?cs /each ?></ol>
</section>
<?cs /if ?>
