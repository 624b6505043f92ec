<?cs # "Your camera or microphone is blocked" (tele.js sends the browser here, docs/tele.md "Call (browser)"): why, what to do in each browser, try again, or go on with sound only or the chat. ?>
<h1><?cs var:Page.title ?></h1>
<p class="alert-box" role="alert"><?cs if:Data.why == "busy" ?><?cs var:Lang.tele.blocked.why.busy ?><?cs elif:Data.why == "missing" ?><?cs var:Lang.tele.blocked.why.missing ?><?cs else ?><?cs var:Lang.tele.blocked.why.denied ?><?cs /if ?></p>
<p><?cs var:Lang.tele.blocked.intro ?></p>
<p><a class="button primary" href="<?cs var:Data.call.path ?>"><?cs var:Lang.tele.blocked.again ?></a></p>
<h2><?cs var:Lang.tele.blocked.chrome.title ?></h2>
<ol><li><?cs var:Lang.tele.blocked.chrome.step1 ?></li><li><?cs var:Lang.tele.blocked.chrome.step2 ?></li><li><?cs var:Lang.tele.blocked.chrome.step3 ?></li></ol>
<h2><?cs var:Lang.tele.blocked.android.title ?></h2>
<ol><li><?cs var:Lang.tele.blocked.android.step1 ?></li><li><?cs var:Lang.tele.blocked.android.step2 ?></li><li><?cs var:Lang.tele.blocked.android.step3 ?></li></ol>
<h2><?cs var:Lang.tele.blocked.firefox.title ?></h2>
<ol><li><?cs var:Lang.tele.blocked.firefox.step1 ?></li><li><?cs var:Lang.tele.blocked.firefox.step2 ?></li><li><?cs var:Lang.tele.blocked.firefox.step3 ?></li></ol>
<h2><?cs var:Lang.tele.blocked.ios.title ?></h2>
<ol><li><?cs var:Lang.tele.blocked.ios.step1 ?></li><li><?cs var:Lang.tele.blocked.ios.step2 ?></li><li><?cs var:Lang.tele.blocked.ios.step3 ?></li></ol>
<h2><?cs var:Lang.tele.blocked.safari.title ?></h2>
<ol><li><?cs var:Lang.tele.blocked.safari.step1 ?></li><li><?cs var:Lang.tele.blocked.safari.step2 ?></li></ol>
<h2><?cs var:Lang.tele.blocked.other.title ?></h2>
<ul>
<li><?cs var:Lang.tele.blocked.other.audio ?></li>
<li><?cs var:Lang.tele.blocked.other.chat ?> <a href="<?cs var:Data.call.path ?>?media=off"><?cs var:Lang.tele.blocked.other.chat_link ?></a></li>
</ul>
<p><a href="<?cs var:Data.call.path ?>"><?cs var:Lang.tele.blocked.again ?></a></p>
