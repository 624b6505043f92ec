<section class="rx-verify" aria-labelledby="lab-verdict">
<?cs if:Data.lab.state == "genuine" ?>
<h1 id="lab-verdict" class="verdict verdict-ok"><?cs var:Lang.labresults.verify.genuine ?></h1>
<p><?cs var:Lang.labresults.verify.genuine_text ?></p>
<?cs elif:Data.lab.state == "changed" ?>
<h1 id="lab-verdict" class="verdict verdict-warn"><?cs var:Lang.labresults.verify.changed ?></h1>
<p><?cs var:Lang.labresults.verify.changed_text ?></p>
<?cs elif:Data.lab.state == "not_genuine" ?>
<h1 id="lab-verdict" class="verdict verdict-bad"><?cs var:Lang.labresults.verify.not_genuine ?></h1>
<p><?cs var:Data.lab.reason_text ?></p>
<?cs else ?>
<h1 id="lab-verdict" class="verdict verdict-bad"><?cs var:Lang.labresults.verify.unknown ?></h1>
<p><?cs var:Lang.labresults.verify.unknown_text ?></p>
<?cs /if ?>
<?cs if:Data.lab.code ?>
<dl class="rx-facts">
<dt><?cs var:Lang.labresults.verify.code ?></dt><dd><?cs var:Data.lab.code ?></dd>
<dt><?cs var:Lang.labresults.verify.issued ?></dt><dd><?cs var:Data.lab.issued ?></dd>
<dt><?cs var:Lang.labresults.one.collected ?></dt><dd><?cs var:Data.lab.collected ?></dd>
<dt><?cs var:Lang.labresults.one.doctor ?></dt><dd><?cs var:Data.lab.doctor ?></dd>
<?cs if:Data.lab.count ?><dt><?cs var:Lang.labresults.verify.count ?></dt><dd><?cs var:Data.lab.count ?><?cs if:Data.lab.corrected ?> (<?cs var:Lang.labresults.verify.some_corrected ?>)<?cs /if ?></dd><?cs /if ?>
</dl>
<?cs /if ?>
<?cs if:Data.lab.own_url ?><p><a href="<?cs var:Data.lab.own_url ?>"><?cs var:Lang.labresults.verify.open_own ?></a></p><?cs /if ?>
<p class="muted"><?cs var:Lang.labresults.verify.privacy ?> <a href="/.well-known/medsys-rx-keys.json"><?cs var:Lang.rx.verify.keys_link ?></a></p>
</section>
