<h1><?cs var:Page.title ?></h1>
<p><strong><?cs var:Data.patient.name ?></strong> (<?cs var:Data.patient.birth_date ?>)</p>
<?cs if:Data.sent ?><p class="notice-box" role="status"><?cs var:Lang.home.walkin.sent ?></p><?cs /if ?>
<?cs if:Data.patient.has_account ?><p><?cs var:Lang.home.walkin.has_account ?></p><?cs else ?>
<p><?cs var:Lang.home.walkin.claim_intro ?></p>
<?cs include:"form_errors.cs" ?><?cs call:error_summary("") ?>
<form method="post" action="/reception/walk-in/<?cs var:Data.patient.id ?>/claim" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Page.csrf ?>">
<label for="email"><?cs var:Lang.account.register.email ?></label>
<?cs if:Form.errors.email ?><p class="error" id="email-error"><?cs var:Form.errors.email ?></p><?cs /if ?>
<input id="email" name="email" type="email" autocomplete="off" required maxlength="254" value="<?cs var:Form.email ?>"<?cs if:Form.errors.email ?> aria-invalid="true" aria-describedby="email-error"<?cs /if ?>>
<button type="submit" class="primary"><?cs var:Lang.home.walkin.claim_submit ?></button>
</form>
<?cs /if ?>
<p><a href="/reception?patient=<?cs var:Data.patient.id ?>"><?cs var:Lang.appointments.back_patient ?></a></p>
