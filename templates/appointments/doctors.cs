<h1><?cs var:Page.title ?></h1>
<?cs if:Data.patient.id ?><p class="notice-box"><?cs var:Lang.appointments.for_patient ?> <strong><?cs var:Data.patient.name ?></strong> (<?cs var:Data.patient.email ?>)</p><?cs /if ?>
<form method="get" action="/doctors" class="stack" role="search">
<?cs if:Data.patient.id ?><input type="hidden" name="patient" value="<?cs var:Data.patient.id ?>"><?cs /if ?>
<label for="specialty"><?cs var:Lang.appointments.doctors.specialty ?></label>
<select id="specialty" name="specialty">
<option value=""><?cs var:Lang.appointments.doctors.any ?></option>
<?cs each:s = Data.specialties ?><option value="<?cs var:s.id ?>"<?cs if:s.selected ?> selected<?cs /if ?>><?cs var:s.name ?></option>
<?cs /each ?></select>
<label for="q"><?cs var:Lang.appointments.doctors.name ?></label>
<input id="q" name="q" type="search" maxlength="100" value="<?cs var:Data.q ?>">
<button type="submit" class="primary"><?cs var:Lang.appointments.doctors.search ?></button>
</form>
<h2><?cs var:Lang.appointments.doctors.results ?></h2>
<?cs if:Data.count > 0 ?>
<ul class="doctors">
<?cs each:d = Data.doctors ?><li><a href="/doctors/<?cs var:d.id ?><?cs var:Data.pquery ?>"><?cs var:d.name ?></a><?cs if:d.specialties ?><br><span class="muted"><?cs var:d.specialties ?></span><?cs /if ?></li>
<?cs /each ?></ul>
<?cs else ?><p><?cs var:Lang.appointments.doctors.none ?></p><?cs /if ?>
