<section class="intro">
<h1><?cs if:Data.clinic.name ?><?cs var:Data.clinic.name ?><?cs else ?><?cs var:Lang.site.name ?><?cs /if ?></h1>
<?cs if:Data.clinic.tagline ?><p><?cs var:Data.clinic.tagline ?></p><?cs /if ?>
<p><a class="button primary" href="/doctors"><?cs var:Lang.home.book ?></a></p>
<p><a href="/triage"><?cs var:Lang.triage.nav ?></a></p>
<p class="muted"><?cs var:Lang.home.book_hint ?> <a href="/register"><?cs var:Lang.layout.register ?></a></p>
</section>
<section aria-labelledby="doctors">
<h2 id="doctors"><?cs var:Lang.home.doctors ?></h2>
<?cs if:subcount(Data.doctors) ?>
<ul class="doctors">
<?cs each:d = Data.doctors ?>
<li><strong><?cs var:d.name ?></strong><?cs if:d.specialties ?><br><span class="muted"><?cs var:d.specialties ?></span><?cs /if ?></li>
<?cs /each ?>
</ul>
<?cs else ?>
<p><?cs var:Lang.home.no_doctors ?></p>
<?cs /if ?>
</section>
<?cs if:Data.clinic.address || Data.clinic.phone || Data.clinic.email ?>
<section aria-labelledby="contact">
<h2 id="contact"><?cs var:Lang.home.contact ?></h2>
<dl class="contact">
<?cs if:Data.clinic.address ?><dt><?cs var:Lang.home.address ?></dt><dd><?cs var:Data.clinic.address ?></dd><?cs /if ?>
<?cs if:Data.clinic.phone ?><dt><?cs var:Lang.home.phone ?></dt><dd><?cs var:Data.clinic.phone ?></dd><?cs /if ?>
<?cs if:Data.clinic.email ?><dt><?cs var:Lang.home.email ?></dt><dd><?cs var:Data.clinic.email ?></dd><?cs /if ?>
</dl>
</section>
<?cs /if ?>
