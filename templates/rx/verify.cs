<section class="rx-verify" aria-labelledby="rx-verdict">
<?cs if:Data.rx.state == "genuine" ?>
<h1 id="rx-verdict" class="verdict verdict-ok"><?cs var:Lang.rx.verify.genuine ?></h1>
<p><?cs var:Lang.rx.verify.genuine_text ?></p>
<?cs elif:Data.rx.state == "expired" ?>
<h1 id="rx-verdict" class="verdict verdict-warn"><?cs var:Lang.rx.verify.expired ?></h1>
<p><?cs var:Lang.rx.verify.expired_text ?></p>
<?cs elif:Data.rx.state == "cancelled" ?>
<h1 id="rx-verdict" class="verdict verdict-bad"><?cs var:Lang.rx.verify.cancelled ?></h1>
<p><?cs var:Lang.rx.verify.cancelled_text ?></p>
<?cs elif:Data.rx.state == "not_genuine" ?>
<h1 id="rx-verdict" class="verdict verdict-bad"><?cs var:Lang.rx.verify.not_genuine ?></h1>
<p><?cs var:Data.rx.reason_text ?></p>
<p><?cs var:Lang.rx.verify.not_genuine_text ?></p>
<?cs else ?>
<h1 id="rx-verdict" class="verdict verdict-bad"><?cs var:Lang.rx.verify.unknown ?></h1>
<p><?cs var:Lang.rx.verify.unknown_text ?></p>
<?cs /if ?>
<?cs if:Data.rx.issued ?>
<dl class="rx-facts">
<dt><?cs var:Lang.rx.verify.issued ?></dt><dd><?cs var:Data.rx.issued ?></dd>
<dt><?cs var:Lang.rx.verify.expires ?></dt><dd><?cs var:Data.rx.expires ?></dd>
<?cs if:Data.rx.status ?><dt><?cs var:Lang.rx.verify.status_label ?></dt><dd><?cs var:Data.rx.status_text ?></dd><?cs /if ?>
<?cs if:Data.rx.prescriber ?><dt><?cs var:Lang.rx.verify.prescriber ?></dt><dd><?cs var:Data.rx.prescriber ?><?cs if:Data.rx.licence ?> · <?cs var:Lang.rx.verify.licence ?> <?cs var:Data.rx.licence ?><?cs /if ?></dd><?cs /if ?>
</dl>
<?cs /if ?>
<?cs if:Data.rx.desk_url ?><p><a class="button" href="<?cs var:Data.rx.desk_url ?>"><?cs var:Lang.rx.verify.open_desk ?></a></p><?cs /if ?>
<?cs if:Data.rx.own_url ?><p><a href="<?cs var:Data.rx.own_url ?>"><?cs var:Lang.rx.verify.open_own ?></a></p><?cs /if ?>
<p class="muted"><?cs var:Lang.rx.verify.privacy ?> <a href="/.well-known/medsys-rx-keys.json"><?cs var:Lang.rx.verify.keys_link ?></a></p>
</section>
