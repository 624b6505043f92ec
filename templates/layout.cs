<!DOCTYPE html>
<html lang="<?cs var:Lang.code ?>">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><?cs var:Page.title ?> · <?cs var:Lang.site.name ?></title>
<link rel="stylesheet" href="/static/style.css">
</head>
<body>
<a class="skip" href="#main"><?cs var:Lang.layout.skip ?></a>
<header class="site">
<a class="brand" href="/"><?cs var:Lang.site.name ?></a>
<nav class="account" aria-label="<?cs var:Lang.layout.profile ?>">
<?cs if:Page.user.signed_in ?>
<a href="/notices"><?cs var:Lang.layout.notices ?><?cs if:Page.user.unread > 0 ?> <span class="badge"><?cs var:Page.user.unread ?> <span class="sr"><?cs var:Lang.layout.unread ?></span></span><?cs /if ?></a>
<?cs if:Page.user.role.patient || Page.user.role.doctor || Page.user.role.reception ?><a href="/messages"><?cs var:Lang.layout.messages ?><?cs if:Page.user.unread_messages > 0 ?> <span class="badge"><?cs var:Page.user.unread_messages ?> <span class="sr"><?cs var:Lang.layout.unread ?></span></span><?cs /if ?></a><?cs /if ?>
<?cs if:Page.user.role.patient ?><a href="/appointments"><?cs var:Lang.layout.appointments ?></a> <a href="/record"><?cs var:Lang.layout.record ?></a><?cs /if ?>
<?cs if:Page.user.role.doctor ?><a href="/agenda"><?cs var:Lang.layout.agenda ?></a><?cs /if ?>
<?cs if:Page.user.role.doctor ?><a href="/formulary"><?cs var:Lang.rx.formulary.title ?></a><?cs /if ?>
<?cs if:Page.user.role.reception ?><a href="/reception"><?cs var:Lang.layout.reception ?></a><?cs /if ?>
<?cs if:Page.user.role.pharmacist ?><a href="/desk"><?cs var:Lang.rx.desk.nav ?></a><?cs /if ?>
<a href="/profile"><?cs var:Page.user.name ?></a>
<?cs if:Page.user.role.admin ?><a href="/admin"><?cs var:Lang.layout.admin ?></a><?cs /if ?>
<form method="post" action="/logout" class="inline"><input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>"><button type="submit" class="link"><?cs var:Lang.layout.sign_out ?></button></form>
<?cs else ?>
<a href="/login"><?cs var:Lang.layout.sign_in ?></a>
<a href="/register"><?cs var:Lang.layout.register ?></a>
<?cs /if ?>
</nav>
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
