<?cs if:subcount(Data.previsit) ?>
<section aria-labelledby="previsit-h">
<h2 id="previsit-h"><?cs var:Lang.triage.encounter.title ?></h2>
<ul class="doctors">
<?cs each:v = Data.previsit ?><li><?cs var:v.when ?> · <?cs var:v.complaint ?> (<?cs var:v.level ?>) <a href="/patients/<?cs var:Data.patient.id ?>/triage/<?cs var:v.id ?>?encounter=<?cs var:Data.enc.id ?>"><?cs var:Lang.triage.encounter.open ?><span class="sr">: <?cs var:v.complaint ?></span></a></li>
<?cs /each ?></ul>
</section>
<?cs /if ?>
