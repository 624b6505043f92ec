<!DOCTYPE html>
<html lang="<?cs var:Lang.code ?>">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><?cs var:Page.title ?> · <?cs var:Lang.site.name ?></title>
<link rel="stylesheet" href="/static/style.css">
<?cs if:Page.refresh ?><noscript><meta http-equiv="refresh" content="<?cs var:Page.refresh ?>"></noscript><?cs /if ?>
</head>
<body>
<a class="skip" href="#main"><?cs var:Lang.layout.skip ?></a>
<header class="site">
<a class="brand" href="/"><?cs var:Lang.site.name ?></a>
<?cs if:Page.user.signed_in ?>
<a class="notices" href="/notices"><?cs var:Lang.layout.notices ?><?cs if:Page.user.unread > 0 ?> <span class="badge"><?cs var:Page.user.unread ?> <span class="sr"><?cs var:Lang.layout.unread ?></span></span><?cs /if ?></a>
<?cs if:Page.user.role.patient || Page.user.role.doctor || Page.user.role.reception ?><a class="messages" href="/messages"><?cs var:Lang.layout.messages ?><?cs if:Page.user.unread_messages > 0 ?> <span class="badge"><?cs var:Page.user.unread_messages ?> <span class="sr"><?cs var:Lang.layout.unread ?></span></span><?cs /if ?></a><?cs /if ?>
<details class="menu"><summary><?cs var:Lang.layout.menu ?></summary>
<nav aria-label="<?cs var:Lang.layout.menu ?>"><ul>
<?cs # One line per link, each shown to the roles it is for: a module adds its own line. ?>
<li><a href="/"><?cs var:Lang.home.mine.title ?></a></li>
<?cs if:Page.user.role.patient ?><li><a href="/appointments"><?cs var:Lang.layout.appointments ?></a></li><?cs /if ?>
<?cs if:Page.user.role.patient ?><li><a href="/record"><?cs var:Lang.layout.record ?></a></li><?cs /if ?>
<?cs if:Page.user.role.patient ?><li><a href="/prescriptions"><?cs var:Lang.layout.prescriptions ?></a></li><?cs /if ?>
<?cs if:Page.user.role.doctor ?><li><a href="/agenda"><?cs var:Lang.layout.agenda ?></a></li><?cs /if ?>
<?cs if:Page.user.role.doctor ?><li><a href="/schedule"><?cs var:Lang.layout.schedule ?></a></li><?cs /if ?>
<?cs if:Page.user.role.doctor ?><li><a href="/formulary"><?cs var:Lang.rx.formulary.title ?></a></li><?cs /if ?>
<?cs if:Page.user.role.reception ?><li><a href="/reception"><?cs var:Lang.layout.reception ?></a></li><?cs /if ?>
<?cs if:Page.user.role.reception ?><li><a href="/reception/walk-in"><?cs var:Lang.layout.walkin ?></a></li><?cs /if ?>
<?cs if:Page.user.role.reception ?><li><a href="/schedule"><?cs var:Lang.layout.schedule ?></a></li><?cs /if ?>
<?cs if:Page.user.role.pharmacist ?><li><a href="/desk"><?cs var:Lang.rx.desk.nav ?></a></li><?cs /if ?>
<?cs if:Page.user.role.patient ?><li><a href="/triage"><?cs var:Lang.triage.nav ?></a></li><?cs /if ?>
<?cs if:Page.user.role.patient ?><li><a href="/results"><?cs var:Lang.labresults.nav ?></a></li><?cs /if ?>
<?cs if:Page.user.role.doctor ?><li><a href="/results/inbox"><?cs var:Lang.labresults.inbox.nav ?></a></li><?cs /if ?>
<?cs if:Page.user.role.doctor ?><li><a href="/lab/critical"><?cs var:Lang.lab.nav_critical ?></a></li><?cs /if ?>
<?cs if:Page.user.role.lab ?><li><a href="/lab"><?cs var:Lang.lab.nav ?></a></li><?cs /if ?>
<?cs if:Page.user.role.admin ?><li><a href="/admin"><?cs var:Lang.layout.admin ?></a></li><?cs /if ?>
<?cs # The profile link carries the signed-in name: on a shared computer, whose session this is. ?>
<li><a href="/profile"><?cs var:Page.user.name ?></a></li>
<li><form method="post" action="/logout"><input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>"><button type="submit" class="link"><?cs var:Lang.layout.sign_out ?></button></form></li>
</ul></nav>
</details>
<?cs else ?>
<nav class="account" aria-label="<?cs var:Lang.layout.profile ?>">
<a href="/login"><?cs var:Lang.layout.sign_in ?></a>
<a href="/register"><?cs var:Lang.layout.register ?></a>
</nav>
<?cs /if ?>
</header>
<main id="main">
<?cs if:Page.user.unverified ?><p class="notice-box"><?cs var:Lang.account.banner.text ?> <a href="/verify/resend"><?cs var:Lang.account.banner.link ?></a></p><?cs /if ?>
<?cs include:Layout.Body ?>
</main>
<footer class="site">
<nav aria-label="<?cs var:Lang.layout.language ?>">
<a href="/language/<?cs var:Lang.layout.switch_code ?>?next=<?cs var:url_escape(Page.path) ?>" lang="<?cs var:Lang.layout.switch_code ?>" hreflang="<?cs var:Lang.layout.switch_code ?>" rel="nofollow"><?cs var:Lang.layout.switch_to ?></a>
</nav>
<p><?cs var:Lang.layout.footer ?></p>
</footer>
</body>
</html>
