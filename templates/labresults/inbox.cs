<h1><?cs var:Page.title ?></h1>
<?cs if:Data.done ?><p class="notice-box" role="status"><?cs var:Lang.labresults.inbox.done ?></p><?cs /if ?>
<?cs if:subcount(Data.inbox) == 0 ?><p><?cs var:Lang.labresults.inbox.none ?></p><?cs else ?>
<p><?cs var:Lang.labresults.inbox.intro ?></p>
<ul class="doctors lab-inbox">
<?cs each:x = Data.inbox ?><li><a href="/patients/<?cs var:x.patient ?>/results/<?cs var:x.order ?>"><?cs var:x.name ?> · <?cs var:x.code ?></a><br>
<?cs if:x.critical ?><strong class="lab-flag lab-critical_high"><span aria-hidden="true">‼</span> <?cs var:x.critical ?> <?cs var:Lang.labresults.inbox.critical ?></strong> · <?cs /if ?><?cs if:x.abnormal ?><strong class="lab-flag"><?cs var:x.abnormal ?> <?cs var:Lang.labresults.inbox.abnormal ?></strong> · <?cs /if ?><?cs var:x.new ?> <?cs var:Lang.labresults.inbox.new ?><?cs if:x.corrected ?> · <em><?cs var:Lang.labresults.corrected ?></em><?cs /if ?> · <?cs var:Lang.labresults.inbox.released ?> <?cs var:x.released ?>
<form method="post" action="/results/inbox/<?cs var:x.order ?>/seen" class="inline"><input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>"><button type="submit"><?cs var:Lang.labresults.inbox.seen ?><span class="sr"> <?cs var:x.name ?> <?cs var:x.code ?></span></button></form></li>
<?cs /each ?></ul>
<?cs /if ?>
