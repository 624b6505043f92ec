<?cs if:Data.next_before || Data.paged ?>
<nav aria-label="<?cs var:Page.title ?>"><p>
<?cs if:Data.paged ?><a href="<?cs var:Data.base ?>"><?cs var:Lang.care.newest ?></a><?cs /if ?>
<?cs if:Data.next_before ?><a href="<?cs var:Data.base ?>?before=<?cs var:Data.next_before ?>" rel="next"><?cs var:Lang.care.older ?></a><?cs /if ?>
</p></nav>
<?cs /if ?>
