<h1><?cs var:Lang.home.mine.hello ?> <?cs var:Page.user.name ?></h1>
<?cs if:Page.user.unread > 0 ?><p class="notice-box"><a href="/notices"><?cs var:Lang.home.mine.unread ?>: <?cs var:Page.user.unread ?></a></p><?cs /if ?>
<?cs include:"home/patient.cs" ?>
<?cs include:"home/doctor.cs" ?>
<?cs include:"home/reception.cs" ?>
<?cs include:"home/pharmacist.cs" ?>
<?cs include:"home/lab.cs" ?>
<?cs include:"home/admin.cs" ?>
