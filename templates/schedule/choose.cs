<h1><?cs var:Page.title ?></h1>
<p><?cs var:Lang.schedule.choose.intro ?></p>
<?cs if:subcount(Data.doctors) == 0 ?><p><?cs var:Lang.schedule.choose.none ?></p><?cs /if ?>
<ul>
<?cs each:d = Data.doctors ?>
<li><a href="/schedule?doctor=<?cs var:url_escape(d.id) ?>"><?cs var:d.name ?></a><?cs if:d.inactive ?> <span class="muted">(<?cs var:Lang.schedule.choose.inactive ?>)</span><?cs /if ?></li>
<?cs /each ?>
</ul>
