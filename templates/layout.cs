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
</header>
<main id="main">
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
