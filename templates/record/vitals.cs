<h1><?cs var:Page.title ?></h1>
<?cs if:Data.done ?><p class="notice-box" role="status"><?cs var:Data.done ?></p><?cs /if ?>
<?cs if:Data.staff ?><p><a href="<?cs var:Data.base ?>/new"><?cs var:Lang.vitals.add ?></a></p><?cs /if ?>

<h2><?cs var:Lang.vitals.latest ?></h2>
<?cs if:subcount(Data.latest) == 0 ?><p><?cs var:Lang.vitals.none ?></p><?cs else ?>
<ul class="vitals">
<?cs each:l = Data.latest ?><li><a href="<?cs var:l.href ?>"><?cs var:l.name ?></a>: <strong><?cs var:l.value ?> <?cs var:l.unit ?></strong> <span class="muted"><?cs var:l.taken ?></span></li>
<?cs /each ?></ul>
<?cs /if ?>

<h2 id="trend"><?cs var:Lang.vitals.trend ?>: <?cs var:Data.m_name ?></h2>
<nav aria-label="<?cs var:Lang.vitals.choose_measure ?>"><ul class="slots">
<?cs each:c = Data.measures ?><li><a href="<?cs var:c.href ?>"<?cs if:c.m == Data.m ?> aria-current="page"<?cs /if ?>><?cs var:c.name ?></a></li><?cs /each ?>
</ul></nav>
<nav aria-label="<?cs var:Lang.vitals.choose_range ?>"><ul class="slots">
<?cs each:c = Data.ranges ?><li><a href="<?cs var:c.href ?>"<?cs if:c.code == Data.range ?> aria-current="page"<?cs /if ?>><?cs var:c.name ?></a></li><?cs /each ?>
</ul></nav>
<?cs if:subcount(Data.rows) == 0 ?><p><?cs var:Lang.vitals.no_data ?></p><?cs else ?>
<?cs if:Data.trend_svg ?><figure class="trend"><?cs escape: "none" ?><?cs var:Data.trend_svg ?><?cs /escape ?>
<figcaption><?cs var:Lang.vitals.chart_caption ?></figcaption></figure><?cs /if ?>
<div class="table-wrap">
<table class="list">
<caption><?cs var:Data.m_name ?> (<?cs var:Data.m_unit ?>)<?cs if:Data.means ?>, <?cs var:Data.means ?><?cs /if ?></caption>
<thead><tr><th scope="col"><?cs var:Data.period ?></th><th scope="col"><?cs var:Data.m_unit ?></th></tr></thead>
<tbody>
<?cs each:p = Data.rows ?><tr><td><?cs if:p.href ?><a href="<?cs var:p.href ?>"><?cs var:p.label ?></a><?cs else ?><?cs var:p.label ?><?cs /if ?></td><td><?cs var:p.value ?></td></tr>
<?cs /each ?></tbody>
</table>
</div>
<?cs /if ?>
