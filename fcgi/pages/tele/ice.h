/* ice: the ICE servers (STUN, TURN with a time-limited credential) a
 * video call's RTCPeerConnection is given (docs/tele.md "TURN"). */
#ifndef MEDSYS_TELE_ICE_H
#define MEDSYS_TELE_ICE_H

struct req;

/* The RTCPeerConnection iceServers JSON array for the signed-in user
 * r->user, in r->arena: a {"urls":[...]} entry for stun_urls when set,
 * and a {"urls":[...],"username":"EXPIRY:USERID","credential":"..."} entry
 * for turn_urls when TURN is configured (turn_urls and turn_secret_file),
 * the credential valid turn_ttl_seconds from now. "[]" when neither is
 * configured. NULL on failure (no user signed in, the secret file
 * unreadable: logged, arena exhausted). */
const char *tele_ice_json(struct req *r);

#endif
